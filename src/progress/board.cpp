// The progress board (pgclone/progress/board.hpp): shared memory, one entry
// per backend number, each written only by its own backend. The writers are
// plain stores between the change-count brackets of backend_status.h, which
// cannot fail; they run under pg::call all the same, for the rule that every
// server call from C++ is guarded.
#include <cstring>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "catalog/pg_authid.h" // ROLE_PG_READ_ALL_STATS
#if PG_VERSION_NUM >= 170000
#include "storage/procnumber.h" // MyProcNumber
#endif
#if PG_VERSION_NUM < 150000
#include "postmaster/autovacuum.h"
#include "replication/walsender.h"
#endif

#include "pgclone/pg/fixed_text.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/shared_memory.hpp"
#include "pgclone/progress/board.hpp"

namespace pgclone::progress {

namespace {

constexpr int kind_capacity = 16;
constexpr int phase_capacity = 64;
constexpr int table_capacity = 2 * NAMEDATALEN + 8;

struct BoardEntry {
	// Odd while the owner writes; the name is the one the macros of
	// utils/backend_status.h expect.
	int st_changecount;
	int pid; // 0: no clone running in this backend
	Oid database_id;
	Oid role_id;
	TimestampTz started;
	TimestampTz phase_started;
	char kind[kind_capacity];
	char subject[NAMEDATALEN];
	char phase[phase_capacity];
	int tables_total;
	int tables_done;
	char current_table[table_capacity];
	uint64 rows_done;
	uint64 bytes_estimate;
	uint64 bytes_estimate_done;
	uint64 current_estimate;
};

struct Board {
	int nentries;
	BoardEntry entries[FLEXIBLE_ARRAY_MEMBER];
};

Board *board = nullptr;
BoardEntry *mine = nullptr; // this backend's entry while a clone runs
bool exit_callback_registered = false;
int requested_entries = 0;


// One entry per backend that can run SQL: client backends, background
// workers (async jobs), autovacuum and WAL senders, as MaxBackends counts
// them. Before PostgreSQL 15 MaxBackends is not known yet when a library
// asks for shared memory, so it is computed from the same settings.
int entries_wanted() {
#if PG_VERSION_NUM >= 150000
	return MaxBackends;
#else
	return MaxConnections + autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders;
#endif
}

Size board_size(int n) {
	return add_size(offsetof(Board, entries), mul_size(sizeof(BoardEntry), n));
}

void request_shmem() {
	requested_entries = entries_wanted();
	RequestAddinShmemSpace(board_size(requested_entries));
}


void startup_shmem() {
	bool found = false;
	board = static_cast<Board *>(ShmemInitStruct("pgclone progress board", board_size(requested_entries), &found));
	if (!found) {
		std::memset(static_cast<void *>(board), 0, board_size(requested_entries));
		board->nentries = requested_entries;
	}
}

// This backend's slot of the board, or null.
BoardEntry *own_slot() {
	if (!board)
		return nullptr;
#if PG_VERSION_NUM >= 170000
	int index = MyProcNumber;
#else
	int index = MyBackendId - 1;
#endif
	if (index < 0 || index >= board->nentries)
		return nullptr;
	return &board->entries[index];
}

void clear(BoardEntry *e) {
	PGSTAT_BEGIN_WRITE_ACTIVITY(e);
	e->pid = 0;
	PGSTAT_END_WRITE_ACTIVITY(e);
}

// A backend that exits with its entry set (FATAL, pg_terminate_backend).
void clear_on_exit(int, Datum) {
	if (mine) {
		clear(mine);
		mine = nullptr;
	}
}

// Writes into this backend's entry, if it has one open.
template <typename F>
void write_mine(F &&write) {
	if (!mine)
		return;
	BoardEntry *e = mine;
	pg::call([&] {
		PGSTAT_BEGIN_WRITE_ACTIVITY(e);
		write(e);
		PGSTAT_END_WRITE_ACTIVITY(e);
	});
}

} // namespace

void init_board() {
	pg::use_shared_memory({request_shmem, startup_shmem});
}

bool board_available() noexcept {
	return board != nullptr;
}

Entry::Entry(const std::string &kind, const std::string &subject) {
	if (mine)
		return;
	BoardEntry *e = nullptr;
	pg::call([&] {
		e = own_slot();
		if (!e)
			return;
		if (!exit_callback_registered) {
			before_shmem_exit(clear_on_exit, 0);
			exit_callback_registered = true;
		}
		TimestampTz now = GetCurrentTimestamp();
		PGSTAT_BEGIN_WRITE_ACTIVITY(e);
		e->pid = MyProcPid;
		e->database_id = MyDatabaseId;
		e->role_id = GetUserId();
		e->started = now;
		e->phase_started = now;
		pg::copy_clipped(e->kind, kind_capacity, kind.c_str());
		pg::copy_clipped(e->subject, NAMEDATALEN, subject.c_str());
		pg::copy_clipped(e->phase, phase_capacity, "connecting");
		e->tables_total = 0;
		e->tables_done = 0;
		e->current_table[0] = '\0';
		e->rows_done = 0;
		e->bytes_estimate = 0;
		e->bytes_estimate_done = 0;
		e->current_estimate = 0;
		PGSTAT_END_WRITE_ACTIVITY(e);
	});
	if (e) {
		mine = e;
		owner_ = true;
	}
}

// No server call: the brackets are a counter, barriers and the critical
// section counter.
Entry::~Entry() {
	if (!owner_ || !mine)
		return;
	clear(mine);
	mine = nullptr;
}

void set_phase(const std::string &phase) {
	write_mine([&](BoardEntry *e) {
		pg::copy_clipped(e->phase, phase_capacity, phase.c_str());
		e->phase_started = GetCurrentTimestamp();
		e->current_table[0] = '\0';
		e->current_estimate = 0;
	});
}

void set_plan(int tables, uint64_t bytes_estimate) {
	write_mine([&](BoardEntry *e) {
		e->tables_total = tables;
		e->bytes_estimate = bytes_estimate;
	});
}

void table_started(const std::string &table, uint64_t estimate) {
	write_mine([&](BoardEntry *e) {
		pg::copy_clipped(e->current_table, table_capacity, table.c_str());
		e->current_estimate = estimate;
	});
}

void table_finished(uint64_t rows) {
	write_mine([&](BoardEntry *e) {
		e->tables_done++;
		e->rows_done += rows;
		e->bytes_estimate_done += e->current_estimate;
		e->current_estimate = 0;
		e->current_table[0] = '\0';
	});
}

std::vector<EntryView> read_board() {
	std::vector<EntryView> out;
	if (!board)
		return out;
	const int n = board->nentries;
	for (int i = 0; i < n; i++) {
		BoardEntry copy;
		bool visible = false;
		pg::call([&] {
			volatile BoardEntry *e = &board->entries[i];
			for (;;) {
				int before, after;
				pgstat_begin_read_activity(e, before);
				memcpy(&copy, const_cast<BoardEntry *>(e), sizeof(copy));
				pgstat_end_read_activity(e, after);
				if (pgstat_read_activity_complete(before, after))
					break;
				CHECK_FOR_INTERRUPTS();
			}
			visible = copy.pid != 0 && (has_privs_of_role(GetUserId(), copy.role_id) ||
			                            has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS));
		});
		if (!visible)
			continue;
		EntryView v;
		v.pid = copy.pid;
		v.database_id = copy.database_id;
		v.role_id = copy.role_id;
		v.kind = copy.kind;
		v.subject = copy.subject;
		v.started = copy.started;
		v.phase = copy.phase;
		v.phase_started = copy.phase_started;
		v.tables_total = copy.tables_total;
		v.tables_done = copy.tables_done;
		v.current_table = copy.current_table;
		v.rows_done = copy.rows_done;
		v.bytes_estimate = copy.bytes_estimate;
		v.bytes_estimate_done = copy.bytes_estimate_done;
		v.current_estimate = copy.current_estimate;
		out.push_back(std::move(v));
	}
	return out;
}

} // namespace pgclone::progress

// The progress board: what each running schema or database clone is doing,
// readable from any other session (pgclone.clone_progress). A synchronous
// clone runs in the caller's transaction, so nothing it writes to a table
// is visible before it ends; the board is shared memory instead, one entry
// per backend, like PostgreSQL's own pg_stat_progress_* views.
//
// Ownership: a backend writes only its own entry (the one at its backend
// number), with the change-count protocol of PostgreSQL's backend status
// array (utils/backend_status.h): readers copy an entry and retry until the
// copy was not torn by a concurrent write. No lock is taken anywhere.
//
// Only available when pgclone is in shared_preload_libraries; otherwise a
// clone runs as before and the board has no entries to show.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pgclone::progress {

// At load time (_PG_init), when preloaded: asks for the shared memory.
void init_board();

// Whether this server has the board (pgclone preloaded).
bool board_available() noexcept;

// One running clone, as a reader sees it.
struct EntryView {
	int pid = 0;
	Oid database_id = InvalidOid;
	Oid role_id = InvalidOid; // the role that called the clone
	std::string kind;         // "schema", "database", "functions"
	std::string subject;      // the schema, or empty for a database
	TimestampTz started = 0;
	std::string phase;
	TimestampTz phase_started = 0;
	int tables_total = 0;
	int tables_done = 0;
	std::string current_table; // empty outside the tables phase
	uint64_t rows_done = 0;    // rows of the tables done
	// The source's size estimate (heap bytes) of all the plan's tables, of
	// the tables done and of the one being copied.
	uint64_t bytes_estimate = 0;
	uint64_t bytes_estimate_done = 0;
	uint64_t current_estimate = 0;
};

// The entries the current role may see: those of clones called by roles it
// has the privileges of, or all of them for members of pg_read_all_stats
// (the rule of pg_stat_activity's details).
std::vector<EntryView> read_board();

// The current backend's entry for the lifetime of one clone. When the board
// is missing, or an entry is already open (a clone inside a clone), it does
// nothing; the calls below are no-ops whenever this backend has no entry.
// The destructor clears the entry; a backend that exits while it is set
// clears it on its way out.
class Entry {
public:
	Entry(const std::string &kind, const std::string &subject);
	~Entry();
	Entry(const Entry &) = delete;
	Entry &operator=(const Entry &) = delete;

private:
	bool owner_ = false;
};

// Each phase as it begins ("reading the plan", "tables", "foreign keys", ...).
void set_phase(const std::string &phase);
// After the plan is read: how many tables, and their estimated heap bytes.
void set_plan(int tables, uint64_t bytes_estimate);
// A table's copy begins (its quoted schema-qualified name, estimated bytes).
void table_started(const std::string &table, uint64_t estimate);
// The table begun last is done (or kept by conflict "skip": rows 0).
void table_finished(uint64_t rows);

} // namespace pgclone::progress

// The owner of the job slots (include/pgclone/jobs/slot.hpp has the
// status diagram). The only file that takes the job table's lock: every
// lambda below is PG regime (trivially destructible locals only, plain
// memory copies between LWLockAcquire and LWLockRelease, which holds off
// interrupts meanwhile); std::string and vectors are built outside it.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/pg/postgres.hpp"

extern "C" {
#include "storage/procarray.h"
}

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/record.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

// Processes waiting in wait_tick for a change made under the lock (a parent
// for its snapshot or its pool, a coordinator for the imports): their
// latches are set once the lock is released, so they see it at once instead
// of at their next tick. A waiter always reads the slots again, so waking a
// process for nothing (its pid reused since) costs it one loop; and one not
// woken (more than max_wakes at once) still sees the change at its tick.
constexpr int max_wakes = 4;
int wake_pids[max_wakes];
int wake_count = 0;

// PG regime, lock held.
void wake_later(int pid) {
	if (pid > 0 && pid != MyProcPid && wake_count < max_wakes)
		wake_pids[wake_count++] = pid;
}

// PG regime, lock released.
void wake_now() {
	int n = wake_count;
	wake_count = 0;
	for (int i = 0; i < n; i++)
		if (PGPROC *proc = BackendPidGetProc(wake_pids[i]))
			SetLatch(&proc->procLatch);
}

// PG regime: runs f(table) under the lock, then wakes whom f asked to.
template <typename F>
void with_lock(JobTable *t, LWLockMode mode, F &&f) noexcept {
	LWLockAcquire(t->lock, mode);
	f(t);
	LWLockRelease(t->lock);
	wake_now();
}

// C++ regime: runs f(table) under the lock (exclusive unless shared).
template <typename F>
void locked(F &&f, bool shared = false) {
	JobTable *t = job_table();
	if (!t)
		throw core::Error("pgclone job table is not available", core::sqlstate::internal_error);
	pg::call([&] { with_lock(t, shared ? LW_SHARED : LW_EXCLUSIVE, f); });
}

// --- PG regime helpers, lock held ---------------------------------------------------

// Index of the slot of job_id, or -1.
int find_slot(JobTable *t, int job_id) {
	if (job_id <= 0)
		return -1;
	for (int i = 0; i < t->nslots; i++)
		if (t->slots[i].job_id == job_id)
			return i;
	return -1;
}

// Zeroes the slot (private texts included).
void clear_slot(JobSlot *slot) {
	// The atomics are set, not overwritten by memset (they may be emulated
	// with a spinlock on some platforms).
	pg_atomic_write_u64(&slot->rows_copied, 0);
	pg_atomic_write_u64(&slot->bytes_copied, 0);
	pg_atomic_write_u64(&slot->current_rows, 0);
	char *begin = reinterpret_cast<char *>(slot);
	auto zero = [&](void *from, void *to) {
		std::memset(from, 0, static_cast<char *>(to) - static_cast<char *>(from));
	};
	zero(begin, &slot->rows_copied);
	zero(&slot->rows_committed, &slot->current_rows);
	zero(&slot->current_estimate, begin + sizeof(JobSlot));
}

// A free slot (job_id 0), else the oldest completed job's slot (cleared
// first); -1 when every slot holds a running, pending, failed or
// cancelled job.
int take_free_slot(JobTable *t) {
	int oldest = -1;
	for (int i = 0; i < t->nslots; i++) {
		JobSlot *s = &t->slots[i];
		if (s->job_id == 0)
			return i;
		if (s->status == status_completed && (oldest < 0 || s->job_id < t->slots[oldest].job_id))
			oldest = i;
	}
	if (oldest >= 0)
		clear_slot(&t->slots[oldest]);
	return oldest;
}


// The one way to ask a job to stop: the flag its worker polls, and a
// signal that interrupts the statement it is in.
void cancel_locked(JobSlot *s, int sig) {
	s->cancel_requested = true;
	if (s->pid > 0)
		(void)kill(s->pid, sig);
}

void cancel_children_locked(JobTable *t, int parent_id) {
	for (int i = 0; i < t->nslots; i++) {
		JobSlot *c = &t->slots[i];
		if (c->job_id != 0 && c->parent_id == parent_id && !is_finished(c->status))
			cancel_locked(c, SIGINT);
	}
}

// PG regime, lock held: wakes the snapshot coordinator of parent slot s.
void wake_coordinator(JobTable *t, const JobSlot *s) {
	int c = find_slot(t, s->coordinator_id);
	if (c >= 0)
		wake_later(t->slots[c].pid);
}

// The parent's slot when it still holds the parent (pgclone.clear_jobs()
// may have freed it and a new job taken it since the index was looked
// up), else nullptr.
JobSlot *parent_slot(JobTable *t, int parent_index, int parent_id) {
	JobSlot *s = &t->slots[parent_index];
	return s->job_id == parent_id ? s : nullptr;
}

void state_of(const JobSlot *s, int index, SlotState *out) {
	out->index = index;
	out->job_id = s->job_id;
	out->parent_id = s->parent_id;
	out->resumed_from = s->resumed_from;
	out->worker_number = s->worker_number;
	out->pid = s->pid;
	out->kind = s->kind;
	out->status = s->status;
	out->include_data = s->include_data;
	out->cancel_requested = s->cancel_requested;
	out->restored = s->restored;
	out->tables_overflow = s->tables_overflow;
	out->owner_id = s->owner_id;
	out->database_id = s->database_id;
	out->start_time = s->start_time;
	out->end_time = s->end_time;
	out->tables_total = s->tables_total;
	out->tables_completed = s->tables_completed;
	out->warnings = s->warnings;
	out->rows_copied = pg_atomic_read_u64(const_cast<pg_atomic_uint64 *>(&s->rows_copied));
	out->bytes_copied = pg_atomic_read_u64(const_cast<pg_atomic_uint64 *>(&s->bytes_copied));
	out->rows_committed = s->rows_committed;
	out->bytes_committed = s->bytes_committed;
	out->current_rows = pg_atomic_read_u64(const_cast<pg_atomic_uint64 *>(&s->current_rows));
	out->current_estimate = s->current_estimate;
	std::memcpy(out->schema_name, s->schema_name, NAMEDATALEN);
	std::memcpy(out->table_name, s->table_name, NAMEDATALEN);
	std::memcpy(out->target_name, s->target_name, NAMEDATALEN);
	std::memcpy(out->current_table, s->current_table, qualified_capacity);
	std::memcpy(out->phase, s->phase, phase_capacity);
	std::memcpy(out->error_message, s->error_message, message_capacity);
	std::memcpy(out->result, s->result, message_capacity);
}

// Entry `ordinal` of a slot's packed list, or nullptr.
char *entry_at(JobSlot *s, int ordinal) {
	std::size_t off = 0, used = static_cast<std::size_t>(s->tables_used);
	for (int i = 0; off < used; i++) {
		std::size_t n = core::job_table_entry_size(s->tables + off, used - off);
		if (n == 0)
			return nullptr;
		if (i == ordinal)
			return s->tables + off;
		off += n;
	}
	return nullptr;
}

// One more table (or only rows: a chunk of one) committed in slot s.
void count_done(JobSlot *s, bool table, uint64_t rows, uint64_t bytes, int warnings) {
	if (table)
		s->tables_completed++;
	s->warnings += warnings;
	s->rows_committed += rows;
	s->bytes_committed += bytes;
	pg_atomic_write_u64(&s->rows_copied, s->rows_committed);
	pg_atomic_write_u64(&s->bytes_copied, s->bytes_committed);
}

// The live counters fall back to what was committed; the slot has no
// worker any more.
void settle(JobSlot *s) {
	pg_atomic_write_u64(&s->rows_copied, s->rows_committed);
	pg_atomic_write_u64(&s->bytes_copied, s->bytes_committed);
	pg_atomic_write_u64(&s->current_rows, 0);
	s->end_time = GetCurrentTimestamp();
	s->pid = 0;
}

// A pool worker or coordinator that ends badly tells its parent (the
// parent may not find the child's slot any more once pgclone.clear_jobs()
// removed it).
void report_to_parent(JobTable *t, JobSlot *s) {
	if (s->parent_id <= 0 || s->status == status_completed)
		return;
	int p = find_slot(t, s->parent_id);
	if (p < 0)
		return;
	JobSlot *parent = &t->slots[p];
	// Workers that have not imported the snapshot yet must not wait for it.
	if (s->kind == kind_coordinator)
		parent->snapshot_failed = true;
	if (parent->failed_child_id == 0) {
		// Room for the whole text: copy_text then cuts it at a character
		// boundary.
		char text[message_capacity + 64];
		parent->failed_child_id = s->job_id;
		if (s->status == status_cancelled)
			snprintf(text, sizeof text, "%s job %d was cancelled", kind_name(s->kind), s->job_id);
		else
			snprintf(text, sizeof text, "%s job %d failed: %s", kind_name(s->kind), s->job_id,
			         s->error_message);
		copy_text(parent->child_error, message_capacity, text);
	}
}

// running → a final status, with what goes with it.
void end_locked(JobTable *t, JobSlot *s, uint8_t status, const char *phase, const char *error_text) {
	s->status = status;
	copy_text(s->phase, phase_capacity, phase);
	if (status == status_completed)
		s->current_table[0] = '\0';
	if (error_text)
		copy_text(s->error_message, message_capacity, error_text);
	settle(s);
	report_to_parent(t, s);
	// The parent may wait for its pool (or its coordinator), the coordinator
	// for the end of its parent.
	if (int p = find_slot(t, s->parent_id); p >= 0)
		wake_later(t->slots[p].pid);
	if (s->kind == kind_schema) {
		cancel_children_locked(t, s->job_id);
		wake_coordinator(t, s);
	}
}

void check_fits(const std::string &value, int capacity, const char *what, const char *hint) {
	if (value.size() >= static_cast<std::size_t>(capacity))
		throw core::Error(std::string(what) + " is too long for an async job (" + std::to_string(value.size()) +
		                      " bytes; the limit is " + std::to_string(capacity - 1) + ")",
		                  core::sqlstate::program_limit_exceeded,
		                  "Async jobs keep it in a fixed-size slot of shared memory.", hint);
}

// pending → free, running → cancel requested.
void withdraw_locked(JobSlot *s) {
	if (s->status == status_pending)
		clear_slot(s);
	else if (!is_finished(s->status))
		cancel_locked(s, SIGINT);
}

} // namespace

namespace slot {

namespace {
// The job whose durable record this worker writes its tables to: its own
// (table and schema jobs) or its parent's (pool workers); 0 when it has
// none (the coordinator; a database without the record tables). Set by
// open_record; one job per worker process.
int record_job_id = 0;
// Whether the task list of this worker's schema job is the durable one
// (pgclone.job_task, record::add_tasks) rather than the packed list in the
// parent's slot: set by store_tables in the parent and by open_record in a
// pool worker. Then the slot holds no list at all.
bool tasks_recorded = false;
// This worker's own job id (open_record).
int own_job_id = 0;
// The result text as the worker made it: the slot keeps its first
// message_capacity bytes, the record all of it (a dry run's plan).
std::string full_result;
} // namespace

// --- reading ----------------------------------------------------------------------

std::optional<SlotState> find(const char *function_name, int job_id) {
	JobTable *t = require_job_table(function_name);
	auto state = std::make_unique<SlotState>();
	SlotState *out = state.get();
	bool found = false;
	bool *hit = &found;
	pg::call([=] {
		with_lock(t, LW_SHARED, [=](JobTable *tt) {
			int i = find_slot(tt, job_id);
			if (i >= 0) {
				state_of(&tt->slots[i], i, out);
				*hit = true;
			}
		});
	});
	if (!found)
		return std::nullopt;
	return *state;
}

std::vector<SlotState> read_all(const char *function_name, int only_job_id) {
	JobTable *t = require_job_table(function_name);
	std::vector<SlotState> states(static_cast<std::size_t>(t->nslots));
	SlotState *out = states.data();
	int used = 0;
	int *count = &used;
	pg::call([=] {
		with_lock(t, LW_SHARED, [=](JobTable *tt) {
			for (int i = 0; i < tt->nslots; i++) {
				JobSlot *s = &tt->slots[i];
				if (s->job_id == 0 ||
				    (only_job_id > 0 && s->job_id != only_job_id && s->parent_id != only_job_id))
					continue;
				state_of(s, i, &out[(*count)++]);
			}
		});
	});
	states.resize(static_cast<std::size_t>(used));
	return states;
}

namespace {

// The private texts of a slot, copied under the lock and zeroed after use
// (the password is not kept in this process's heap longer than needed).
struct PrivateCopy {
	SlotState state;
	bool found, same_database, same_role;
	int parent_index;
	char schema_of_parent[NAMEDATALEN];
	bool include_data_of_parent;
	char conninfo[conninfo_capacity];
	char options[options_capacity];
	int tables_used;
	char tables[tables_capacity];
};

struct Zeroed {
	std::unique_ptr<PrivateCopy> copy = std::make_unique<PrivateCopy>();
	Zeroed() { std::memset(static_cast<void *>(copy.get()), 0, sizeof(PrivateCopy)); }
	~Zeroed() { std::memset(static_cast<void *>(copy.get()), 0, sizeof(PrivateCopy)); }
};

} // namespace

std::unique_ptr<ResumableJob> read_resumable(int job_id) {
	JobTable *t = require_job_table("pgclone.resume");
	Zeroed z;
	PrivateCopy *p = z.copy.get();
	Oid user = pg::call([] { return GetUserId(); });
	Oid database = pg::call([] { return MyDatabaseId; });
	pg::call([=] {
		with_lock(t, LW_SHARED, [=](JobTable *tt) {
			int i = find_slot(tt, job_id);
			if (i < 0)
				return;
			JobSlot *s = &tt->slots[i];
			p->found = true;
			state_of(s, i, &p->state);
			std::memcpy(p->conninfo, s->conninfo, conninfo_capacity);
			std::memcpy(p->options, s->options, options_capacity);
			p->same_database = s->database_id == database;
			p->same_role = s->owner_id == user;
			// A slot restored from disk after a restart is not trusted to be
			// whole: its table list is not copied (it cannot be resumed).
			int n = s->restored ? 0 : s->tables_used;
			p->tables_used = n < 0 ? 0 : (n > tables_capacity ? tables_capacity : n);
			std::memcpy(p->tables, s->tables, p->tables_used);
		});
	});
	if (!p->found)
		return nullptr;
	auto job = std::make_unique<ResumableJob>();
	job->state = p->state;
	job->same_database = p->same_database;
	job->same_role = p->same_role;
	job->conninfo = p->conninfo;
	job->options = p->options;
	job->tables.assign(p->tables, p->tables_used);
	return job;
}

JobParams read_params(int index) {
	Zeroed z;
	PrivateCopy *c = z.copy.get();
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    state_of(s, index, &c->state);
		    c->tables_used = s->tables_used;
		    std::memcpy(c->tables, s->tables, s->tables_used);
		    JobSlot *from = s;
		    c->parent_index = -1;
		    if (s->parent_id > 0) {
			    c->parent_index = find_slot(t, s->parent_id);
			    from = c->parent_index >= 0 ? &t->slots[c->parent_index] : nullptr;
		    }
		    c->include_data_of_parent = s->include_data;
		    std::memcpy(c->schema_of_parent, s->schema_name, NAMEDATALEN);
		    if (from) {
			    std::memcpy(c->conninfo, from->conninfo, conninfo_capacity);
			    std::memcpy(c->options, from->options, options_capacity);
			    c->include_data_of_parent = from->include_data;
			    std::memcpy(c->schema_of_parent, from->schema_name, NAMEDATALEN);
		    }
	    },
	    true);
	if (c->state.parent_id > 0 && c->parent_index < 0)
		throw core::Error("parent job " + std::to_string(c->state.parent_id) + " no longer exists",
		                  core::sqlstate::object_not_in_prerequisite_state);
	JobParams p;
	p.index = index;
	p.job_id = c->state.job_id;
	p.parent_id = c->state.parent_id;
	p.parent_index = c->parent_index;
	p.resumed_from = c->state.resumed_from;
	p.worker_number = c->state.worker_number;
	p.kind = c->state.kind;
	p.include_data = c->include_data_of_parent;
	p.conninfo = c->conninfo;
	p.options = c->options;
	p.schema = c->schema_of_parent;
	p.table = c->state.table_name;
	p.target = c->state.target_name;
	p.tables = core::unpack_job_tables(std::string_view(c->tables, c->tables_used));
	return p;
}

std::vector<core::JobTable> read_tables(int index) {
	if (tasks_recorded)
		return record::tasks(record_job_id);
	struct Plain {
		int used;
		char tables[tables_capacity];
	};
	auto copy = std::make_unique<Plain>();
	Plain *p = copy.get();
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    p->used = s->tables_used;
		    std::memcpy(p->tables, s->tables, s->tables_used);
	    },
	    true);
	return core::unpack_job_tables(std::string_view(p->tables, p->used));
}

// --- transitions ------------------------------------------------------------------

Launched create(const NewJob &job) {
	JobTable *t = require_job_table("pgclone job");
	check_fits(job.conninfo, conninfo_capacity, "the connection string", "");
	check_fits(job.options, options_capacity, "the options text",
	           "Clone the tables that need long options with pgclone.schema() or pgclone.table().");
	if (job.tables.size() > static_cast<std::size_t>(tables_capacity))
		throw core::Error("the table list is too long for an async job", core::sqlstate::program_limit_exceeded);
	Oid owner = pg::call([] { return GetUserId(); });
	Oid database = pg::call([] { return MyDatabaseId; });
	// Ids are reserved on disk before use (job_table.cpp), so a crash
	// restart goes on above them. This database's durable records are a
	// second guard, for a bound that could not be written or a database
	// restored from elsewhere. (Top-level jobs are created in a transaction
	// of the caller; children take ids above their parent's anyway.)
	int recorded_max = 0;
	if ((job.kind == kind_table || job.kind == kind_schema) && record::available())
		recorded_max = record::max_job_id();
	Launched out;
	Launched *l = &out;
	const NewJob *j = &job;
	pg::call([=] {
		with_lock(t, LW_EXCLUSIVE, [=](JobTable *tt) {
			int i = take_free_slot(tt);
			if (i < 0)
				return;
			JobSlot *s = &tt->slots[i];
			clear_slot(s);
			if (tt->next_job_id <= recorded_max)
				tt->next_job_id = recorded_max + 1;
			s->job_id = take_job_id(tt);
			s->parent_id = j->parent_id;
			s->resumed_from = j->resumed_from;
			s->worker_number = j->worker_number;
			s->kind = j->kind;
			s->status = status_pending;
			s->include_data = j->include_data;
			s->tables_total = j->kind == kind_table ? 1 : 0;
			s->owner_id = owner;
			s->database_id = database;
			s->start_time = GetCurrentTimestamp();
			copy_text(s->schema_name, NAMEDATALEN, j->schema.c_str());
			copy_text(s->table_name, NAMEDATALEN, j->table.c_str());
			copy_text(s->target_name, NAMEDATALEN, j->target.c_str());
			copy_text(s->phase, phase_capacity, "waiting for a background worker");
			copy_text(s->conninfo, conninfo_capacity, j->conninfo.c_str());
			copy_text(s->options, options_capacity, j->options.c_str());
			std::memcpy(s->tables, j->tables.data(), j->tables.size());
			s->tables_used = static_cast<int>(j->tables.size());
			s->tables_overflow = j->tables_overflow;
			l->index = i;
			l->job_id = s->job_id;
		});
	});
	if (out.index < 0)
		throw core::Error(
		    "all " + std::to_string(t->nslots) + " pgclone job slots are in use",
		    core::sqlstate::configuration_limit_exceeded,
		    "Every slot holds a pending or running job, or a failed or cancelled one kept for pgclone.resume(). Completed jobs are recycled automatically.",
		    "Remove finished jobs with pgclone.clear_jobs(), or raise pgclone.max_jobs (needs a restart).");
	return out;
}

void drop(const Launched &job) {
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[job.index];
		if (s->job_id == job.job_id)
			clear_slot(s);
	});
}

bool not_started(const Launched &job, const std::string &reason) {
	const char *text = reason.c_str();
	bool marked = false;
	bool *out = &marked;
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[job.index];
		if (s->job_id != job.job_id || s->status != status_pending)
			return;
		s->status = status_failed;
		s->end_time = GetCurrentTimestamp();
		copy_text(s->error_message, message_capacity, text);
		copy_text(s->phase, phase_capacity, "not started");
		*out = true;
	});
	return marked;
}

void withdraw(const Launched &job) {
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[job.index];
		if (s->job_id == job.job_id)
			withdraw_locked(s);
	});
}

void withdraw_pg(int index, int job_id) noexcept {
	JobTable *t = job_table();
	if (!t)
		return;
	with_lock(t, LW_EXCLUSIVE, [=](JobTable *tt) {
		JobSlot *s = &tt->slots[index];
		if (s->job_id == job_id)
			withdraw_locked(s);
	});
}

bool request_cancel(int job_id, int sig) {
	bool running = false;
	bool *out = &running;
	locked([=](JobTable *t) {
		int i = find_slot(t, job_id);
		if (i >= 0 && !is_finished(t->slots[i].status)) {
			cancel_locked(&t->slots[i], sig);
			*out = true;
		}
	});
	return running;
}

void request_cancel_children(int parent_index) {
	locked([=](JobTable *t) { cancel_children_locked(t, t->slots[parent_index].job_id); });
}

int clear_finished(const std::vector<int> &ids) {
	int cleared = 0;
	int *count = &cleared;
	const int *list = ids.data();
	int n = static_cast<int>(ids.size());
	locked([=](JobTable *t) {
		for (int k = 0; k < n; k++) {
			int i = find_slot(t, list[k]);
			if (i >= 0 && is_finished(t->slots[i].status)) {
				clear_slot(&t->slots[i]);
				(*count)++;
			}
		}
	});
	return cleared;
}

uint8_t status_of(const Launched &job) {
	uint8_t status = status_free;
	uint8_t *out = &status;
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[job.index];
		    if (s->job_id == job.job_id)
			    *out = s->status;
	    },
	    true);
	return status;
}

Claim claim_pg(int index, int job_id, Oid *database, Oid *role) noexcept {
	Claim claim = Claim::not_mine;
	with_lock(job_table(), LW_EXCLUSIVE, [&](JobTable *t) {
		JobSlot *s = &t->slots[index];
		if (s->job_id != job_id || s->status != status_pending)
			return;
		if (s->cancel_requested) {
			s->status = status_cancelled;
			copy_text(s->phase, phase_capacity, "cancelled");
			settle(s);
			claim = Claim::cancelled;
			return;
		}
		s->status = status_running;
		s->pid = MyProcPid;
		s->connecting = true;
		copy_text(s->phase, phase_capacity, "connecting");
		*database = s->database_id;
		*role = s->owner_id;
		claim = Claim::run;
	});
	return claim;
}

void connected_pg(int index) noexcept {
	with_lock(job_table(), LW_EXCLUSIVE, [=](JobTable *t) { t->slots[index].connecting = false; });
}

uint8_t finish_pg(int index, int job_id, bool ok, const char *error_text) noexcept {
	uint8_t status = status_free;
	with_lock(job_table(), LW_EXCLUSIVE, [&](JobTable *t) {
		JobSlot *s = &t->slots[index];
		if (s->job_id != job_id || is_finished(s->status))
			return;
		if (ok)
			end_locked(t, s, status_completed, "done", nullptr);
		else if (s->cancel_requested)
			end_locked(t, s, status_cancelled, "cancelled", nullptr);
		else
			end_locked(t, s, status_failed, "failed", error_text);
		status = s->status;
	});
	return status;
}

void exit_pg(int index, int job_id) noexcept {
	JobTable *t = job_table();
	if (!t)
		return;
	with_lock(t, LW_EXCLUSIVE, [=](JobTable *tt) {
		JobSlot *s = &tt->slots[index];
		if (s->job_id != job_id || is_finished(s->status))
			return;
		if (s->cancel_requested)
			end_locked(tt, s, status_cancelled, "cancelled", nullptr);
		else
			end_locked(tt, s, status_failed, "terminated",
			           s->connecting
			               ? "the background worker could not connect to the target database (see the server log)"
			               : "the background worker was terminated before the job finished (pg_terminate_backend() or a server shutdown); its open transaction was rolled back");
	});
}

// --- progress ---------------------------------------------------------------------

void set_phase(int index, const std::string &phase) {
	const char *text = phase.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].phase, phase_capacity, text); });
}

void set_current_table(int index, const std::string &display, uint64_t estimate) {
	const char *text = display.c_str();
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		copy_text(s->current_table, qualified_capacity, text);
		s->current_estimate = estimate;
		pg_atomic_write_u64(&s->current_rows, 0);
	});
}

void set_table_name(int index, const std::string &name) {
	const char *text = name.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].table_name, NAMEDATALEN, text); });
}

void set_result(int index, const std::string &result) {
	full_result = result;
	const char *text = result.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].result, message_capacity, text); });
}

bool store_tables(int index, const std::vector<core::JobTable> &tables, bool for_pool) {
	int count = static_cast<int>(tables.size());
	// Only a schema job stores a plan, in its own slot: its record gets the
	// count, and a pool's tasks.
	if (record_job_id > 0) {
		record::planned(record_job_id, count);
		if (for_pool) {
			record::add_tasks(record_job_id, tables);
			tasks_recorded = true;
		}
	}
	std::optional<std::string> packed;
	if (!tasks_recorded)
		packed = core::pack_job_tables(tables, tables_capacity);
	int done = 0;
	for (const auto &e : tables)
		if (e.state != core::job_table_state::pending && e.state != core::job_table_state::held)
			done++;
	const char *data = packed ? packed->data() : nullptr;
	int used = packed ? static_cast<int>(packed->size()) : 0;
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		s->tables_total = count;
		s->tables_completed = done;
		s->tables_used = used;
		s->tables_overflow = data == nullptr && !tasks_recorded;
		if (data)
			std::memcpy(s->tables, data, used);
	});
	return packed.has_value() || tasks_recorded;
}

void set_table_state(int index, int ordinal, char state) {
	if (tasks_recorded) {
		record::task_done(record_job_id, ordinal, 0, state, own_job_id, 0, 0);
		return;
	}
	locked([=](JobTable *t) {
		if (char *e = entry_at(&t->slots[index], ordinal))
			e[0] = state;
	});
}

void open_record(const JobParams &p) {
	full_result.clear();
	record_job_id = 0;
	tasks_recorded = false;
	own_job_id = p.job_id;
	if (p.kind == kind_coordinator || !record::available())
		return;
	if (p.kind == kind_pool_worker) {
		record_job_id = p.parent_id;
		tasks_recorded = true; // the parent had the record too: same database
		return;
	}
	record::Start r;
	r.job_id = p.job_id;
	r.resumed_from = p.resumed_from;
	r.is_schema = p.kind == kind_schema;
	r.conninfo = p.conninfo;
	r.options = p.options;
	r.schema = p.schema;
	r.table = p.table;
	r.target = p.target;
	r.include_data = p.include_data;
	record::start(r);
	record_job_id = p.job_id;
}

void record_completed(int index) {
	std::optional<SlotState> s = find("pgclone job", record_job_id);
	if (record_job_id > 0 && s && s->index == index)
		record::finish(record_job_id, "completed", full_result.empty() ? s->result : full_result, "", s->warnings,
		               s->tables_total);
}

bool chunks_recorded() {
	return tasks_recorded;
}

bool add_chunks(int ordinal, const std::vector<record::Chunk> &chunks) {
	if (!tasks_recorded)
		return false;
	record::add_chunks(record_job_id, ordinal, chunks);
	return true;
}

std::vector<record::ChunkedTable> unfinished_chunked_tables(const JobParams &p) {
	if (record_job_id <= 0 || record_job_id != p.job_id || p.resumed_from <= 0)
		return {};
	return record::unfinished_chunked_tables(p.resumed_from);
}

std::vector<std::pair<std::string, std::string>> earlier_tables(const JobParams &p) {
	std::vector<std::pair<std::string, std::string>> out;
	if (record_job_id > 0 && record_job_id == p.job_id) {
		for (auto &t : record::committed_tables(p.job_id))
			out.emplace_back(std::move(t.schema), std::move(t.name));
		return out;
	}
	for (const auto &t : p.tables)
		if (t.state == core::job_table_state::earlier)
			out.emplace_back(t.schema, t.name);
	return out;
}

void settle_record(int index, int job_id) {
	if (record_job_id != job_id)
		return; // a pool worker's or coordinator's outcome is its parent's
	std::optional<SlotState> s = find("pgclone job", job_id);
	if (!s || !is_finished(s->status) || s->index != index)
		return;
	record::finish(job_id, status_name(s->status), full_result.empty() ? s->result : full_result, s->error_message,
	               s->warnings, s->tables_total);
}

void add_table_done(int index, const TableDone &table) {
	if (record_job_id > 0)
		record::table(record_job_id, table.schema, table.name, table.skipped, table.rows, table.bytes);
	uint64_t rows = table.rows, bytes = table.bytes;
	int warnings = table.warnings;
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		count_done(s, true, rows, bytes, warnings);
		pg_atomic_write_u64(&s->current_rows, 0);
		s->current_estimate = 0;
	});
}

void set_warnings(int index, int warnings) {
	locked([=](JobTable *t) { t->slots[index].warnings = warnings; });
}

void copy_progress_pg(int index, uint64 rows, uint64 bytes_so_far) noexcept {
	JobTable *t = job_table();
	if (!t || index < 0)
		return;
	// No lock: the atomics are written by this process only, and the
	// committed counts it adds to change only in this process too.
	JobSlot *s = &t->slots[index];
	pg_atomic_write_u64(&s->current_rows, rows);
	pg_atomic_write_u64(&s->rows_copied, s->rows_committed + rows);
	pg_atomic_write_u64(&s->bytes_copied, s->bytes_committed + bytes_so_far);
}

void add_message_pg(int index, int job_id, const char *severity, const char *text) noexcept {
	JobTable *t = job_table();
	if (!t || index < 0)
		return;
	std::size_t ns = std::strlen(severity) + 1, nt = std::strlen(text) + 1;
	with_lock(t, LW_EXCLUSIVE, [=](JobTable *tt) {
		JobSlot *s = &tt->slots[index];
		if (s->job_id != job_id)
			return;
		std::size_t used = static_cast<std::size_t>(s->messages_used);
		if (used + ns + nt > static_cast<std::size_t>(messages_capacity)) {
			s->messages_dropped++;
			return;
		}
		std::memcpy(s->messages + used, severity, ns);
		std::memcpy(s->messages + used + ns, text, nt);
		s->messages_used = static_cast<int>(used + ns + nt);
	});
}

std::vector<JobMessage> read_messages(const char *function_name, int job_id) {
	JobTable *t = require_job_table(function_name);
	struct Plain {
		int job_id, used, dropped;
		char messages[messages_capacity];
	};
	std::vector<Plain> copies(static_cast<std::size_t>(t->nslots));
	Plain *out = copies.data();
	int n = 0;
	int *count = &n;
	pg::call([=] {
		with_lock(t, LW_SHARED, [=](JobTable *tt) {
			for (int i = 0; i < tt->nslots; i++) {
				JobSlot *s = &tt->slots[i];
				if (job_id <= 0 || s->job_id == 0 || (s->job_id != job_id && s->parent_id != job_id))
					continue;
				Plain *p = &out[(*count)++];
				p->job_id = s->job_id;
				p->used = s->messages_used < 0 || s->messages_used > messages_capacity ? 0 : s->messages_used;
				p->dropped = s->messages_dropped;
				std::memcpy(p->messages, s->messages, p->used);
			}
		});
	});
	copies.resize(static_cast<std::size_t>(n));
	std::sort(copies.begin(), copies.end(), [](const Plain &a, const Plain &b) { return a.job_id < b.job_id; });
	std::vector<JobMessage> messages;
	for (const Plain &p : copies) {
		int seq = 0;
		std::string_view area(p.messages, static_cast<std::size_t>(p.used));
		while (!area.empty()) {
			std::size_t a = area.find('\0');
			if (a == std::string_view::npos)
				break;
			std::size_t b = area.find('\0', a + 1);
			if (b == std::string_view::npos)
				break;
			messages.push_back({p.job_id, ++seq, std::string(area.substr(0, a)), std::string(area.substr(a + 1, b - a - 1))});
			area.remove_prefix(b + 1);
		}
		if (p.dropped > 0)
			messages.push_back({p.job_id, ++seq, "NOTICE",
			                    std::to_string(p.dropped) + (p.dropped == 1 ? " more message was" : " more messages were") +
			                        " not kept (the job's message area is full; the server log has them)"});
	}
	return messages;
}

bool cancel_requested(int index) {
	bool cancel = false;
	bool *out = &cancel;
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    *out = s->cancel_requested;
		    if (!*out && s->parent_id > 0) {
			    int p = find_slot(t, s->parent_id);
			    *out = p < 0 || t->slots[p].cancel_requested || is_finished(t->slots[p].status);
		    }
	    },
	    true);
	return cancel;
}

void throw_if_cancelled(int index) {
	if (cancel_requested(index))
		throw core::Error("canceling the job on request (pgclone.cancel)", core::sqlstate::query_canceled);
}

Committed committed_counts(int index) {
	Committed c;
	Committed *out = &c;
	locked(
	    [=](JobTable *t) {
		    out->rows = t->slots[index].rows_committed;
		    out->warnings = t->slots[index].warnings;
	    },
	    true);
	return c;
}

// --- the parallel pool --------------------------------------------------------------

void publish_snapshot(int parent_index, int parent_id, const std::string &snapshot_id) {
	const char *id = snapshot_id.c_str();
	locked([=](JobTable *t) {
		JobSlot *s = parent_slot(t, parent_index, parent_id);
		if (!s)
			return;
		copy_text(s->snapshot_id, snapshot_id_capacity, id);
		s->snapshot_ready = true;
		wake_later(s->pid);
	});
}

void mark_snapshot_failed(int parent_index, int parent_id) {
	locked([=](JobTable *t) {
		if (JobSlot *s = parent_slot(t, parent_index, parent_id)) {
			s->snapshot_failed = true;
			wake_later(s->pid);
		}
	});
}

void note_snapshot_imported(int parent_index, int parent_id) {
	locked([=](JobTable *t) {
		if (JobSlot *s = parent_slot(t, parent_index, parent_id)) {
			s->snapshot_imported++;
			wake_coordinator(t, s);
		}
	});
}

SnapshotState snapshot_state(int parent_index, int parent_id) {
	SnapshotState state;
	SnapshotState *p = &state;
	std::memset(p, 0, sizeof state);
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = parent_slot(t, parent_index, parent_id);
		    if (!s) {
			    // The parent is gone: as if it had ended, its snapshot lost.
			    p->parent_finished = true;
			    p->failed = true;
			    return;
		    }
		    p->ready = s->snapshot_ready;
		    p->failed = s->snapshot_failed;
		    p->parent_finished = is_finished(s->status);
		    p->launch_complete = s->launch_complete;
		    p->expected = s->snapshot_expected;
		    p->imported = s->snapshot_imported;
		    p->coordinator_id = s->coordinator_id;
		    std::memcpy(p->id, s->snapshot_id, snapshot_id_capacity);
	    },
	    true);
	return state;
}

void set_launch(int index, int expected_imports, bool complete) {
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		s->snapshot_expected = expected_imports;
		s->launch_complete = complete;
		wake_coordinator(t, s);
	});
}

void set_coordinator(int index, int coordinator_id) {
	locked([=](JobTable *t) { t->slots[index].coordinator_id = coordinator_id; });
}

namespace {

[[noreturn]] void parent_gone(int parent_id) {
	throw core::Error("canceling the job: parent job " + std::to_string(parent_id) + " no longer exists",
	                  core::sqlstate::query_canceled);
}

} // namespace

std::optional<TakenTable> take_next_table(int parent_index, int parent_id, int from) {
	if (tasks_recorded) {
		bool gone = false;
		bool *out = &gone;
		locked([=](JobTable *t) { *out = parent_slot(t, parent_index, parent_id) == nullptr; }, true);
		if (gone)
			parent_gone(parent_id);
		std::optional<record::Task> task = record::claim_task(parent_id, from);
		if (!task)
			return std::nullopt;
		TakenTable taken;
		taken.ordinal = task->ordinal;
		taken.part = task->part;
		taken.stage = task->stage;
		taken.pages = task->pages;
		taken.table = std::move(task->table);
		return taken;
	}
	struct Plain {
		bool found, parent_gone;
		int ordinal;
		char entry[3 + 2 * NAMEDATALEN + 2];
		std::size_t size;
	} plain;
	Plain *p = &plain;
	std::memset(p, 0, sizeof plain);
	locked([=](JobTable *t) {
		JobSlot *s = parent_slot(t, parent_index, parent_id);
		if (!s) {
			p->parent_gone = true;
			return;
		}
		std::size_t off = 0, used = static_cast<std::size_t>(s->tables_used);
		for (int i = 0; off < used; i++) {
			std::size_t n = core::job_table_entry_size(s->tables + off, used - off);
			if (n == 0 || n > sizeof p->entry)
				return;
			if (s->tables[off] == core::job_table_state::pending) {
				s->tables[off] = core::job_table_state::taken;
				std::memcpy(p->entry, s->tables + off, n);
				p->size = n;
				p->ordinal = i;
				p->found = true;
				return;
			}
			off += n;
		}
	});
	if (plain.parent_gone)
		parent_gone(parent_id);
	if (!plain.found)
		return std::nullopt;
	TakenTable taken;
	taken.ordinal = plain.ordinal;
	taken.table = core::unpack_job_tables(std::string_view(plain.entry, plain.size)).at(0);
	return taken;
}

void add_table_taken(int index) {
	locked([=](JobTable *t) { t->slots[index].tables_total++; });
}

void pool_table_done(int index, int parent_index, int parent_id, const TakenTable &task, const TableDone &table) {
	char state = table.skipped ? core::job_table_state::skipped : core::job_table_state::done;
	const bool chunk = task.stage == core::TaskStage::rows;
	if (record_job_id > 0 && !chunk) {
		// A chunked table's record row comes with its finish task, with
		// the rows its chunks copied; a chunk is recorded in its task only.
		record::Copied copied{table.rows, table.bytes};
		if (task.stage == core::TaskStage::finish)
			copied = record::chunk_totals(record_job_id, task.ordinal);
		record::table(record_job_id, table.schema, table.name, table.skipped, copied.rows, copied.bytes);
	}
	if (tasks_recorded)
		record::task_done(record_job_id, task.ordinal, task.part, state, own_job_id, table.rows, table.bytes);
	const int ordinal = task.ordinal;
	uint64_t rows = table.rows, bytes = table.bytes;
	int warnings = table.warnings;
	locked([=](JobTable *t) {
		if (JobSlot *parent = parent_slot(t, parent_index, parent_id)) {
			if (!chunk)
				if (char *e = entry_at(parent, ordinal))
					e[0] = state;
			count_done(parent, !chunk, rows, bytes, warnings);
		}
		JobSlot *s = &t->slots[index];
		count_done(s, !chunk, rows, bytes, warnings);
		pg_atomic_write_u64(&s->current_rows, 0);
		s->current_estimate = 0;
	});
}

ChildSummary children(int parent_index) {
	ChildSummary summary;
	ChildSummary *p = &summary;
	std::memset(p, 0, sizeof summary);
	locked(
	    [=](JobTable *t) {
		    JobSlot *parent = &t->slots[parent_index];
		    for (int i = 0; i < t->nslots; i++) {
			    JobSlot *s = &t->slots[i];
			    if (s->job_id == 0 || s->parent_id != parent->job_id || is_finished(s->status))
				    continue;
			    p->active_all++;
			    if (s->kind == kind_pool_worker)
				    p->active++;
		    }
		    // Children report their failure into the parent's slot, so a
		    // failed child that was cleared meanwhile is still seen.
		    p->failed_child = parent->failed_child_id;
		    std::memcpy(p->failure, parent->child_error, message_capacity);
	    },
	    true);
	return summary;
}

} // namespace slot

void wait_tick(long ms) {
	pg::call([=] {
		(void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	});
}

} // namespace pgclone::jobs

// The owner of the job slots: the only code that takes the job table's
// lock. Everything else reads a slot as one plain copy (SlotState) and
// changes it through the named transitions and setters below.
//
// The life of a slot (status column of pgclone.jobs_view):
//
//            create                      claim (worker starts)
//   free ─────────────▶ pending ─────────────────────────────▶ running
//    ▲                  │  │  │                                 │  │  │
//    │   withdraw, drop │  │  │ claim with a cancel request     │  │  │ finish(ok)
//    ├──────────────────┘  │  └──────────────▶ cancelled ◀──────┘  │  └────────▶ completed
//    │                     │ not_started        ▲   finish or exit │                 │
//    │                     └──────────▶ failed ◀┼── after          │ finish(error),  │
//    │                                    │     │   request_cancel │ exit (FATAL,    │
//    │                                    │     │                  │ lost connection)│
//    │                                    │     └──────────────────┘                 │
//    └──────── clear (pgclone.clear_jobs(); a completed slot is also ────────────────┘
//              recycled by create when no slot is free)
//
//   A clean server restart keeps finished slots; one still pending or
//   running comes back failed and marked restored (its connection string
//   is gone). A crash restart starts with every slot free. Table and
//   schema jobs also have a durable record (open_record, add_table_done,
//   pool_table_done, record_completed, settle_record write it; see
//   jobs/record.hpp), from which pgclone.resume(job_id, conninfo)
//   continues a job after either.
//
// request_cancel sets the cancel flag and interrupts the worker (SIGINT:
// its statement fails, its transaction aborts); the worker's finish then
// records cancelled. Children of a parallel clone (pool workers, the
// snapshot coordinator) read their parent's cancel flag as theirs, and a
// parent that finishes cancels its children.
//
// Regimes: functions in namespace slot are C++ regime (they throw
// core::Error) unless marked "PG regime" (noexcept, plain data, for the
// worker's main and exit callback and for transaction callbacks).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/core/chunks.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/record.hpp"

namespace pgclone::jobs {

// A new job's slot contents (create).
struct NewJob {
	uint8_t kind = 0;
	int parent_id = 0, resumed_from = 0, worker_number = 0;
	// Private (top-level jobs only; children read their parent's).
	std::string conninfo, options;
	std::string schema, table, target;
	bool include_data = true;
	std::string tables; // packed list (pgclone.resume(): what the earlier job completed)
	bool tables_overflow = false;
};

// A slot taken by create: its index and the job id it holds.
struct Launched {
	int index = -1;
	int job_id = 0;
};

// One read of a slot: every field but the private texts, plain data.
struct SlotState {
	int index, job_id, parent_id, resumed_from, worker_number, pid;
	uint8_t kind, status;
	bool include_data, cancel_requested, restored, tables_overflow;
	Oid owner_id, database_id;
	TimestampTz start_time, end_time;
	int tables_total, tables_completed, warnings;
	uint64 rows_copied, bytes_copied, rows_committed, bytes_committed, current_rows, current_estimate;
	char schema_name[NAMEDATALEN], table_name[NAMEDATALEN], target_name[NAMEDATALEN];
	char current_table[qualified_capacity];
	char phase[phase_capacity];
	char error_message[message_capacity];
	char result[message_capacity];
};

// What a worker reads from its slot when it starts. Pool workers and the
// snapshot coordinator take conninfo and options from their parent's slot.
struct JobParams {
	int index = -1, job_id = 0, parent_id = 0, parent_index = -1, resumed_from = 0, worker_number = 0;
	uint8_t kind = 0;
	bool include_data = true;
	std::string conninfo, options, schema, table, target;
	std::vector<core::JobTable> tables; // the slot's packed list
};

// A job's private texts with its state (pgclone.resume()).
struct ResumableJob {
	SlotState state;
	bool same_database = false, same_role = false;
	std::string conninfo, options;
	std::string tables; // packed list; empty for a restored slot
};

namespace slot {

// --- reading ----------------------------------------------------------------------

// The slot holding job_id, or nullopt. function_name is named when pgclone
// is not preloaded.
std::optional<SlotState> find(const char *function_name, int job_id);
// Every slot in use (only_job_id > 0: that job and its children).
std::vector<SlotState> read_all(const char *function_name, int only_job_id);
// Job job_id with its private texts, or nullptr.
std::unique_ptr<ResumableJob> read_resumable(int job_id);
JobParams read_params(int index);
// The table list of the schema job in slot index (this worker's job or, in
// a pool worker, its parent), in plan order with the current states: its
// task list in pgclone.job_task when store_tables put it there (then it
// needs a transaction), else the slot's packed list.
std::vector<core::JobTable> read_tables(int index);

// --- transitions ------------------------------------------------------------------

// free → pending, owned by the current role in the current database (a
// completed slot is recycled when none is free). Throws core::Error 53400
// when every slot is taken.
Launched create(const NewJob &job);
// pending → free: a slot whose worker was never started.
void drop(const Launched &job);
// pending → failed: the worker could not be started. Returns false when
// the slot no longer holds a pending job_id (the worker started after all).
bool not_started(const Launched &job, const std::string &reason);
// The submitter gave the job up (its transaction aborted, its wait was
// interrupted): pending → free, running → request_cancel.
void withdraw(const Launched &job);
// PG regime variant for transaction callbacks.
void withdraw_pg(int index, int job_id) noexcept;
// running → cancelled (eventually): sets the cancel flag and sends sig to
// the worker. Returns false when the job had already finished.
bool request_cancel(int job_id, int sig);
// request_cancel(SIGINT) of every unfinished child of a parent.
void request_cancel_children(int parent_index);
// finished → free, for each job of ids that is still finished. Returns the
// number cleared.
int clear_finished(const std::vector<int> &ids);
// The status of job_id in slot index: status_free when the slot holds
// another job (or none) by now.
uint8_t status_of(const Launched &job);

// The worker starts (PG regime): pending → running (out: its database and
// role), or pending with a cancel request → cancelled.
enum class Claim { run, cancelled, not_mine };
Claim claim_pg(int index, int job_id, Oid *database, Oid *role) noexcept;
// The worker is connected to its database (PG regime).
void connected_pg(int index) noexcept;
// The worker's first transaction (C++ regime): a table or schema job gets
// its durable record (jobs/record.hpp), a pool worker records its tables
// under its parent's. No-op in a database whose pgclone has no record
// tables yet (not updated to 4.6.0).
void open_record(const JobParams &p);
// The job's last target transaction, before it commits: the record says
// completed in the same commit as the job's last work.
void record_completed(int index);
// The tables a resumed job takes as done (source schema and name): from
// its record (open_record copied them from the job it resumes), or else
// from the "earlier" entries of its slot's list. Needs a transaction.
std::vector<std::pair<std::string, std::string>> earlier_tables(const JobParams &p);
// Schema job with a pool, in the transaction that stores its task list:
// table `ordinal` is copied in these chunks (record::add_chunks). False
// when the task list is not the durable one (no chunks then).
bool add_chunks(int ordinal, const std::vector<record::Chunk> &chunks);
// Whether this schema job's task list is the durable one, which alone can
// hold chunks (store_tables decided).
bool chunks_recorded();
// A resumed schema job: the tables split in chunks that the job it
// resumes left unfinished (record::unfinished_chunked_tables); none
// without a record. Needs a transaction.
std::vector<record::ChunkedTable> unfinished_chunked_tables(const JobParams &p);
// After finish_pg, in a transaction of its own: the record gets the job's
// final status, result, error and warnings from the slot.
void settle_record(int index, int job_id);
// The worker ends (PG regime): running → completed, cancelled or failed
// (error_text). Also settles the counters, tells the parent about a
// failed child, and cancels the children of a schema job. Returns the
// final status, or status_free when the slot was settled already.
uint8_t finish_pg(int index, int job_id, bool ok, const char *error_text) noexcept;
// The worker exits without finish (FATAL, failure to connect): like
// finish_pg(false) with the reason told by the slot.
void exit_pg(int index, int job_id) noexcept;

// --- progress ---------------------------------------------------------------------

void set_phase(int index, const std::string &phase);
// The table being copied ("schema.table" for display) and the source's
// estimate of its rows.
void set_current_table(int index, const std::string &display, uint64_t estimate);
void set_table_name(int index, const std::string &name);
void set_result(int index, const std::string &result);
// The plan of a schema job, in the transaction that commits it: the table
// count in the slot and the record; for a pool (for_pool) with a durable
// record, the task list in pgclone.job_task (the slot then keeps no list,
// whatever its length); else the packed list in the slot. Returns whether
// a pool can take the tables: false when the packed list does not fit
// (the slot then keeps no list: overflow).
bool store_tables(int index, const std::vector<core::JobTable> &tables, bool for_pool);
// Entry `ordinal` of the job's list is finished (done or skipped) by the
// job itself: in the task list, in the transaction that commits the table
// (before commit_xact); or in the slot's list.
void set_table_state(int index, int ordinal, char state);
// A table of the job, cloned (or kept: skipped) in the current target
// transaction, which the caller commits right after: its row in the job's
// durable record is written in that transaction, then tables_completed + 1,
// committed rows and bytes grow, the live counters are set to the
// committed ones.
struct TableDone {
	std::string schema, name;
	bool skipped = false;
	uint64_t rows = 0, bytes = 0;
	int warnings = 0;
};
void add_table_done(int index, const TableDone &table);
// The job's count of what it skipped with a WARNING, once it is known in
// full (a schema job: its tables' and its other objects').
void set_warnings(int index, int warnings);
// PG regime, the COPY of this process into slot index: the live counters
// (atomics, this process is their only writer while it copies).
void copy_progress_pg(int index, uint64 rows, uint64 bytes_so_far) noexcept;

// PG regime, the worker of slot index: keeps a message (severity and text)
// with the job; counts it as dropped when the slot's message area is full.
void add_message_pg(int index, int job_id, const char *severity, const char *text) noexcept;

// The messages of job job_id and of its children (pool workers, the
// snapshot coordinator), in job order, then in the order reported.
struct JobMessage {
	int job_id = 0, seq = 0;
	std::string severity, text;
};
std::vector<JobMessage> read_messages(const char *function_name, int job_id);

// Own cancel flag, or the parent's (pool workers, coordinator).
bool cancel_requested(int index);
// Throws core::Error 57014 when cancel_requested.
void throw_if_cancelled(int index);

// Rows and warnings the slot's committed tables brought.
struct Committed {
	uint64_t rows = 0;
	int warnings = 0;
};
Committed committed_counts(int index);

// --- the parallel pool --------------------------------------------------------------

// The functions below that take the parent's slot index also take its job
// id: the slot may have been freed and reused since the index was looked
// up. A parent that is gone counts as ended: writes are dropped,
// snapshot_state says parent_finished and failed, take_next_table throws
// core::Error 57014.

// Snapshot hand-over. The coordinator publishes the exported snapshot in
// the parent's slot; a lost snapshot (the coordinator's connection failed,
// a worker could not import it) is marked failed, and workers that have
// not imported it give up.
void publish_snapshot(int parent_index, int parent_id, const std::string &snapshot_id);
void mark_snapshot_failed(int parent_index, int parent_id);
void note_snapshot_imported(int parent_index, int parent_id);

// Plain data, filled under the lock.
struct SnapshotState {
	bool ready, failed, parent_finished, launch_complete;
	int expected, imported, coordinator_id;
	char id[snapshot_id_capacity];
};
SnapshotState snapshot_state(int parent_index, int parent_id);

void set_launch(int index, int expected_imports, bool complete);
void set_coordinator(int index, int coordinator_id);

// Pool worker: takes the next pending table of the parent's list. From the
// task list (pgclone.job_task): in the transaction that will commit the
// table, the task locked by it, so that a worker that dies leaves it
// pending; from the slot's list: its state becomes "taken". nullopt when
// none is left.
struct TakenTable {
	int ordinal = 0;
	// A task of pgclone.job_task: part 0 is the table's (stage table or
	// finish), parts 1.. its chunks (stage rows, with their pages).
	int part = 0;
	core::TaskStage stage = core::TaskStage::table;
	core::PageRange pages;
	core::JobTable table;
};
// The task list's first pending task from ordinal `from` on, then before it
// (record::claim_task); the slot's list ignores `from`.
std::optional<TakenTable> take_next_table(int parent_index, int parent_id, int from = 0);
// Pool worker: one more table in its own count (tables_total).
void add_table_taken(int index);
// Pool worker: the table was cloned (or skipped) in the current target
// transaction, which the caller commits right after: its row in the
// parent's durable record and its task's state (in that transaction), or
// its state in the parent's slot list; the parent's and the worker's
// counters.
// A chunk (stage rows) counts its rows and bytes, not a table, and is
// recorded in its task only; a finish task records the table with the
// rows its chunks copied.
void pool_table_done(int index, int parent_index, int parent_id, const TakenTable &task, const TableDone &table);

// Plain data, filled under the lock.
struct ChildSummary {
	int active;     // pool workers pending or running
	int active_all; // children of any kind (the coordinator too)
	int failed_child;
	char failure[message_capacity]; // the first failed child's error
};
ChildSummary children(int parent_index);

} // namespace slot

// Waits (latch, interruptible) for up to ms milliseconds.
void wait_tick(long ms);

} // namespace pgclone::jobs

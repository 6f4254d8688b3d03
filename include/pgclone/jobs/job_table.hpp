// The shared-memory job table of async jobs (docs/ARCHITECTURE.md): a fixed array
// of slots (GUC pgclone.max_jobs), protected by one LWLock of the named
// tranche "pgclone_jobs". Each slot is plain C data. This header is the
// storage only: src/jobs/slot.cpp (pgclone/jobs/slot.hpp) is the one owner
// of the slots and the only code that takes the lock.
//
// What a slot keeps privately, and never shows: the full source conninfo
// (with its password, which the worker needs to connect) and the options
// text. pgclone.jobs(), pgclone.progress() and the jobs view show neither
// (not even a redacted conninfo: nothing of it is shown). The private
// copies stay until the slot is cleared (pgclone.clear_jobs(), or a slot
// recycled for a new job), so that pgclone.resume() can re-run a failed
// job; clearing zeroes them.
//
// Across a clean restart (pg_ctl stop / restart), the postmaster writes the
// job table to pg_stat/pgclone_jobs.stat at shutdown and reads it back at
// start: finished jobs stay visible, a job that was still running shows as
// failed. The private texts are not written (nothing secret goes to disk),
// so a restored job cannot be resumed. After a crash the table starts empty.
//
// Only available when pgclone is in shared_preload_libraries.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>

namespace pgclone::jobs {

enum JobStatus : uint8_t {
	status_free = 0,
	status_pending,
	status_running,
	status_completed,
	status_failed,
	status_cancelled,
};

enum JobKind : uint8_t {
	kind_table = 1,
	kind_schema,
	kind_pool_worker,
	kind_coordinator,
};

inline bool is_finished(uint8_t status) {
	return status == status_completed || status == status_failed || status == status_cancelled;
}

const char *status_name(uint8_t status) noexcept;
const char *kind_name(uint8_t kind) noexcept;
// The op_type users see (jobs_view, jobs(), progress_detail()): as in the
// original pgclone, a pool worker is a "table" job (told apart from a
// table_async job by its parent_job_id); kind_name() stays in messages.
const char *op_type_name(uint8_t kind) noexcept;

// Sizes of the text areas of a slot (bytes, with the terminating NUL).
constexpr int conninfo_capacity = 1024;
constexpr int options_capacity = 16384;
constexpr int tables_capacity = 24576;
constexpr int message_capacity = 1024;
constexpr int phase_capacity = 64;
constexpr int snapshot_id_capacity = 64;
constexpr int qualified_capacity = 2 * NAMEDATALEN + 8;
constexpr int messages_capacity = 8192;

struct JobSlot {
	int job_id; // 0: free
	int parent_id;
	int resumed_from;
	uint8_t kind;
	uint8_t status;
	bool include_data;
	bool cancel_requested;
	bool connecting;   // the worker is connecting to the target database
	bool restored;     // read back after a server restart: no private texts
	int worker_number; // pool workers: 1..n
	Oid database_id;
	Oid owner_id; // the role the worker connects as
	int pid;      // worker process, 0 when none
	TimestampTz start_time;
	TimestampTz end_time;
	char schema_name[NAMEDATALEN];
	char table_name[NAMEDATALEN];
	char target_name[NAMEDATALEN];
	char current_table[qualified_capacity];
	char phase[phase_capacity];
	int tables_total;
	int tables_completed;
	int warnings;
	// Rows and bytes: live counters (the worker's COPY adds to them) and
	// the part already committed; after a failure the live ones are reset
	// to the committed ones.
	pg_atomic_uint64 rows_copied;
	pg_atomic_uint64 bytes_copied;
	uint64 rows_committed;
	uint64 bytes_committed;
	pg_atomic_uint64 current_rows; // rows of the table being copied
	uint64 current_estimate;       // its row estimate on the source
	char error_message[message_capacity];
	char result[message_capacity];
	// The WARNINGs the job's worker reported, oldest first, each stored as
	// "<severity>\0<text>\0"; the ones that did not fit are only counted.
	int messages_used;
	int messages_dropped;
	char messages[messages_capacity];

	// Parallel pool (parent slot): snapshot hand-over and the first failure
	// of a child job.
	char snapshot_id[snapshot_id_capacity];
	bool snapshot_ready;
	bool snapshot_failed;
	bool launch_complete;
	int snapshot_expected;
	int snapshot_imported;
	int coordinator_id;
	int failed_child_id;
	char child_error[message_capacity];

	// Private.
	char conninfo[conninfo_capacity];
	char options[options_capacity];
	// Packed table list (core::pack_job_tables): a schema job's plan with
	// each table's state; before the job runs, the tables an earlier job
	// completed (pgclone.resume()).
	int tables_used;
	bool tables_overflow; // the plan did not fit: no resume information
	char tables[tables_capacity];
};

struct JobTable {
	LWLock *lock;
	int nslots;
	int next_job_id;
	// Every id below this one may have been handed out: the bound is on
	// disk (take_job_id), so ids stay unique across crash restarts and
	// across the databases of the cluster.
	int ids_reserved_to;
	JobSlot slots[FLEXIBLE_ARRAY_MEMBER];
};

// GUC pgclone.max_jobs (PGC_POSTMASTER).
extern int max_jobs_setting;

// _PG_init, PG regime: when loaded through shared_preload_libraries (else
// nothing), defines pgclone.max_jobs, reserves the shared memory and the LWLock
// (shmem_request_hook on PostgreSQL 15+, directly on 14) and installs the
// shmem_startup_hook that creates the table.
void init_job_table();

// The table, or nullptr when pgclone was not preloaded. PG regime.
JobTable *job_table() noexcept;

// C++ regime: the table, or core::Error naming function_name and
// shared_preload_libraries when it does not exist.
JobTable *require_job_table(const char *function_name);

// PG regime, with the table's lock held exclusively: the next job id. Ids
// are reserved on disk in blocks before one is handed out, so a crash
// restart (which loses the shared table and with it next_job_id) goes on
// above every id a job of any database of the cluster may have had.
int take_job_id(JobTable *t) noexcept;

// PG regime: copies src (NUL-terminated) into a fixed buffer, cutting it
// at a character boundary of the database encoding if it is too long.
void copy_text(char *dst, int capacity, const char *src) noexcept;

} // namespace pgclone::jobs

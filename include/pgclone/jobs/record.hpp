// The durable record of async jobs: the tables pgclone.job_record (one row
// per table or schema job) and pgclone.job_record_table (one row per table
// a job committed) in the database the job runs in (docs/ASYNC.md,
// "The job record"). Shared memory (slot.hpp) has the live progress; the
// record is what survives a crash. Only the slot transitions of
// src/jobs/slot.cpp write it, each in the transaction that commits what it
// records; readers are the job list and pgclone.resume().
//
// Every access runs as the owner of the tables (the extension's owner) with
// SECURITY_RESTRICTED_OPERATION, like a SECURITY DEFINER function: the
// tables are granted to no one, so a role can neither forge nor read another
// role's records, and the C code filters what it shows by role.
//
// C++ regime (throws core::Error / pg::PgError); needs a transaction.
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/chunks.hpp"
#include "pgclone/core/job_format.hpp"

namespace pgclone::jobs::record {

// Whether this database's pgclone has the record tables (an extension not
// updated to 4.6.0 yet has not: its jobs are only in shared memory).
bool available();

// A job's row as its worker writes it when it starts.
struct Start {
	int job_id = 0, resumed_from = 0;
	bool is_schema = false;
	std::string conninfo; // full: only its redacted form is stored
	std::string options;  // full: stored without secrets
	std::string schema, table, target;
	bool include_data = true;
};
// Inserts the row (status running). A resumed job also takes over the
// committed tables of the job it resumes (state earlier) and notes that it
// reads a new snapshot of the source.
void start(const Start &job);

// A table of job_id was committed (state done) or kept (skipped): in the
// transaction that commits its rows.
void table(int job_id, const std::string &schema, const std::string &name, bool skipped, uint64_t rows,
           uint64_t bytes);

// The number of tables of a schema job's plan, in the transaction that
// commits the plan's first step (a job whose worker dies later still shows
// how far it got).
void planned(int job_id, int tables_total);

// The job's outcome. status: completed, failed or cancelled.
void finish(int job_id, const char *status, const std::string &result, const std::string &error, int warnings,
            int tables_total);

// A job as the record has it.
struct Stored {
	int job_id = 0, resumed_from = 0;
	bool is_schema = false;
	unsigned int role_id = 0;
	std::string role_name, schema, table, target, status, options, result, error, note;
	std::string start_time, end_time; // timestamptz text
	std::string source;   // redacted connection string
	int64_t elapsed_ms = 0;
	int64_t ended_ms_ago = 0; // since end_time (start_time while running)
	bool include_data = true, options_complete = true;
	bool cleared = false; // clear_jobs() took it off the job list; kept for resume()
	int warnings = 0, tables_total = 0, tables_committed = 0;
	uint64_t rows = 0, bytes = 0;
};
// Every record (only_job_id > 0: that one), by job id; those clear_jobs()
// took off the list only when cleared_too. The jobs in `uncounted` come
// without their counts (tables_committed, rows, bytes stay 0): a caller that
// has them from the job's slot spares the sums over its tables, which
// otherwise every look at the job list (a poll of jobs_view every few
// milliseconds while a job of thousands of tables runs) pays again.
std::vector<Stored> read_all(int only_job_id, bool cleared_too, const std::vector<int> &uncounted = {});

// The tables job_id committed or took over (done, earlier): what a job
// resuming it skips.
struct Committed {
	std::string schema, name;
};
std::vector<Committed> committed_tables(int job_id);

// The task list of a parallel schema job (pgclone.job_task): one task per
// table of its plan (part 0), ordinal = its place in the plan. Written by
// the job in the transaction that commits its plan; states pending, held,
// earlier (also skipped and done once finished).
void add_tasks(int job_id, const std::vector<core::JobTable> &tables);
// A chunk of a table split in chunks: its pages, state (pending, or
// earlier: committed by the job this one resumes) and what it copied.
struct Chunk {
	core::PageRange pages;
	char state = core::job_table_state::pending;
	uint64_t rows = 0, bytes = 0;
};
// Table `ordinal` is split: its task (part 0) becomes its finish task, and
// each chunk a rows task (parts 1..), in the transaction of add_tasks.
void add_chunks(int job_id, int ordinal, const std::vector<Chunk> &chunks);
// The tasks of job_id (part 0: one per table), in plan order, with their
// current states.
std::vector<core::JobTable> tasks(int job_id);
// Takes the first pending task nobody else holds (a finish task only when
// no chunk of its table is pending: a chunk in flight is, until its
// worker commits): the row stays locked (FOR UPDATE SKIP LOCKED) until
// the current transaction ends, so a worker that dies or fails leaves it
// pending. The first from ordinal `from` on, else the first before it.
// nullopt when none is left to take.
struct Task {
	int ordinal = 0, part = 0;
	core::TaskStage stage = core::TaskStage::table;
	core::PageRange pages; // a rows task's
	core::JobTable table;
};
std::optional<Task> claim_task(int job_id, int from = 0);
// The task is finished (state done or skipped) in the current transaction,
// the one that commits its work, with the rows and bytes it copied: it was
// pending or held.
void task_done(int job_id, int ordinal, int part, char state, int worker_job_id, uint64_t rows, uint64_t bytes);
// The rows and bytes the chunks of table `ordinal` copied (done, or
// earlier: in the job this one resumes).
struct Copied {
	uint64_t rows = 0, bytes = 0;
};
Copied chunk_totals(int job_id, int ordinal);
// The tables of job_id split in chunks whose finish task was not done
// (the job ended before): their chunks, those it or a job it resumed
// committed as earlier, the others pending. A job resuming it goes on
// with these chunks, not the table again.
struct ChunkedTable {
	std::string schema, name;
	std::vector<Chunk> chunks;
};
std::vector<ChunkedTable> unfinished_chunked_tables(int job_id);

// The highest job id recorded here, 0 when none: job ids of the shared
// job table go on above it after a crash restart emptied that table.
int max_job_id();

// Removes the records of ids. Returns how many there were.
int remove(const std::vector<int> &ids);
// Takes the records of ids off the job list (cleared_at): they stay for
// pgclone.resume(job_id, conninfo) until clear_jobs(older_than) removes them.
void mark_cleared(const std::vector<int> &ids);

} // namespace pgclone::jobs::record

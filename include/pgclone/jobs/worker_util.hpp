// Helpers of the job runners (C++ regime, inside a background worker).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pgclone/jobs/slot.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::jobs {

// A target transaction of the worker, with an active snapshot (as a
// top-level statement has one: COPY and SQL functions in defaults need
// it). `activity` is what pg_stat_activity shows meanwhile.
void begin_xact(const std::string &activity);
void commit_xact();
// The task list of the job in slot `list_index` (this job's or its pool
// parent's), read in a transaction of its own: it is rows of
// pgclone.job_task, which slot::read_tables reads in a transaction.
std::vector<core::JobTable> read_task_list(int job_id, int list_index);
// What pg_stat_activity shows for the transaction from now on.
void set_activity(const std::string &activity);

// While alive, the COPY streamer's progress goes into slot `index`.
// The destructor only clears two pointers (no PostgreSQL call).
class CopyProgress {
public:
	explicit CopyProgress(int index);
	~CopyProgress();
	CopyProgress(const CopyProgress &) = delete;
	CopyProgress &operator=(const CopyProgress &) = delete;
};

// The source's row estimate of a table (pg_class.reltuples, 0 when
// unknown), read on `src` in its transaction.
uint64_t source_row_estimate(libpq::Connection &src, const std::string &schema, const std::string &table);

// The job that runs in this worker: index and parameters.
struct Job {
	JobParams params;
	int index() const { return params.index; }
};

void run_table_job(Job &job);
void run_schema_job(Job &job);
void run_pool_worker(Job &job);
void run_coordinator(Job &job);

} // namespace pgclone::jobs

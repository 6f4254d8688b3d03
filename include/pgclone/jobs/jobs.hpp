// Async jobs (docs/ARCHITECTURE.md): pgclone.table_async(), pgclone.schema_async()
// (sequential, or a parallel pool with a snapshot coordinator),
// pgclone.progress(), pgclone.jobs(), pgclone.progress_detail(),
// pgclone.cancel(), pgclone.resume(), pgclone.clear_jobs().
//
// A job runs in a background worker connected to the caller's database as
// the caller's current role (never as a superuser it was not), and commits
// its own work: a table job in one transaction, a schema job in one
// transaction per table plus one before and one after the tables. The
// caller's transaction does not contain the job: it starts at once, and a
// rollback of the caller does not undo or stop it.
//
// Visibility: superusers see and control every job; other roles the jobs
// of roles whose privileges they have (has_privs_of_role), like
// pg_stat_activity and pg_signal_backend.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/job_format.hpp"

namespace pgclone::jobs {

struct TableJobRequest {
	std::string conninfo, schema, table, target_table;
	bool include_data = true;
	std::optional<std::string> options;
};

struct SchemaJobRequest {
	std::string conninfo, schema;
	bool include_data = true;
	std::optional<std::string> options;
};

// Validate everything that can be checked without the source, start the
// job's worker, return the job id.
int submit_table_job(const TableJobRequest &req);
int submit_schema_job(const SchemaJobRequest &req);

// Jobs visible to the current role, in job id order.
std::vector<core::JobRecord> visible_jobs();
// One visible job; core::Error undefined_object when there is none.
core::JobRecord job_record(int job_id);

// Requests the cancel of a pending or running job (a pool worker or the
// coordinator: of its parent, that is of the whole clone). Returns false
// when the job had already finished.
bool cancel_job(int job_id);

// Starts a new job that re-runs failed or cancelled job job_id, skipping
// the tables it committed. Returns the new job id.
int resume_job(int job_id);

// Removes finished jobs visible to the current role. Returns the count.
int clear_jobs();

} // namespace pgclone::jobs

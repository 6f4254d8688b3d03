// Submitting async jobs (docs/ASYNC.md): pgclone.table_async() and
// pgclone.schema_async() (sequential, or a parallel pool with a snapshot
// coordinator).
//
// A job runs in a background worker connected to the caller's database as
// the caller's current role (never as a superuser it was not), and commits
// its own work: a table job in one transaction, a schema job in one
// transaction per table plus one before and one after the tables. The job
// starts at once; it belongs to the submitting transaction only in that a
// ROLLBACK of that transaction withdraws it (pending) or cancels it
// (running), since the caller never got a job id to keep.
//
// Visibility: superusers see and control every job; other roles the jobs
// of roles whose privileges they have (has_privs_of_role), like
// pg_stat_activity and pg_signal_backend.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

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

} // namespace pgclone::jobs

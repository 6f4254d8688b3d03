// SQL entry points of async jobs: pgclone.table_async(),
// pgclone.schema_async(), pgclone.progress(), pgclone.jobs(),
// pgclone.progress_detail(), pgclone.job_messages(), pgclone.cancel(),
// pgclone.resume() (both overloads), pgclone.clear_jobs() (both). Each extern "C" shim only calls pg::invoke.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/jobs/control.hpp"
#include "pgclone/jobs/job_list.hpp"
#include "pgclone/jobs/submit.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"
#include "pgclone/sql_api/srf.hpp"

namespace pgclone::sql_api {

namespace {

int job_id_arg(FunctionCallInfo fcinfo) {
	if (PG_NARGS() < 1 || PG_ARGISNULL(0))
		throw core::Error("job_id must not be null", core::sqlstate::null_value_not_allowed);
	return PG_GETARG_INT32(0);
}

// table_async(conninfo, schema, table, include_data = true, target_table_name = NULL, options = NULL)
Datum table_async(FunctionCallInfo fcinfo) {
	jobs::TableJobRequest req;
	req.conninfo = required_text(fcinfo, 0, "source_conninfo");
	req.schema = required_text(fcinfo, 1, "schema_name");
	req.table = required_text(fcinfo, 2, "table_name");
	req.include_data = bool_arg(fcinfo, 3, true);
	req.target_table = text_arg(fcinfo, 4).value_or("");
	req.options = text_arg(fcinfo, 5);
	return Int32GetDatum(jobs::submit_table_job(req));
}

// schema_async(conninfo, schema, include_data = true, options = NULL)
Datum schema_async(FunctionCallInfo fcinfo) {
	jobs::SchemaJobRequest req;
	req.conninfo = required_text(fcinfo, 0, "source_conninfo");
	req.schema = required_text(fcinfo, 1, "schema_name");
	req.include_data = bool_arg(fcinfo, 2, true);
	req.options = text_arg(fcinfo, 3);
	return Int32GetDatum(jobs::submit_schema_job(req));
}

Datum progress(FunctionCallInfo fcinfo) {
	return text_result(core::job_json(jobs::job_record(job_id_arg(fcinfo))));
}

Datum jobs_list(FunctionCallInfo) {
	return text_result(core::jobs_json(jobs::visible_jobs()));
}

Datum cancel(FunctionCallInfo fcinfo) {
	return BoolGetDatum(jobs::cancel_job(job_id_arg(fcinfo)));
}

Datum resume(FunctionCallInfo fcinfo) {
	return Int32GetDatum(jobs::resume_job(job_id_arg(fcinfo), std::nullopt));
}

Datum clear_jobs(FunctionCallInfo) {
	return Int32GetDatum(jobs::clear_jobs());
}

// resume(job_id, conninfo)
Datum resume_with(FunctionCallInfo fcinfo) {
	return Int32GetDatum(jobs::resume_job(job_id_arg(fcinfo), required_text(fcinfo, 1, "conninfo")));
}

// clear_jobs(older_than interval)
Datum clear_jobs_older(FunctionCallInfo fcinfo) {
	if (PG_ARGISNULL(0))
		throw core::Error("older_than must not be null", core::sqlstate::null_value_not_allowed);
	const Interval *iv = PG_GETARG_INTERVAL_P(0);
	// As interval comparison counts it: a month is 30 days.
	int64_t us = iv->time + (static_cast<int64_t>(iv->month) * DAYS_PER_MONTH + iv->day) * USECS_PER_DAY;
	if (us < 0)
		throw core::Error("older_than must not be negative", core::sqlstate::invalid_parameter_value);
	return Int32GetDatum(jobs::clear_jobs_older_than(us / 1000));
}

std::optional<std::string> opt(const std::string &s) {
	if (s.empty())
		return std::nullopt;
	return s;
}

std::optional<std::string> opt_id(int id) {
	if (id <= 0)
		return std::nullopt;
	return std::to_string(id);
}

// The columns of pgclone.progress_detail(), by name: the original pgclone's
// eighteen in its order, then pgclone's own. Matched by name to the declared
// result (return_named_rows), so an extension still at 4.5.0 is served too.
const std::vector<std::string> progress_columns = {
    "job_id",        "status",         "op_type",       "schema_name",  "table_name",    "current_phase",
    "current_table", "tables_total",   "tables_completed", "rows_copied", "bytes_copied", "elapsed_ms",
    "start_time",    "end_time",       "error_message", "pct_complete", "progress_bar",  "elapsed_time",
    "parent_job_id", "resumed_from",   "target_table",  "warnings",     "result",        "owner",
    "database_name", "worker_pid"};

Datum progress_detail(FunctionCallInfo fcinfo) {
	std::vector<TextRow> rows;
	for (const auto &j : jobs::visible_jobs()) {
		rows.push_back({std::to_string(j.job_id),
		                j.status,
		                j.op_type,
		                opt(j.schema_name),
		                opt(j.table_name),
		                opt(j.current_phase),
		                opt(j.current_table),
		                std::to_string(j.tables_total),
		                std::to_string(j.tables_completed),
		                std::to_string(j.rows_copied),
		                std::to_string(j.bytes_copied),
		                std::to_string(j.elapsed_ms),
		                opt(j.start_time),
		                opt(j.end_time),
		                opt(j.error_message),
		                core::format_fixed(j.pct_complete, 1),
		                core::progress_bar(j.pct_complete),
		                core::elapsed_text(j.elapsed_ms),
		                opt_id(j.parent_job_id),
		                opt_id(j.resumed_from),
		                opt(j.target_table),
		                std::to_string(j.warnings),
		                opt(j.result),
		                opt(j.owner),
		                opt(j.database),
		                opt_id(j.worker_pid)});
	}
	return return_named_rows(fcinfo, progress_columns, rows);
}

// job_messages(job_id): job_id, seq, severity, message.
Datum job_messages(FunctionCallInfo fcinfo) {
	std::vector<TextRow> rows;
	for (const auto &m : jobs::job_messages(job_id_arg(fcinfo)))
		rows.push_back({std::to_string(m.job_id), std::to_string(m.seq), m.severity, m.text});
	return return_rows(fcinfo, rows);
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_table_async);
Datum pgclone_table_async(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::table_async);
}

PG_FUNCTION_INFO_V1(pgclone_schema_async);
Datum pgclone_schema_async(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::schema_async);
}

PG_FUNCTION_INFO_V1(pgclone_progress);
Datum pgclone_progress(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::progress);
}

PG_FUNCTION_INFO_V1(pgclone_jobs);
Datum pgclone_jobs(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::jobs_list);
}

PG_FUNCTION_INFO_V1(pgclone_cancel);
Datum pgclone_cancel(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::cancel);
}

PG_FUNCTION_INFO_V1(pgclone_resume);
Datum pgclone_resume(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::resume);
}

PG_FUNCTION_INFO_V1(pgclone_clear_jobs);
Datum pgclone_clear_jobs(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::clear_jobs);
}

PG_FUNCTION_INFO_V1(pgclone_resume_with);
Datum pgclone_resume_with(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::resume_with);
}

PG_FUNCTION_INFO_V1(pgclone_clear_jobs_older);
Datum pgclone_clear_jobs_older(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::clear_jobs_older);
}

PG_FUNCTION_INFO_V1(pgclone_job_messages);
Datum pgclone_job_messages(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::job_messages);
}

PG_FUNCTION_INFO_V1(pgclone_progress_detail);
Datum pgclone_progress_detail(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::progress_detail);
}
}

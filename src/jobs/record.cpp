// The durable record of async jobs (include/pgclone/jobs/record.hpp).
// Every statement runs through SPI as the owner of the record tables.
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/jobs/record.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::jobs::record {

namespace {

// The owner of pgclone.job_record, found by name in the catalog: the job's
// role (a run_as role, say) may have no USAGE on schema pgclone, and
// to_regclass() would then fail with "permission denied for schema".
constexpr const char *job_record_owner_sql =
    R"sql(SELECT c.relowner::pg_catalog.text FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pgclone' AND c.relname = 'job_record' AND c.relkind = 'r')sql";

// Runs f(spi) as the owner of pgclone.job_record, restricted as a SECURITY
// DEFINER function is (no temporary objects, no session-level changes).
// An error aborts the transaction, which restores the caller's identity;
// a C++ exception restores it here.
template <typename F>
auto as_owner(F &&f) {
	pg::Spi spi;
	auto owner = spi.lookup(job_record_owner_sql);
	if (!owner)
		throw core::Error("pgclone.job_record does not exist in this database",
		                  core::sqlstate::object_not_in_prerequisite_state, "",
		                  "Update the extension: ALTER EXTENSION pgclone UPDATE.");
	Oid owner_id = static_cast<Oid>(std::strtoul(owner->c_str(), nullptr, 10));
	Oid saved_user = InvalidOid;
	int saved_context = 0;
	pg::call([&] {
		GetUserIdAndSecContext(&saved_user, &saved_context);
		SetUserIdAndSecContext(owner_id,
		                       saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	});
	auto restore = [&] { pg::call([&] { SetUserIdAndSecContext(saved_user, saved_context); }); };
	try {
		auto out = f(spi);
		restore();
		spi.finish();
		return out;
	} catch (...) {
		restore();
		throw;
	}
}

std::string num(int64_t v) {
	return std::to_string(v);
}

int to_int(const pg::Value &v) {
	return v ? std::atoi(v->c_str()) : 0;
}

uint64_t to_u64(const pg::Value &v) {
	return v ? std::strtoull(v->c_str(), nullptr, 10) : 0;
}

// The task states of pgclone.job_task and their codes in core::JobTable.
std::string task_state_name(char state) {
	namespace st = core::job_table_state;
	switch (state) {
	case st::pending:
		return "pending";
	case st::held:
		return "held";
	case st::done:
		return "done";
	case st::skipped:
		return "skipped";
	case st::earlier:
		return "earlier";
	default:
		throw core::Error(std::string("no task state for list state '") + state + "'", core::sqlstate::internal_error);
	}
}

char task_state_code(const std::string &name) {
	namespace st = core::job_table_state;
	if (name == "pending")
		return st::pending;
	if (name == "held")
		return st::held;
	if (name == "done")
		return st::done;
	if (name == "skipped")
		return st::skipped;
	if (name == "earlier")
		return st::earlier;
	throw core::Error("unknown task state \"" + name + "\"", core::sqlstate::internal_error);
}

} // namespace

bool available() {
	pg::Spi spi;
	auto v = spi.lookup(job_record_owner_sql);
	spi.finish();
	return v.has_value();
}

void start(const Start &job) {
	std::string source = libpq::redacted_conninfo(job.conninfo);
	core::StoredOptions options = core::options_for_record(job.options);
	std::string role = pg::call([] { return static_cast<const char *>(GetUserNameFromId(GetUserId(), false)); });
	std::string role_id = num(pg::call([] { return GetUserId(); }));
	std::string note;
	if (job.resumed_from > 0)
		note = "resumes job " + num(job.resumed_from) + ": the tables job " + num(job.resumed_from) +
		       " committed are kept; the rest is read in a new snapshot of the source, not the one of job " +
		       num(job.resumed_from);
	as_owner([&](pg::Spi &spi) {
		spi.query(
		    R"sql(INSERT INTO pgclone.job_record (job_id, resumed_from, kind, role_id, role_name, source, schema_name,
    table_name, target_table, include_data, options, options_complete, status, start_time, note)
VALUES ($1::pg_catalog.int4, NULLIF($2, '0')::pg_catalog.int4, $3, $4::pg_catalog.oid, $5::pg_catalog.name,
    $6, $7, NULLIF($8, ''), NULLIF($9, ''), $10::pg_catalog.bool, NULLIF($11, ''),
    $12::pg_catalog.bool, 'running', pg_catalog.clock_timestamp(), NULLIF($13, '')))sql",
		    {num(job.job_id), num(job.resumed_from), job.is_schema ? "schema" : "table", role_id, role, source,
		     job.schema, job.table, job.target, job.include_data ? "true" : "false", options.text,
		     options.complete ? "true" : "false", note});
		if (job.resumed_from > 0)
			spi.query(
			    R"sql(INSERT INTO pgclone.job_record_table (job_id, schema_name, table_name, state, rows_copied, bytes_copied, committed_at)
SELECT $1::pg_catalog.int4, t.schema_name, t.table_name, 'earlier', t.rows_copied, t.bytes_copied, t.committed_at
FROM pgclone.job_record_table t
WHERE t.job_id = $2::pg_catalog.int4 AND t.state IN ('done', 'earlier'))sql",
			    {num(job.job_id), num(job.resumed_from)});
		return 0;
	});
}

void table(int job_id, const std::string &schema, const std::string &name, bool skipped, uint64_t rows,
           uint64_t bytes) {
	as_owner([&](pg::Spi &spi) {
		spi.query_kept(
		    R"sql(INSERT INTO pgclone.job_record_table (job_id, schema_name, table_name, state, rows_copied, bytes_copied, committed_at)
VALUES ($1::pg_catalog.int4, $2, $3, $4, $5::pg_catalog.int8, $6::pg_catalog.int8, pg_catalog.clock_timestamp()))sql",
		    {num(job_id), schema, name, skipped ? "skipped" : "done", std::to_string(rows), std::to_string(bytes)});
		return 0;
	});
}

void planned(int job_id, int tables_total) {
	as_owner([&](pg::Spi &spi) {
		spi.query(R"sql(UPDATE pgclone.job_record SET tables_total = $2::pg_catalog.int4 WHERE job_id = $1::pg_catalog.int4)sql",
		          {num(job_id), num(tables_total)});
		return 0;
	});
}

void finish(int job_id, const char *status, const std::string &result, const std::string &error, int warnings,
            int tables_total) {
	as_owner([&](pg::Spi &spi) {
		spi.query(
		    R"sql(UPDATE pgclone.job_record
SET status = $2, result = NULLIF($3, ''), error_message = NULLIF($4, ''),
    warnings = $5::pg_catalog.int4, tables_total = $6::pg_catalog.int4, end_time = pg_catalog.clock_timestamp()
WHERE job_id = $1::pg_catalog.int4)sql",
		    {num(job_id), std::string(status), result, error, num(warnings), num(tables_total)});
		return 0;
	});
}

std::vector<Stored> read_all(int only_job_id, bool cleared_too, const std::vector<int> &uncounted) {
	std::string skip = "{";
	for (int id : uncounted)
		skip += (skip.size() > 1 ? "," : "") + num(id);
	skip += "}";
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query_kept(
		    R"sql(SELECT r.job_id, r.resumed_from, r.kind, r.role_id, r.role_name, r.schema_name, r.table_name,
       r.target_table, r.status, r.options, r.result, r.error_message, r.note, r.start_time, r.end_time,
       (pg_catalog.date_part('epoch', COALESCE(r.end_time, pg_catalog.clock_timestamp()) - r.start_time)
        * 1000)::pg_catalog.int8,
       r.include_data, r.options_complete, r.warnings, r.tables_total, t.committed, t.rows + k.rows, t.bytes + k.bytes, r.source,
       (pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - COALESCE(r.end_time, r.start_time))
        * 1000)::pg_catalog.int8,
       r.cleared_at IS NOT NULL
FROM pgclone.job_record r
CROSS JOIN LATERAL (
    SELECT pg_catalog.count(*) FILTER (WHERE s.state <> 'skipped') AS committed,
           COALESCE(pg_catalog.sum(s.rows_copied), 0) AS rows,
           COALESCE(pg_catalog.sum(s.bytes_copied), 0) AS bytes
    FROM pgclone.job_record_table s WHERE s.job_id = r.job_id AND r.job_id <> ALL ($3::pg_catalog.int4[])) t
CROSS JOIN LATERAL (
    -- The chunks of a table not finished yet: committed, but not in job_record_table.
    SELECT COALESCE(pg_catalog.sum(c.rows_copied), 0) AS rows, COALESCE(pg_catalog.sum(c.bytes_copied), 0) AS bytes
    FROM pgclone.job_task c
    WHERE c.job_id = r.job_id AND r.job_id <> ALL ($3::pg_catalog.int4[]) AND c.part > 0
      AND c.state IN ('done', 'earlier')
      AND EXISTS (SELECT FROM pgclone.job_task f
                  WHERE f.job_id = c.job_id AND f.ordinal = c.ordinal AND f.part = 0 AND f.state IN ('pending', 'held'))) k
WHERE ($1::pg_catalog.int4 <= 0 OR r.job_id = $1::pg_catalog.int4) AND ($2::pg_catalog.bool OR r.cleared_at IS NULL)
ORDER BY r.job_id)sql",
		    {num(only_job_id), cleared_too ? "true" : "false", skip});
	});
	std::vector<Stored> out;
	for (const auto &r : rows) {
		Stored s;
		s.job_id = to_int(r[0]);
		s.resumed_from = to_int(r[1]);
		s.is_schema = r[2].value_or("") == "schema";
		s.role_id = static_cast<unsigned int>(to_u64(r[3]));
		s.role_name = r[4].value_or("");
		s.schema = r[5].value_or("");
		s.table = r[6].value_or("");
		s.target = r[7].value_or("");
		s.status = r[8].value_or("");
		s.options = r[9].value_or("");
		s.result = r[10].value_or("");
		s.error = r[11].value_or("");
		s.note = r[12].value_or("");
		s.start_time = r[13].value_or("");
		s.end_time = r[14].value_or("");
		s.elapsed_ms = static_cast<int64_t>(to_u64(r[15]));
		s.include_data = r[16].value_or("t") == "t";
		s.options_complete = r[17].value_or("t") == "t";
		s.warnings = to_int(r[18]);
		s.tables_total = to_int(r[19]);
		s.tables_committed = to_int(r[20]);
		s.rows = to_u64(r[21]);
		s.bytes = to_u64(r[22]);
		s.source = r[23].value_or("");
		s.ended_ms_ago = static_cast<int64_t>(std::strtoll(r[24].value_or("0").c_str(), nullptr, 10));
		s.cleared = r[25].value_or("f") == "t";
		out.push_back(std::move(s));
	}
	return out;
}

std::vector<Committed> committed_tables(int job_id) {
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query(R"sql(SELECT t.schema_name, t.table_name FROM pgclone.job_record_table t
WHERE t.job_id = $1::pg_catalog.int4 AND t.state IN ('done', 'earlier')
ORDER BY t.schema_name, t.table_name)sql",
		                 {num(job_id)});
	});
	std::vector<Committed> out;
	for (const auto &r : rows)
		out.push_back({r[0].value_or(""), r[1].value_or("")});
	return out;
}

// --- the task list of a parallel job ------------------------------------------------

void add_tasks(int job_id, const std::vector<core::JobTable> &tables) {
	std::vector<std::string> schemas, names, kinds, partitions, states;
	for (const auto &t : tables) {
		schemas.push_back(t.schema);
		names.push_back(t.name);
		kinds.push_back(std::string(1, t.relkind));
		partitions.push_back(t.is_partition ? "t" : "f");
		states.push_back(task_state_name(t.state));
	}
	as_owner([&](pg::Spi &spi) {
		spi.query(
		    R"sql(INSERT INTO pgclone.job_task (job_id, ordinal, schema_name, table_name, relkind, is_partition, state)
SELECT $1::pg_catalog.int4, (u.n - 1)::pg_catalog.int4, u.s, u.t, u.k::pg_catalog."char", u.p::pg_catalog.bool, u.st
FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.text[]),
               pg_catalog.unnest($4::pg_catalog.text[]), pg_catalog.unnest($5::pg_catalog.text[]),
               pg_catalog.unnest($6::pg_catalog.text[])) WITH ORDINALITY AS u(s, t, k, p, st, n))sql",
		    {num(job_id), core::text_array_literal(schemas), core::text_array_literal(names),
		     core::text_array_literal(kinds), core::text_array_literal(partitions), core::text_array_literal(states)});
		return 0;
	});
}

void add_chunks(int job_id, int ordinal, const std::vector<Chunk> &chunks) {
	std::vector<std::string> firsts, ends, states, rows, bytes;
	for (const auto &c : chunks) {
		firsts.push_back(std::to_string(c.pages.first));
		ends.push_back(c.pages.end ? std::to_string(*c.pages.end) : "");
		states.push_back(task_state_name(c.state));
		rows.push_back(std::to_string(c.rows));
		bytes.push_back(std::to_string(c.bytes));
	}
	as_owner([&](pg::Spi &spi) {
		auto split = spi.query(
		    R"sql(UPDATE pgclone.job_task SET stage = 'finish'
WHERE job_id = $1::pg_catalog.int4 AND ordinal = $2::pg_catalog.int4 AND part = 0 AND stage = 'table'
RETURNING ordinal)sql",
		    {num(job_id), num(ordinal)});
		if (split.size() != 1)
			throw core::Error("task " + num(ordinal) + " of job " + num(job_id) + " cannot be split in chunks",
			                  core::sqlstate::internal_error);
		spi.query(
		    R"sql(INSERT INTO pgclone.job_task (job_id, ordinal, part, stage, first_page, end_page, schema_name, table_name,
    relkind, is_partition, state, rows_copied, bytes_copied)
SELECT t.job_id, t.ordinal, u.n::pg_catalog.int4, 'rows', u.f::pg_catalog.int8, NULLIF(u.e, '')::pg_catalog.int8,
       t.schema_name, t.table_name, t.relkind, t.is_partition, u.st,
       CASE WHEN u.st = 'earlier' THEN u.r::pg_catalog.int8 END, CASE WHEN u.st = 'earlier' THEN u.b::pg_catalog.int8 END
FROM pgclone.job_task t,
     ROWS FROM (pg_catalog.unnest($3::pg_catalog.text[]), pg_catalog.unnest($4::pg_catalog.text[]),
               pg_catalog.unnest($5::pg_catalog.text[]), pg_catalog.unnest($6::pg_catalog.text[]),
               pg_catalog.unnest($7::pg_catalog.text[])) WITH ORDINALITY AS u(f, e, st, r, b, n)
WHERE t.job_id = $1::pg_catalog.int4 AND t.ordinal = $2::pg_catalog.int4 AND t.part = 0)sql",
		    {num(job_id), num(ordinal), core::text_array_literal(firsts), core::text_array_literal(ends),
		     core::text_array_literal(states), core::text_array_literal(rows), core::text_array_literal(bytes)});
		return 0;
	});
}

namespace {

core::JobTable task_of(const pg::Row &r) {
	core::JobTable t;
	t.schema = r[1].value_or("");
	t.name = r[2].value_or("");
	t.relkind = r[3].value_or("r").empty() ? 'r' : (*r[3])[0];
	t.is_partition = r[4].value_or("f") == "t";
	t.state = task_state_code(r[5].value_or(""));
	return t;
}

} // namespace

std::vector<core::JobTable> tasks(int job_id) {
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query(
		    R"sql(SELECT t.ordinal, t.schema_name, t.table_name, t.relkind::pg_catalog.text, t.is_partition, t.state
FROM pgclone.job_task t WHERE t.job_id = $1::pg_catalog.int4 AND t.part = 0 ORDER BY t.ordinal)sql",
		    {num(job_id)});
	});
	std::vector<core::JobTable> out;
	for (const auto &r : rows) {
		if (to_int(r[0]) != static_cast<int>(out.size()))
			throw core::Error("the task list of job " + num(job_id) + " has a gap at task " + num(out.size()),
			                  core::sqlstate::internal_error);
		out.push_back(task_of(r));
	}
	return out;
}

std::optional<Task> claim_task(int job_id, int from) {
	// Two ranges of one kept text, each an index range of job_task_pending.
	auto take = [&](int lo, int hi) {
		return as_owner([&](pg::Spi &spi) {
			return spi.query_kept(
			    R"sql(SELECT t.ordinal, t.schema_name, t.table_name, t.relkind::pg_catalog.text, t.is_partition, t.state,
       t.part, t.stage, t.first_page, t.end_page
FROM pgclone.job_task t WHERE t.job_id = $1::pg_catalog.int4 AND t.state = 'pending'
  AND t.ordinal >= $2::pg_catalog.int4 AND t.ordinal < $3::pg_catalog.int4
  AND (t.stage <> 'finish' OR NOT EXISTS (
      SELECT FROM pgclone.job_task c
      WHERE c.job_id = t.job_id AND c.ordinal = t.ordinal AND c.part > 0 AND c.state = 'pending'))
ORDER BY t.ordinal, t.part LIMIT 1 FOR UPDATE OF t SKIP LOCKED)sql",
			    {num(job_id), num(lo), num(hi)});
		});
	};
	auto rows = take(from, std::numeric_limits<int>::max());
	if (rows.empty() && from > 0)
		rows = take(0, from);
	if (rows.empty())
		return std::nullopt;
	Task task;
	task.ordinal = to_int(rows[0][0]);
	task.table = task_of(rows[0]);
	task.part = to_int(rows[0][6]);
	task.stage = core::task_stage(rows[0][7].value_or(""));
	task.pages.first = to_u64(rows[0][8]);
	if (rows[0][9])
		task.pages.end = to_u64(rows[0][9]);
	return task;
}

void task_done(int job_id, int ordinal, int part, char state, int worker_job_id, uint64_t rows_copied,
               uint64_t bytes_copied) {
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query_kept(
		    R"sql(UPDATE pgclone.job_task SET state = $4, worker_job_id = NULLIF($5, '0')::pg_catalog.int4,
    finished_at = pg_catalog.clock_timestamp(), rows_copied = $6::pg_catalog.int8, bytes_copied = $7::pg_catalog.int8
WHERE job_id = $1::pg_catalog.int4 AND ordinal = $2::pg_catalog.int4 AND part = $3::pg_catalog.int4
  AND state IN ('pending', 'held')
RETURNING ordinal)sql",
		    {num(job_id), num(ordinal), num(part), task_state_name(state), num(worker_job_id),
		     std::to_string(rows_copied), std::to_string(bytes_copied)});
	});
	// The task was taken (locked) by this transaction: it cannot have been
	// finished by another one meanwhile.
	if (rows.size() != 1)
		throw core::Error("task " + num(ordinal) + (part > 0 ? "." + num(part) : std::string()) + " of job " +
		                      num(job_id) + " was not pending",
		                  core::sqlstate::internal_error);
}

Copied chunk_totals(int job_id, int ordinal) {
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query(
		    R"sql(SELECT COALESCE(pg_catalog.sum(c.rows_copied), 0)::pg_catalog.int8, COALESCE(pg_catalog.sum(c.bytes_copied), 0)::pg_catalog.int8
FROM pgclone.job_task c
WHERE c.job_id = $1::pg_catalog.int4 AND c.ordinal = $2::pg_catalog.int4 AND c.part > 0 AND c.state IN ('done', 'earlier'))sql",
		    {num(job_id), num(ordinal)});
	});
	Copied out;
	if (!rows.empty()) {
		out.rows = to_u64(rows[0][0]);
		out.bytes = to_u64(rows[0][1]);
	}
	return out;
}

std::vector<ChunkedTable> unfinished_chunked_tables(int job_id) {
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query(
		    R"sql(SELECT f.schema_name, f.table_name, c.first_page, c.end_page, c.state IN ('done', 'earlier'),
       c.rows_copied, c.bytes_copied
FROM pgclone.job_task f
JOIN pgclone.job_task c ON c.job_id = f.job_id AND c.ordinal = f.ordinal AND c.part > 0
WHERE f.job_id = $1::pg_catalog.int4 AND f.part = 0 AND f.stage = 'finish' AND f.state IN ('pending', 'held')
ORDER BY f.ordinal, c.part)sql",
		    {num(job_id)});
	});
	std::vector<ChunkedTable> out;
	for (const auto &r : rows) {
		std::string schema = r[0].value_or(""), name = r[1].value_or("");
		if (out.empty() || out.back().schema != schema || out.back().name != name)
			out.push_back({schema, name, {}});
		Chunk c;
		c.pages.first = to_u64(r[2]);
		if (r[3])
			c.pages.end = to_u64(r[3]);
		if (r[4].value_or("f") == "t") {
			c.state = core::job_table_state::earlier;
			c.rows = to_u64(r[5]);
			c.bytes = to_u64(r[6]);
		}
		out.back().chunks.push_back(c);
	}
	return out;
}

int max_job_id() {
	auto v = as_owner([&](pg::Spi &spi) {
		return spi.query_value(R"sql(SELECT pg_catalog.max(job_id)::pg_catalog.text FROM pgclone.job_record)sql");
	});
	return to_int(v);
}

namespace {

// An int4[] literal: {1,2,3}.
std::string id_array(const std::vector<int> &ids) {
	std::string list = "{";
	for (std::size_t i = 0; i < ids.size(); i++)
		list += (i ? "," : "") + num(ids[i]);
	return list + "}";
}

} // namespace

int remove(const std::vector<int> &ids) {
	if (ids.empty())
		return 0;
	auto rows = as_owner([&](pg::Spi &spi) {
		return spi.query(R"sql(DELETE FROM pgclone.job_record WHERE job_id = ANY ($1::pg_catalog.int4[]) RETURNING job_id)sql",
		                 {id_array(ids)});
	});
	return static_cast<int>(rows.size());
}

void mark_cleared(const std::vector<int> &ids) {
	if (ids.empty())
		return;
	as_owner([&](pg::Spi &spi) {
		spi.query(R"sql(UPDATE pgclone.job_record SET cleared_at = pg_catalog.clock_timestamp()
WHERE job_id = ANY ($1::pg_catalog.int4[]) AND cleared_at IS NULL)sql",
		          {id_array(ids)});
		return 0;
	});
}

} // namespace pgclone::jobs::record

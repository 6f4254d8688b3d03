// pgclone.table_async() and pgclone.schema_async(): check what can be
// checked here, take a slot, start the worker.
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/row_filter.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/submit.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::jobs {

namespace {

using core::check_name;

// The strategy names of a mask object, checked now: a typo should not
// wait for the worker to report it. Everything else about a mask needs the
// source's column types and is checked by the job.
void check_strategies(const nlohmann::json &mask, const std::string &table) {
	if (!mask.is_object())
		return;
	std::string valid = ", " + core::mask_strategy_list() + ",";
	for (const auto &[column, spec] : mask.items()) {
		std::string name = core::mask_strategy_name(spec);
		if (!name.empty() && valid.find(", " + name + ",") == std::string::npos)
			throw core::Error("unknown mask strategy \"" + name + "\" for column \"" + column +
			                      "\" of table \"" + table +
			                      "\"; valid strategies are: " + core::mask_strategy_list(),
			                  core::sqlstate::invalid_parameter_value);
	}
}

// The worker logs in as the current role: it must be allowed to.
void check_can_login() {
	pg::Spi spi;
	auto row = spi.query(R"sql(SELECT r.rolname::pg_catalog.text, r.rolcanlogin::pg_catalog.text
FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)sql");
	spi.finish();
	if (row.empty() || row[0][1].value_or("") == "true")
		return;
	throw core::Error("role \"" + row[0][0].value_or("") +
	                      "\" cannot run async jobs because it cannot log in",
	                  core::sqlstate::insufficient_privilege,
	                  "An async job runs in a background worker connected as the current role.",
	                  "Run it as a role with LOGIN (RESET ROLE, or SET ROLE to such a role).");
}

int start(const NewJob &job) {
	check_can_login();
	return launch(job);
}

// The target schema is checked now: a system or extension schema is never
// a clone's target.
void check_target_schema(const std::string &schema, const char *function_name) {
	pg::Spi spi;
	clone::refuse_protected_schema(spi, schema, function_name);
	spi.finish();
}

// Option run_as is checked now, as the caller: the job runs as that role.
void check_job_role(const core::CloneOptions &opts) {
	if (opts.run_as)
		clone::check_run_as(*opts.run_as);
}

NewJob common(uint8_t kind, const std::string &conninfo, const std::optional<std::string> &options) {
	// Parses the connection string (a clear error for a malformed one,
	// without echoing a password) without connecting: the job connects.
	// A non-superuser's missing password is refused now, as the
	// synchronous call refuses it, not when the worker runs.
	libpq::require_own_password(libpq::prepare_conninfo(conninfo, ""));
	NewJob j;
	j.kind = kind;
	j.conninfo = conninfo;
	j.options = options.value_or("");
	return j;
}

} // namespace

int submit_table_job(const TableJobRequest &req) {
	const char *function_name = "pgclone.table_async";
	check_target_schema(req.schema, "pgclone.table_async");
	require_job_table("pgclone.table_async");
	check_name(req.schema, "schema name");
	check_name(req.table, "table name");
	if (!req.target_table.empty())
		check_name(req.target_table, "target table name");
	core::check_target_table_name(req.target_table);
	core::CloneOptions opts = core::parse_options(req.options.value_or(""));
	if (opts.target_schema)
		check_target_schema(*opts.target_schema, function_name);
	core::check_table_options(opts, function_name);
	if (opts.parallel > 1)
		throw core::Error(
		    "option \"parallel\" is not supported by pgclone.table_async()",
		    core::sqlstate::feature_not_supported, "One table is copied by one worker.",
		    "Use pgclone.schema_async() with {\"parallel\": N} to clone the tables of a schema in parallel.");
	if (opts.masks)
		throw core::Error("option \"masks\" is not supported by pgclone.table_async()",
		                  core::sqlstate::invalid_parameter_value,
		                  "It maps table names to masks for many tables.",
		                  "Use \"mask\" with the mask of this table: {\"mask\": {\"email\": \"email\"}}.");
	if (opts.mask)
		check_strategies(*opts.mask, req.table);
	if (opts.where)
		clone::check_row_filter(*opts.where);
	check_job_role(opts);
	NewJob j = common(kind_table, req.conninfo, req.options);
	j.schema = req.schema;
	j.table = req.table;
	j.target = req.target_table;
	j.include_data = req.include_data;
	return start(j);
}

int submit_schema_job(const SchemaJobRequest &req) {
	const char *function_name = "pgclone.schema_async";
	check_target_schema(req.schema, "pgclone.schema_async");
	require_job_table("pgclone.schema_async");
	check_name(req.schema, "schema name");
	core::CloneOptions opts = core::parse_options(req.options.value_or(""));
	if (opts.target_schema)
		check_target_schema(*opts.target_schema, function_name);
	// Each pool worker finds the subset again in the job's snapshot: a
	// sample must be repeatable to come out the same in every worker.
	if (opts.parallel > 1 && opts.sample && !opts.seed)
		throw core::Error("option \"sample\" of pgclone.schema_async() with \"parallel\" needs option \"seed\"",
		                  core::sqlstate::invalid_parameter_value,
		                  "Every pool worker finds the rows of the subset again, in the job's snapshot; without a seed each would draw another sample.",
		                  "Add \"seed\": any number, e.g. {\"seed\": 1}.");
	// Chunks are what a pool does with a big table: one connection, or
	// connections that do not share one snapshot, cannot split a table.
	if (opts.chunk_size && opts.parallel <= 1)
		throw core::Error("option \"chunk_size\" of pgclone.schema_async() needs \"parallel\" above 1",
		                  core::sqlstate::invalid_parameter_value,
		                  "Chunks of a big table are copied by several pool workers at once; without a pool each table is copied in one piece.",
		                  "Add {\"parallel\": 2} or more, or leave out \"chunk_size\".");
	if (opts.chunk_size && !opts.consistent)
		throw core::Error("option \"chunk_size\" of pgclone.schema_async() needs one snapshot for the whole clone",
		                  core::sqlstate::invalid_parameter_value,
		                  "The chunks of a table are read by several connections; with \"consistent\": false each would read another snapshot, and a row that moved between them would be copied twice or not at all.",
		                  "Leave out \"consistent\": false, or leave out \"chunk_size\".");
	core::CloneOptions checked = opts;
	checked.parallel = 1; // the pool is what schema_async adds
	checked.chunk_size.reset(); // and its chunks
	core::check_multi_table_options(checked, "pgclone.schema_async");
	if (opts.masks && opts.masks->is_object())
		for (const auto &[table, mask] : opts.masks->items())
			check_strategies(mask, table);
	check_job_role(opts);
	NewJob j = common(kind_schema, req.conninfo, req.options);
	j.schema = req.schema;
	j.include_data = req.include_data;
	return start(j);
}

} // namespace pgclone::jobs

// SQL entry points: pgclone.schema(), pgclone.schema_ex(),
// pgclone.functions(), pgclone.database(), pgclone.database_create().
// Each extern "C" shim only calls pg::invoke with the C++ implementation.
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/database_clone.hpp"
#include "pgclone/clone/schema_clone.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"

namespace pgclone::sql_api {

namespace {

clone::MultiCloneRequest schema_request(FunctionCallInfo fcinfo, const char *function_name) {
	clone::MultiCloneRequest req;
	req.conninfo = required_text(fcinfo, 0, "source_conninfo");
	req.schemas.push_back(required_text(fcinfo, 1, "schema_name"));
	req.function_name = function_name;
	return req;
}

// schema(conninfo, schema, include_data = true, options = NULL)
Datum schema(FunctionCallInfo fcinfo) {
	clone::MultiCloneRequest req = schema_request(fcinfo, "pgclone.schema");
	req.include_data = bool_arg(fcinfo, 2, true);
	req.options = core::parse_options(text_arg(fcinfo, 3).value_or(""));
	return text_result(clone::clone_many(req));
}

// schema_ex(conninfo, schema, include_data, include_indexes, include_constraints, include_triggers)
Datum schema_ex(FunctionCallInfo fcinfo) {
	clone::MultiCloneRequest req = schema_request(fcinfo, "pgclone.schema_ex");
	req.include_data = bool_arg(fcinfo, 2, true);
	req.options.indexes = bool_arg(fcinfo, 3, true);
	req.options.constraints = bool_arg(fcinfo, 4, true);
	req.options.triggers = bool_arg(fcinfo, 5, true);
	return text_result(clone::clone_many(req));
}

// functions(conninfo, schema): functions and procedures only. Existing ones
// of the same signature are replaced (CREATE OR REPLACE), so it can be run
// again after the source's functions changed.
Datum functions(FunctionCallInfo fcinfo) {
	clone::MultiCloneRequest req = schema_request(fcinfo, "pgclone.functions");
	req.functions_only = true;
	req.options.conflict = core::ConflictStrategy::Replace;
	return text_result(clone::clone_many(req));
}

// database(conninfo, include_data = true, options = NULL)
Datum database(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	bool include_data = bool_arg(fcinfo, 1, true);
	core::CloneOptions options = core::parse_options(text_arg(fcinfo, 2).value_or(""));
	return text_result(clone::clone_database(conninfo, include_data, options));
}

// database_create(conninfo, target_dbname, include_data = true, options = NULL)
Datum database_create(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	std::string dbname = required_text(fcinfo, 1, "target_dbname");
	bool include_data = bool_arg(fcinfo, 2, true);
	return text_result(clone::database_create(conninfo, dbname, include_data, text_arg(fcinfo, 3)));
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_schema);
Datum pgclone_schema(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::schema);
}

PG_FUNCTION_INFO_V1(pgclone_schema_ex);
Datum pgclone_schema_ex(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::schema_ex);
}

PG_FUNCTION_INFO_V1(pgclone_functions);
Datum pgclone_functions(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::functions);
}

PG_FUNCTION_INFO_V1(pgclone_database);
Datum pgclone_database(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::database);
}

PG_FUNCTION_INFO_V1(pgclone_database_create);
Datum pgclone_database_create(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::database_create);
}
}

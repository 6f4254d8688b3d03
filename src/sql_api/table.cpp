// SQL entry points: pgclone.version(), pgclone.table(), pgclone.table_ex().
// Each extern "C" shim only calls pg::invoke with the C++ implementation.
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/table_clone.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"
#include "pgclone/version.hpp"

namespace pgclone::sql_api {

namespace {

// (conninfo, schema, table, include_data, target_table_name, ...): the
// arguments table() and table_ex() share, after the conninfo.
clone::TableRequest leading_table_args(FunctionCallInfo fcinfo) {
	clone::TableRequest req;
	req.schema = required_text(fcinfo, 1, "schema_name");
	req.table = required_text(fcinfo, 2, "table_name");
	req.include_data = bool_arg(fcinfo, 3, true);
	std::optional<std::string> target = text_arg(fcinfo, 4);
	// NULL keeps the source's name; '' is no name (a name too long is refused
	// later, with name_too_long, by the clone itself).
	if (target && target->empty())
		core::check_name(*target, "target table name");
	if (target)
		core::check_target_table_name(*target);
	req.target_table = target.value_or("");
	return req;
}

Datum version(FunctionCallInfo) {
	return text_result(std::string("pgclone ") + PGCLONE_VERSION);
}

// table(conninfo, schema, table, include_data = true, target_table_name = NULL, options = NULL)
Datum table(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	clone::TableRequest req = leading_table_args(fcinfo);
	req.options = core::parse_options(text_arg(fcinfo, 5).value_or(""));
	if (req.options.dry_run)
		return text_result(clone::dry_run_table(conninfo, req));
	return text_result(clone::clone_table(conninfo, req));
}

// table_ex(conninfo, schema, table, include_data, target_table_name,
//          include_indexes, include_constraints, include_triggers)
Datum table_ex(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	clone::TableRequest req = leading_table_args(fcinfo);
	req.options.indexes = bool_arg(fcinfo, 5, true);
	req.options.constraints = bool_arg(fcinfo, 6, true);
	req.options.triggers = bool_arg(fcinfo, 7, true);
	return text_result(clone::clone_table(conninfo, req));
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_version);
Datum pgclone_version(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::version);
}

PG_FUNCTION_INFO_V1(pgclone_table);
Datum pgclone_table(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::table);
}

PG_FUNCTION_INFO_V1(pgclone_table_ex);
Datum pgclone_table_ex(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::table_ex);
}
}

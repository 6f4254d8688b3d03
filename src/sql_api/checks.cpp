// SQL entry points: pgclone.verify(), pgclone.diff(), pgclone.preflight().
// Each extern "C" shim only calls pg::invoke with the C++ implementation.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/checks/diff.hpp"
#include "pgclone/checks/preflight.hpp"
#include "pgclone/checks/verify.hpp"
#include "pgclone/core/verify_options.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"
#include "pgclone/sql_api/srf.hpp"

namespace pgclone::sql_api {

namespace {

// verify(conninfo, schema_name = NULL [, options])
Datum verify(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	std::optional<std::string> schema = text_arg(fcinfo, 1);
	core::VerifyOptions options = core::parse_verify_options_full(text_arg(fcinfo, 2).value_or(""));
	std::vector<TextRow> rows;
	for (const auto &r : checks::verify(conninfo, schema, options.mode, options.subset))
		rows.push_back(
		    {r.schema, r.table, std::to_string(r.source_rows), std::to_string(r.target_rows), r.match});
	return return_rows(fcinfo, rows);
}

// diff(conninfo, schema_name): STRICT
Datum diff(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	std::string schema = required_text(fcinfo, 1, "schema_name");
	return text_result(checks::diff(conninfo, schema));
}

// preflight(conninfo, schema_name): STRICT
Datum preflight(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	std::string schema = required_text(fcinfo, 1, "schema_name");
	return text_result(checks::preflight(conninfo, schema));
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_verify);
Datum pgclone_verify(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::verify);
}

PG_FUNCTION_INFO_V1(pgclone_diff);
Datum pgclone_diff(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::diff);
}

PG_FUNCTION_INFO_V1(pgclone_preflight);
Datum pgclone_preflight(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::preflight);
}
}

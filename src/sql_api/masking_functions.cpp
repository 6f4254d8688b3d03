// SQL entry points of the masking suite: discover_sensitive, mask_in_place,
// create_masking_policy, drop_masking_policy, masking_report. Each extern "C"
// shim only calls pg::invoke with the C++ implementation.
//
// NULL arguments: the functions are not STRICT; a NULL argument is an error
// naming it (as in pgclone.table()), never a silent NULL result.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/masking/discover.hpp"
#include "pgclone/masking/in_place.hpp"
#include "pgclone/masking/masking_report.hpp"
#include "pgclone/masking/policy.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"
#include "pgclone/sql_api/srf.hpp"

namespace pgclone::sql_api {

namespace {

// discover_sensitive(source_conninfo, schema_name) -> text
Datum discover_sensitive(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	std::string schema = required_text(fcinfo, 1, "schema_name");
	return text_result(masking::discover_sensitive(conninfo, schema));
}

// mask_in_place(schema_name, table_name, mask_json) -> text
Datum mask_in_place(FunctionCallInfo fcinfo) {
	std::string schema = required_text(fcinfo, 0, "schema_name");
	std::string table = required_text(fcinfo, 1, "table_name");
	std::string mask = required_text(fcinfo, 2, "mask_json");
	return text_result(masking::mask_in_place(schema, table, mask));
}

// create_masking_policy(schema_name, table_name, mask_json, privileged_role) -> text
Datum create_masking_policy(FunctionCallInfo fcinfo) {
	std::string schema = required_text(fcinfo, 0, "schema_name");
	std::string table = required_text(fcinfo, 1, "table_name");
	std::string mask = required_text(fcinfo, 2, "mask_json");
	std::string role = required_text(fcinfo, 3, "privileged_role");
	return text_result(masking::create_masking_policy(schema, table, mask, role));
}

// drop_masking_policy(schema_name, table_name) -> text
Datum drop_masking_policy(FunctionCallInfo fcinfo) {
	std::string schema = required_text(fcinfo, 0, "schema_name");
	std::string table = required_text(fcinfo, 1, "table_name");
	return text_result(masking::drop_masking_policy(schema, table));
}

// masking_report(schema_name) -> SETOF masking_report_row (schema_name,
// table_name, column_name, sensitivity, mask_status, recommendation)
Datum masking_report(FunctionCallInfo fcinfo) {
	std::string schema = required_text(fcinfo, 0, "schema_name");
	std::vector<TextRow> rows;
	for (const auto &r : masking::masking_report(schema))
		rows.push_back(
		    {r.schema_name, r.table_name, r.column_name, r.sensitivity, r.mask_status, r.recommendation});
	return return_rows(fcinfo, rows);
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_discover_sensitive);
Datum pgclone_discover_sensitive(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::discover_sensitive);
}

PG_FUNCTION_INFO_V1(pgclone_mask_in_place);
Datum pgclone_mask_in_place(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::mask_in_place);
}

PG_FUNCTION_INFO_V1(pgclone_create_masking_policy);
Datum pgclone_create_masking_policy(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::create_masking_policy);
}

PG_FUNCTION_INFO_V1(pgclone_drop_masking_policy);
Datum pgclone_drop_masking_policy(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::drop_masking_policy);
}

PG_FUNCTION_INFO_V1(pgclone_masking_report);
Datum pgclone_masking_report(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::masking_report);
}
}

// SQL entry points of the masking suite: discover_sensitive, mask_in_place,
// create_masking_policy, drop_masking_policy, masking_report. Each extern "C"
// shim only calls pg::invoke with the C++ implementation.
//
// NULL arguments: the functions are not STRICT; a NULL argument is an error
// naming it (as in pgclone.table()), never a silent NULL result.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/masking/masking.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"

namespace pgclone::sql_api {

namespace {

// PG regime. Puts the function in materialize mode and returns its
// tuplestore and result descriptor (per-query memory).
struct MaterializedResult {
	Tuplestorestate *store;
	TupleDesc desc;
};

MaterializedResult *begin_materialized(FunctionCallInfo fcinfo) {
	ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
	MaterializedResult *out = (MaterializedResult *)palloc(sizeof(MaterializedResult));
#if PG_VERSION_NUM >= 150001
	InitMaterializedSRF(fcinfo, 0);
#else
	// InitMaterializedSRF() appeared in 15.1; this is what it does.
	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) || (rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("set-valued function called in context that cannot accept a set")));
	TupleDesc desc;
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setDesc = CreateTupleDescCopy(desc);
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
#endif
	out->store = rsinfo->setResult;
	out->desc = rsinfo->setDesc;
	return out;
}

// PG regime: one row of text columns (NULL pointer = SQL NULL).
void put_text_row(MaterializedResult *res, const char *const *cells, int ncells) {
	Datum *values = (Datum *)palloc(sizeof(Datum) * ncells);
	bool *nulls = (bool *)palloc(sizeof(bool) * ncells);
	for (int i = 0; i < ncells; i++) {
		nulls[i] = cells[i] == NULL;
		values[i] = cells[i] ? CStringGetTextDatum(cells[i]) : (Datum)0;
	}
	tuplestore_putvalues(res->store, res->desc, values, nulls);
	pfree(values);
	pfree(nulls);
}

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

// masking_report(target_schema) -> SETOF (schema_name, table_name,
// column_name, sensitivity, mask_status, recommendation)
Datum masking_report(FunctionCallInfo fcinfo) {
	std::string schema = required_text(fcinfo, 0, "target_schema");
	const std::vector<masking::ReportRow> rows = masking::masking_report(schema);
	MaterializedResult *res = pg::call([=] { return begin_materialized(fcinfo); });
	for (const auto &r : rows) {
		const char *cells[] = {r.schema_name.c_str(), r.table_name.c_str(),  r.column_name.c_str(),
		                       r.sensitivity.c_str(), r.mask_status.c_str(), r.recommendation.c_str()};
		const char *const *p = cells;
		pg::call([=] { put_text_row(res, p, 6); });
	}
	return (Datum)0;
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

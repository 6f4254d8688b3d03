// Materialized set-returning results.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/srf.hpp"

namespace pgclone::sql_api {

namespace {

// PG regime. Sets up the tuplestore in the per-query memory context and
// returns it; rsinfo->setDesc holds the result's tuple descriptor.
Tuplestorestate *begin_materialized(FunctionCallInfo fcinfo) {
	ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
#if PG_VERSION_NUM >= 160000
	InitMaterializedSRF(fcinfo, 0);
#elif PG_VERSION_NUM >= 150000
	// Every 15.x has SetSingleFuncCall; InitMaterializedSRF is its later name.
	SetSingleFuncCall(fcinfo, 0);
#else
	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("materialize mode required, but it is not allowed in this context")));
	TupleDesc tupdesc;
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("return type must be a row type")));
	MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
#endif
	return rsinfo->setResult;
}

} // namespace

Datum return_rows(FunctionCallInfo fcinfo, const std::vector<TextRow> &rows) {
	// Flatten to C strings the PG-regime lambda can use without C++ objects.
	size_t nrows = rows.size();
	size_t ncols = nrows ? rows[0].size() : 0;
	std::vector<const char *> cells;
	cells.reserve(nrows * ncols);
	for (const auto &row : rows) {
		if (row.size() != ncols)
			throw core::Error("result rows have different widths", core::sqlstate::internal_error);
		for (const auto &v : row)
			cells.push_back(v ? v->c_str() : nullptr);
	}
	const char *const *data = cells.data();
	pg::call([=] {
		Tuplestorestate *store = begin_materialized(fcinfo);
		ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
		TupleDesc desc = rsinfo->setDesc;
		if (nrows > 0 && (size_t)desc->natts != ncols)
			ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
			                errmsg("function result has %d columns, %zu were produced", desc->natts, ncols)));
		AttInMetadata *meta = TupleDescGetAttInMetadata(desc);
		char **values = (char **)palloc(sizeof(char *) * (ncols + 1));
		for (size_t r = 0; r < nrows; r++) {
			for (size_t c = 0; c < ncols; c++)
				values[c] = (char *)data[r * ncols + c];
			HeapTuple tuple = BuildTupleFromCStrings(meta, values);
			tuplestore_puttuple(store, tuple);
			heap_freetuple(tuple);
		}
		pfree(values);
	});
	return (Datum)0;
}

} // namespace pgclone::sql_api

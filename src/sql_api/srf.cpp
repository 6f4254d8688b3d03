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

// Rows flattened to C strings, which the PG-regime code can use without
// C++ objects; nullptr is SQL NULL.
struct Cells {
	size_t nrows = 0;
	size_t width = 0;
	std::vector<const char *> values;
};

Cells flatten(const std::vector<TextRow> &rows, size_t width) {
	Cells out;
	out.nrows = rows.size();
	out.width = width;
	out.values.reserve(out.nrows * width);
	for (const auto &row : rows) {
		if (row.size() != width)
			throw core::Error("result rows have different widths", core::sqlstate::internal_error);
		for (const auto &v : row)
			out.values.push_back(v ? v->c_str() : nullptr);
	}
	return out;
}

// Writes the rows into the result. names == nullptr: values are in the
// order of the declared columns; otherwise each declared column takes the
// value of its name (NULL when there is none).
void put_rows(FunctionCallInfo fcinfo, const Cells &cells, const char *const *names) {
	const size_t nrows = cells.nrows, width = cells.width;
	const char *const *data = cells.values.data();
	pg::call([=] {
		Tuplestorestate *store = begin_materialized(fcinfo);
		ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
		TupleDesc desc = rsinfo->setDesc;
		if (!names && nrows > 0 && (size_t)desc->natts != width)
			ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
			                errmsg("function result has %d columns, %zu were produced", desc->natts, width)));
		// For each declared column, the index of its value (-1: NULL).
		int *source = (int *)palloc(sizeof(int) * (desc->natts + 1));
		for (int c = 0; c < desc->natts; c++) {
			Form_pg_attribute att = TupleDescAttr(desc, c);
			source[c] = names ? -1 : c;
			for (size_t n = 0; names && n < width && !att->attisdropped; n++)
				if (strcmp(NameStr(att->attname), names[n]) == 0) {
					source[c] = (int)n;
					break;
				}
		}
		AttInMetadata *meta = TupleDescGetAttInMetadata(desc);
		char **values = (char **)palloc(sizeof(char *) * (desc->natts + 1));
		for (size_t r = 0; r < nrows; r++) {
			for (int c = 0; c < desc->natts; c++)
				values[c] = source[c] < 0 ? NULL : (char *)data[r * width + source[c]];
			HeapTuple tuple = BuildTupleFromCStrings(meta, values);
			tuplestore_puttuple(store, tuple);
			heap_freetuple(tuple);
		}
		pfree(values);
		pfree(source);
	});
}

} // namespace

Datum return_rows(FunctionCallInfo fcinfo, const std::vector<TextRow> &rows) {
	put_rows(fcinfo, flatten(rows, rows.empty() ? 0 : rows[0].size()), nullptr);
	return (Datum)0;
}

Datum return_named_rows(FunctionCallInfo fcinfo, const std::vector<std::string> &names,
                        const std::vector<TextRow> &rows) {
	std::vector<const char *> name_ptrs;
	for (const auto &n : names)
		name_ptrs.push_back(n.c_str());
	put_rows(fcinfo, flatten(rows, names.size()), name_ptrs.data());
	return (Datum)0;
}

} // namespace pgclone::sql_api

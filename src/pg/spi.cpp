// SPI wrappers. Every server call happens inside pg::call (PG regime, only
// trivially destructible locals); conversion to std::string happens outside.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::pg {

namespace {

// Result rows copied out of SPI_tuptable into palloc'd C strings.
struct RawRows {
	uint64 nrows;
	int ncols;
	char **cells; // row-major, NULL for SQL NULL
};

// The bit of StatementKinds of a parsed statement (0: none of them).
StatementKinds kind_of(Node *stmt) {
	switch (nodeTag(stmt)) {
	case T_CreateFunctionStmt:
		return create_function_statement;
	case T_RuleStmt:
		return create_rule_statement;
	case T_CreateStatsStmt:
		return create_statistics_statement;
	case T_IndexStmt:
		return create_index_statement;
	case T_CreateTrigStmt:
		return create_trigger_statement;
	case T_AlterTableStmt:
		return alter_table_statement;
	case T_CommentStmt:
		return comment_statement;
	default:
		return 0;
	}
}

// PG regime: raises ERROR unless sql is exactly one statement, and, with
// kinds, one of those kinds.
void require_one_statement(const char *sql, StatementKinds kinds = any_statement) {
	List *parsed = pg_parse_query(sql);
	int n = list_length(parsed);
	if (n != 1)
		ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
		                errmsg("a definition read from the source server is %d statements instead of one", n),
		                errdetail("It was not run.")));
	Node *stmt = linitial_node(RawStmt, parsed)->stmt;
	if (kinds != any_statement && (kind_of(stmt) & kinds) == 0)
		ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
		                errmsg("a definition read from the source server is not the kind of statement expected here"),
		                errdetail("It is %s. It was not run.", GetCommandTagName(CreateCommandTag(stmt)))));
}

RawRows *copy_rows();

// Text parameters as SPI takes them, built in PG regime from plain C
// strings (NULL for SQL NULL). Memory: CurrentMemoryContext.
struct TextParams {
	Oid *types;
	Datum *values;
	char *nulls;
};

TextParams text_params(const char *const *cp, int nargs) {
	TextParams t{NULL, NULL, NULL};
	if (nargs == 0)
		return t;
	t.types = (Oid *)palloc(sizeof(Oid) * nargs);
	t.values = (Datum *)palloc(sizeof(Datum) * nargs);
	t.nulls = (char *)palloc(nargs + 1);
	for (int i = 0; i < nargs; i++) {
		t.types[i] = TEXTOID;
		t.values[i] = cp[i] ? CStringGetTextDatum(cp[i]) : (Datum)0;
		t.nulls[i] = cp[i] ? ' ' : 'n';
	}
	return t;
}

// The C strings of params (nullptr for NULL); they point into params.
std::vector<const char *> c_strings(const std::vector<Value> &params) {
	std::vector<const char *> out;
	for (const auto &p : params)
		out.push_back(p ? p->c_str() : nullptr);
	return out;
}

// PG regime. Memory: CurrentMemoryContext (the SPI procedure context).
RawRows *run_spi(const char *sql, int nargs, Oid *types, Datum *values, const char *nulls, bool read_only) {
	int rc = nargs > 0 ? SPI_execute_with_args(sql, nargs, types, values, nulls, read_only, 0)
	                   : SPI_execute(sql, read_only, 0);
	if (rc < 0)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
		                errmsg("SPI failed (%s) while running: %s", SPI_result_code_string(rc), sql)));
	return copy_rows();
}

// PG regime: the rows of the last SPI command as C strings.
RawRows *copy_rows() {
	RawRows *out = (RawRows *)palloc0(sizeof(RawRows));
	if (SPI_tuptable == NULL) {
		out->nrows = SPI_processed;
		return out;
	}
	TupleDesc desc = SPI_tuptable->tupdesc;
	out->nrows = SPI_processed;
	out->ncols = desc->natts;
	out->cells = (char **)palloc0(sizeof(char *) * (out->nrows * out->ncols + 1));
	for (uint64 r = 0; r < out->nrows; r++)
		for (int c = 0; c < out->ncols; c++)
			out->cells[r * out->ncols + c] = SPI_getvalue(SPI_tuptable->vals[r], desc, c + 1);
	return out;
}

} // namespace

Spi::Spi() {
	call([] {
		if (SPI_connect() != SPI_OK_CONNECT)
			ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("SPI_connect failed")));
	});
	connected_ = true;
}

void Spi::finish() {
	if (!connected_)
		return;
	connected_ = false;
	call([] { SPI_finish(); });
}

uint64_t Spi::exec(const std::string &sql) {
	const char *q = sql.c_str();
	RawRows *rows = call([=] { return run_spi(q, 0, nullptr, nullptr, nullptr, false); });
	return rows->nrows;
}

uint64_t Spi::exec_one(const std::string &sql) {
	const char *q = sql.c_str();
	RawRows *rows = call([=] {
		require_one_statement(q);
		return run_spi(q, 0, nullptr, nullptr, nullptr, false);
	});
	return rows->nrows;
}

namespace {

// Several statements as one text, with their C strings for the checks.
struct Batch {
	std::string joined;
	std::vector<const char *> each;
};

Batch make_batch(const std::vector<std::string> &statements) {
	Batch b;
	// A newline before each ';' ends a trailing "--" comment of a statement.
	for (const auto &s : statements) {
		b.joined += s + "\n;\n";
		b.each.push_back(s.c_str());
	}
	return b;
}

// PG regime: raises ERROR unless each of the n texts is one statement (with
// kinds, of one of those kinds) and the joined text is n statements.
void require_batch(const char *joined, const char *const *each, int n, StatementKinds kinds = any_statement) {
	for (int i = 0; i < n; i++)
		require_one_statement(each[i], kinds);
	int parsed = list_length(pg_parse_query(joined));
	if (parsed != n)
		ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR), errmsg("a batch of %d statements parses as %d", n, parsed),
		                errdetail("It was not run.")));
}

} // namespace

void Spi::exec_batch(const std::vector<std::string> &statements) {
	if (statements.empty())
		return;
	Batch b = make_batch(statements);
	const char *q = b.joined.c_str();
	const char *const *list = b.each.data();
	int n = static_cast<int>(b.each.size());
	call([=] {
		require_batch(q, list, n);
		(void)run_spi(q, 0, nullptr, nullptr, nullptr, false);
	});
}

namespace {

std::vector<Row> to_rows(const RawRows *rows) {
	std::vector<Row> out;
	out.reserve(rows->nrows);
	for (uint64 r = 0; r < rows->nrows; r++) {
		Row row;
		row.reserve(rows->ncols);
		for (int c = 0; c < rows->ncols; c++) {
			const char *cell = rows->cells[r * rows->ncols + c];
			row.push_back(cell ? Value(cell) : std::nullopt);
		}
		out.push_back(std::move(row));
	}
	return out;
}

} // namespace

std::vector<Row> Spi::query(const std::string &sql, const std::vector<Value> &params) {
	const char *q = sql.c_str();
	int nargs = static_cast<int>(params.size());
	std::vector<const char *> cparams = c_strings(params);
	const char *const *cp = cparams.data();
	RawRows *rows = call([=] {
		TextParams t = text_params(cp, nargs);
		return run_spi(q, nargs, t.types, t.values, t.nulls, false);
	});
	return to_rows(rows);
}

namespace {

// The rows of a fixed text, run from its kept plan: at most max_rows of
// them (0: all; a look-up stops at its first row).
RawRows *run_kept_plan(const std::string &sql, const std::vector<Value> &params, long max_rows) {
	// Plans kept for the backend's life (SPI_keepplan; the plan cache
	// replans them after catalog changes), by text: only fixed texts come
	// here, so the map stays as small as the set of call sites.
	static std::map<std::string, SPIPlanPtr> plans;
	int nargs = static_cast<int>(params.size());
	SPIPlanPtr plan;
	if (auto it = plans.find(sql); it != plans.end()) {
		plan = it->second;
	} else {
		const char *q = sql.c_str();
		plan = call([=] {
			Oid *types = nargs ? (Oid *)palloc(sizeof(Oid) * nargs) : NULL;
			for (int i = 0; i < nargs; i++)
				types[i] = TEXTOID;
			SPIPlanPtr p = SPI_prepare(q, nargs, types);
			if (p == NULL)
				ereport(ERROR,
				        (errcode(ERRCODE_INTERNAL_ERROR),
				         errmsg("SPI_prepare failed (%s) for: %s", SPI_result_code_string(SPI_result), q)));
			if (SPI_keepplan(p) != 0)
				ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("SPI_keepplan failed")));
			return p;
		});
		plans.emplace(sql, plan);
	}
	std::vector<const char *> cparams = c_strings(params);
	const char *const *cp = cparams.data();
	RawRows *rows = call([=] {
		TextParams t = text_params(cp, nargs);
		int rc = SPI_execute_plan(plan, t.values, t.nulls, false, max_rows);
		if (rc < 0)
			ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
			                errmsg("SPI failed (%s) in a kept statement", SPI_result_code_string(rc))));
		return copy_rows();
	});
	return rows;
}

} // namespace

Value Spi::lookup(const std::string &sql, const std::vector<Value> &params) {
	RawRows *rows = run_kept_plan(sql, params, 1);
	if (rows->nrows == 0 || rows->ncols == 0 || rows->cells[0] == NULL)
		return std::nullopt;
	return Value(rows->cells[0]);
}

std::vector<Row> Spi::query_kept(const std::string &sql, const std::vector<Value> &params) {
	return to_rows(run_kept_plan(sql, params, 0));
}

std::optional<Row> Spi::lookup_row(const std::string &sql, const std::vector<Value> &params) {
	std::vector<Row> rows = to_rows(run_kept_plan(sql, params, 1));
	if (rows.empty())
		return std::nullopt;
	return std::move(rows.front());
}

Value Spi::query_value(const std::string &sql, const std::vector<Value> &params) {
	auto rows = query(sql, params);
	if (rows.empty() || rows[0].empty())
		return std::nullopt;
	return rows[0][0];
}

namespace {

// PG regime. Runs sql in an internal subtransaction (the pattern of PL/pgSQL
// exception blocks). Returns NULL on success, else the palloc'd ErrorData.
// Cancel / timeout / shutdown errors are re-thrown, never returned.
ErrorData *run_in_subxact(const char *sql, bool single_statement, StatementKinds kinds,
                          const char *const *batch = NULL, int n = 0) {
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData *volatile result = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		if (single_statement)
			require_one_statement(sql, kinds);
		if (batch)
			require_batch(sql, batch, n, kinds);
		int rc = SPI_execute(sql, false, 0);
		if (rc < 0)
			ereport(ERROR,
			        (errcode(ERRCODE_INTERNAL_ERROR), errmsg("SPI failed (%s)", SPI_result_code_string(rc))));
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		ErrorData *edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED || edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN ||
		    edata->sqlerrcode == ERRCODE_OUT_OF_MEMORY)
			ReThrowError(edata);
		result = edata;
	}
	PG_END_TRY();
	return result;
}

// The message of a failed subtransaction, with its detail.
std::optional<std::string> error_text(ErrorData *edata) {
	if (!edata)
		return std::nullopt;
	std::string msg = edata->message ? edata->message : "unknown error";
	if (edata->detail) {
		msg += " (";
		msg += edata->detail;
		msg += ")";
	}
	return msg;
}

} // namespace

std::optional<std::string> Spi::exec_in_subtransaction(const std::string &sql, bool single_statement,
                                                       StatementKinds kinds) {
	const char *q = sql.c_str();
	return error_text(call([=] { return run_in_subxact(q, single_statement, kinds); }));
}

std::optional<std::string> Spi::exec_batch_in_subtransaction(const std::vector<std::string> &statements,
                                                             StatementKinds kinds) {
	if (statements.empty())
		return std::nullopt;
	Batch b = make_batch(statements);
	const char *q = b.joined.c_str();
	const char *const *list = b.each.data();
	int n = static_cast<int>(b.each.size());
	return error_text(call([=] { return run_in_subxact(q, false, kinds, list, n); }));
}

} // namespace pgclone::pg

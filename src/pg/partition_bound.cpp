// A partition bound read from the source server must be constants only (see
// partition_bound.hpp). The target's own raw parser reads it as the bound of
// an ATTACH PARTITION, and the parse tree is walked: what pg_get_expr prints
// for a real catalog is accepted, anything else is refused before any DDL.
#include <cstring>
#include <string>

#include "pgclone/pg/postgres.hpp"

extern "C" {
#include "parser/parser.h"
}

#include "pgclone/core/error.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/partition_bound.hpp"

namespace pgclone::pg {

namespace {

// The statement the bound is read in: ATTACH PARTITION takes a bound and
// nothing else, so text before it or after it is a syntax error or shows in
// the tree. The names are never looked up (raw parse only).
constexpr const char *attach_prefix = "ALTER TABLE pgclone_parent ATTACH PARTITION pgclone_partition ";
// Appended for a second parse: a comment opened in the bound and running to
// its end would swallow the next clause of the DDL it is spliced into; here
// it swallows this statement, and one statement is counted instead of two.
constexpr const char *sentinel_statement = ";SELECT";

// PG regime. Whether name (a TypeName) is pg_catalog.bool: PostgreSQL 14's
// grammar reads the literal true or false as a cast of 't' or 'f' to it
// (later versions as an A_Const of its own).
bool is_bool_literal_type(const TypeName *name) {
	if (name == NULL || list_length(name->names) != 2 || name->typmods != NIL || name->arrayBounds != NIL ||
	    name->setof || name->pct_type)
		return false;
	Node *schema = (Node *)linitial(name->names);
	Node *type = (Node *)lsecond(name->names);
	return IsA(schema, String) && IsA(type, String) && strcmp(strVal(schema), "pg_catalog") == 0 &&
	       strcmp(strVal(type), "bool") == 0;
}

// PG regime. Whether n is MINVALUE or MAXVALUE, which the grammar reads as
// a column reference and only a range bound gives a meaning to.
bool is_unbounded(Node *n) {
	if (!IsA(n, ColumnRef))
		return false;
	const ColumnRef *ref = (const ColumnRef *)n;
	if (list_length(ref->fields) != 1 || !IsA(linitial(ref->fields), String))
		return false;
	const char *word = strVal(linitial(ref->fields));
	return strcmp(word, "minvalue") == 0 || strcmp(word, "maxvalue") == 0;
}

// PG regime. What makes one datum of a bound other than a constant, or NULL
// for a constant. A_Const covers what pg_get_expr prints for every type:
// numbers (a negative one quoted, or folded into the constant by the
// grammar), quoted literals, true/false, NULL (A_Const's layout changed in
// PostgreSQL 15, its node tag did not: only the tag is read).
const char *datum_problem(Node *n, bool range) {
	if (n == NULL)
		return "an empty value";
	if (IsA(n, A_Const))
		return NULL;
	if (IsA(n, TypeCast)) {
		const TypeCast *cast = (const TypeCast *)n;
		if (cast->arg && IsA(cast->arg, A_Const) && is_bool_literal_type(cast->typeName))
			return NULL;
		return "a type cast";
	}
	if (range && is_unbounded(n))
		return NULL;
	switch (nodeTag(n)) {
	case T_FuncCall:
		return "a function call";
	case T_A_Expr:
		return "an operator";
	case T_ColumnRef:
		return "a column reference";
	case T_SubLink:
		return "a subquery";
	case T_CollateClause:
		return "a COLLATE clause";
	case T_ParamRef:
		return "a parameter";
	default:
		return "an expression";
	}
}

const char *datums_problem(List *datums, bool range) {
	ListCell *lc;
	foreach (lc, datums) {
		if (const char *problem = datum_problem((Node *)lfirst(lc), range))
			return problem;
	}
	return NULL;
}

// PG regime (inside pg::call). NULL when sql (attach_prefix + bound) is one
// ATTACH PARTITION whose bound is constants only, else what it is instead.
// A syntax error is raised as PostgreSQL's ERROR.
const char *bound_problem(const char *sql) {
	List *parsed = raw_parser(sql, RAW_PARSE_DEFAULT);
	if (list_length(parsed) != 1)
		return "more than one statement";
	RawStmt *raw = linitial_node(RawStmt, parsed);
	// stmt_len is 0 for a statement that runs to the end of the text, and is
	// set by a ';' after it (even one followed by nothing but more ';').
	if (raw->stmt_len != 0)
		return "a semicolon";
	if (!IsA(raw->stmt, AlterTableStmt))
		return "another statement";
	const AlterTableStmt *alter = (const AlterTableStmt *)raw->stmt;
	if (list_length(alter->cmds) != 1)
		return "other clauses";
	const AlterTableCmd *cmd = (const AlterTableCmd *)linitial(alter->cmds);
	if (!IsA(cmd, AlterTableCmd) || cmd->subtype != AT_AttachPartition || cmd->def == NULL ||
	    !IsA(cmd->def, PartitionCmd))
		return "other clauses";
	const PartitionCmd *part = (const PartitionCmd *)cmd->def;
	const PartitionBoundSpec *spec = part->bound;
	if (spec == NULL || !IsA(spec, PartitionBoundSpec) || part->concurrent)
		return "other clauses";
	if (spec->is_default)
		return NULL;
	// strategy: a char before PostgreSQL 16, the enum PartitionStrategy
	// since; the PARTITION_STRATEGY_* names exist in both.
	if (spec->strategy == PARTITION_STRATEGY_HASH)
		return NULL; // modulus and remainder: the grammar takes integer literals only
	if (spec->strategy == PARTITION_STRATEGY_LIST)
		return datums_problem(spec->listdatums, false);
	if (spec->strategy == PARTITION_STRATEGY_RANGE) {
		if (const char *problem = datums_problem(spec->lowerdatums, true))
			return problem;
		return datums_problem(spec->upperdatums, true);
	}
	return "an unknown kind of bound";
}

// PG regime (inside pg::call). The number of statements in sql.
int statement_count(const char *sql) {
	return list_length(raw_parser(sql, RAW_PARSE_DEFAULT));
}

// The source's text in a message: control bytes and invalid UTF-8 escaped,
// a long text cut.
std::string shown(const std::string &bound) {
	return core::printable(bound, 200);
}

[[noreturn]] void refuse(const std::string &partition, const std::string &detail) {
	throw core::Error("the partition bound of " + partition + " read from the source server is not a constant",
	                  core::sqlstate::protocol_violation, detail + " It was not run.",
	                  "A PostgreSQL catalog keeps a partition bound as constants, which pg_get_expr prints as literals: the source server did not answer as PostgreSQL does.");
}

} // namespace

void require_constant_partition_bound(const std::string &bound, const std::string &partition) {
	// raw_parser reads a C string: a NUL would hide the rest from it.
	if (bound.find('\0') != std::string::npos)
		refuse(partition, "It contains a NUL character.");
	const std::string sql = attach_prefix + bound;
	const std::string with_sentinel = sql + sentinel_statement;
	const char *problem = nullptr;
	int statements = 0;
	try {
		problem = pg::call([&] { return bound_problem(sql.c_str()); });
		if (!problem)
			statements = pg::call([&] { return statement_count(with_sentinel.c_str()); });
	} catch (const PgError &e) {
		// The scanner's message quotes the text near the error: the rest of
		// the bound, for an unterminated string.
		refuse(partition, "It does not parse as a partition bound (" + shown(e.what()) + "): " + shown(bound) + ".");
	}
	if (problem)
		refuse(partition, "It contains " + std::string(problem) + ": " + shown(bound) + ".");
	if (statements != 2)
		refuse(partition, "It ends in a comment: " + shown(bound) + ".");
}

} // namespace pgclone::pg

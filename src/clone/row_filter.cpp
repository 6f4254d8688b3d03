// The `where` row filter (see row_filter.hpp): checked with PostgreSQL's own
// parser, applied under the masks.
#include <string>

#include "pgclone/pg/postgres.hpp"

extern "C" {
#include "parser/parser.h"
}

#include "pgclone/clone/row_filter.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

namespace {

// What the parse of the wrapped filter found; Ok when it is one plain
// SELECT whose where clause is the filter and nothing else.
enum class Shape {
	Ok,
	NotOneStatement,
	NotSelect,
	SetOperation,
	ExtraClause,
};

// PG regime (inside pg::call): only trivially destructible locals.
Shape parse_shape(const char *sql) {
	List *tree = raw_parser(sql, RAW_PARSE_DEFAULT);
	if (list_length(tree) != 1)
		return Shape::NotOneStatement;
	Node *stmt = linitial_node(RawStmt, tree)->stmt;
	if (!IsA(stmt, SelectStmt))
		return Shape::NotSelect;
	const SelectStmt *s = reinterpret_cast<const SelectStmt *>(stmt);
	if (s->op != SETOP_NONE || s->larg || s->rarg)
		return Shape::SetOperation;
	// Everything but the where clause is what wrapped_query() wrote: one
	// target (*), one FROM item, no other clause.
	if (s->whereClause == nullptr || list_length(s->targetList) != 1 || list_length(s->fromClause) != 1 ||
	    s->distinctClause || s->intoClause || s->groupClause || s->havingClause || s->windowClause ||
	    s->valuesLists || s->sortClause || s->limitOffset || s->limitCount || s->lockingClause ||
	    s->withClause)
		return Shape::ExtraClause;
	return Shape::Ok;
}

const char *const filter_detail_ok =
    "The where filter is one boolean expression over the table's rows, such as "
    "status = 'active' AND created_at > now() - interval '30 days'.";

[[noreturn]] void refuse(const std::string &why) {
	throw core::Error("where filter must be one boolean expression over the table's rows",
	                  core::sqlstate::invalid_parameter_value, why, filter_detail_ok);
}

// The newline before ")" ends a "--" comment the filter may hold, so the
// comment cannot swallow the closing parenthesis.
std::string wrapped_query(const std::string &filter) {
	return "SELECT * FROM pgclone_filtered_rows WHERE (" + filter + "\n)";
}

} // namespace

void check_row_filter(const std::string &filter) {
	// raw_parser reads a C string: a NUL would hide the rest from it.
	if (filter.find('\0') != std::string::npos)
		refuse("It contains a NUL character.");
	const std::string sql = wrapped_query(filter);
	Shape shape;
	try {
		shape = pg::call([&] { return parse_shape(sql.c_str()); });
	} catch (const pg::PgError &e) {
		refuse(std::string("It does not parse as an expression: ") + e.what() + ".");
	}
	switch (shape) {
	case Shape::Ok:
		return;
	case Shape::NotOneStatement:
		refuse("It ends the query and starts another statement.");
	case Shape::NotSelect:
		refuse("It turns the query into another kind of statement.");
	case Shape::SetOperation:
		refuse("It adds a set operation (UNION, INTERSECT or EXCEPT) to the query.");
	case Shape::ExtraClause:
		refuse("It closes the where clause and adds another clause to the query "
		       "(GROUP BY, HAVING, WINDOW, ORDER BY, LIMIT, OFFSET, FOR UPDATE, ...).");
	}
	refuse("It changes the shape of the query.");
}

std::string filtered_rows_query(const std::string &select_list, const std::string &table_q,
                                const std::string &filter) {
	return "SELECT " + select_list + " FROM (SELECT * FROM " + table_q + " WHERE (" + filter +
	       "\n)) AS pgclone_filtered_rows";
}

} // namespace pgclone::clone

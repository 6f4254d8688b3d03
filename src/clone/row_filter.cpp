// The `where` filter checked with PostgreSQL's own parser (see row_filter.hpp).
#include <string>

#include "pgclone/pg/postgres.hpp"

extern "C" {
#include "parser/parser.h"
}

#include "pgclone/clone/row_filter.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/row_filter.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/settings.hpp"

namespace pgclone::clone {

namespace {

// PG regime (inside pg::call): only trivially destructible locals.
core::FilterParse parse_filter(const char *sql) {
	core::FilterParse out;
	List *tree = raw_parser(sql, RAW_PARSE_DEFAULT);
	out.statements = list_length(tree);
	if (out.statements != 1)
		return out;
	Node *stmt = linitial_node(RawStmt, tree)->stmt;
	out.select = IsA(stmt, SelectStmt);
	if (!out.select)
		return out;
	const SelectStmt *s = reinterpret_cast<const SelectStmt *>(stmt);
	out.set_operation = s->op != SETOP_NONE || s->larg || s->rarg;
	out.where_clause = s->whereClause != nullptr;
	out.targets = list_length(s->targetList);
	out.from_items = list_length(s->fromClause);
	out.other_clause = s->distinctClause || s->intoClause || s->groupClause || s->havingClause ||
	                   s->windowClause || s->valuesLists || s->sortClause || s->limitOffset ||
	                   s->limitCount || s->lockingClause || s->withClause;
	return out;
}

[[noreturn]] void refuse(const std::string &why) {
	throw core::Error("where filter must be one boolean expression over the table's rows",
	                  core::sqlstate::invalid_parameter_value, why,
	                  "Write one condition on the table's columns, such as status = 'active' AND created_at > now() - interval '30 days'.");
}

} // namespace

void check_row_filter(const std::string &filter) {
	// raw_parser reads a C string: a NUL would hide the rest from it.
	if (filter.find('\0') != std::string::npos)
		refuse("It contains a NUL character.");
	const std::string sql = core::wrapped_filter_query(filter);
	core::FilterParse parse;
	// The source reads the text with standard_conforming_strings on
	// (libpq::Connection::open pins it): so does this parse, whatever the
	// calling session says. With it off here, '\' would open a string that
	// the source closes at once, and one expression here could be several
	// statements there.
	try {
		pg::with_local("standard_conforming_strings", "on",
		               [&] { parse = pg::call([&] { return parse_filter(sql.c_str()); }); });
	} catch (const pg::PgError &e) {
		refuse(std::string("It does not parse as an expression: ") + e.what() + ".");
	}
	if (auto problem = core::filter_shape_problem(parse))
		refuse(*problem);
}

} // namespace pgclone::clone

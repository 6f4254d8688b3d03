// The `where` row filter, the one piece of the caller's SQL that reaches the
// source: the query texts it is placed in, and the judgement of how the
// query parsed. The parse itself is PostgreSQL's (raw_parser in the backend,
// clone/row_filter.cpp; the fuzzer uses the same grammar through
// libpg_query), so nothing here reads SQL.
#pragma once

#include <optional>
#include <string>

namespace pgclone::core {

// What a parse of wrapped_filter_query() found.
struct FilterParse {
	int statements = 0;         // top-level statements
	bool select = false;        // the only statement is a SELECT
	bool set_operation = false; // UNION / INTERSECT / EXCEPT (op or larg/rarg)
	bool where_clause = false;  // it has a where clause
	int targets = 0;            // entries of its target list
	int from_items = 0;         // entries of its FROM list
	bool other_clause = false;  // DISTINCT, INTO, GROUP BY, HAVING, WINDOW, VALUES,
	                            // ORDER BY, LIMIT, OFFSET, FOR UPDATE/SHARE or WITH
};

// "SELECT * FROM pgclone_filtered_rows WHERE (<filter>\n)". The newline
// ends a "--" comment the filter may hold, so the comment cannot swallow
// the closing parenthesis.
std::string wrapped_filter_query(const std::string &filter);

// nullopt when the parse is one plain SELECT whose only part the filter
// wrote is its where clause; otherwise why not (the detail of a refusal).
std::optional<std::string> filter_shape_problem(const FilterParse &parse);

// The source query that reads the rows of `table_q` (qualified, quoted)
// through `filter`, with `select_list` (which may hold mask expressions)
// applied in an outer query: every row the filter lets through passes the
// masks, whatever the filter says.
std::string filtered_rows_query(const std::string &select_list, const std::string &table_q,
                                const std::string &filter);

// The condition of a WHERE clause written as text ("WHERE NOT builtin" ->
// "NOT builtin"), as pg_extension_config_dump stores it; nullopt when the
// text does not begin with the keyword WHERE (in any case, after white
// space). What follows is not read here: it is checked as a row filter.
std::optional<std::string> where_clause_condition(const std::string &clause);

// The name of the inner query in filtered_rows_query().
inline constexpr const char *filtered_rows_alias = "pgclone_filtered_rows";

} // namespace pgclone::core

// The `where` row filter of a table clone: the one piece of the caller's
// SQL that reaches the source. Include pgclone/pg/postgres.hpp first.
#pragma once

#include <string>

namespace pgclone::clone {

// Checks that `filter` is exactly one expression that can stand in a WHERE
// clause over the table's rows, with PostgreSQL's own parser (raw_parser,
// in this backend): it is placed into "SELECT * FROM t WHERE (<filter>\n)",
// which must parse as one plain SelectStmt whose only part we did not write
// is its where clause. Anything that turns the query into something else
// (UNION, GROUP BY, ORDER BY, LIMIT, FOR UPDATE, a second statement, ...)
// is refused, as is text that does not parse.
// Throws core::Error (22023, the parser's message as detail) otherwise.
void check_row_filter(const std::string &filter);

// The source query that reads the rows of `table_q` (qualified, quoted)
// through `filter`, with `select_list` (which may hold mask expressions)
// applied in an outer query: every row the filter lets through passes the
// masks, whatever the filter says.
std::string filtered_rows_query(const std::string &select_list, const std::string &table_q,
                                const std::string &filter);

} // namespace pgclone::clone

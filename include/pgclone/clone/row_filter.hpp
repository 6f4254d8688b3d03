// The `where` row filter of a table clone, checked with this backend's own
// parser. Include pgclone/pg/postgres.hpp first.
#pragma once

#include <string>

namespace pgclone::clone {

// Checks that `filter` is exactly one expression that can stand in a WHERE
// clause over the table's rows: core::wrapped_filter_query(filter) must
// parse (raw_parser) as one plain SelectStmt whose only part we did not
// write is its where clause (core::filter_shape_problem). Anything that
// turns the query into something else (UNION, GROUP BY, ORDER BY, LIMIT,
// FOR UPDATE, a second statement, ...) is refused, as is text that does not
// parse. Throws core::Error (22023, the reason as detail) otherwise.
void check_row_filter(const std::string &filter);

} // namespace pgclone::clone

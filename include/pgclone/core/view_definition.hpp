// View definitions across the PostgreSQL 16 change in pg_get_viewdef().
//
// Up to PostgreSQL 15 a view that reads one relation is printed with every column reference
// qualified ("SELECT customers.id FROM s.customers WHERE customers.x > 0"); from 16 on the
// qualification is left out when the query has a single relation ("SELECT id FROM s.customers
// WHERE x > 0"). The same view therefore prints differently on a 14/15 server and a 16+
// server, and pgclone.diff() would report it as modified. Pure logic, no server headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgclone::core {

// The PostgreSQL 14/15 text of a single-relation view with the qualifiers of that relation
// removed, i.e. the way PostgreSQL 16+ prints it. Only the plain shape
// "SELECT ... FROM [ONLY] [schema.]relation [alias] [WHERE|GROUP BY|HAVING|WINDOW|ORDER BY|
// LIMIT|OFFSET|FETCH ...]" is rewritten; anything else (joins, several FROM items, sub-selects,
// set operations, functions or VALUES in FROM, column alias lists) gives nullopt, because there
// the two versions print the same qualifiers or the rewrite would need a parser.
std::optional<std::string> unqualified_single_relation_view(std::string_view definition);

// Whether a definition printed by a server before 16 (`older`) and one printed by a 16+ server
// (`newer`) describe the same view: equal up to whitespace, or equal once the older one has its
// single-relation qualifiers removed.
bool same_view_across_16(std::string_view older, std::string_view newer);

} // namespace pgclone::core

// The role_names argument of pgclone.clone_roles(): "a, b,c".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgclone::core {

// Splits a comma-separated list of role names. Whitespace around each name
// is ignored; a name in double quotes keeps commas and spaces ("My Role",
// "a""b" for a"b). Names are taken as written (no case folding). Duplicates
// are dropped, the first occurrence keeps its place. Throws core::Error
// (22023) for an empty list, an empty element or an unterminated quote.
std::vector<std::string> parse_role_list(std::string_view text);

} // namespace pgclone::core

// The masking compiler: a mask object {"column": "strategy" | {"type": ...}}
// becomes one SQL expression per masked column. The expressions run on the
// source inside `COPY (SELECT ...) TO STDOUT`, so unmasked values never
// reach the target; mask_in_place and masking policies evaluate the same
// expressions locally. Pure logic: no server headers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgclone::core {

// What the compiler needs to know of a column of the masked table.
struct MaskColumn {
	std::string name;
	std::string type;          // format_type() text: the masked value is cast to it
	char type_category = 'U';  // pg_type.typcategory (S string, N numeric, ...)
};

// Compiles `mask` for a table with `columns`. Returns column name ->
// expression (the column is referenced as a quoted identifier). Throws
// core::Error before anything runs for: an unknown strategy (listing the
// valid ones), a column that does not exist, a missing / wrong-typed /
// inverted parameter, or a strategy that cannot produce the column's type
// (e.g. "email" on an integer column).
std::map<std::string, std::string> compile_masks(const nlohmann::json &mask, const std::vector<MaskColumn> &columns);

} // namespace pgclone::core

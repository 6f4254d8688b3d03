// The masking compiler: a mask object {"column": "strategy" | {"type": ...}}
// becomes one SQL expression per masked column. The expressions run on the
// source inside `COPY (SELECT ...) TO STDOUT`, so unmasked values never
// reach the target; mask_in_place and masking policies evaluate the same
// expressions locally. Pure logic: no server headers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgclone::core {

// What the compiler needs to know of a column of the masked table.
struct MaskColumn {
	std::string name;
	std::string type;         // format_type() text: the masked value is cast to it
	char type_category = 'U'; // pg_type.typcategory (S string, N numeric, ...)
	bool not_null = false;    // "null" cannot be used on it
	bool generated = false;   // computed by the target: cannot be masked itself
};

// Compiles `mask` for a table with `columns`. Returns column name ->
// expression (the column is referenced as a quoted identifier). Throws
// core::Error before anything runs for: an unknown strategy (listing the
// valid ones), a column that does not exist, a missing / wrong-typed /
// inverted parameter, or a strategy that cannot produce the column's type
// (e.g. "email" on an integer column). `table` ("schema"."table" as shown
// to the user) only makes the messages name the table.
//
// Expressions are self-contained: a "pseudonymize" key is written into the
// expression as a literal. Use compile_masks_keyed to keep it out.
std::map<std::string, std::string> compile_masks(const nlohmann::json &mask,
                                                 const std::vector<MaskColumn> &columns,
                                                 std::string_view table = {});

// The same expressions, except that "pseudonymize" key material is read
// with current_setting() from session settings instead of being written
// into the query text, so that it never shows up in pg_stat_activity,
// statement logs or error contexts. The caller sets each setting with
// set_config(name, value, true) as a bind parameter before running them.
struct CompiledMasks {
	std::map<std::string, std::string> expressions;
	std::vector<std::pair<std::string, std::string>> settings; // name, value
};
CompiledMasks compile_masks_keyed(const nlohmann::json &mask, const std::vector<MaskColumn> &columns,
                                  std::string_view table = {});

// "email, name, ..." in the order shown in messages and docs.
std::string mask_strategy_list();

// The strategy name of one column's mask spec ("email" or spec["type"]);
// empty when the spec has no string name.
std::string mask_strategy_name(const nlohmann::json &spec);

// Parses a mask given as text (the mask_json argument of mask_in_place and
// create_masking_policy): a JSON object of column -> strategy name or
// object, no duplicate keys. `what` names the argument in messages. Errors
// never echo the text: it may carry a pseudonymization salt.
nlohmann::json parse_mask_text(std::string_view text, std::string_view what);

// `"a", (expr) AS "b", ...`: the select list over `columns` in that order,
// masked columns replaced by their expression.
std::string masked_select_list(const std::vector<std::string> &columns,
                               const std::map<std::string, std::string> &expressions);

} // namespace pgclone::core

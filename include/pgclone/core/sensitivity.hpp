// Sensitive-data discovery rules: which column names look like personal or
// secret data, in which category, and which mask to recommend. Shared by
// discover_sensitive, masking_report and the require_masks gate, so the
// three always agree. Pure logic: no server headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"

namespace pgclone::core {

// One rule: a column-name pattern (lower case; '*' matches any run of
// characters, everything else matches itself), its category and the mask
// it recommends (a strategy name, or a JSON object text).
struct SensitivityRule {
	std::string_view pattern;
	std::string_view category;
	std::string_view mask;
};

// All rules, in matching order (the first match wins).
const std::vector<SensitivityRule> &sensitivity_rules();

// The first rule matching `column_name` (compared case-insensitively), or
// nullptr when the name does not look sensitive.
const SensitivityRule *match_sensitivity(std::string_view column_name);

// The mask to recommend for `column`, matched by `rule`: the rule's mask
// when it compiles for the column's type and nullability, else a fallback
// that does ("random_int" for numbers, "null" when NULL is allowed, a
// constant for NOT NULL strings, dates and addresses).
nlohmann::json recommend_mask(const SensitivityRule &rule, const MaskColumn &column);

// A mask spec as users write it: "name" for a bare strategy, JSON text
// ({"type": "partial", "prefix": 0, "suffix": 4}) for an object.
std::string mask_spec_text(const nlohmann::json &spec);

// JSON text in the style of jsonb's output ({"a": 1, "b": [1, 2]}), object
// keys in byte order: the format of discover_sensitive's result.
std::string json_text(const nlohmann::json &value);

// One table's columns, for discovery.
struct DiscoveryTable {
	std::string name;
	std::vector<MaskColumn> columns;
};

// {"table": {"column": mask, ...}, ...} for every sensitive, non-generated
// column; tables without one are left out. Usable as the "masks" option of
// a schema clone, and each table's object as the "mask" option.
nlohmann::json discover_masks(const std::vector<DiscoveryTable> &tables);

// A sensitive column that the mask does not cover.
struct UnmaskedColumn {
	std::string column;
	std::string category;
};

// The non-generated columns of `columns` that match a rule and are not a
// key of `mask` (nullptr: no mask at all), in column order.
std::vector<UnmaskedColumn> unmasked_sensitive_columns(const std::vector<MaskColumn> &columns,
                                                       const nlohmann::json *mask);

// The require_masks refusal for the tables (schema, table, columns) listed:
// an Error naming every column as schema.table.column (category).
struct UnmaskedTable {
	std::string schema;
	std::string table;
	std::vector<UnmaskedColumn> columns;
};
Error require_masks_error(const std::vector<UnmaskedTable> &tables);

} // namespace pgclone::core

// Catalog queries return name lists as JSON text (to_json(array_agg(...))),
// so that any name survives, commas and quotes included.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pgclone::catalog {

// The strings of a JSON array text; empty text or JSON null gives none.
std::vector<std::string> json_string_array(const std::string &text);

// The [schema, name] pairs of a JSON array of two-string arrays, in order;
// anything else in it is skipped.
std::vector<std::pair<std::string, std::string>> json_name_pairs(const std::string &text);

} // namespace pgclone::catalog

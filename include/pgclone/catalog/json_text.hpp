// Catalog queries return name lists as JSON text (to_json(array_agg(...))),
// so that any name survives, commas and quotes included.
#pragma once

#include <string>
#include <vector>

namespace pgclone::catalog {

// The strings of a JSON array text; empty text or JSON null gives none.
std::vector<std::string> json_string_array(const std::string &text);

} // namespace pgclone::catalog

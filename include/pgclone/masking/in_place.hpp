// pgclone.mask_in_place(): static masking of a local table.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::masking {

// One UPDATE of every row; "OK: masked N rows in s.t (K columns)".
std::string mask_in_place(const std::string &schema, const std::string &table, const std::string &mask_json);

} // namespace pgclone::masking

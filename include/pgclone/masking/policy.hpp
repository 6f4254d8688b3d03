// pgclone.create_masking_policy() / drop_masking_policy(): dynamic masking
// through a masked view, with the table's privileges recorded and revoked
// (docs/MASKING.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::masking {

std::string create_masking_policy(const std::string &schema, const std::string &table,
                                  const std::string &mask_json, const std::string &privileged_role);
std::string drop_masking_policy(const std::string &schema, const std::string &table);

} // namespace pgclone::masking

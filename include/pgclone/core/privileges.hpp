// Privilege keywords. Text that ends up between GRANT/REVOKE and ON must be
// one of these, whatever it came from (a source catalog, a stored record):
// it is pasted as a keyword, so anything else could inject SQL.
#pragma once

#include <string_view>

namespace pgclone::core {

// The keywords aclexplode() produces (MAINTAIN: PostgreSQL 17+).
bool is_known_privilege(std::string_view keyword);

} // namespace pgclone::core

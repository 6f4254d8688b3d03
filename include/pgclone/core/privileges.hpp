// Privilege keywords. Text that ends up between GRANT/REVOKE and ON must be
// one of these, whatever it came from (a source catalog, a stored record):
// it is pasted as a keyword, so anything else could inject SQL.
#pragma once

#include <string_view>

namespace pgclone::core {

// The keywords aclexplode() produces (MAINTAIN: PostgreSQL 17+).
bool is_known_privilege(std::string_view keyword);

// Whether a server of that version (server_version_num) has privilege
// `keyword`: MAINTAIN exists from PostgreSQL 17 on, so a 17+ source (whose
// owners hold it by default) can name it to an older target.
bool server_has_privilege(std::string_view keyword, int server_version_num);

// A schema of the server itself, never a clone's target: pg_catalog,
// information_schema, and every pg_* name (pg_toast, pg_temp_N,
// pg_toast_temp_N; PostgreSQL reserves the prefix for system schemas).
bool is_system_schema(std::string_view schema);

} // namespace pgclone::core

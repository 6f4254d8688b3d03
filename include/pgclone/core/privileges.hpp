// Privilege keywords. Text that ends up between GRANT/REVOKE and ON must be
// one of these, whatever it came from (a source catalog, a stored record):
// it is pasted as a keyword, so anything else could inject SQL.
#pragma once

#include <optional>
#include <string>
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

// ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] GRANT privileges
// ON <kind> TO grantee (nullopt: PUBLIC) [WITH GRANT OPTION], for a
// pg_default_acl object type (r tables, S sequences, f functions, T types,
// n schemas: only without a schema); nullopt for another type. An empty
// schema (no schema has an empty name) means the role's entry for the whole
// database. `privileges` must be known keywords, joined by ", " (the caller
// checks each with is_known_privilege).
std::optional<std::string> default_privileges_sql(const std::string &role, const std::string &schema,
                                                  char object_type, const std::string &privileges,
                                                  const std::optional<std::string> &grantee, bool grantable);

// The role's entry for the whole database holds its complete default ACL
// (PostgreSQL's built-in defaults included, a revoked one left out):
// ALTER DEFAULT PRIVILEGES FOR ROLE role REVOKE ALL ON <kind> FROM PUBLIC,
// role empties it before the entry's grants are made. nullopt for an
// unknown type.
std::optional<std::string> default_privileges_reset_sql(const std::string &role, char object_type);

} // namespace pgclone::core

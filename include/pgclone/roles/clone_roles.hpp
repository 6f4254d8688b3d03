// pgclone.clone_roles(): roles, their attributes, passwords, memberships and
// privileges, from the source cluster to the target.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

namespace pgclone::roles {

// role_names: a comma list (core::parse_role_list); absent = every role of
// the source except predefined (pg_*) roles and the bootstrap superuser.
// Returns "OK: N roles created, N roles updated, N grants applied".
std::string clone_roles(const std::string &conninfo, const std::optional<std::string> &role_names);

} // namespace pgclone::roles

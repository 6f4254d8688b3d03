// Reads the source's default privileges (pg_default_acl) with one query:
// the ALTER DEFAULT PRIVILEGES ... IN SCHEMA entries of a plan's schemas, or
// every entry (IN SCHEMA and whole-database ones) of some roles; items
// exploded by the source's aclexplode() (untrusted text: the target checks
// each privilege against a fixed list and quotes every name).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct DefaultPrivilege {
	std::string role;                   // FOR ROLE
	std::string schema;                 // IN SCHEMA; empty: the whole database
	char object_type = 'r';             // r tables, S sequences, f functions, T types, n schemas
	std::optional<std::string> grantee; // nullopt: PUBLIC
	std::string privilege;
	bool grantable = false;
};

std::vector<DefaultPrivilege> read_default_privileges(libpq::Connection &src, const std::vector<std::string> &schemas);
// Every entry whose role (FOR ROLE) is one of `roles` (clone_roles).
std::vector<DefaultPrivilege> read_role_default_privileges(libpq::Connection &src,
                                                           const std::vector<std::string> &roles);

} // namespace pgclone::catalog

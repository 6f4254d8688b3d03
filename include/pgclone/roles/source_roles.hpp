// What clone_roles reads from the source cluster.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::roles {

struct SourceRole {
	std::string name;
	bool superuser = false, inherit = true, createrole = false, createdb = false, login = false,
	     replication = false, bypassrls = false;
	long long connection_limit = -1;
	std::optional<std::string> valid_until; // ISO text with offset, or "infinity"
	std::optional<std::string> password;    // the stored hash (SCRAM or md5); never printed
	std::optional<std::string> comment;
};

struct Membership {
	std::string group; // the role granted
	std::string member;
	bool admin_option = false;
};

// A privilege grant on a schema, table-like relation, column, sequence or
// routine.
struct Grant {
	std::string kind;   // "schema", "table", "column", "sequence", "function", "procedure"
	std::string schema; // for a schema grant: the schema itself
	std::string name;   // empty for a schema grant; the relation of a column
	std::string args;   // routine identity arguments; the column's name
	std::string grantee;
	std::string privilege; // SELECT, USAGE, EXECUTE, ...
	bool grantable = false;
};

// One per-role setting (ALTER ROLE ... [IN DATABASE ...] SET name = value).
struct RoleSetting {
	std::string role;
	std::optional<std::string> database; // nullopt: every database
	std::string name, value;             // value as pg_db_role_setting keeps it
};

struct SourceCluster {
	bool passwords_readable = false; // SELECT on pg_authid (superuser)
	std::string bootstrap_superuser; // role with OID 10
	std::vector<SourceRole> roles;   // not pg_*, not the bootstrap superuser
	std::vector<Membership> memberships;
	std::vector<Grant> grants; // grants to roles (not PUBLIC) in non-system schemas
	std::vector<RoleSetting> settings;
};

// Reads everything in one READ ONLY transaction.
SourceCluster read_source_cluster(libpq::Connection &src);

} // namespace pgclone::roles

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

// A privilege grant on a schema, table-like relation, sequence or routine.
struct Grant {
	std::string kind;   // "schema", "table", "sequence", "function", "procedure"
	std::string schema; // for a schema grant: the schema itself
	std::string name;   // empty for a schema grant
	std::string args;   // routine identity arguments
	std::string grantee;
	std::string privilege; // SELECT, USAGE, EXECUTE, ...
	bool grantable = false;
};

struct SourceCluster {
	bool passwords_readable = false; // SELECT on pg_authid (superuser)
	std::string bootstrap_superuser; // role with OID 10
	std::vector<SourceRole> roles;   // not pg_*, not the bootstrap superuser
	std::vector<Membership> memberships;
	std::vector<Grant> grants; // grants to roles (not PUBLIC) in non-system schemas
};

// Reads everything in one READ ONLY transaction.
SourceCluster read_source_cluster(libpq::Connection &src);

} // namespace pgclone::roles

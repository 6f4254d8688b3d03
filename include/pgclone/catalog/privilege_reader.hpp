// Reads the owners and access privileges of a clone's objects from the
// source catalog: schemas, tables, sequences, views, materialized views,
// types, domains, functions and procedures. ACL items come from the
// source's own aclexplode(), so grantee, privilege and grant option arrive
// as separate columns; they are still untrusted text (the target checks the
// privilege against a fixed list and quotes every name). Objects that
// belong to an extension are not listed.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct AclEntry {
	std::optional<std::string> grantee; // nullopt: PUBLIC
	std::string privilege;              // SELECT, USAGE, EXECUTE, ... as aclexplode() prints it
	bool grantable = false;
};

struct ObjectPrivileges {
	// schema, table, view, materialized view, sequence, type, domain, function, procedure,
	// column (name: its relation, args: the column; owned_by_table)
	std::string kind;
	std::string schema;
	std::string name; // empty for a schema
	std::string args; // routines: pg_get_function_identity_arguments(); columns: the column
	std::string owner;
	bool security_definer = false;
	// A serial or identity sequence: its owner follows its table's.
	bool owned_by_table = false;
	// false: the source has the default privileges (NULL ACL), none listed.
	bool has_acl = false;
	std::vector<AclEntry> acl;
};

// Every object of the schemas; with `table`, only that table of the (one)
// schema and its serial / identity sequences.
std::vector<ObjectPrivileges> read_privileges(libpq::Connection &src, const std::vector<std::string> &schemas,
                                              const std::optional<std::string> &table = std::nullopt);
// The same in two halves, for a session that queues its queries (the plan
// read ahead): the query, whose parameters are the schemas as a text array
// literal and the table (NULL for all), and the filing of its reply.
const char *privileges_query();
std::vector<ObjectPrivileges> privileges_from(const libpq::Result &r);

} // namespace pgclone::catalog

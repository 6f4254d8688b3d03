// Privilege keyword whitelist; system schemas; default privilege statements.
#include <optional>
#include <string>

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/privileges.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {
constexpr std::string_view known_privileges[] = {"SELECT",   "INSERT",     "UPDATE",  "DELETE",
                                                 "TRUNCATE", "REFERENCES", "TRIGGER", "USAGE",
                                                 "CREATE",   "EXECUTE",    "MAINTAIN"};
} // namespace

bool is_known_privilege(std::string_view keyword) {
	for (auto k : known_privileges)
		if (keyword == k)
			return true;
	return false;
}

bool server_has_privilege(std::string_view keyword, int server_version_num) {
	return keyword != "MAINTAIN" || server_version_num >= 170000;
}

bool is_system_schema(std::string_view schema) {
	return schema == "information_schema" || schema.substr(0, 3) == "pg_";
}

namespace {

// The ON clause's keyword of a pg_default_acl object type; SCHEMAS only for
// the whole database.
const char *default_acl_kind(char object_type, bool whole_database) {
	switch (object_type) {
	case 'r':
		return "TABLES";
	case 'S':
		return "SEQUENCES";
	case 'f':
		return "FUNCTIONS";
	case 'T':
		return "TYPES";
	case 'n':
		return whole_database ? "SCHEMAS" : nullptr;
	default:
		return nullptr;
	}
}

} // namespace

std::optional<std::string> default_privileges_sql(const std::string &role, const std::string &schema,
                                                  char object_type, const std::string &privileges,
                                                  const std::optional<std::string> &grantee, bool grantable) {
	const char *kind = default_acl_kind(object_type, schema.empty());
	if (!kind)
		return std::nullopt;
	return "ALTER DEFAULT PRIVILEGES FOR ROLE " + quote_ident(role) +
	       (schema.empty() ? "" : " IN SCHEMA " + quote_ident(schema)) + " GRANT " + privileges + " ON " + kind +
	       " TO " + (grantee ? quote_ident(*grantee) : "PUBLIC") + (grantable ? " WITH GRANT OPTION" : "");
}

std::optional<std::string> default_privileges_reset_sql(const std::string &role, char object_type) {
	const char *kind = default_acl_kind(object_type, true);
	if (!kind)
		return std::nullopt;
	return "ALTER DEFAULT PRIVILEGES FOR ROLE " + quote_ident(role) + " REVOKE ALL ON " + kind + " FROM PUBLIC, " +
	       quote_ident(role);
}

} // namespace pgclone::core

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

std::optional<std::string> default_privileges_sql(const std::string &role, const std::string &schema,
                                                  char object_type, const std::string &privileges,
                                                  const std::optional<std::string> &grantee, bool grantable) {
	const char *kind = nullptr;
	switch (object_type) {
	case 'r':
		kind = "TABLES";
		break;
	case 'S':
		kind = "SEQUENCES";
		break;
	case 'f':
		kind = "FUNCTIONS";
		break;
	case 'T':
		kind = "TYPES";
		break;
	default:
		return std::nullopt;
	}
	return "ALTER DEFAULT PRIVILEGES FOR ROLE " + quote_ident(role) + " IN SCHEMA " + quote_ident(schema) +
	       " GRANT " + privileges + " ON " + kind + " TO " + (grantee ? quote_ident(*grantee) : "PUBLIC") +
	       (grantable ? " WITH GRANT OPTION" : "");
}

} // namespace pgclone::core

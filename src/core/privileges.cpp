// Privilege keyword whitelist; system schemas.
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

} // namespace pgclone::core

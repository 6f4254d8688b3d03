// Privilege keyword whitelist.
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

} // namespace pgclone::core

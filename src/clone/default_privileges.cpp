// Default privileges on the target (include/pgclone/clone/default_privileges.hpp).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/default_privileges.hpp"
#include "pgclone/core/privileges.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

int apply_default_privileges(pg::Spi &spi, const std::vector<catalog::DefaultPrivilege> &entries) {
	int warnings = 0;
	std::set<std::string> missing;
	using Key = std::tuple<std::string, std::string, char, std::optional<std::string>, bool>;
	std::map<Key, std::string> grants;
	for (const auto &e : entries) {
		// Pasted into SQL as a keyword: only the keywords aclexplode() produces.
		if (!core::is_known_privilege(e.privilege)) {
			warnings++;
			pg::warning("pgclone: unknown privilege \"" + e.privilege + "\" on the source not cloned",
			            "It is a default privilege of role \"" + e.role + "\" in schema \"" + e.schema + "\".");
			continue;
		}
		if (!core::server_has_privilege(e.privilege, PG_VERSION_NUM))
			continue;
		if (!role_exists(spi, e.role) || (e.grantee && !role_exists(spi, *e.grantee))) {
			missing.insert(role_exists(spi, e.role) ? *e.grantee : e.role);
			continue;
		}
		std::string &privs = grants[{e.role, e.schema, e.object_type, e.grantee, e.grantable}];
		privs += (privs.empty() ? "" : ", ") + e.privilege;
	}
	for (const auto &[k, privs] : grants) {
		const auto &[role, schema, type, grantee, grantable] = k;
		auto sql = core::default_privileges_sql(role, schema, type, privs, grantee, grantable);
		if (sql)
			try_ddl(spi, "default privileges of role \"" + role + "\" in schema \"" + schema + "\"", *sql, warnings);
	}
	if (!missing.empty()) {
		std::string names;
		for (const auto &m : missing)
			names += (names.empty() ? "\"" : ", \"") + m + "\"";
		pg::warning("pgclone: default privileges of the source not cloned: their roles do not exist on the target",
		            "Missing roles: " + names + ".",
		            "Create the roles first (pgclone.clone_roles()) to clone them.");
	}
	return warnings;
}

} // namespace pgclone::clone

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

int apply_default_privileges(pg::Spi &spi, const std::vector<catalog::DefaultPrivilege> &entries, int *applied) {
	int warnings = 0;
	std::set<std::string> missing;
	using Key = std::tuple<std::string, std::string, char, std::optional<std::string>, bool>;
	std::map<Key, std::string> grants;
	// Whole-database entries replace the role's defaults of that type.
	std::set<std::pair<std::string, char>> reset;
	for (const auto &e : entries) {
		const std::string where = e.schema.empty() ? "the whole database" : "schema \"" + e.schema + "\"";
		// Pasted into SQL as a keyword: only the keywords aclexplode() produces.
		if (!core::is_known_privilege(e.privilege)) {
			warnings++;
			pg::warning("pgclone: unknown privilege \"" + e.privilege + "\" on the source not cloned",
			            "It is a default privilege of role \"" + e.role + "\" in " + where + ".");
			continue;
		}
		if (!core::server_has_privilege(e.privilege, PG_VERSION_NUM))
			continue;
		// clone_roles: an IN SCHEMA entry of a schema the target lacks.
		if (!e.schema.empty() && !schema_exists(e.schema))
			continue;
		if (!role_exists(spi, e.role)) {
			missing.insert(e.role);
			continue;
		}
		if (e.schema.empty())
			reset.insert({e.role, e.object_type});
		if (e.grantee && !role_exists(spi, *e.grantee)) {
			missing.insert(*e.grantee);
			continue;
		}
		std::string &privs = grants[{e.role, e.schema, e.object_type, e.grantee, e.grantable}];
		privs += (privs.empty() ? "" : ", ") + e.privilege;
	}
	int done = 0;
	for (const auto &[role, type] : reset)
		if (auto sql = core::default_privileges_reset_sql(role, type))
			if (try_ddl(spi, "default privileges of role \"" + role + "\" in the whole database", *sql, warnings))
				done++;
	for (const auto &[k, privs] : grants) {
		const auto &[role, schema, type, grantee, grantable] = k;
		auto sql = core::default_privileges_sql(role, schema, type, privs, grantee, grantable);
		const std::string where = schema.empty() ? "the whole database" : "schema \"" + schema + "\"";
		if (sql && try_ddl(spi, "default privileges of role \"" + role + "\" in " + where, *sql, warnings))
			done++;
	}
	if (!missing.empty()) {
		std::string names;
		for (const auto &m : missing)
			names += (names.empty() ? "\"" : ", \"") + m + "\"";
		pg::warning("pgclone: default privileges of the source not cloned: their roles do not exist on the target",
		            "Missing roles: " + names + ".",
		            "Create the roles first (pgclone.clone_roles()) to clone them.");
	}
	if (applied)
		*applied += done;
	return warnings;
}

} // namespace pgclone::clone

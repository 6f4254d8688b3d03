// Source-side reads for clone_roles.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/roles/source_roles.hpp"

namespace pgclone::roles {

namespace {

// rolvaliduntil as text that any DateStyle on the target parses: ISO in UTC
// with an explicit offset ("infinity" as is).
constexpr const char *roles_sql_head =
    R"sql(SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
  r.rolreplication, r.rolbypassrls, r.rolconnlimit,
  CASE WHEN r.rolvaliduntil IS NULL THEN NULL
    WHEN pg_catalog.isfinite(r.rolvaliduntil)
    THEN pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00'
    ELSE r.rolvaliduntil::text END, )sql";
constexpr const char *roles_sql_tail = R"sql(, pg_catalog.shobj_description(r.oid, 'pg_authid')
FROM pg_catalog.pg_roles r )sql";

// Routines are identified by their identity arguments (printed with
// search_path = pg_catalog: every non-catalog type is schema-qualified).
constexpr const char *grants_sql =
    R"sql(SELECT 'schema', n.nspname, '', '', g.rolname, a.privilege_type, a.is_grantable
FROM pg_catalog.pg_namespace n CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) a
JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
WHERE n.nspacl IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, n.nspname, c.relname, '', g.rolname,
  a.privilege_type, a.is_grantable
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname,
  pg_catalog.pg_get_function_identity_arguments(p.oid), g.rolname, a.privilege_type, a.is_grantable
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) a JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
WHERE p.proacl IS NOT NULL AND p.prokind IN ('f', 'p')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'column', n.nspname, c.relname, a.attname, g.rolname, x.privilege_type, x.is_grantable
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) x JOIN pg_catalog.pg_roles g ON g.oid = x.grantee
WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1, 2, 3, 4, 5, 6)sql";

// One row per setting, in the order the role holds them; the value is
// everything after the first '=' (a name has none).
constexpr const char *settings_sql =
    R"sql(SELECT r.rolname, d.datname, pg_catalog.substr(c.item, 1, pg_catalog.strpos(c.item, '=') - 1),
  pg_catalog.substr(c.item, pg_catalog.strpos(c.item, '=') + 1)
FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(item, i)
WHERE s.setrole <> 0 AND (s.setdatabase = 0 OR d.oid IS NOT NULL) AND pg_catalog.strpos(c.item, '=') > 1
ORDER BY r.rolname, d.datname NULLS FIRST, c.i)sql";

// PostgreSQL 16+ may hold one membership several times (one per grantor).
constexpr const char *memberships_sql =
    R"sql(SELECT g.rolname, m.rolname, pg_catalog.bool_or(am.admin_option)
FROM pg_catalog.pg_auth_members am
JOIN pg_catalog.pg_roles g ON g.oid = am.roleid JOIN pg_catalog.pg_roles m ON m.oid = am.member
GROUP BY 1, 2 ORDER BY 1, 2)sql";

} // namespace

SourceCluster read_source_cluster(libpq::Connection &src) {
	SourceCluster out;
	auto priv = src.exec(R"sql(SELECT pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT'), (SELECT rolname FROM pg_catalog.pg_roles WHERE oid = 10))sql");
	out.passwords_readable = priv.get_bool(0, 0);
	out.bootstrap_superuser = priv.get(0, 1);

	std::string sql = std::string(roles_sql_head) +
	                  (out.passwords_readable ? "a.rolpassword" : "NULL::text") + roles_sql_tail +
	                  (out.passwords_readable ? "JOIN pg_catalog.pg_authid a ON a.oid = r.oid " : "") +
	                  "WHERE r.rolname !~ '^pg_' AND r.oid <> 10 ORDER BY r.rolname";
	auto r = src.exec(sql);
	for (int i = 0; i < r.rows(); i++) {
		SourceRole role;
		role.name = r.get(i, 0);
		role.superuser = r.get_bool(i, 1);
		role.inherit = r.get_bool(i, 2);
		role.createrole = r.get_bool(i, 3);
		role.createdb = r.get_bool(i, 4);
		role.login = r.get_bool(i, 5);
		role.replication = r.get_bool(i, 6);
		role.bypassrls = r.get_bool(i, 7);
		role.connection_limit = r.get_int(i, 8);
		role.valid_until = r.get_opt(i, 9);
		role.password = r.get_opt(i, 10);
		role.comment = r.get_opt(i, 11);
		out.roles.push_back(std::move(role));
	}

	auto m = src.exec(memberships_sql);
	for (int i = 0; i < m.rows(); i++)
		out.memberships.push_back({m.get(i, 0), m.get(i, 1), m.get_bool(i, 2)});

	auto g = src.exec(grants_sql);
	for (int i = 0; i < g.rows(); i++)
		out.grants.push_back(
		    {g.get(i, 0), g.get(i, 1), g.get(i, 2), g.get(i, 3), g.get(i, 4), g.get(i, 5), g.get_bool(i, 6)});

	auto st = src.exec(settings_sql);
	for (int i = 0; i < st.rows(); i++)
		out.settings.push_back({st.get(i, 0), st.get_opt(i, 1), st.get(i, 2), st.get(i, 3)});
	return out;
}

} // namespace pgclone::roles

// Source catalog reader for default privileges (include/pgclone/catalog/default_acl_reader.hpp).
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/default_acl_reader.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

constexpr const char *default_acl_sql = R"SQL(
SELECT pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype,
  CASE WHEN a.grantee <> 0 THEN pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
FROM pg_catalog.pg_default_acl d
JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
WHERE n.nspname = ANY ($1::pg_catalog.text[])
ORDER BY 1, 2, 3, 4, 5
)SQL";

} // namespace

std::vector<DefaultPrivilege> read_default_privileges(libpq::Connection &src, const std::vector<std::string> &schemas) {
	auto r = src.exec_params(default_acl_sql, std::vector<std::optional<std::string>>{core::text_array_literal(schemas)});
	std::vector<DefaultPrivilege> out;
	for (int i = 0; i < r.rows(); i++) {
		DefaultPrivilege p;
		p.role = r.get(i, 0);
		p.schema = r.get(i, 1);
		p.object_type = r.get(i, 2).empty() ? 'r' : r.get(i, 2)[0];
		p.grantee = r.get_opt(i, 3);
		p.privilege = r.get(i, 4);
		p.grantable = r.get_bool(i, 5);
		out.push_back(std::move(p));
	}
	return out;
}

} // namespace pgclone::catalog

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
SELECT pg_catalog.pg_get_userbyid(d.defaclrole), coalesce(n.nspname, ''), d.defaclobjtype,
  CASE WHEN a.grantee OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
FROM pg_catalog.pg_default_acl d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
WHERE CASE WHEN $1::pg_catalog.text[] IS NULL THEN pg_catalog.pg_get_userbyid(d.defaclrole) = ANY ($2::pg_catalog.text[])
           ELSE n.nspname = ANY ($1::pg_catalog.text[]) END
ORDER BY 1, 2, 3, 4, 5
)SQL";

std::vector<DefaultPrivilege> read(libpq::Connection &src, const std::optional<std::string> &schemas,
                                   const std::optional<std::string> &roles) {
	auto r = src.exec_params(default_acl_sql, std::vector<std::optional<std::string>>{schemas, roles});
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

} // namespace

std::vector<DefaultPrivilege> read_default_privileges(libpq::Connection &src, const std::vector<std::string> &schemas) {
	return read(src, core::text_array_literal(schemas), std::nullopt);
}

std::vector<DefaultPrivilege> read_role_default_privileges(libpq::Connection &src,
                                                           const std::vector<std::string> &roles) {
	return read(src, std::nullopt, core::text_array_literal(roles));
}

} // namespace pgclone::catalog

// Source catalog reader for large objects (include/pgclone/catalog/large_object_reader.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/large_object_reader.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::catalog {

namespace {

constexpr const char *large_objects_sql = R"SQL(
SELECT m.oid, pg_catalog.pg_get_userbyid(m.lomowner),
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
            CASE WHEN a.grantee OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text END,
            a.privilege_type, a.is_grantable))
   FROM pg_catalog.aclexplode(m.lomacl) a)::pg_catalog.text,
  pg_catalog.obj_description(m.oid, 'pg_largeobject')
FROM pg_catalog.pg_largeobject_metadata m
ORDER BY m.oid
)SQL";

[[noreturn]] void malformed(const std::string &oid) {
	throw core::Error("the source server's description of large object " + oid + " is malformed",
	                  core::sqlstate::protocol_violation);
}

} // namespace

std::vector<LargeObjectDef> read_large_objects(libpq::Connection &src) {
	auto r = src.exec(large_objects_sql);
	std::vector<LargeObjectDef> out;
	for (int i = 0; i < r.rows(); i++) {
		LargeObjectDef lo;
		lo.oid = r.get(i, 0);
		// It is pasted into statements (ALTER LARGE OBJECT <oid> ...): digits only.
		if (lo.oid.empty() || lo.oid.find_first_not_of("0123456789") != std::string::npos)
			malformed("\"" + lo.oid + "\"");
		lo.owner = r.get(i, 1);
		if (auto acl = r.get_opt(i, 2)) {
			auto j = nlohmann::json::parse(*acl, nullptr, false);
			if (j.is_discarded() || !j.is_array())
				malformed(lo.oid);
			for (const auto &e : j) {
				if (!e.is_array() || e.size() != 3 || !e[1].is_string() || !e[2].is_boolean() ||
				    !(e[0].is_null() || e[0].is_string()))
					malformed(lo.oid);
				AclEntry a;
				if (e[0].is_string())
					a.grantee = e[0].get<std::string>();
				a.privilege = e[1].get<std::string>();
				a.grantable = e[2].get<bool>();
				lo.acl.push_back(std::move(a));
			}
		}
		lo.comment = r.get_opt(i, 3);
		out.push_back(std::move(lo));
	}
	return out;
}

std::string read_large_object_chunk(libpq::Connection &src, const std::string &oid, int64_t offset, int length) {
	auto r = src.exec_params("SELECT pg_catalog.lo_get($1::pg_catalog.oid, $2::bigint, $3::integer)",
	                         std::vector<std::optional<std::string>>{oid, std::to_string(offset), std::to_string(length)});
	if (r.rows() != 1 || r.is_null(0, 0))
		malformed(oid);
	return r.get(0, 0);
}

} // namespace pgclone::catalog

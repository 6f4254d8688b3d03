// Owners and ACLs of a clone's objects, read from the source.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

// One row per ACL item (one row with NULL item columns for an object
// without an ACL). $1: the schemas; $2: one table name (the table and its
// serial / identity sequences), or NULL for all. Column privileges are
// objects of kind 'column' (name: the relation, args: the column) owned by
// their relation.
constexpr const char *privileges_sql = R"SQL(
WITH objs AS (
  SELECT 'schema'::pg_catalog.text AS kind, n.nspname::pg_catalog.text AS schema, ''::pg_catalog.text AS name,
    ''::pg_catalog.text AS args, n.nspowner AS owner, false AS secdef, false AS owned, n.nspacl AS acl,
    'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid AS cls, n.oid AS oid
  FROM pg_catalog.pg_namespace n
  WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND $2::pg_catalog.text IS NULL
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
           ELSE 'table' END,
    n.nspname, c.relname, '', c.relowner, false,
    c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.deptype IN ('a', 'i')),
    c.relacl, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::pg_catalog.text[])
    AND (($2::pg_catalog.text IS NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S'))
      OR (c.relkind IN ('r', 'p') AND c.relname = $2::pg_catalog.text)
      OR (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.objid = c.oid
            AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.deptype IN ('a', 'i')
            AND t.relnamespace = c.relnamespace AND t.relname = $2::pg_catalog.text)))
  UNION ALL
  SELECT 'column', n.nspname, c.relname, a.attname::pg_catalog.text, c.relowner, false, true, a.attacl,
    'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
    AND (($2::pg_catalog.text IS NULL AND c.relkind IN ('r', 'p', 'v', 'm'))
      OR (c.relkind IN ('r', 'p') AND c.relname = $2::pg_catalog.text))
  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname, '', t.typowner, false,
    false, t.typacl, 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND $2::pg_catalog.text IS NULL
    AND (t.typtype IN ('e', 'r', 'd')
      OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname,
    pg_catalog.pg_get_function_identity_arguments(p.oid), p.proowner, p.prosecdef, false, p.proacl,
    'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND $2::pg_catalog.text IS NULL AND p.prokind IN ('f', 'p', 'w')
)
SELECT o.kind, o.schema, o.name, o.args, pg_catalog.pg_get_userbyid(o.owner), o.secdef, o.owned,
  o.acl IS NOT NULL, a.privilege_type IS NOT NULL,
  CASE WHEN a.grantee OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
FROM objs o LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl) a ON true
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
  WHERE d.classid = o.cls AND d.objid = o.oid
    AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid AND d.deptype = 'e')
ORDER BY o.kind, o.schema, o.name, o.args
)SQL";

} // namespace

const char *privileges_query() {
	return privileges_sql;
}

std::vector<ObjectPrivileges> read_privileges(libpq::Connection &src, const std::vector<std::string> &schemas,
                                              const std::optional<std::string> &table) {
	return privileges_from(src.exec_params(privileges_sql, {core::text_array_literal(schemas), table}));
}

std::vector<ObjectPrivileges> privileges_from(const libpq::Result &r) {
	std::vector<ObjectPrivileges> out;
	for (int i = 0; i < r.rows(); i++) {
		const bool same = !out.empty() && out.back().kind == r.get(i, 0) && out.back().schema == r.get(i, 1) &&
		                  out.back().name == r.get(i, 2) && out.back().args == r.get(i, 3);
		if (!same) {
			ObjectPrivileges o;
			o.kind = r.get(i, 0);
			o.schema = r.get(i, 1);
			o.name = r.get(i, 2);
			o.args = r.get(i, 3);
			o.owner = r.get(i, 4);
			o.security_definer = r.get_bool(i, 5);
			o.owned_by_table = r.get_bool(i, 6);
			o.has_acl = r.get_bool(i, 7);
			out.push_back(std::move(o));
		}
		if (r.get_bool(i, 8))
			out.back().acl.push_back({r.get_opt(i, 9), r.get(i, 10), r.get_bool(i, 11)});
	}
	return out;
}

} // namespace pgclone::catalog

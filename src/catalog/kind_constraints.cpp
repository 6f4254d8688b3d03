// Object kind "constraint": primary keys, unique, exclusion, check and
// foreign-key constraints of each table of a plan.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string constraints_sql(int) {
	return R"sql(SELECT con.conrelid, con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid),
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(a.attname ORDER BY a.attnum))
   FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey))::text,
  rn.nspname, rc.relname,
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(a.attname ORDER BY k.n))
   FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
   JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text,
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(a.attname ORDER BY k.n))
   FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)
   JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text,
  con.conparentid OPERATOR(pg_catalog.<>) 0,
  (SELECT ts.spcname FROM pg_catalog.pg_class ci JOIN pg_catalog.pg_tablespace ts ON ts.oid = ci.reltablespace
   WHERE ci.oid = con.conindid AND con.contype IN ('p', 'u', 'x')),
  con.conislocal
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.conrelid = ANY ($1::pg_catalog.oid[]) AND con.contype IN ('p', 'u', 'c', 'f', 'x') )sql"
	       // A key referencing a partitioned table has a copy per partition of the
	       // referenced table on the same table: those come with the key itself.
	       R"sql(AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pcon
  WHERE pcon.oid = con.conparentid AND pcon.conrelid = con.conrelid)
ORDER BY con.conrelid, CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2
WHEN 'c' THEN 3 ELSE 4 END, con.conparentid OPERATOR(pg_catalog.=) 0, con.conname)sql";
}

namespace {

std::map<std::string, std::vector<ConstraintDef>> constraint_rows(const libpq::Result &r) {
	std::map<std::string, std::vector<ConstraintDef>> out;
	for (int i = 0; i < r.rows(); i++) {
		ConstraintDef c;
		c.name = r.get(i, 1);
		c.type = r.get(i, 2).empty() ? '\0' : r.get(i, 2)[0];
		c.definition = r.get(i, 3);
		c.columns = json_string_array(r.get(i, 4));
		c.ref_schema = r.get(i, 5);
		c.ref_table = r.get(i, 6);
		if (c.type == 'f') {
			c.key_columns = json_string_array(r.get(i, 7));
			c.ref_columns = json_string_array(r.get(i, 8));
			c.inherited = r.get(i, 9) == "t";
		}
		c.tablespace = r.get_opt(i, 10);
		c.inherited_only = !r.get_bool(i, 11);
		c.attached = r.get_bool(i, 9);
		out[r.get(i, 0)].push_back(std::move(c));
	}
	return out;
}

} // namespace

std::map<std::string, std::vector<ConstraintDef>> read_constraint_defs(libpq::Connection &src,
                                                                       const std::vector<std::string> &oids) {
	if (oids.empty())
		return {};
	return constraint_rows(src.exec_params(constraints_sql(src.server_version()), {oid_array(oids)}));
}

void file_constraints(const libpq::Result &r, TablePlan &plan) {
	for (auto &[oid, constraints] : constraint_rows(r))
		plan.row_table(oid).constraints = std::move(constraints);
}

} // namespace pgclone::catalog::kinds

// Object kind "relation": the pg_class facts of each table of a plan.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/catalog/size_estimate.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string relations_sql(int) {
	return R"sql(SELECT c.oid, c.relkind, c.relpersistence, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), pg_catalog.obj_description(c.oid, 'pg_class'),
CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, )sql" +
	       std::string(ancestors_json_sql) + ", n.nspname, c.relname, " + size_estimate_columns_sql +
	       R"sql(, (SELECT ts.spcname FROM pg_catalog.pg_tablespace ts WHERE ts.oid = c.reltablespace),
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(pn.nspname, p.relname) ORDER BY i.inhseqno)
   FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
   JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
   WHERE i.inhrelid = c.oid AND NOT c.relispartition)::pg_catalog.text,
  (SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
  OPERATOR(pg_catalog.=) (SELECT pg_catalog.array_agg(x.name ORDER BY x.pos) FROM (
       SELECT u.name, pg_catalog.min(u.pos) AS pos FROM (
         SELECT pa.attname AS name, i.inhseqno::pg_catalog.int8 * 100000 + pa.attnum AS pos
         FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent
         WHERE i.inhrelid = c.oid AND pa.attnum > 0 AND NOT pa.attisdropped
         UNION ALL
         SELECT a.attname, 1000000000 + a.attnum FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0
       ) u GROUP BY u.name) x),
  EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef ad
          JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid AND d.objid = ad.oid
          WHERE ad.adrelid = c.oid AND a.attgenerated OPERATOR(pg_catalog.<>) ''
          AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid OPERATOR(pg_catalog.>=) 16384)
  OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid AND d.objid = con.oid
          WHERE con.conrelid = c.oid AND con.contype = 'c'
          AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid OPERATOR(pg_catalog.>=) 16384)
  OR EXISTS (SELECT 1 FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.objid = i.indexrelid
          WHERE i.indrelid = c.oid
          AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid OPERATOR(pg_catalog.>=) 16384)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY ($1::pg_catalog.oid[]) AND c.relkind IN ('r', 'p')
ORDER BY c.oid)sql";
}

void file_relations(const libpq::Result &r, TablePlan &plan) {
	for (int i = 0; i < r.rows(); i++) {
		SourceTable &t = plan.tables[r.get(i, 0)];
		t.oid = r.get(i, 0);
		t.relkind = r.get(i, 1) == "p" ? 'p' : 'r';
		t.def.unlogged = r.get(i, 2) == "u";
		t.table_q = r.get(i, 3);
		t.def.comment = r.get_opt(i, 4);
		t.def.partition_key = r.get_opt(i, 5);
		if (auto ancestors = r.get_opt(i, 6))
			t.ancestors = json_name_pairs(*ancestors);
		t.def.schema = r.get(i, 7);
		t.def.name = r.get(i, 8);
		t.estimate.rows = estimate_count(r.get(i, 9));
		t.estimate.bytes = estimate_count(r.get(i, 10));
		t.def.tablespace = r.get_opt(i, 11);
		if (auto parents = r.get_opt(i, 12))
			t.parents = json_name_pairs(*parents);
		t.inherits_in_order = r.get_bool(i, 13);
		t.calls_routines = r.get_bool(i, 14);
		plan.oids_by_name[{t.def.schema, t.def.name}] = t.oid;
	}
}

} // namespace pgclone::catalog::kinds

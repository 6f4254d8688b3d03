// Object kind "index": the indexes of each table that no constraint of the
// table creates (pgclone creates those with the constraint). A partition's
// index attached to its parent's index is listed too, under its own name,
// before the partition's other indexes: see IndexDef::attached.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string indexes_sql(int) {
	// core_only (IndexDef): dependencies on pinned objects (core operator
	// classes, collations, access methods) are never recorded, so an index
	// whose only pg_depend rows name its own table uses nothing else. A
	// partition's attached index also depends on its parent's index
	// (deptype 'P'): that names no object of its own either.
	return R"sql(SELECT i.indrelid, ic.relname, pg_catalog.quote_ident(ic.relname), pg_catalog.pg_get_indexdef(i.indexrelid), )sql" +
	                             depended_columns_sql("'pg_catalog.pg_class'", "i.indexrelid") +
	                             R"sql(, (SELECT ts.spcname FROM pg_catalog.pg_tablespace ts WHERE ts.oid = ic.reltablespace),
  i.indexprs IS NULL AND i.indpred IS NULL AND ic.relam OPERATOR(pg_catalog.<) 16384
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.objid = i.indexrelid
    AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
      AND (d.refobjid = i.indrelid OR d.deptype = 'P'))),
  EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid) AS attached
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY ($1::pg_catalog.oid[])
AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
  WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
  AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, attached DESC, ic.relname)sql";
}

namespace {

std::map<std::string, std::vector<IndexDef>> index_rows(const libpq::Result &r) {
	std::map<std::string, std::vector<IndexDef>> out;
	for (int i = 0; i < r.rows(); i++)
		out[r.get(i, 0)].push_back(
		    {r.get(i, 1), r.get(i, 2), r.get(i, 3), json_string_array(r.get(i, 4)), r.get_opt(i, 5),
		     r.get(i, 6) == "t", r.get_bool(i, 7)});
	return out;
}

} // namespace

std::map<std::string, std::vector<IndexDef>> read_index_defs(libpq::Connection &src,
                                                             const std::vector<std::string> &oids) {
	if (oids.empty())
		return {};
	return index_rows(src.exec_params(indexes_sql(src.server_version()), {oid_array(oids)}));
}

void file_indexes(const libpq::Result &r, TablePlan &plan) {
	for (auto &[oid, indexes] : index_rows(r))
		plan.row_table(oid).indexes = std::move(indexes);
}

} // namespace pgclone::catalog::kinds

// Object kind "column": the columns of each table of a plan, in attnum order.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

namespace {

// The columns a generated column is computed from. PostgreSQL 15 and later record them as
// dependencies of the column's pg_attrdef row; PostgreSQL 14 records them as dependencies of the
// column itself (pg_class, objsubid = the column), and its pg_attrdef row depends only on its
// own column.
std::string generated_from_columns(int source_version) {
	if (source_version >= 150000)
		return depended_columns_sql("'pg_catalog.pg_attrdef'", "d.oid");
	return depended_columns_sql("'pg_catalog.pg_class'", "a.attrelid AND dep_.objsubid = a.attnum");
}

} // namespace

std::string depended_columns_sql(const char *klass, const char *obj) {
	// Aliases dep_/att_ so they cannot shadow the caller's.
	return std::string(R"sql((SELECT pg_catalog.to_json(pg_catalog.array_agg(att_.attname ORDER BY att_.attnum))
 FROM pg_catalog.pg_depend dep_ JOIN pg_catalog.pg_attribute att_
   ON att_.attrelid = dep_.refobjid AND att_.attnum = dep_.refobjsubid
 WHERE dep_.classid = )sql") +
	       klass + "::pg_catalog.regclass::pg_catalog.oid AND dep_.objid = " + obj +
	       "   AND dep_.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND dep_.refobjsubid > 0)::text";
}

std::string columns_sql(int source_version) {
	return R"sql(SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
  pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
  CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) 0 AND a.attcollation <> t.typcollation
    THEN CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) THEN '' ELSE pg_catalog.quote_ident(cn.nspname) || '.' END || pg_catalog.quote_ident(co.collname) END,
  pg_catalog.col_description(a.attrelid, a.attnum),
  COALESCE(bt.typcategory, t.typcategory),
  a.atttypid OPERATOR(pg_catalog.<) 16384 AND t.typsend OPERATOR(pg_catalog.<>) 0 AND t.typreceive OPERATOR(pg_catalog.<>) 0
    AND pg_catalog.format_type(COALESCE(NULLIF(t.typelem, 0::pg_catalog.oid), t.oid), NULL) NOT LIKE 'reg%',
  CASE WHEN a.attgenerated <> '' THEN )sql" +
	       generated_from_columns(source_version) +
	    R"sql( END, a.attislocal
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum)sql";
}

void file_columns(const libpq::Result &r, TablePlan &plan) {
	for (int i = 0; i < r.rows(); i++) {
		core::ColumnDef c;
		c.name = r.get(i, 1);
		c.type = r.get(i, 2);
		c.not_null = r.get_bool(i, 3);
		std::string identity = r.get(i, 5), generated = r.get(i, 6);
		c.identity = identity.empty() ? '\0' : identity[0];
		c.generated = generated.empty() ? '\0' : generated[0];
#if PG_VERSION_NUM < 180000
		// Virtual generated columns ('v') come from PostgreSQL 18+ sources; this server has only
		// stored ones, which compute the same values from the same expression.
		if (c.generated == 'v')
			c.generated = 's';
#endif
		if (c.generated != '\0')
			c.generated_expr = r.get(i, 4);
		else
			c.default_expr = r.get_opt(i, 4);
		c.collation = r.get_opt(i, 7);
		c.comment = r.get_opt(i, 8);
		c.type_category = r.get(i, 9).empty() ? 'U' : r.get(i, 9)[0];
		c.binary_copy_safe = r.get_bool(i, 10);
		if (c.generated != '\0')
			c.generated_from = json_string_array(r.get(i, 11));
		c.inherited_only = !r.get_bool(i, 12);
		plan.row_table(r.get(i, 0)).def.columns.push_back(std::move(c));
	}
}

} // namespace pgclone::catalog::kinds

// Source catalog reader for whole schemas. C++ regime; talks only to the
// source through libpq (its one server call: a partition bound is checked
// with the target's parser, pg/partition_bound.hpp).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/pg/partition_bound.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;
using core::qualified_name;
using core::quote_ident;

// "NOT an extension member" for an object of catalog `klass` with oid `obj`.
std::string not_extension_member(const char *klass, const char *obj) {
	return std::string("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = '") + klass +
	       "'::pg_catalog.regclass::pg_catalog.oid AND xd.objid = " + obj +
	       " AND xd.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid AND xd.deptype = 'e')";
}

Params schema_param(const std::vector<std::string> &schemas) {
	return Params{core::text_array_literal(schemas)};
}

// Columns of the type query (one row per type); the WHERE clause is added
// by the caller. Built-in types never match: only e/d/c/r types outside
// pg_catalog and information_schema, and only free-standing composites.
constexpr const char *type_select = R"SQL(
SELECT t.oid, n.nspname, t.typname, t.typtype,
  pg_catalog.obj_description(t.oid, 'pg_type'),
  (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
    WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid AND d.objid = t.oid
      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid AND d.deptype = 'e' LIMIT 1),
  CASE WHEN t.typtype = 'e' THEN
    (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(en.enumlabel), ', ' ORDER BY en.enumsortorder)
     FROM pg_catalog.pg_enum en WHERE en.enumtypid = t.oid) END,
  CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
  t.typnotnull,
  pg_catalog.pg_get_expr(t.typdefaultbin, 0),
  CASE WHEN t.typtype = 'd' AND t.typcollation OPERATOR(pg_catalog.<>) 0
        AND t.typcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)
    THEN (SELECT CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) THEN '' ELSE pg_catalog.quote_ident(cn.nspname) || '.' END || pg_catalog.quote_ident(co.collname)
          FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
          WHERE co.oid = t.typcollation) END,
  (SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(con.conname) || ' ' ||
          pg_catalog.pg_get_constraintdef(con.oid), '' ORDER BY con.conname)
   FROM pg_catalog.pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c'),
  CASE WHEN t.typtype = 'c' THEN
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' ||
            pg_catalog.format_type(a.atttypid, a.atttypmod) ||
            CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) 0 AND a.attcollation <> at.typcollation THEN
              ' COLLATE ' || CASE WHEN pg_catalog.pg_collation_is_visible(aco.oid) THEN '' ELSE pg_catalog.quote_ident(acn.nspname) || '.' END || pg_catalog.quote_ident(aco.collname)
            ELSE '' END, ', ' ORDER BY a.attnum)
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
     LEFT JOIN pg_catalog.pg_collation aco ON aco.oid = a.attcollation
     LEFT JOIN pg_catalog.pg_namespace acn ON acn.oid = aco.collnamespace
     WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
  CASE WHEN t.typtype = 'r' THEN
    (SELECT 'SUBTYPE = ' || pg_catalog.format_type(r.rngsubtype, NULL) ||
            ', SUBTYPE_OPCLASS = ' ||
            CASE WHEN pg_catalog.pg_opclass_is_visible(opc.oid) THEN '' ELSE pg_catalog.quote_ident(opn.nspname) || '.' END ||
            pg_catalog.quote_ident(opc.opcname) ||
            CASE WHEN r.rngcollation OPERATOR(pg_catalog.<>) 0 THEN ', COLLATION = ' ||
              (SELECT CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) THEN '' ELSE pg_catalog.quote_ident(cn.nspname) || '.' END ||
                      pg_catalog.quote_ident(co.collname)
               FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
               WHERE co.oid = r.rngcollation) ELSE '' END ||
            CASE WHEN r.rngcanonical OPERATOR(pg_catalog.<>) 0 THEN ', CANONICAL = ' || r.rngcanonical::pg_catalog.regproc::pg_catalog.text ELSE '' END ||
            CASE WHEN r.rngsubdiff OPERATOR(pg_catalog.<>) 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::pg_catalog.regproc::pg_catalog.text ELSE '' END
     FROM pg_catalog.pg_range r JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
     JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
     WHERE r.rngtypid = t.oid) END,
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(DISTINCT x.dep::pg_catalog.text)) FROM (
     SELECT CASE WHEN bt.typelem OPERATOR(pg_catalog.<>) 0 THEN bt.typelem ELSE bt.oid END AS dep
     FROM pg_catalog.pg_type bt
     WHERE bt.oid = t.typbasetype
        OR bt.oid = (SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
     UNION
     SELECT CASE WHEN at.typelem OPERATOR(pg_catalog.<>) 0 THEN at.typelem ELSE at.oid END
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
     WHERE t.typrelid OPERATOR(pg_catalog.<>) 0 AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) x)::pg_catalog.text,
  (SELECT mn.nspname FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
   JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace WHERE r.rngtypid = t.oid),
  (SELECT mt.typname FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
   WHERE r.rngtypid = t.oid)
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'c', 'r')
  AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
)SQL";

std::vector<TypeDef> types_from(const libpq::Result &r) {
	std::vector<TypeDef> out;
	for (int i = 0; i < r.rows(); i++) {
		TypeDef t;
		t.oid = r.get(i, 0);
		t.schema = r.get(i, 1);
		t.name = r.get(i, 2);
		t.kind = r.get(i, 3)[0];
		t.comment = r.get_opt(i, 4);
		t.extension = r.get(i, 5);
		std::string q = qualified_name(t.schema, t.name);
		switch (t.kind) {
		case 'e':
			t.create_sql = "CREATE TYPE " + q + " AS ENUM (" + r.get(i, 6) + ")";
			break;
		case 'd':
			t.create_sql = "CREATE DOMAIN " + q + " AS " + r.get(i, 7);
			if (!r.is_null(i, 10))
				t.create_sql += " COLLATE " + r.get(i, 10);
			if (!r.is_null(i, 9))
				t.create_sql += " DEFAULT " + r.get(i, 9);
			if (r.get_bool(i, 8))
				t.create_sql += " NOT NULL";
			t.create_sql += r.get(i, 11);
			break;
		case 'c':
			t.create_sql = "CREATE TYPE " + q + " AS (" + r.get(i, 12) + ")";
			break;
		case 'r':
			// The multirange named in full: printed bare, it would be created
			// in the first schema of the target's search_path (pg_catalog).
			t.multirange = {r.get(i, 15), r.get(i, 16)};
			t.create_sql = "CREATE TYPE " + q + " AS RANGE (" + r.get(i, 13) + ", MULTIRANGE_TYPE_NAME = " +
			               qualified_name(t.multirange.schema, t.multirange.name) + ")";
			break;
		}
		t.deps = json_string_array(r.get(i, 14));
		out.push_back(std::move(t));
	}
	return out;
}

} // namespace

SchemaDef read_schema(libpq::Connection &src, const std::string &name) {
	auto r = src.exec_params(R"sql(SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')
FROM pg_catalog.pg_namespace n WHERE n.nspname = $1)sql",
	                         Params{name});
	if (r.rows() == 0)
		throw core::Error("schema \"" + name + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	return SchemaDef{r.get(0, 0), r.get_opt(0, 1)};
}

std::vector<SchemaDef> read_user_schemas(libpq::Connection &src) {
	auto r = src.exec(R"sql(SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
AND n.nspname OPERATOR(pg_catalog.!~) '^pg_' AND )sql" +
	                  not_extension_member("pg_catalog.pg_namespace", "n.oid") + " ORDER BY n.nspname");
	std::vector<SchemaDef> out;
	for (int i = 0; i < r.rows(); i++)
		out.push_back(SchemaDef{r.get(i, 0), r.get_opt(i, 1)});
	return out;
}

std::vector<TypeDef> read_types(libpq::Connection &src, const std::vector<std::string> &schemas) {
	auto r = src.exec_params(std::string(type_select) +
	                             " AND n.nspname = ANY ($1::pg_catalog.text[]) ORDER BY n.nspname, t.typname",
	                         schema_param(schemas));
	return types_from(r);
}

std::vector<TypeDef> read_types_by_oid(libpq::Connection &src, const std::vector<std::string> &oids) {
	if (oids.empty())
		return {};
	auto r = src.exec_params(std::string(type_select) +
	                             " AND t.oid = ANY ($1::pg_catalog.oid[]) ORDER BY n.nspname, t.typname",
	                         Params{core::text_array_literal(oids)});
	return types_from(r);
}

std::vector<SequenceDef> read_sequences(libpq::Connection &src, const std::vector<std::string> &schemas) {
	auto r = src.exec_params(
	    R"sql(SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
  s.seqmin, s.seqmax, s.seqcache, s.seqcycle, de.description,
  tn.nspname, tc.relname
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_description de ON de.objoid = c.oid
  AND de.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND de.objsubid = 0
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
WHERE c.relkind = 'S' AND n.nspname = ANY ($1::pg_catalog.text[]) AND )sql" +
	        not_extension_member("pg_catalog.pg_class", "c.oid") + " ORDER BY n.nspname, c.relname",
	    schema_param(schemas));
	std::vector<SequenceDef> out;
	for (int i = 0; i < r.rows(); i++) {
		SequenceDef d;
		d.seq.schema = r.get(i, 0);
		d.seq.name = r.get(i, 1);
		read_sequence_options(r, i, 2, d.seq);
		d.comment = r.get_opt(i, 9);
		d.owner_schema = r.get(i, 10);
		d.owner_table = r.get(i, 11);
		out.push_back(std::move(d));
	}
	return out;
}

std::vector<TableRef> read_tables(libpq::Connection &src, const std::vector<std::string> &schemas,
                                  const std::vector<std::string> &include,
                                  const std::vector<std::string> &exclude) {
	Params params = schema_param(schemas);
	for (const auto &p : include)
		params.push_back(p);
	for (const auto &p : exclude)
		params.push_back(p);
	auto r = src.exec_params(
	    R"sql(SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, pn.nspname, pc.relname,
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
  CASE WHEN c.relispartition THEN
    (SELECT pg_catalog.count(*) FROM pg_catalog.pg_partition_ancestors(c.oid)) - 1 ELSE 0 END,
  CASE WHEN c.relispartition THEN
    (SELECT pg_catalog.to_json(pg_catalog.array_agg(pg_catalog.pg_get_triggerdef(t.oid) ORDER BY t.tgname))
     FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgparentid OPERATOR(pg_catalog.=) 0)
  END::pg_catalog.text,
  NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = c.oid)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::pg_catalog.text[]) AND )sql" +
	        not_extension_member("pg_catalog.pg_class", "c.oid") +
	        core::name_filter_sql("c.relname", include.size(), exclude.size(), 2) + " ORDER BY 9, 2, 3",
	    params);
	std::vector<TableRef> out;
	for (int i = 0; i < r.rows(); i++) {
		TableRef t;
		t.oid = r.get(i, 0);
		t.schema = r.get(i, 1);
		t.name = r.get(i, 2);
		t.relkind = r.get(i, 3)[0];
		t.is_partition = r.get_bool(i, 4);
		t.parent_schema = r.get(i, 5);
		t.parent_name = r.get(i, 6);
		t.partition_bound = r.get(i, 7);
		// Spliced into ALTER TABLE ... ATTACH PARTITION, which evaluates it.
		if (t.is_partition)
			pg::require_constant_partition_bound(t.partition_bound, core::display_name(t.schema, t.name));
		t.depth = static_cast<int>(r.get_int(i, 8));
		t.local_triggers = json_string_array(r.get(i, 9));
		t.inherits = r.get_bool(i, 10);
		out.push_back(std::move(t));
	}
	return out;
}

std::vector<std::string> read_foreign_tables(libpq::Connection &src,
                                             const std::vector<std::string> &schemas) {
	auto r = src.exec_params(R"sql(SELECT n.nspname::pg_catalog.text || '.' || c.relname::pg_catalog.text FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND n.nspname = ANY ($1::pg_catalog.text[]) AND )sql" +
	                             not_extension_member("pg_catalog.pg_class", "c.oid") + " ORDER BY 1",
	                         schema_param(schemas));
	std::vector<std::string> out;
	for (int i = 0; i < r.rows(); i++)
		out.push_back(r.get(i, 0));
	return out;
}

std::vector<ViewDef> read_views(libpq::Connection &src, const std::vector<std::string> &schemas) {
	auto r = src.exec_params(
	    R"sql(SELECT c.oid, n.nspname, c.relname, c.relkind,
  pg_catalog.array_to_string(c.reloptions, ', '), pg_catalog.pg_get_viewdef(c.oid), c.relispopulated,
  pg_catalog.obj_description(c.oid, 'pg_class'),
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(pg_catalog.json_build_array(a.attname,
     pg_catalog.col_description(c.oid, a.attnum)) ORDER BY a.attnum))
   FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
   AND pg_catalog.col_description(c.oid, a.attnum) IS NOT NULL)::pg_catalog.text,
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(DISTINCT d.refobjid::pg_catalog.text))
   FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d
     ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid AND d.objid = rw.oid
    AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid <> c.oid
   WHERE rw.ev_class = c.oid)::pg_catalog.text,
  (SELECT pg_catalog.to_json(pg_catalog.array_agg(pg_catalog.pg_get_indexdef(i.indexrelid)
     ORDER BY ic.relname))
   FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
   WHERE i.indrelid = c.oid)::pg_catalog.text,
  (SELECT ts.spcname FROM pg_catalog.pg_tablespace ts WHERE ts.oid = c.reltablespace)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY ($1::pg_catalog.text[]) AND )sql" +
	        not_extension_member("pg_catalog.pg_class", "c.oid") + " ORDER BY n.nspname, c.relname",
	    schema_param(schemas));
	std::vector<ViewDef> out;
	for (int i = 0; i < r.rows(); i++) {
		ViewDef v;
		v.oid = r.get(i, 0);
		v.schema = r.get(i, 1);
		v.name = r.get(i, 2);
		v.relkind = r.get(i, 3)[0];
		v.reloptions = r.get(i, 4);
		v.query = r.get(i, 5);
		while (!v.query.empty() && (v.query.back() == ';' || v.query.back() == ' ' || v.query.back() == '\n'))
			v.query.pop_back();
		v.populated = r.get_bool(i, 6);
		v.comment = r.get_opt(i, 7);
		std::string cc = r.get(i, 8);
		if (!cc.empty())
			for (const auto &pair : nlohmann::json::parse(cc))
				v.column_comments.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
		v.deps = json_string_array(r.get(i, 9));
		v.indexes = json_string_array(r.get(i, 10));
		v.tablespace = r.get_opt(i, 11);
		out.push_back(std::move(v));
	}
	return out;
}

namespace {

// Columns of the function query (one row per routine); the WHERE clause is
// completed by the caller (with not_extension_member). Range and multirange
// constructors come with their type.
constexpr const char *function_select = R"SQL(
SELECT p.oid, n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind,
  l.lanname, CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END,
  pg_catalog.obj_description(p.oid, 'pg_proc'),
  EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid = p.oid
    AND d.classid IN ('pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid,
      'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid,
      'pg_catalog.pg_operator'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_amproc'::pg_catalog.regclass::pg_catalog.oid,
      'pg_catalog.pg_cast'::pg_catalog.regclass::pg_catalog.oid)),
  pg_catalog.pg_get_userbyid(p.proowner)
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND d.objid = p.oid AND d.deptype = 'i')
)SQL";

std::vector<FunctionDef> functions_from(const libpq::Result &r) {
	std::vector<FunctionDef> out;
	for (int i = 0; i < r.rows(); i++) {
		FunctionDef f;
		f.oid = r.get(i, 0);
		f.schema = r.get(i, 1);
		f.name = r.get(i, 2);
		f.identity_args = r.get(i, 3);
		f.kind = r.get(i, 4)[0];
		f.language = r.get(i, 5);
		f.create_sql = r.get(i, 6);
		f.comment = r.get_opt(i, 7);
		f.needed_by_tables = r.get_bool(i, 8);
		f.owner = r.get(i, 9);
		out.push_back(std::move(f));
	}
	return out;
}

} // namespace

std::vector<FunctionDef> read_functions(libpq::Connection &src, const std::vector<std::string> &schemas) {
	return functions_from(src.exec_params(std::string(function_select) + " AND " +
	                                          not_extension_member("pg_catalog.pg_proc", "p.oid") +
	                                          " AND n.nspname = ANY ($1::pg_catalog.text[]) ORDER BY n.nspname, p.proname, p.oid",
	                                      schema_param(schemas)));
}

std::vector<FunctionDef> read_functions_for_tables(libpq::Connection &src, const std::vector<std::string> &table_oids) {
	// The routines the tables' triggers, defaults, generated columns, checks,
	// indexes and policies call directly (pg_depend), outside pg_catalog.
	return functions_from(src.exec_params(
	    std::string(function_select) + " AND " + not_extension_member("pg_catalog.pg_proc", "p.oid") +
	        R"sql( AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.oid IN (
 SELECT d.refobjid FROM pg_catalog.pg_depend d
 WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND (
  (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND (d.objid = ANY ($1::pg_catalog.oid[])
    OR d.objid IN (SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid = ANY ($1::pg_catalog.oid[]))))
  OR (d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid AND d.objid IN
    (SELECT ad.oid FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = ANY ($1::pg_catalog.oid[])))
  OR (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid AND d.objid IN
    (SELECT co.oid FROM pg_catalog.pg_constraint co WHERE co.conrelid = ANY ($1::pg_catalog.oid[])))
  OR (d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass::pg_catalog.oid AND d.objid IN
    (SELECT tg.oid FROM pg_catalog.pg_trigger tg WHERE tg.tgrelid = ANY ($1::pg_catalog.oid[])
     AND NOT tg.tgisinternal))
  OR (d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass::pg_catalog.oid AND d.objid IN
    (SELECT po.oid FROM pg_catalog.pg_policy po WHERE po.polrelid = ANY ($1::pg_catalog.oid[])))))
 ORDER BY n.nspname, p.proname, p.oid)sql",
	    Params{core::text_array_literal(table_oids)}));
}

std::vector<StatementDef> read_view_triggers(libpq::Connection &src,
                                             const std::vector<std::string> &schemas) {
	auto r =
	    src.exec_params(R"sql(SELECT t.tgname, n.nspname::pg_catalog.text || '.' || c.relname::pg_catalog.text, pg_catalog.pg_get_triggerdef(t.oid)
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND NOT t.tgisinternal
AND n.nspname = ANY ($1::pg_catalog.text[]) ORDER BY 2, 1)sql",
	                    schema_param(schemas));
	std::vector<StatementDef> out;
	for (int i = 0; i < r.rows(); i++)
		out.push_back({"trigger \"" + r.get(i, 0) + "\" on " + r.get(i, 1), r.get(i, 2)});
	return out;
}

std::vector<ExtensionDef> read_extensions(libpq::Connection &src) {
	auto r = src.exec(R"sql(SELECT e.extname, n.nspname, e.extversion FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY e.extname)sql");
	std::vector<ExtensionDef> out;
	for (int i = 0; i < r.rows(); i++)
		out.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2)});
	return out;
}

} // namespace pgclone::catalog

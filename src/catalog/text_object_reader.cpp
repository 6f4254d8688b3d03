// Source catalog reader for collations and text search objects
// (include/pgclone/catalog/text_object_reader.hpp).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/text_object_reader.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

// $1 the plan's schemas, $2 its tables. `needed` walks pg_depend from the
// tables, their indexes, defaults and constraints to everything they are
// built from (types, a composite type's attributes, collations, text search
// configurations, dictionaries, parsers, templates). Each kind then lists
// what is needed or lives in a schema of the plan; the built-in objects are
// left out in each kind's own scan (user_nsp), before their columns are
// computed: a built-in configuration's token mappings, a parser's function
// names (12 of the query's 14 ms on a source without any of its own). The collation's locale
// columns differ by version: @LOCALE@ and @RULES@ are filled in below.
constexpr const char *text_objects_sql = R"SQL(
WITH RECURSIVE needed(classid, objid) AS (
  SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, t.oid
  FROM pg_catalog.unnest($2::pg_catalog.oid[]) AS t(oid)
  UNION
  SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
  WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid = ANY ($2::pg_catalog.oid[])
    AND d.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid,
                      'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid)
  UNION
  SELECT x.classid, x.objid FROM needed w CROSS JOIN LATERAL (
    SELECT d.refclassid, d.refobjid FROM pg_catalog.pg_depend d
    WHERE d.classid = w.classid AND d.objid = w.objid AND d.refobjid OPERATOR(pg_catalog.>=) 16384
      AND d.refclassid IN ('pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid,
                           'pg_catalog.pg_collation'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_ts_config'::pg_catalog.regclass::pg_catalog.oid,
                           'pg_catalog.pg_ts_dict'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_ts_parser'::pg_catalog.regclass::pg_catalog.oid,
                           'pg_catalog.pg_ts_template'::pg_catalog.regclass::pg_catalog.oid)
    UNION ALL
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, ty.typrelid FROM pg_catalog.pg_type ty
    WHERE w.classid = 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid AND ty.oid = w.objid AND ty.typrelid OPERATOR(pg_catalog.<>) 0
  ) x(classid, objid)
),
fn(oid, ref) AS (
  SELECT p.oid, pg_catalog.json_build_array(n.nspname, p.proname)
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
),
user_nsp(oid) AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
),
objects(kind, oid, klass, nsp, name, functions, base_nsp, base_name, options, mappings,
        provider, lc_collate, lc_ctype, lc_locale, icu_rules, deterministic) AS (
  SELECT 0, p.oid, 'pg_catalog.pg_ts_parser'::pg_catalog.regclass::pg_catalog.oid, p.prsnamespace, p.prsname::pg_catalog.text,
    pg_catalog.json_build_array((SELECT ref FROM fn WHERE fn.oid = p.prsstart::pg_catalog.oid), (SELECT ref FROM fn WHERE fn.oid = p.prstoken::pg_catalog.oid),
      (SELECT ref FROM fn WHERE fn.oid = p.prsend::pg_catalog.oid), (SELECT ref FROM fn WHERE fn.oid = p.prslextype::pg_catalog.oid),
      (SELECT ref FROM fn WHERE fn.oid = p.prsheadline::pg_catalog.oid)),
    NULL, NULL, NULL, NULL::pg_catalog.json, NULL::"char", NULL, NULL, NULL, NULL, true
  FROM pg_catalog.pg_ts_parser p
  WHERE p.prsnamespace IN (SELECT u.oid FROM user_nsp u)
  UNION ALL
  SELECT 1, t.oid, 'pg_catalog.pg_ts_template'::pg_catalog.regclass::pg_catalog.oid, t.tmplnamespace, t.tmplname::pg_catalog.text,
    pg_catalog.json_build_array((SELECT ref FROM fn WHERE fn.oid = t.tmplinit::pg_catalog.oid), (SELECT ref FROM fn WHERE fn.oid = t.tmpllexize::pg_catalog.oid)),
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true
  FROM pg_catalog.pg_ts_template t
  WHERE t.tmplnamespace IN (SELECT u.oid FROM user_nsp u)
  UNION ALL
  SELECT 2, d.oid, 'pg_catalog.pg_ts_dict'::pg_catalog.regclass::pg_catalog.oid, d.dictnamespace, d.dictname::pg_catalog.text, NULL,
    tn.nspname::pg_catalog.text, t.tmplname::pg_catalog.text, d.dictinitoption, NULL, NULL, NULL, NULL, NULL, NULL, true
  FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
  WHERE d.dictnamespace IN (SELECT u.oid FROM user_nsp u)
  UNION ALL
  SELECT 3, c.oid, 'pg_catalog.pg_ts_config'::pg_catalog.regclass::pg_catalog.oid, c.cfgnamespace, c.cfgname::pg_catalog.text, NULL,
    pn.nspname::pg_catalog.text, p.prsname::pg_catalog.text, NULL,
    (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(tt.alias,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(dn.nspname, dd.dictname) ORDER BY m.mapseqno)
        FROM pg_catalog.pg_ts_config_map m JOIN pg_catalog.pg_ts_dict dd ON dd.oid = m.mapdict
        JOIN pg_catalog.pg_namespace dn ON dn.oid = dd.dictnamespace
        WHERE m.mapcfg = c.oid AND m.maptokentype = tt.tokid)) ORDER BY tt.tokid)
     FROM pg_catalog.ts_token_type(c.cfgparser) tt
     WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_ts_config_map m WHERE m.mapcfg = c.oid AND m.maptokentype = tt.tokid)),
    NULL, NULL, NULL, NULL, NULL, true
  FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
  WHERE c.cfgnamespace IN (SELECT u.oid FROM user_nsp u)
  UNION ALL
  SELECT 4, co.oid, 'pg_catalog.pg_collation'::pg_catalog.regclass::pg_catalog.oid, co.collnamespace, co.collname::pg_catalog.text, NULL,
    NULL, NULL, NULL, NULL, co.collprovider, co.collcollate::pg_catalog.text, co.collctype::pg_catalog.text,
    @LOCALE@, @RULES@, co.collisdeterministic
  FROM pg_catalog.pg_collation co
  WHERE co.collnamespace IN (SELECT u.oid FROM user_nsp u)
    AND co.collencoding IN (-1, (SELECT db.encoding FROM pg_catalog.pg_database db
                                 WHERE db.datname = pg_catalog.current_database()))
)
SELECT o.kind, o.oid, n.nspname, o.name, pg_catalog.obj_description(o.oid, o.klass::pg_catalog.regclass::pg_catalog.text),
  o.functions::pg_catalog.text, o.base_nsp, o.base_name, o.options, o.mappings::pg_catalog.text,
  o.provider, o.lc_collate, o.lc_ctype, o.lc_locale, o.icu_rules, o.deterministic
FROM objects o JOIN pg_catalog.pg_namespace n ON n.oid = o.nsp
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (n.nspname = ANY ($1::pg_catalog.text[])
       OR EXISTS (SELECT 1 FROM needed w WHERE w.classid = o.klass AND w.objid = o.oid))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = o.klass AND xd.objid = o.oid
                  AND xd.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid AND xd.deptype = 'e')
ORDER BY o.kind, n.nspname, o.name
)SQL";

std::string collation_columns_sql(int source_version) {
	std::string sql = text_objects_sql;
	const char *locale = source_version >= 170000   ? "co.colllocale"
	                     : source_version >= 150000 ? "co.colliculocale"
	                                                : "NULL::pg_catalog.text";
	const char *rules = source_version >= 160000 ? "co.collicurules" : "NULL::pg_catalog.text";
	sql.replace(sql.find("@LOCALE@"), 8, locale);
	sql.replace(sql.find("@RULES@"), 7, rules);
	return sql;
}

// A malformed reply (not the JSON the query builds) ends the clone with an
// ERROR naming the object.
[[noreturn]] void malformed(const std::string &what) {
	throw core::Error("the source server's description of " + what + " is malformed",
	                  core::sqlstate::protocol_violation);
}

core::ObjectName name_pair(const nlohmann::json &j, const std::string &what) {
	if (!j.is_array() || j.size() != 2 || !j[0].is_string() || !j[1].is_string())
		malformed(what);
	return {j[0].get<std::string>(), j[1].get<std::string>()};
}

nlohmann::json parse(const std::string &text, const std::string &what) {
	auto j = nlohmann::json::parse(text, nullptr, false);
	if (j.is_discarded() || !j.is_array())
		malformed(what);
	return j;
}

} // namespace

std::vector<core::TextObjectDef> read_text_objects(libpq::Connection &src, const std::vector<std::string> &schemas,
                                                   const std::vector<std::string> &table_oids) {
	auto r = src.exec_params(collation_columns_sql(src.server_version()),
	                         Params{core::text_array_literal(schemas), core::text_array_literal(table_oids)});
	std::vector<core::TextObjectDef> out;
	for (int i = 0; i < r.rows(); i++) {
		core::TextObjectDef d;
		int kind = static_cast<int>(r.get_int(i, 0));
		if (kind < 0 || kind > 4)
			malformed("a collation or text search object");
		d.kind = static_cast<core::TextObjectKind>(kind);
		d.oid = r.get(i, 1);
		d.schema = r.get(i, 2);
		d.name = r.get(i, 3);
		d.comment = r.get_opt(i, 4);
		const std::string what = core::text_object_kind_word(d.kind) + " \"" + d.schema + "\".\"" + d.name + "\"";
		if (auto f = r.get_opt(i, 5))
			for (const auto &e : parse(*f, what))
				d.functions.push_back(e.is_null() ? std::nullopt : std::optional(name_pair(e, what)));
		d.base = {r.get(i, 6), r.get(i, 7)};
		d.options = r.get(i, 8);
		if (auto m = r.get_opt(i, 9))
			for (const auto &e : parse(*m, what)) {
				if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_array())
					malformed(what);
				std::vector<core::ObjectName> dicts;
				for (const auto &dict : e[1])
					dicts.push_back(name_pair(dict, what));
				d.mappings.emplace_back(e[0].get<std::string>(), std::move(dicts));
			}
		d.provider = r.get(i, 10).empty() ? 'c' : r.get(i, 10)[0];
		d.collate = r.get_opt(i, 11);
		d.ctype = r.get_opt(i, 12);
		d.locale = r.get_opt(i, 13);
		d.icu_rules = r.get_opt(i, 14);
		d.deterministic = r.get_bool(i, 15);
		out.push_back(std::move(d));
	}
	return out;
}

} // namespace pgclone::catalog

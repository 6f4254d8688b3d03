// Source catalog reader for table settings and policies
// (include/pgclone/catalog/table_settings_reader.hpp).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_settings_reader.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

// One row per table of $1. Lists come as JSON. A column's statistics target
// is "not the default" when it is set (-1 or NULL mean the default, by
// version); its storage when it differs from its type's. Its options leave
// out "pg_attver", the attoptions key that servers with attribute versions
// reserve for themselves (ATTRIBUTE_VERSION_ATTOPTION in catalog/pg_attribute.h):
// each server sets its own on every column it creates, and pg_dump leaves it
// out as well. Copied, it cost an ALTER TABLE per column of every table.
constexpr const char *settings_sql = R"SQL(
SELECT c.oid,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(o.option_name, o.option_value))
   FROM pg_catalog.pg_options_to_table(c.reloptions) o)::pg_catalog.text,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(o.option_name, o.option_value))
   FROM pg_catalog.pg_class tc, pg_catalog.pg_options_to_table(tc.reloptions) o
   WHERE tc.oid = c.reltoastrelid)::pg_catalog.text,
  c.relreplident,
  (SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
   WHERE i.indrelid = c.oid AND i.indisreplident),
  (SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
   WHERE i.indrelid = c.oid AND i.indisclustered),
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attname,
      CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::pg_catalog.text END,
      CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END,
      (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(o.option_name, o.option_value))
       FROM pg_catalog.pg_options_to_table(a.attoptions) o WHERE o.option_name <> 'pg_attver')) ORDER BY a.attnum)
   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     AND (a.attstorage <> t.typstorage OR a.attstattarget >= 0
          OR EXISTS (SELECT 1 FROM pg_catalog.pg_options_to_table(a.attoptions) o
                     WHERE o.option_name <> 'pg_attver')))::pg_catalog.text,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(tg.tgname, tg.tgenabled) ORDER BY tg.tgname)
   FROM pg_catalog.pg_trigger tg
   WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal AND tg.tgenabled <> 'O')::pg_catalog.text,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(x.kind, x.name, x.description) ORDER BY x.kind, x.name)
   FROM (SELECT 'INDEX' AS kind, ic.relname::pg_catalog.text AS name, d.description
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_catalog.pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
           AND d.objsubid = 0
         WHERE i.indrelid = c.oid
         UNION ALL
         SELECT 'CONSTRAINT', co.conname::pg_catalog.text, d.description
         FROM pg_catalog.pg_constraint co
         JOIN pg_catalog.pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid
         WHERE co.conrelid = c.oid
         UNION ALL
         SELECT 'TRIGGER', tg.tgname::pg_catalog.text, d.description
         FROM pg_catalog.pg_trigger tg
         JOIN pg_catalog.pg_description d ON d.objoid = tg.oid AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass::pg_catalog.oid
         WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal
         UNION ALL
         SELECT 'RULE', ru.rulename::pg_catalog.text, d.description
         FROM pg_catalog.pg_rewrite ru
         JOIN pg_catalog.pg_description d ON d.objoid = ru.oid AND d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid
         WHERE ru.ev_class = c.oid AND ru.rulename <> '_RETURN'
         UNION ALL
         SELECT 'POLICY', po.polname::pg_catalog.text, d.description
         FROM pg_catalog.pg_policy po
         JOIN pg_catalog.pg_description d ON d.objoid = po.oid AND d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass::pg_catalog.oid
         WHERE po.polrelid = c.oid) x)::pg_catalog.text,
  c.relrowsecurity, c.relforcerowsecurity,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(pn.nspname, pc.relname, pg_catalog.pg_get_userbyid(pc.relowner))
                              ORDER BY h.inhseqno)
   FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent
   JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
   WHERE h.inhrelid = c.oid AND NOT c.relispartition)::pg_catalog.text,
  (SELECT pg_catalog.json_agg(pg_catalog.pg_get_ruledef(ru.oid) ORDER BY ru.rulename)
   FROM pg_catalog.pg_rewrite ru WHERE ru.ev_class = c.oid AND ru.rulename <> '_RETURN')::pg_catalog.text,
  (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(sn.nspname, se.stxname,
            pg_catalog.pg_get_statisticsobjdef(se.oid), pg_catalog.obj_description(se.oid, 'pg_statistic_ext'))
          ORDER BY se.stxname)
   FROM pg_catalog.pg_statistic_ext se JOIN pg_catalog.pg_namespace sn ON sn.oid = se.stxnamespace
   WHERE se.stxrelid = c.oid)::pg_catalog.text
FROM pg_catalog.pg_class c
WHERE c.oid = ANY ($1::pg_catalog.oid[])
)SQL";

// Every policy of the tables of $1, roles by name ("" for PUBLIC).
constexpr const char *policies_sql = R"SQL(
SELECT p.polrelid, p.polname, p.polpermissive, p.polcmd,
  (SELECT pg_catalog.json_agg(CASE WHEN r.oid OPERATOR(pg_catalog.=) 0 THEN '' ELSE pg_catalog.pg_get_userbyid(r.oid)::pg_catalog.text END
                              ORDER BY CASE WHEN r.oid OPERATOR(pg_catalog.=) 0 THEN '' ELSE pg_catalog.pg_get_userbyid(r.oid)::pg_catalog.text END)
   FROM pg_catalog.unnest(p.polroles) AS r(oid))::pg_catalog.text,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_catalog.pg_policy p
WHERE p.polrelid = ANY ($1::pg_catalog.oid[])
ORDER BY p.polrelid, p.polname
)SQL";

[[noreturn]] void malformed(const std::string &oid) {
	throw core::Error("the source server's description of the table with oid " + oid + " is malformed",
	                  core::sqlstate::protocol_violation);
}

nlohmann::json parse(const std::optional<std::string> &text, const std::string &oid) {
	if (!text)
		return nlohmann::json::array();
	auto j = nlohmann::json::parse(*text, nullptr, false);
	if (j.is_discarded() || !j.is_array())
		malformed(oid);
	return j;
}

std::string str(const nlohmann::json &j, const std::string &oid) {
	if (!j.is_string())
		malformed(oid);
	return j.get<std::string>();
}

std::vector<core::Option> options(const nlohmann::json &list, const std::string &oid) {
	std::vector<core::Option> out;
	if (list.is_null())
		return out;
	if (!list.is_array())
		malformed(oid);
	for (const auto &o : list) {
		if (!o.is_array() || o.size() != 2)
			malformed(oid);
		out.push_back({str(o[0], oid), str(o[1], oid)});
	}
	return out;
}

char one_char(const std::string &s) {
	return s.empty() ? '\0' : s[0];
}

} // namespace

const std::vector<std::string> &table_settings_queries() {
	static const std::vector<std::string> queries{settings_sql, policies_sql};
	return queries;
}

std::map<std::string, core::TableSettings> table_settings_from(const libpq::Result &r, const libpq::Result &pr) {
	std::map<std::string, core::TableSettings> out;
	for (int i = 0; i < r.rows(); i++) {
		core::TableSettings s;
		s.oid = r.get(i, 0);
		s.reloptions = options(parse(r.get_opt(i, 1), s.oid), s.oid);
		s.toast_reloptions = options(parse(r.get_opt(i, 2), s.oid), s.oid);
		s.replica_identity = one_char(r.get(i, 3));
		s.replica_index = r.get(i, 4);
		s.cluster_index = r.get(i, 5);
		for (const auto &c : parse(r.get_opt(i, 6), s.oid)) {
			if (!c.is_array() || c.size() != 4)
				malformed(s.oid);
			core::ColumnSettings cs;
			cs.name = str(c[0], s.oid);
			if (c[1].is_string())
				cs.storage = one_char(c[1].get<std::string>());
			if (c[2].is_number_integer())
				cs.statistics = c[2].get<int>();
			cs.options = options(c[3], s.oid);
			s.columns.push_back(std::move(cs));
		}
		for (const auto &t : parse(r.get_opt(i, 7), s.oid)) {
			if (!t.is_array() || t.size() != 2)
				malformed(s.oid);
			s.trigger_states.emplace_back(str(t[0], s.oid), one_char(str(t[1], s.oid)));
		}
		for (const auto &c : parse(r.get_opt(i, 8), s.oid)) {
			if (!c.is_array() || c.size() != 3)
				malformed(s.oid);
			s.comments.push_back({str(c[0], s.oid), str(c[1], s.oid), str(c[2], s.oid)});
		}
		s.row_security = r.get_bool(i, 9);
		s.force_row_security = r.get_bool(i, 10);
		for (const auto &p : parse(r.get_opt(i, 11), s.oid)) {
			if (!p.is_array() || p.size() != 3)
				malformed(s.oid);
			s.parents.push_back({str(p[0], s.oid), str(p[1], s.oid), str(p[2], s.oid)});
		}
		for (const auto &rule : parse(r.get_opt(i, 12), s.oid)) {
			std::string def = str(rule, s.oid);
			if (!def.empty() && def.back() == ';') // pg_get_ruledef ends its statement
				def.pop_back();
			s.rules.push_back(std::move(def));
		}
		for (const auto &st : parse(r.get_opt(i, 13), s.oid)) {
			if (!st.is_array() || st.size() != 4)
				malformed(s.oid);
			core::TableSettings::Statistics x{str(st[0], s.oid), str(st[1], s.oid), str(st[2], s.oid), std::nullopt};
			if (st[3].is_string())
				x.comment = st[3].get<std::string>();
			s.statistics.push_back(std::move(x));
		}
		out[s.oid] = std::move(s);
	}
	for (int i = 0; i < pr.rows(); i++) {
		const std::string oid = pr.get(i, 0);
		core::PolicyDef p;
		p.name = pr.get(i, 1);
		p.permissive = pr.get_bool(i, 2);
		p.command = one_char(pr.get(i, 3));
		for (const auto &role : parse(pr.get_opt(i, 4), oid))
			p.roles.push_back(str(role, oid));
		p.using_expr = pr.get_opt(i, 5);
		p.check_expr = pr.get_opt(i, 6);
		out[oid].policies.push_back(std::move(p));
	}
	return out;
}

std::map<std::string, core::TableSettings> read_table_settings(libpq::Connection &src,
                                                               const std::vector<std::string> &table_oids) {
	if (table_oids.empty())
		return {};
	const Params params{core::text_array_literal(table_oids)};
	auto r = src.exec_params(settings_sql, params);
	auto pr = src.exec_params(policies_sql, params);
	return table_settings_from(r, pr);
}

} // namespace pgclone::catalog

// The drift report of pgclone.diff().
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/schema_diff.hpp"
#include "pgclone/core/view_definition.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using json = nlohmann::ordered_json;

struct Counts {
	size_t only_in_source = 0, only_in_target = 0, modified = 0;
};

// Which side's definitions, if any, were printed by a server before PostgreSQL 16 while the
// other side's were printed by 16+ (see view_definition.hpp).
enum class Pre16 { Neither, Source, Target };

Pre16 pre16_side(const SchemaFacts &source, const SchemaFacts &target) {
	if (source.server_version <= 0 || target.server_version <= 0)
		return Pre16::Neither;
	bool s_old = source.server_version < 160000, t_old = target.server_version < 160000;
	if (s_old == t_old)
		return Pre16::Neither;
	return s_old ? Pre16::Source : Pre16::Target;
}

bool same_definition(const std::string &source, const std::string &target, Pre16 pre16) {
	switch (pre16) {
	case Pre16::Source:
		return same_view_across_16(source, target);
	case Pre16::Target:
		return same_view_across_16(target, source);
	case Pre16::Neither:
		break;
	}
	return normalize_definition(source) == normalize_definition(target);
}

json column_json(const ColumnFacts &c) {
	json j;
	j["name"] = c.name;
	j["type"] = c.type;
	j["nullable"] = !c.not_null;
	j["default"] = c.default_expr ? json(*c.default_expr) : json(nullptr);
	return j;
}

json column_definition(const ColumnFacts &c) {
	json j = column_json(c);
	j.erase("name");
	return j;
}

// Columns of a table present on both sides: null when they agree.
json compare_columns(const TableFacts &s, const TableFacts &t) {
	std::map<std::string, const ColumnFacts *> tcols;
	for (const auto &c : t.columns)
		tcols[c.name] = &c;
	std::map<std::string, const ColumnFacts *> scols;
	for (const auto &c : s.columns)
		scols[c.name] = &c;
	json only_src = json::array(), only_tgt = json::array(), modified = json::array();
	for (const auto &c : s.columns) {
		auto it = tcols.find(c.name);
		if (it == tcols.end()) {
			only_src.push_back(column_json(c));
			continue;
		}
		const ColumnFacts &o = *it->second;
		json changes = json::array();
		if (c.type != o.type)
			changes.push_back("type");
		if (c.not_null != o.not_null)
			changes.push_back("nullable");
		if (c.default_expr != o.default_expr)
			changes.push_back("default");
		if (changes.empty())
			continue;
		json m;
		m["name"] = c.name;
		m["changes"] = changes;
		m["source"] = column_definition(c);
		m["target"] = column_definition(o);
		modified.push_back(m);
	}
	for (const auto &c : t.columns)
		if (!scols.count(c.name))
			only_tgt.push_back(column_json(c));
	if (only_src.empty() && only_tgt.empty() && modified.empty())
		return nullptr;
	json j;
	j["only_in_source"] = only_src;
	j["only_in_target"] = only_tgt;
	j["modified"] = modified;
	return j;
}

json diff_tables(const std::vector<TableFacts> &src, const std::vector<TableFacts> &tgt, Counts &n) {
	std::map<std::string, const TableFacts *> s, t;
	for (const auto &x : src)
		s[x.name] = &x;
	for (const auto &x : tgt)
		t[x.name] = &x;
	json only_src = json::array(), only_tgt = json::array(), modified = json::array();
	for (const auto &[name, st] : s) {
		auto it = t.find(name);
		if (it == t.end()) {
			only_src.push_back(json{{"name", name}, {"kind", st->kind}, {"columns", st->columns.size()}});
			continue;
		}
		const TableFacts &tt = *it->second;
		json cols = compare_columns(*st, tt);
		if (cols.is_null() && st->kind == tt.kind)
			continue;
		json m;
		m["name"] = name;
		if (st->kind != tt.kind)
			m["kind"] = json{{"source", st->kind}, {"target", tt.kind}};
		if (!cols.is_null())
			m["columns"] = cols;
		modified.push_back(m);
	}
	for (const auto &[name, tt] : t)
		if (!s.count(name))
			only_tgt.push_back(json{{"name", name}, {"kind", tt->kind}, {"columns", tt->columns.size()}});
	n.only_in_source += only_src.size();
	n.only_in_target += only_tgt.size();
	n.modified += modified.size();
	return json{{"only_in_source", only_src}, {"only_in_target", only_tgt}, {"modified", modified}};
}

// Table-scoped objects (constraints, triggers) are keyed by table and name;
// indexes, views and sequences share the schema's namespace, so the name
// alone identifies them, and the table is reported for information.
json diff_objects(const std::vector<ObjectFacts> &src, const std::vector<ObjectFacts> &tgt,
                  bool keyed_by_table, bool show_table, Counts &n, Pre16 pre16 = Pre16::Neither) {
	using Key = std::pair<std::string, std::string>;
	auto key = [&](const ObjectFacts &o) { return Key{keyed_by_table ? o.table : std::string(), o.name}; };
	std::map<Key, const ObjectFacts *> s, t;
	for (const auto &x : src)
		s[key(x)] = &x;
	for (const auto &x : tgt)
		t[key(x)] = &x;
	auto entry = [&](const ObjectFacts &o) {
		json j;
		j["name"] = o.name;
		if (show_table)
			j["table"] = o.table;
		return j;
	};
	json only_src = json::array(), only_tgt = json::array(), modified = json::array();
	for (const auto &[k, so] : s) {
		auto it = t.find(k);
		if (it == t.end()) {
			json j = entry(*so);
			j["definition"] = so->definition;
			only_src.push_back(j);
			continue;
		}
		const ObjectFacts &to = *it->second;
		if (same_definition(so->definition, to.definition, pre16) && so->table == to.table)
			continue;
		json j = entry(*so);
		if (show_table && so->table != to.table)
			j["table"] = json{{"source", so->table}, {"target", to.table}};
		j["source"] = so->definition;
		j["target"] = to.definition;
		modified.push_back(j);
	}
	for (const auto &[k, to] : t)
		if (!s.count(k)) {
			json j = entry(*to);
			j["definition"] = to->definition;
			only_tgt.push_back(j);
		}
	n.only_in_source += only_src.size();
	n.only_in_target += only_tgt.size();
	n.modified += modified.size();
	return json{{"only_in_source", only_src}, {"only_in_target", only_tgt}, {"modified", modified}};
}

// One kind's section as the original pgclone shaped it — "only_in_source",
// "only_in_target" and "modified" as arrays of object names, so that
// (doc #> '{tables,only_in_target}') ? 'name' works — with the full entries
// (definitions, columns, both sides' texts) under "detail".
json with_name_lists(const json &section) {
	json out;
	for (const char *k : {"only_in_source", "only_in_target", "modified"}) {
		json names = json::array();
		for (const auto &entry : section.at(k))
			names.push_back(entry.at("name"));
		out[k] = names;
	}
	out["detail"] = section;
	return out;
}

bool is_space(char c) {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

std::string normalize_definition(std::string_view text) {
	std::string out;
	out.reserve(text.size());
	bool pending_space = false;
	for (char c : text) {
		if (is_space(c)) {
			pending_space = !out.empty();
			continue;
		}
		if (pending_space)
			out += ' ';
		pending_space = false;
		out += c;
	}
	return out;
}

nlohmann::ordered_json diff_schemas(const std::string &schema, const SchemaFacts &source,
                                    const SchemaFacts &target) {
	Counts n;
	json kinds;
	kinds["tables"] = diff_tables(source.tables, target.tables, n);
	kinds["indexes"] = diff_objects(source.indexes, target.indexes, false, true, n);
	kinds["constraints"] = diff_objects(source.constraints, target.constraints, true, true, n);
	kinds["triggers"] = diff_objects(source.triggers, target.triggers, true, true, n);
	const Pre16 pre16 = pre16_side(source, target);
	kinds["views"] = diff_objects(source.views, target.views, false, false, n, pre16);
	kinds["materialized_views"] =
	    diff_objects(source.materialized_views, target.materialized_views, false, false, n, pre16);
	kinds["sequences"] = diff_objects(source.sequences, target.sequences, false, false, n);

	bool in_sync =
	    n.only_in_source == 0 && n.only_in_target == 0 && n.modified == 0 && source.exists == target.exists;
	json out;
	out["schema"] = schema;
	out["source_schema_exists"] = source.exists;
	out["target_schema_exists"] = target.exists;
	out["in_sync"] = in_sync;
	out["summary"] = json{{"only_in_source", n.only_in_source},
	                      {"only_in_target", n.only_in_target},
	                      {"modified", n.modified},
	                      {"in_sync", in_sync}};
	out["diff_count"] = n.only_in_source + n.only_in_target + n.modified;
	for (auto &[k, v] : kinds.items())
		out[k] = with_name_lists(v);
	return out;
}

} // namespace pgclone::core

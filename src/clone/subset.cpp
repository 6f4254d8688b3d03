// The rows of a subset clone, found on the source (see subset.hpp).
//
// A table's kept rows are a set of row addresses (ctid) of each table that
// holds rows (a plain table or a leaf partition), or "every row but" a set
// of them. Foreign keys are followed between the tables of the plan as the
// source declares them (a partitioned table's key once, on the partitioned
// table, over the rows of all its partitions). Each step is one semi-join
// on the source whose row sets travel as tid[] bind parameters, so nothing
// the source sent is ever spliced into a query; the copies later splice the
// final sets as array literals that pgclone writes from numbers
// (core::kept_rows_condition).
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/row_filter.hpp"
#include "pgclone/clone/subset.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::clone {

namespace {

using core::Tid;

// A table of the plan, as a foreign key sees it: its rows are those of its
// leaves (itself, or the partitions under it that hold rows).
struct Node {
	std::string from_q; // schema.table, quoted
	std::vector<std::string> leaves;
};

struct Edge {
	std::string name; // for messages
	std::string child, parent;
	std::vector<std::string> child_columns, parent_columns;
};

// Rows of one leaf: exactly `tids`, or every row but them.
struct Rows {
	bool all_but = false;
	std::set<Tid> tids;
	bool none() const { return !all_but && tids.empty(); }
};
using RowMap = std::map<std::string, Rows>; // by leaf oid

struct Graph {
	std::map<std::string, Node> nodes; // by oid
	std::vector<Edge> edges;
};

// Bind parameters of one query, in order.
class Params {
public:
	std::string add(std::string text, const char *type) {
		values_.push_back(std::move(text));
		return "$" + std::to_string(values_.size()) + "::" + type;
	}
	const std::vector<std::optional<std::string>> &values() const { return values_; }

private:
	std::vector<std::optional<std::string>> values_;
};

std::string oid_array_text(const std::vector<std::string> &oids) {
	std::string out = "{";
	for (const auto &o : oids)
		out += (out.size() > 1 ? "," : "") + o;
	return out + "}";
}

// The condition "this row of node n (alias a) is in `rows`"; empty when
// `rows` holds no row of n.
std::string member(const Node &n, const std::string &a, const RowMap &rows, Params &params) {
	std::string out;
	for (const auto &leaf : n.leaves) {
		auto it = rows.find(leaf);
		if (it == rows.end() || it->second.none())
			continue;
		const Rows &r = it->second;
		std::string cond = a + ".tableoid OPERATOR(pg_catalog.=) " + params.add(leaf, "pg_catalog.oid");
		if (!r.tids.empty()) {
			std::string any = a + ".ctid OPERATOR(pg_catalog.=) ANY (" +
			                  params.add(core::tid_array_text(r.tids), "pg_catalog.tid[]") + ")";
			cond += " AND " + (r.all_but ? "NOT (" + any + ")" : any);
		}
		out += (out.empty() ? "(" : " OR (") + cond + ")";
	}
	return out.empty() ? out : "(" + out + ")";
}

std::string column_list(const std::string &a, const std::vector<std::string> &columns) {
	std::string out;
	for (const auto &c : columns)
		out += (out.empty() ? "" : ", ") + a + "." + core::quote_ident(c);
	return out;
}

// The rows of node n only (not those of inheritance children, which share
// the parent's name in a FROM clause but are no part of the plan's table).
std::string own_rows(const Node &n, const std::string &a, Params &params) {
	return a + ".tableoid OPERATOR(pg_catalog.=) ANY (" + params.add(oid_array_text(n.leaves), "pg_catalog.oid[]") +
	       ")";
}

bool whole(const Node &n, const RowMap &kept) {
	return std::all_of(n.leaves.begin(), n.leaves.end(), [&](const std::string &leaf) {
		auto it = kept.find(leaf);
		return it != kept.end() && it->second.all_but && it->second.tids.empty();
	});
}

// Reads (tableoid, ctid) rows of `n`; calls add(leaf, tid) for each.
template <typename Add>
void read_rows(libpq::Connection &src, const std::string &sql, const Params &params, const Node &n, Add add) {
	libpq::Result r = src.exec_params(sql, params.values());
	for (int i = 0; i < r.rows(); i++) {
		std::string leaf = r.get(i, 0);
		auto tid = core::parse_tid(r.get(i, 1));
		if (!tid || std::find(n.leaves.begin(), n.leaves.end(), leaf) == n.leaves.end())
			throw core::Error("the source sent a row address that was not asked for while finding a subset",
			                  core::sqlstate::protocol_violation, "(" + leaf + ", " + r.get(i, 1) + ")");
		add(leaf, *tid);
	}
}

class Finder {
public:
	Finder(libpq::Connection &src, const Graph &g, Subset &out) : src_(src), g_(g), out_(out) {}

	RowMap kept;

	// Rows of `to` (the parent when up, the child when down) joined by edge
	// e to the rows `from_rows` of the other end; those not yet kept are
	// added to kept and to `added`. Leaves of `to` kept whole are left.
	void follow(const Edge &e, bool up, const RowMap &from_rows, RowMap &added) {
		const Node &to = g_.nodes.at(up ? e.parent : e.child);
		const Node &from = g_.nodes.at(up ? e.child : e.parent);
		if (whole(to, kept))
			return;
		const auto &to_cols = up ? e.parent_columns : e.child_columns;
		const auto &from_cols = up ? e.child_columns : e.parent_columns;
		Params params;
		std::string m = member(from, "f", from_rows, params);
		if (m.empty())
			return;
		std::string sql = "SELECT t.tableoid, t.ctid FROM " + to.from_q + " AS t WHERE " + own_rows(to, "t", params) +
		                  " AND (" + column_list("t", to_cols) + ") IN (SELECT " + column_list("f", from_cols) +
		                  " FROM " + from.from_q + " AS f WHERE " + m + ")";
		read_rows(src_, sql, params, to, [&](const std::string &leaf, const Tid &tid) {
			Rows &k = kept[leaf];
			if (k.all_but || !k.tids.insert(tid).second)
				return;
			added[leaf].tids.insert(tid);
			out_.tables.at(leaf).pulled++;
		});
	}

	// Follows the edges (up: to parents, down: to children) from `delta`
	// until nothing is added.
	void close(bool up, RowMap delta) {
		while (!delta.empty()) {
			RowMap added;
			for (const auto &e : g_.edges)
				follow(e, up, delta, added);
			delta = std::move(added);
		}
	}

	// Drops kept rows of e's child whose key (all columns set) has no kept
	// row in e's parent. Returns whether it dropped any.
	bool restrict_edge(const Edge &e) {
		const Node &child = g_.nodes.at(e.child), &parent = g_.nodes.at(e.parent);
		if (whole(parent, kept))
			return false;
		Params params;
		std::string mc = member(child, "c", kept, params);
		if (mc.empty())
			return false;
		std::string mp = member(parent, "p", kept, params);
		std::string sql = "SELECT c.tableoid, c.ctid FROM " + child.from_q + " AS c WHERE " + mc;
		std::string match;
		for (std::size_t i = 0; i < e.child_columns.size(); i++) {
			const std::string cc = "c." + core::quote_ident(e.child_columns[i]);
			sql += " AND " + cc + " IS NOT NULL";
			match += " AND p." + core::quote_ident(e.parent_columns[i]) + " = " + cc;
		}
		sql += " AND NOT EXISTS (SELECT FROM " + parent.from_q + " AS p WHERE " + (mp.empty() ? "false" : mp) +
		       match + ")";
		bool dropped = false;
		read_rows(src_, sql, params, child, [&](const std::string &leaf, const Tid &tid) {
			Rows &k = kept[leaf];
			bool changed = k.all_but ? k.tids.insert(tid).second : k.tids.erase(tid) > 0;
			if (changed) {
				out_.tables.at(leaf).removed++;
				dropped = true;
			}
		});
		return dropped;
	}

	void restrict_all() {
		bool dropped = true;
		while (dropped) {
			dropped = false;
			for (const auto &e : g_.edges)
				dropped = restrict_edge(e) || dropped;
		}
	}

private:
	libpq::Connection &src_;
	const Graph &g_;
	Subset &out_;
};

std::vector<std::pair<std::string, std::string>> plan_names(const std::vector<catalog::TableRef> &tables) {
	std::vector<std::pair<std::string, std::string>> names;
	for (const auto &t : tables)
		names.emplace_back(t.schema, t.name);
	return names;
}

void check_keys(const nlohmann::json &map, const char *option, const std::vector<catalog::TableRef> &tables) {
	auto unmatched = core::unmatched_mask_keys(map, plan_names(tables));
	if (unmatched.empty())
		return;
	std::string list;
	for (const auto &k : unmatched)
		list += (list.empty() ? "\"" : ", \"") + k + "\"";
	throw core::Error("option \"" + std::string(option) + "\" names " +
	                      (unmatched.size() == 1 ? "a table that is" : "tables that are") + " not cloned: " + list,
	                  core::sqlstate::invalid_parameter_value,
	                  "A filter that matches no table would clone rows the caller meant to leave out.",
	                  "Keys are table names, or \"schema.table\" names, of the tables being cloned.");
}

Graph build_graph(const std::vector<catalog::TableRef> &tables, const catalog::TablePlan &defs) {
	Graph g;
	std::map<std::string, std::string> parent_of;
	for (const auto &t : tables) {
		g.nodes[t.oid].from_q = core::qualified_name(t.schema, t.name);
		// The nearest ancestor, from the definition (a pool worker's table
		// list does not carry the parent's name).
		const catalog::SourceTable *def = defs.find(t.oid);
		if (def && !def->ancestors.empty())
			parent_of[t.oid] = defs.oid_of(def->ancestors.front().first, def->ancestors.front().second);
	}
	for (const auto &t : tables) {
		if (t.relkind == 'p')
			continue;
		for (std::string at = t.oid; !at.empty() && g.nodes.count(at);) {
			g.nodes[at].leaves.push_back(t.oid);
			auto up = parent_of.find(at);
			at = up == parent_of.end() ? std::string() : up->second;
		}
	}
	for (const auto &t : tables) {
		const catalog::SourceTable *def = defs.find(t.oid);
		if (!def)
			continue;
		for (const auto &c : def->constraints) {
			if (c.type != 'f' || c.inherited || c.key_columns.empty() ||
			    c.key_columns.size() != c.ref_columns.size())
				continue;
			std::string parent = defs.oid_of(c.ref_schema, c.ref_table);
			if (parent.empty() || !g.nodes.count(parent))
				continue; // a table the clone leaves out: nothing to follow
			g.edges.push_back({c.name, t.oid, parent, c.key_columns, c.ref_columns});
		}
	}
	return g;
}

// A key whose columns are masked differently on its two sides cannot hold
// on the target: refused before anything is created, rather than found
// when the key is validated after every copy.
void check_masked_keys(const Graph &g, const catalog::TablePlan &defs, const nlohmann::json &masks) {
	auto column_mask = [&](const std::string &oid, const std::string &column, std::optional<nlohmann::json> &holder,
	                       std::string &name) -> const nlohmann::json * {
		const catalog::SourceTable *def = defs.find(oid);
		if (!def)
			return nullptr;
		name = core::display_name(def->def.schema, def->def.name) + "." + column;
		holder = core::mask_for_table(masks, def->def.schema, def->def.name, def->ancestors);
		if (!holder || !holder->is_object() || !holder->contains(column))
			return nullptr;
		return &(*holder)[column];
	};
	for (const auto &e : g.edges) {
		for (std::size_t i = 0; i < e.child_columns.size(); i++) {
			std::optional<nlohmann::json> child_holder, parent_holder;
			std::string child_name, parent_name;
			const nlohmann::json *child = column_mask(e.child, e.child_columns[i], child_holder, child_name);
			const nlohmann::json *parent = column_mask(e.parent, e.parent_columns[i], parent_holder, parent_name);
			if (auto problem = core::masked_key_problem(child_name, child, parent_name, parent))
				throw core::Error("foreign key \"" + e.name + "\" of the subset would not hold on the target",
				                  core::sqlstate::invalid_parameter_value, *problem,
				                  "Mask a key column the same way in every table that holds it, with \"hash\" or \"pseudonymize\" (one salt), or leave it unmasked.");
		}
	}
}

// Where the table `t` (a leaf) finds its entry in a map keyed like "masks":
// its own key, else its nearest ancestor's.
std::optional<nlohmann::json> entry_for(const std::optional<nlohmann::json> &map, const catalog::TableRef &t,
                                        const catalog::SourceTable *def) {
	if (!map)
		return std::nullopt;
	static const std::vector<std::pair<std::string, std::string>> none;
	return core::mask_for_table(*map, t.schema, t.name, def ? def->ancestors : none);
}

// The first rows of leaf `t`: its filter's and sample's.
void seed_rows(libpq::Connection &src, const core::CloneOptions &o, const catalog::TableRef &t,
               const TableSubset &ts, double percent, Rows &rows) {
	const std::string from = core::qualified_name(t.schema, t.name);
	std::string sql = "SELECT ctid FROM ONLY " + from;
	if (ts.sampled) {
		sql += std::string(" TABLESAMPLE ") + core::to_string(o.sample_method) + " (" + core::sql_number(percent) + ")";
		if (o.seed)
			sql += " REPEATABLE (" + core::sql_number(*o.seed) + ")";
	}
	// The filter was checked to be one expression standing in a where
	// clause (check_row_filter); the newline ends a "--" comment in it.
	if (ts.filter)
		sql += " WHERE (" + *ts.filter + "\n)";
	libpq::Result r;
	try {
		r = src.exec(sql);
	} catch (const core::Error &e) {
		if (!ts.filter)
			throw;
		throw core::Error("where filter cannot be applied to table " + from + " on the source server: " + e.what(),
		                  e.sqlstate(), e.detail(), e.hint());
	}
	rows.all_but = false;
	for (int i = 0; i < r.rows(); i++) {
		auto tid = core::parse_tid(r.get(i, 0));
		if (!tid)
			throw core::Error("the source sent a row address that is not one", core::sqlstate::protocol_violation,
			                  r.get(i, 0));
		rows.tids.insert(*tid);
	}
}

} // namespace

core::TableSubsetCounts TableSubset::counts() const {
	core::TableSubsetCounts c;
	c.all_but = all_but;
	c.kept = tids.size();
	c.estimate = estimate;
	c.pulled = pulled;
	c.removed = removed;
	return c;
}

std::optional<std::string> Subset::kept_rows(const std::string &oid) const {
	auto it = tables.find(oid);
	if (it == tables.end() || (it->second.whole() && !it->second.filter))
		return std::nullopt;
	const TableSubset &t = it->second;
	// Without keys to follow, a filter is the copy's own condition (no row
	// addresses to carry); a sample is not repeatable, so it always travels
	// as the addresses found.
	if (mode == core::SubsetMode::None && t.filter && !t.sampled)
		return *t.filter;
	return core::kept_rows_condition(oid, t.all_but, t.tids);
}

std::string Subset::source_rows(const std::string &oid) const {
	const TableSubset &t = tables.at(oid);
	if (mode == core::SubsetMode::None && t.filter && !t.sampled)
		return core::table_filter_condition(oid, *t.filter);
	return core::kept_rows_condition(oid, t.all_but, t.tids);
}

std::vector<const TableSubset *> Subset::partial() const {
	std::vector<const TableSubset *> out;
	for (const auto &[oid, t] : tables)
		if (!t.whole() || t.filter)
			out.push_back(&t);
	return out;
}

namespace {
// The rows each table keeps (find_subset, under pg_catalog's search_path).
void find_rows(libpq::Connection &src, const core::CloneOptions &o, const std::vector<catalog::TableRef> &tables,
               const catalog::TablePlan &defs, Subset &out);
} // namespace

Subset find_subset(libpq::Connection &src, const core::CloneOptions &o, const std::vector<catalog::TableRef> &tables,
                   const catalog::TablePlan &defs) {
	const auto started = std::chrono::steady_clock::now();
	Subset out;
	out.mode = core::subset_mode(o);
	if (o.where_tables) {
		check_keys(*o.where_tables, "where", tables);
		for (const auto &[key, filter] : o.where_tables->items()) {
			try {
				check_row_filter(filter.get<std::string>());
			} catch (const core::Error &e) {
				throw core::Error(std::string(e.what()) + " (the filter of table \"" + key + "\")", e.sqlstate(),
				                  e.detail(), e.hint());
			}
		}
	}
	if (o.sample)
		check_keys(*o.sample, "sample", tables);
	for (const auto &t : tables)
		if (!core::is_oid_text(t.oid))
			throw core::Error("the source sent a table oid that is not one", core::sqlstate::protocol_violation, t.oid);

	// The keys and filters compare the tables' own values with bare
	// operators: with a schema move the source schema is on the session's
	// search_path (target_schema.hpp), where its owner could have put an
	// operator for the key's types (=(varchar, varchar), which pg_catalog
	// lacks) that would then run as the clone's role. The rows are found
	// under pg_catalog alone, as without a move, and the path put back.
	with_catalog_source_path(src, [&] { find_rows(src, o, tables, defs, out); });
	out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	return out;
}

namespace {

void find_rows(libpq::Connection &src, const core::CloneOptions &o, const std::vector<catalog::TableRef> &tables,
               const catalog::TablePlan &defs, Subset &out) {
	Graph g = build_graph(tables, defs);
	if (out.mode != core::SubsetMode::None && o.masks)
		check_masked_keys(g, defs, *o.masks);
	Finder f(src, g, out);
	for (const auto &t : tables) {
		if (t.relkind == 'p')
			continue;
		const catalog::SourceTable *def = defs.find(t.oid);
		TableSubset &ts = out.tables[t.oid];
		ts.display = core::display_name(t.schema, t.name);
		ts.estimate = def ? def->estimate.rows : 0;
		if (auto filter = entry_for(o.where_tables, t, def))
			ts.filter = filter->get<std::string>();
		auto percent = entry_for(o.sample, t, def);
		ts.sampled = percent.has_value();
		Rows &rows = f.kept[t.oid];
		rows.all_but = true;
		// Without keys to follow, a filtered table needs no addresses: its
		// copy runs under the filter itself.
		if (ts.sampled || (ts.filter && out.mode != core::SubsetMode::None))
			seed_rows(src, o, t, ts, percent ? percent->get<double>() : 0, rows);
	}
	out.keys_followed = g.edges.size();
	switch (out.mode) {
	case core::SubsetMode::None:
		out.keys_followed = 0;
		break;
	case core::SubsetMode::Parents:
		f.close(true, f.kept);
		break;
	case core::SubsetMode::Restrict:
		f.restrict_all();
		break;
	case core::SubsetMode::Children:
		f.close(false, f.kept);
		f.close(true, f.kept);
		break;
	}
	for (auto &[oid, rows] : f.kept) {
		TableSubset &ts = out.tables.at(oid);
		ts.all_but = rows.all_but;
		ts.tids = std::move(rows.tids);
	}
}

} // namespace

} // namespace pgclone::clone

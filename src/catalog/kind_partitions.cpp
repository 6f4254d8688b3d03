// Object kind "partition tree": the partitions of each partitioned table of
// a plan, at every level, with each partition's indexes and index-backed
// constraints. Partitions in
// another schema keep theirs on the source; on the target they are created
// next to the parent.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_kinds.hpp"
#include "pgclone/pg/partition_bound.hpp"

namespace pgclone::catalog::kinds {

namespace {

struct Node {
	std::string parent;
	PartitionDef def;
};

// The partitions under `parent`, siblings in name order, each with its own
// subtree. Every node is reached once: O(n) over the tree.
std::vector<PartitionDef> subtree(const std::string &parent,
                                  std::map<std::string, std::vector<std::string>> &children,
                                  std::map<std::string, Node> &nodes) {
	std::vector<PartitionDef> out;
	auto it = children.find(parent);
	if (it == children.end())
		return out;
	for (const auto &oid : it->second) {
		PartitionDef p = nodes.at(oid).def; // a copy: a nested root of the plan walks it again
		if (p.partition_key)
			p.children = subtree(oid, children, nodes);
		out.push_back(std::move(p));
	}
	return out;
}

} // namespace

void read_partition_trees(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids) {
	std::vector<std::string> roots;
	for (const auto &oid : oids)
		if (const SourceTable *t = plan.find(oid); t && t->relkind == 'p')
			roots.push_back(oid);
	if (roots.empty())
		return;
	// A parent that is no partitioned table ends its branch: only r and p
	// partitions are listed, as the walk below expects.
	auto r =
	    src.exec_params(R"sql(SELECT pt.relid::pg_catalog.oid, pt.parentrelid::pg_catalog.oid, c.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid),
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
  c.relpersistence = 'u',
  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
  (SELECT ts.spcname FROM pg_catalog.pg_tablespace ts WHERE ts.oid = c.reltablespace)
FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS root(oid)
CROSS JOIN LATERAL pg_catalog.pg_partition_tree(root.oid) pt
JOIN pg_catalog.pg_class c ON c.oid = pt.relid::pg_catalog.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE pt.level > 0 AND c.relkind IN ('r', 'p')
ORDER BY pt.parentrelid::pg_catalog.oid, c.relname)sql",
	                    {oid_array(roots)});
	std::map<std::string, Node> nodes;
	std::map<std::string, std::vector<std::string>> children;
	std::vector<std::string> partition_oids;
	for (int i = 0; i < r.rows(); i++) {
		std::string oid = r.get(i, 0);
		Node n;
		n.parent = r.get(i, 1);
		n.def.name = r.get(i, 2);
		n.def.bound = r.get(i, 3);
		n.def.partition_key = r.get_opt(i, 4);
		n.def.unlogged = r.get_bool(i, 5);
		n.def.table_q = r.get(i, 6);
		n.def.tablespace = r.get_opt(i, 7);
		// Spliced into CREATE TABLE ... PARTITION OF, which evaluates it.
		pg::require_constant_partition_bound(n.def.bound, n.def.table_q);
		if (!nodes.emplace(oid, std::move(n)).second)
			continue; // a partition of two listed roots (one under the other) is listed once
		children[nodes.at(oid).parent].push_back(oid);
		partition_oids.push_back(oid);
	}
	for (auto &[oid, indexes] : read_index_defs(src, partition_oids))
		nodes.at(oid).def.local_indexes = std::move(indexes);
	for (auto &[oid, constraints] : read_constraint_defs(src, partition_oids))
		for (auto &c : constraints)
			if (c.type == 'p' || c.type == 'u' || c.type == 'x')
				nodes.at(oid).def.key_constraints.push_back(std::move(c));
	for (const auto &root : roots)
		plan.row_table(root).partitions = subtree(root, children, nodes);
}

} // namespace pgclone::catalog::kinds

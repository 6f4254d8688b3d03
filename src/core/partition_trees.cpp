// Partition trees of a plan, grouped for one-transaction cloning (see
// partition_trees.hpp).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/core/partition_trees.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

constexpr std::size_t none = static_cast<std::size_t>(-1);

} // namespace

std::vector<bool> tables_of_small_partition_trees(const std::vector<TreeTable> &tables, std::uint64_t max_bytes,
                                                  std::size_t max_tables) {
	const std::size_t n = tables.size();
	std::map<std::pair<std::string, std::string>, std::size_t> at;
	for (std::size_t i = 0; i < n; i++)
		at.emplace(std::make_pair(tables[i].schema, tables[i].name), i);
	// The parent of each table within the plan (none: not a partition, or
	// its parent is not cloned).
	std::vector<std::size_t> parent(n, none);
	for (std::size_t i = 0; i < n; i++)
		if (tables[i].is_partition)
			if (auto it = at.find({tables[i].parent_schema, tables[i].parent_name}); it != at.end() && it->second != i)
				parent[i] = it->second;
	// The root of each table: up its parents, at most n steps (a malformed
	// plan with a cycle has no root).
	std::vector<std::size_t> root(n, none);
	for (std::size_t i = 0; i < n; i++) {
		std::size_t r = i;
		std::size_t steps = 0;
		while (parent[r] != none && steps++ < n)
			r = parent[r];
		if (parent[r] == none && tables[r].partitioned)
			root[i] = r;
	}
	struct Tree {
		std::uint64_t bytes = 0;
		std::size_t tables = 0;
		bool calls_routines = false;
	};
	std::vector<Tree> trees(n); // by root
	for (std::size_t i = 0; i < n; i++) {
		if (root[i] == none)
			continue;
		Tree &t = trees[root[i]];
		t.bytes += tables[i].bytes;
		t.tables++;
		t.calls_routines = t.calls_routines || tables[i].calls_routines;
	}
	std::vector<bool> out(n, false);
	for (std::size_t i = 0; i < n; i++) {
		if (root[i] == none)
			continue;
		const Tree &t = trees[root[i]];
		out[i] = t.bytes <= max_bytes && t.tables <= max_tables && !t.calls_routines;
	}
	return out;
}

} // namespace pgclone::core

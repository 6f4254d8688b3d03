// Partition trees of a schema/database plan that an async job clones in one
// transaction of its own, each partition created attached to its parent
// (jobs/schema_job.cpp). Pure logic, no server headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pgclone::core {

// A table of the plan, as the tree grouping sees it.
struct TreeTable {
	std::string schema, name;
	bool partitioned = false;  // relkind 'p'
	bool is_partition = false;
	std::string parent_schema, parent_name; // partitions only
	std::uint64_t bytes = 0;  // its own heap (0 for a partitioned table: its rows are its partitions')
	bool calls_routines = false;
};

// Whether each table belongs to a partition tree cloned in one transaction.
// A tree: a partitioned table of the plan whose parent is not in the plan
// (its root) and every table of the plan below it. Taken when it is small:
// its tables' bytes add up to at most max_bytes (a larger tree gains more
// from parallel copies than it loses to attaching its partitions one by one
// at the end) and it has at most max_tables tables (one transaction holds a
// lock on each, in the target's shared lock table); and when none of its
// tables calls a routine (such a table waits for every other in a parallel
// job). Linear in the tables and their nesting depth.
std::vector<bool> tables_of_small_partition_trees(const std::vector<TreeTable> &tables, std::uint64_t max_bytes,
                                                  std::size_t max_tables);

} // namespace pgclone::core

#include <gtest/gtest.h>

#include "pgclone/core/partition_trees.hpp"

using namespace pgclone::core;

namespace {

TreeTable plain(const std::string &name, std::uint64_t bytes = 8192) {
	TreeTable t;
	t.schema = "s";
	t.name = name;
	t.bytes = bytes;
	return t;
}

TreeTable parted(const std::string &name) {
	TreeTable t = plain(name, 0);
	t.partitioned = true;
	return t;
}

TreeTable part(const std::string &name, const std::string &parent, std::uint64_t bytes = 8192) {
	TreeTable t = plain(name, bytes);
	t.is_partition = true;
	t.parent_schema = "s";
	t.parent_name = parent;
	return t;
}

} // namespace

TEST(PartitionTrees, PlainTablesAreNoTree) {
	EXPECT_EQ(tables_of_small_partition_trees({plain("a"), plain("b")}, 1 << 30, 100),
	          (std::vector<bool>{false, false}));
}

TEST(PartitionTrees, RootAndItsPartitionsAtAnyDepth) {
	// r: p1, sub (p2); a plain table beside it.
	std::vector<TreeTable> t{parted("r"), part("p1", "r"), plain("x"), part("sub", "r"), part("p2", "sub")};
	t[3].partitioned = true;
	t[3].bytes = 0;
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100),
	          (std::vector<bool>{true, true, false, true, true}));
}

TEST(PartitionTrees, PartitionOrderInThePlanDoesNotMatter) {
	std::vector<TreeTable> t{part("p1", "r"), parted("r")};
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100), (std::vector<bool>{true, true}));
}

TEST(PartitionTrees, APartitionWhoseParentIsNotClonedIsNoTree) {
	// A plain partition of an absent parent is a table of its own; a
	// partitioned one is the root of its own tree.
	std::vector<TreeTable> t{part("lone", "absent"), part("sub", "absent"), part("leaf", "sub")};
	t[1].partitioned = true;
	t[1].bytes = 0;
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100), (std::vector<bool>{false, true, true}));
}

TEST(PartitionTrees, BytesAddUpOverTheTree) {
	std::vector<TreeTable> t{parted("r"), part("p1", "r", 600), part("p2", "r", 400), parted("q"),
	                         part("q1", "q", 1001)};
	// r holds 1000 bytes, q 1001: only r fits in 1000.
	EXPECT_EQ(tables_of_small_partition_trees(t, 1000, 100),
	          (std::vector<bool>{true, true, true, false, false}));
}

TEST(PartitionTrees, TablesAreCounted) {
	std::vector<TreeTable> t{parted("r"), part("p1", "r"), part("p2", "r")};
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 3), (std::vector<bool>{true, true, true}));
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 2), (std::vector<bool>{false, false, false}));
}

TEST(PartitionTrees, ATableThatCallsRoutinesKeepsItsTreeOut) {
	std::vector<TreeTable> t{parted("r"), part("p1", "r"), part("p2", "r")};
	t[2].calls_routines = true;
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100), (std::vector<bool>{false, false, false}));
}

TEST(PartitionTrees, ACycleInAMalformedPlanEndsWithoutATree) {
	std::vector<TreeTable> t{part("a", "b"), part("b", "a")};
	t[0].partitioned = t[1].partitioned = true;
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100), (std::vector<bool>{false, false}));
}

TEST(PartitionTrees, APartitionNamingItselfIsNoTree) {
	std::vector<TreeTable> t{part("a", "a")};
	EXPECT_EQ(tables_of_small_partition_trees(t, 1 << 30, 100), (std::vector<bool>{false}));
}

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pgclone/core/copy_batch.hpp"

using namespace pgclone::core;

TEST(CopyBatch, NoneWhenNothingIsNextOrTheFirstIsLarge) {
	EXPECT_EQ(copy_batch_length({}), 0u);
	EXPECT_EQ(copy_batch_length({copy_batch_table_bytes + 1, 8192}), 0u);
}

TEST(CopyBatch, SmallTablesUpToTheFirstLargeOne) {
	EXPECT_EQ(copy_batch_length({8192}), 1u);
	EXPECT_EQ(copy_batch_length({0, 8192, copy_batch_table_bytes}), 3u);
	EXPECT_EQ(copy_batch_length({8192, 0, copy_batch_table_bytes + 1, 8192}), 2u);
}

TEST(CopyBatch, AtMostTheLimit) {
	std::vector<uint64_t> many(copy_batch_max * 3, 8192);
	EXPECT_EQ(copy_batch_length(many), copy_batch_max);
	many.resize(copy_batch_max - 1);
	EXPECT_EQ(copy_batch_length(many), copy_batch_max - 1);
}

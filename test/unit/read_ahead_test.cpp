#include <gtest/gtest.h>

#include <cstddef>
#include <numeric>
#include <vector>

#include "pgclone/core/read_ahead.hpp"

using namespace pgclone::core;

TEST(ReadAhead, OnlyBeyondTwiceTheFirstTables) {
	EXPECT_FALSE(reads_ahead(0));
	EXPECT_FALSE(reads_ahead(128));
	EXPECT_TRUE(reads_ahead(129));
}

TEST(ReadAhead, SlicesDoubleAndARestJoinsTheSliceBefore) {
	EXPECT_EQ(read_ahead_slices(0), std::vector<std::size_t>{});
	EXPECT_EQ(read_ahead_slices(65), std::vector<std::size_t>{65});
	// 137 = 201 tables after the first 64: one slice, not 128 and 9.
	EXPECT_EQ(read_ahead_slices(137), std::vector<std::size_t>{137});
	EXPECT_EQ(read_ahead_slices(191), std::vector<std::size_t>{191});
	EXPECT_EQ(read_ahead_slices(192), (std::vector<std::size_t>{128, 64}));
	// small500: 436 after the first 64.
	EXPECT_EQ(read_ahead_slices(436), (std::vector<std::size_t>{128, 308}));
}

TEST(ReadAhead, ManyTablesTakeFewSlicesNoneAbove4096) {
	for (std::size_t n : {4936u, 9936u, 49936u}) {
		auto sizes = read_ahead_slices(n);
		EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), n);
		for (std::size_t s : sizes)
			EXPECT_LE(s, 4096u + 2048u);
		EXPECT_LE(sizes.size(), 16u);
	}
	// 5,000 tables: 128, 256, 512, 1024, 2048 and the rest.
	EXPECT_EQ(read_ahead_slices(4936), (std::vector<std::size_t>{128, 256, 512, 1024, 3016}));
}

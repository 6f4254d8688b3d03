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
	// A rest under half a slice joins the slice before: 95, not 64 and 31.
	EXPECT_EQ(read_ahead_slices(95), std::vector<std::size_t>{95});
	EXPECT_EQ(read_ahead_slices(96), (std::vector<std::size_t>{64, 32}));
	// 201 tables: 64, then the 137 left in one slice, not 128 and 9.
	EXPECT_EQ(read_ahead_slices(201), (std::vector<std::size_t>{64, 137}));
	// small500.
	EXPECT_EQ(read_ahead_slices(500), (std::vector<std::size_t>{64, 128, 308}));
}

TEST(ReadAhead, ManyTablesTakeFewSlicesNoneAbove4096) {
	for (std::size_t n : {5000u, 10000u, 50000u}) {
		auto sizes = read_ahead_slices(n);
		EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), n);
		for (std::size_t s : sizes)
			EXPECT_LE(s, 4096u + 2048u);
		EXPECT_LE(sizes.size(), 17u);
	}
	// 5,000 tables: 64, 128, 256, 512, 1024 and the rest.
	EXPECT_EQ(read_ahead_slices(5000), (std::vector<std::size_t>{64, 128, 256, 512, 1024, 3016}));
}

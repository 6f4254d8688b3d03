// Unit tests for core::chunk_ranges and core::chunk_condition.

#include "pgclone/core/chunks.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using pgclone::core::chunk_condition;
using pgclone::core::chunk_ranges;
using pgclone::core::PageRange;

TEST(ChunkRanges, NotSplit) {
	EXPECT_TRUE(chunk_ranges(1 << 30, 8192, 0).empty());            // 0 never splits
	EXPECT_TRUE(chunk_ranges(1 << 20, 8192, 1 << 20).empty());      // not larger than a chunk
	EXPECT_TRUE(chunk_ranges(0, 8192, 1).empty());                  // empty table
	EXPECT_TRUE(chunk_ranges(8192, 8192, 100).empty());             // one page: one chunk
	EXPECT_TRUE(chunk_ranges(1 << 20, 0, 1).empty());               // no block size known
}

TEST(ChunkRanges, PagesOfAboutChunkSizeLastOpen) {
	// 40 pages, 16 pages a chunk: [0,16) [16,32) [32,...)
	const std::vector<PageRange> r = chunk_ranges(40 * 8192, 8192, 16 * 8192);
	ASSERT_EQ(r.size(), 3u);
	EXPECT_EQ(r[0], (PageRange{0, 16}));
	EXPECT_EQ(r[1], (PageRange{16, 32}));
	EXPECT_EQ(r[2].first, 32u);
	EXPECT_FALSE(r[2].end.has_value());
}

TEST(ChunkRanges, ExactMultipleAndSmallChunks) {
	// 32 pages, 16 a chunk: two, the second open.
	std::vector<PageRange> r = chunk_ranges(32 * 8192, 8192, 16 * 8192);
	ASSERT_EQ(r.size(), 2u);
	EXPECT_EQ(r[1].first, 16u);
	EXPECT_FALSE(r[1].end);
	// A chunk size under one page is one page.
	r = chunk_ranges(3 * 8192, 8192, 100);
	ASSERT_EQ(r.size(), 3u);
	EXPECT_EQ(r[1], (PageRange{1, 2}));
	// A partial last page counts.
	r = chunk_ranges(2 * 8192 + 1, 8192, 8192);
	ASSERT_EQ(r.size(), 3u);
	// Ranges are contiguous from page 0.
	r = chunk_ranges(1000 * 8192, 8192, 70 * 8192);
	ASSERT_EQ(r.front().first, 0u);
	for (std::size_t i = 1; i < r.size(); i++)
		EXPECT_EQ(*r[i - 1].end, r[i].first);
}

TEST(ChunkCondition, RangeAndFilter) {
	EXPECT_EQ(chunk_condition({16, 32}, nullptr),
	          "ctid >= '(16,0)'::pg_catalog.tid AND ctid < '(32,0)'::pg_catalog.tid");
	EXPECT_EQ(chunk_condition({32, std::nullopt}, nullptr), "ctid >= '(32,0)'::pg_catalog.tid");
	const std::string filter = "status = 'a' -- comment";
	EXPECT_EQ(chunk_condition({0, 8}, &filter),
	          "ctid >= '(0,0)'::pg_catalog.tid AND ctid < '(8,0)'::pg_catalog.tid AND ((status = 'a' -- comment\n))");
	// A filter that closes its parenthesis (it passed the shape check as
	// "WHERE (true) OR (true\n)") stays inside the group around it: the
	// range still applies to every row it lets through.
	const std::string hostile = "true) OR (true";
	EXPECT_EQ(chunk_condition({0, 8}, &hostile),
	          "ctid >= '(0,0)'::pg_catalog.tid AND ctid < '(8,0)'::pg_catalog.tid AND ((true) OR (true\n))");
}

} // namespace

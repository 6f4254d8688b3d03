#include <gtest/gtest.h>

#include "pgclone/core/text.hpp"

using namespace pgclone::core;

TEST(Text, FormatFixed) {
	EXPECT_EQ(format_fixed(1.5, 2), "1.50");
	EXPECT_EQ(format_fixed(0, 0), "0");
}

TEST(Text, CopyProgress) {
	EXPECT_EQ(format_copy_progress(10, 1048576, 0.256), "10 rows, 1.00 MB in 0.26 s");
	EXPECT_EQ(format_copy_progress(1, 0, 0), "1 row, 0.00 MB in 0.00 s");
}

TEST(Text, Plural) {
	EXPECT_EQ(plural(1, "warning", "warnings"), "1 warning");
	EXPECT_EQ(plural(0, "warning", "warnings"), "0 warnings");
}

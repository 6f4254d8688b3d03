// Unit tests for the pure pieces of subset clones (core/subset.hpp).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "pgclone/core/subset.hpp"

namespace {

using namespace pgclone::core;

TEST(SubsetTid, ParsesWhatTidoutPrints) {
	auto t = parse_tid("(12,3)");
	ASSERT_TRUE(t.has_value());
	EXPECT_EQ(t->block, 12u);
	EXPECT_EQ(t->offset, 3u);
	auto max = parse_tid("(4294967295,65535)");
	ASSERT_TRUE(max.has_value());
	EXPECT_EQ(max->block, 4294967295u);
	EXPECT_EQ(max->offset, 65535u);
}

TEST(SubsetTid, RefusesAnythingElse) {
	for (const char *bad : {"", "()", "(1)", "(1,)", "(,1)", "1,2", "(1,2", "1,2)", "(4294967296,1)", "(1,65536)",
	                        "(-1,2)", "(1, 2)", "(1,2);--", "(1,2)')", "(01234567890,1)", "(a,b)"})
		EXPECT_FALSE(parse_tid(bad).has_value()) << bad;
}

TEST(SubsetTid, ArrayTextAndCondition) {
	std::set<Tid> tids = {{3, 1}, {0, 2}, {0, 1}};
	EXPECT_EQ(tid_array_text(tids), R"x({"(0,1)","(0,2)","(3,1)"})x");
	EXPECT_EQ(tid_array_text({}), "{}");
	EXPECT_EQ(kept_rows_condition("16384", false, tids),
	          R"x(tableoid OPERATOR(pg_catalog.=) '16384'::pg_catalog.oid AND ctid OPERATOR(pg_catalog.=) ANY ('{"(0,1)","(0,2)","(3,1)"}'::pg_catalog.tid[]))x");
	EXPECT_EQ(kept_rows_condition("16384", true, {{0, 1}}),
	          R"x(tableoid OPERATOR(pg_catalog.=) '16384'::pg_catalog.oid AND NOT (ctid OPERATOR(pg_catalog.=) ANY ('{"(0,1)"}'::pg_catalog.tid[])))x");
	EXPECT_EQ(kept_rows_condition("16384", false, {}), "false");
	EXPECT_EQ(kept_rows_condition("16384", true, {}), "tableoid OPERATOR(pg_catalog.=) '16384'::pg_catalog.oid");
}

TEST(SubsetTid, FilterCondition) {
	EXPECT_EQ(table_filter_condition("7", "a = 1 -- c"), "tableoid OPERATOR(pg_catalog.=) '7'::pg_catalog.oid AND (a = 1 -- c\n)");
}

TEST(SubsetMaskedKey, SameDeterministicMaskOnBothSides) {
	const nlohmann::json hash = "hash", email = "email";
	const nlohmann::json salt1 = {{"type", "pseudonymize"}, {"salt", "0123456789"}};
	const nlohmann::json salt2 = {{"type", "pseudonymize"}, {"salt", "9876543210"}};
	EXPECT_FALSE(masked_key_problem("o.c", nullptr, "c.e", nullptr).has_value());
	EXPECT_FALSE(masked_key_problem("o.c", &hash, "c.e", &hash).has_value());
	EXPECT_FALSE(masked_key_problem("o.c", &salt1, "c.e", &salt1).has_value());
	EXPECT_EQ(masked_key_problem("o.c", nullptr, "c.e", &hash),
	          "o.c is not masked and c.e is masked with \"hash\": the masked values would not match.");
	EXPECT_EQ(masked_key_problem("o.c", &salt1, "c.e", &salt2),
	          "o.c is masked with \"pseudonymize\" and c.e is masked with \"pseudonymize\": the masked values would not match.");
	EXPECT_EQ(masked_key_problem("o.c", &email, "c.e", &email),
	          "o.c is masked with \"email\" and c.e is masked with \"email\": \"email\" does not keep distinct values distinct.");
}

TEST(SubsetOid, DigitsOnly) {
	EXPECT_TRUE(is_oid_text("16384"));
	EXPECT_TRUE(is_oid_text("4294967295"));
	for (const char *bad : {"", "4294967296", "1a", "-1", "1 ", "1'", "12345678901"})
		EXPECT_FALSE(is_oid_text(bad)) << bad;
}

TEST(SubsetNumber, SqlLiteral) {
	EXPECT_EQ(sql_number(1.5), "1.5");
	EXPECT_EQ(sql_number(100), "100");
	EXPECT_EQ(sql_number(0.1), "0.10000000000000001");
	EXPECT_EQ(sql_number(1.0 / 0.0), "0");
}

TEST(SubsetText, PerTableAndResult) {
	TableSubsetCounts c;
	c.kept = 120;
	c.estimate = 10000;
	c.pulled = 35;
	EXPECT_EQ(subset_table_text("s.orders", c), "s.orders: 120 of about 10000 rows (35 pulled in by keys)");
	c.pulled = 0;
	c.removed = 4;
	EXPECT_EQ(subset_table_text("s.orders", c), "s.orders: 120 of about 10000 rows (4 dropped by keys)");
	c.all_but = true;
	EXPECT_EQ(subset_table_text("s.items", c), "s.items: every row but 4 of about 10000 rows (4 dropped by keys)");
	EXPECT_EQ(subset_result_text("parents", {"a: 1 of about 2 rows", "b: 0 of about 1 row"}),
	          "subset (parents): a: 1 of about 2 rows, b: 0 of about 1 row");
	EXPECT_EQ(subset_filtered_table_text("s.t", 1), "s.t: filtered, about 1 row before the filter");
	EXPECT_EQ(subset_result_text("restrict", {}), "subset (restrict): every row of every table");
}

} // namespace

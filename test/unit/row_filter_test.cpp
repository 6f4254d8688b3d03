// Unit tests for core/row_filter: the texts a where filter is placed in and
// the judgement of how PostgreSQL parsed it (the parse itself is tested
// against the server in test/pgtap/630_mask_reach.sql and fuzzed against
// PostgreSQL's grammar in test/fuzz/where_fuzz.cpp).
#include "pgclone/core/row_filter.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using pgclone::core::filter_shape_problem;
using pgclone::core::FilterParse;

FilterParse plain_select() {
	FilterParse p;
	p.statements = 1;
	p.select = true;
	p.where_clause = true;
	p.targets = 1;
	p.from_items = 1;
	return p;
}

TEST(RowFilterShape, OnePlainSelectWithItsWhereClauseIsAccepted) {
	EXPECT_FALSE(filter_shape_problem(plain_select()).has_value());
}

TEST(RowFilterShape, EveryDeviationIsRefusedWithItsReason) {
	FilterParse p = plain_select();
	p.statements = 2;
	EXPECT_EQ(*filter_shape_problem(p), "It ends the query and starts another statement.");
	p = plain_select();
	p.statements = 0;
	EXPECT_TRUE(filter_shape_problem(p).has_value());
	p = plain_select();
	p.select = false;
	EXPECT_EQ(*filter_shape_problem(p), "It turns the query into another kind of statement.");
	p = plain_select();
	p.set_operation = true;
	EXPECT_EQ(*filter_shape_problem(p), "It adds a set operation (UNION, INTERSECT or EXCEPT) to the query.");
	for (auto change : {+[](FilterParse &f) { f.other_clause = true; }, +[](FilterParse &f) { f.targets = 2; },
	                    +[](FilterParse &f) { f.from_items = 2; }, +[](FilterParse &f) { f.where_clause = false; }}) {
		p = plain_select();
		change(p);
		ASSERT_TRUE(filter_shape_problem(p).has_value());
		EXPECT_NE(filter_shape_problem(p)->find("adds another clause"), std::string::npos);
	}
}

TEST(RowFilterText, TheFilterIsWrappedInParenthesesClosedOnANewLine) {
	EXPECT_EQ(pgclone::core::wrapped_filter_query("a = 1 -- c"),
	          "SELECT * FROM pgclone_filtered_rows WHERE (a = 1 -- c\n)");
}

TEST(RowFilterText, MasksApplyInTheOuterQuery) {
	EXPECT_EQ(pgclone::core::filtered_rows_query("\"id\", md5(\"email\")", "\"s\".\"t\"", "id > 1"),
	          "SELECT \"id\", md5(\"email\") FROM (SELECT * FROM \"s\".\"t\" WHERE (id > 1\n)) AS "
	          "pgclone_filtered_rows");
}

} // namespace

// An extension's configuration condition, as pg_extension_config_dump stores it.
TEST(WhereClauseCondition, TheTextAfterTheKeyword) {
	using pgclone::core::where_clause_condition;
	EXPECT_EQ(where_clause_condition("WHERE NOT builtin"), std::optional<std::string>(" NOT builtin"));
	EXPECT_EQ(where_clause_condition("  where\n(a = 1)"), std::optional<std::string>("\n(a = 1)"));
	EXPECT_EQ(where_clause_condition("Where(a)"), std::optional<std::string>("(a)"));
}

TEST(WhereClauseCondition, NoneWithoutTheKeyword) {
	using pgclone::core::where_clause_condition;
	EXPECT_EQ(where_clause_condition(""), std::nullopt);
	EXPECT_EQ(where_clause_condition("WHERE"), std::nullopt);
	EXPECT_EQ(where_clause_condition("WHEREVER x"), std::nullopt);
	EXPECT_EQ(where_clause_condition("LIMIT 1"), std::nullopt);
	EXPECT_EQ(where_clause_condition("/* c */ WHERE x"), std::nullopt);
	EXPECT_EQ(where_clause_condition("; WHERE x"), std::nullopt);
}

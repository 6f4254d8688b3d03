// View definitions printed by PostgreSQL 14/15 versus 16+ (pgclone.diff() across versions).
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "pgclone/core/schema_diff.hpp"
#include "pgclone/core/view_definition.hpp"

using namespace pgclone::core;

namespace {

// The seed's views as PostgreSQL 15 and 18 print them (pg_get_viewdef(oid, true)).
const char *pg15_active =
    " SELECT customers.id,\n    customers.name,\n    customers.email,\n    customers.score\n"
    "   FROM test_schema.customers\n  WHERE customers.status = 'active'::text;";
const char *pg18_active = " SELECT id,\n    name,\n    email,\n    score\n   FROM test_schema.customers\n"
                          "  WHERE status = 'active'::text;";

std::string unq(const std::string &s) {
	auto r = unqualified_single_relation_view(s);
	return r ? *r : std::string("<nullopt>");
}

} // namespace

TEST(ViewDefinition, SeedViewAsPrintedBy15And18) {
	EXPECT_EQ(unq(pg15_active), pg18_active);
	EXPECT_TRUE(same_view_across_16(pg15_active, pg18_active));
	EXPECT_EQ(
	    unq(" SELECT active_customers.id,\n    active_customers.name\n   FROM test_schema.active_customers\n"
	        "  WHERE active_customers.score >= 80;"),
	    " SELECT id,\n    name\n   FROM test_schema.active_customers\n  WHERE score >= 80;");
}

TEST(ViewDefinition, AliasIsTheQualifier) {
	EXPECT_EQ(unq("SELECT c.id, c.name FROM s.customers c WHERE c.score > 1 ORDER BY c.name;"),
	          "SELECT id, name FROM s.customers c WHERE score > 1 ORDER BY name;");
	EXPECT_EQ(unq("SELECT c.id FROM ONLY s.customers c;"), "SELECT id FROM ONLY s.customers c;");
	// the table name is not a qualifier once there is an alias
	EXPECT_EQ(unq("SELECT customers.id FROM s.customers c;"), "SELECT customers.id FROM s.customers c;");
}

TEST(ViewDefinition, QuotedNamesAndLiteralsAreLeftAlone) {
	EXPECT_EQ(unq("SELECT \"My T\".id, \"My T\".\"Name\" FROM s.\"My T\";"),
	          "SELECT id, \"Name\" FROM s.\"My T\";");
	EXPECT_EQ(unq("SELECT t.a FROM s.t WHERE t.b = 't.c' AND t.d = E'x\\'t.e';"),
	          "SELECT a FROM s.t WHERE b = 't.c' AND d = E'x\\'t.e';");
	EXPECT_EQ(unq("SELECT t.a FROM s.t WHERE t.b = 'it''s t.c';"),
	          "SELECT a FROM s.t WHERE b = 'it''s t.c';");
}

TEST(ViewDefinition, SchemaNamedLikeTheRelation) {
	// "app.app" in FROM stays; "app.f(...)" is a function in schema app, not a column.
	EXPECT_EQ(unq("SELECT app.f(app.x) AS y FROM app.app WHERE app.x::app.t IS NOT NULL;"),
	          "SELECT app.f(x) AS y FROM app.app WHERE x::app.t IS NOT NULL;");
}

TEST(ViewDefinition, DistinctFromIsNotTheFromClause) {
	EXPECT_EQ(unq("SELECT t.a FROM s.t WHERE t.a IS DISTINCT FROM t.b;"),
	          "SELECT a FROM s.t WHERE a IS DISTINCT FROM b;");
	EXPECT_EQ(unq("SELECT EXTRACT(year FROM t.d) AS y FROM s.t;"),
	          "SELECT EXTRACT(year FROM d) AS y FROM s.t;");
}

TEST(ViewDefinition, OtherShapesAreNotRewritten) {
	EXPECT_FALSE(unqualified_single_relation_view("SELECT a.x FROM s.a JOIN s.b ON a.id = b.id;"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT a.x FROM s.a, s.b;"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT a.x FROM s.a WHERE a.x IN (SELECT b.x FROM s.b);"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT a.x FROM s.a UNION SELECT b.x FROM s.b;"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT g.g FROM generate_series(1, 3) g(g);"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT c.x FROM s.t c(x);"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT 1;"));
	EXPECT_FALSE(unqualified_single_relation_view("SELECT 'unterminated FROM s.t;"));
	EXPECT_FALSE(unqualified_single_relation_view(""));
}

TEST(ViewDefinition, RealDifferencesStayDifferent) {
	EXPECT_FALSE(same_view_across_16(pg15_active,
	                                 " SELECT id,\n    name,\n    email,\n    score\n"
	                                 "   FROM test_schema.customers\n  WHERE status = 'gone'::text;"));
	// a join view prints its qualifiers on every version: only whitespace may differ
	EXPECT_TRUE(same_view_across_16("SELECT a.x FROM s.a JOIN s.b ON a.id = b.id;",
	                                "SELECT a.x\n FROM s.a JOIN s.b ON a.id = b.id;"));
	EXPECT_FALSE(same_view_across_16("SELECT a.x FROM s.a JOIN s.b ON a.id = b.id;",
	                                 "SELECT x FROM s.a JOIN s.b ON a.id = b.id;"));
}

TEST(ViewDefinition, DiffUsesItOnlyAcrossThe16Boundary) {
	SchemaFacts s, t;
	s.exists = t.exists = true;
	s.views.push_back({"v", "", pg15_active});
	t.views.push_back({"v", "", pg18_active});
	s.server_version = 150010;
	t.server_version = 180004;
	EXPECT_TRUE(diff_schemas("x", s, t)["in_sync"].get<bool>());
	EXPECT_TRUE(diff_schemas("x", t, s)["in_sync"].get<bool>()); // older target, newer source
	t.server_version = 150010;                                   // both 15: the texts must match
	EXPECT_FALSE(diff_schemas("x", s, t)["in_sync"].get<bool>());
	s.server_version = 0; // unknown version: exact comparison
	t.server_version = 180004;
	EXPECT_FALSE(diff_schemas("x", s, t)["in_sync"].get<bool>());
}

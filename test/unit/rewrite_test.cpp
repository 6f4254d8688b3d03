#include <gtest/gtest.h>

#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"

using namespace pgclone::core;

TEST(Rewrite, ClipKeepsUtf8Intact) {
	std::string name(62, 'a');
	name += "\xC3\xA9"; // é: 2 bytes, would straddle byte 63
	EXPECT_EQ(clip_identifier(name), std::string(62, 'a'));
	EXPECT_EQ(clip_identifier("short"), "short");
	EXPECT_EQ(clip_identifier(std::string(70, 'x')).size(), 63u);
}

TEST(Rewrite, CheckName) {
	EXPECT_NO_THROW(check_name("t", "target table name"));
	EXPECT_NO_THROW(check_name(std::string(63, 'x'), "target table name"));
	for (const std::string &bad : {std::string(), std::string(64, 'x')}) {
		try {
			check_name(bad, "target table name");
			ADD_FAILURE() << "accepted a name of " << bad.size() << " bytes";
		} catch (const Error &e) {
			EXPECT_STREQ(e.sqlstate(), "42602");
			EXPECT_EQ(std::string(e.what()), "invalid target table name \"" + bad + "\"");
			EXPECT_EQ(e.detail(), "A name has 1 to 63 bytes.");
		}
	}
}

TEST(Rewrite, DeriveName) {
	EXPECT_EQ(derive_name("orders_pkey", "orders", "orders"), "orders_pkey");
	EXPECT_EQ(derive_name("orders_pkey", "orders", "orders_copy"), "orders_copy_pkey");
	EXPECT_EQ(derive_name("idx_status", "orders", "o2"), "idx_status_o2");
	EXPECT_EQ(derive_name(std::string(60, 'i'), "t", "target").size(), 63u);
}

TEST(Rewrite, IndexDefRetargeted) {
	auto r =
	    rewrite_index_def("CREATE UNIQUE INDEX idx_a ON app.orders USING btree (lower(name)) WHERE (id > 1)",
	                      "idx_a", "app.orders", "\"idx_b\"", "\"app\".\"copy\"");
	ASSERT_TRUE(r);
	EXPECT_EQ(*r,
	          "CREATE UNIQUE INDEX \"idx_b\" ON \"app\".\"copy\" USING btree (lower(name)) WHERE (id > 1)");
	auto only = rewrite_index_def("CREATE INDEX \"Ix\" ON ONLY \"My S\".t USING gin (doc)", "\"Ix\"",
	                              "\"My S\".t", "\"Ix\"", "\"My S\".\"t2\"");
	ASSERT_TRUE(only);
	EXPECT_EQ(*only, "CREATE INDEX \"Ix\" ON ONLY \"My S\".\"t2\" USING gin (doc)");
	auto cascade = rewrite_index_def("CREATE INDEX \"Ix\" ON ONLY \"My S\".t USING gin (doc)", "\"Ix\"",
	                                 "\"My S\".t", "\"Ix\"", "\"My S\".\"t2\"", true);
	ASSERT_TRUE(cascade);
	EXPECT_EQ(*cascade, "CREATE INDEX \"Ix\" ON \"My S\".\"t2\" USING gin (doc)");
}

TEST(Rewrite, IndexDefOfUnexpectedShapeIsRejected) {
	EXPECT_FALSE(
	    rewrite_index_def("CREATE INDEX other ON app.orders USING btree (a)", "idx", "app.orders", "x", "y"));
	EXPECT_FALSE(
	    rewrite_index_def("CREATE INDEX idx ON app.other USING btree (a)", "idx", "app.orders", "x", "y"));
	EXPECT_FALSE(rewrite_index_def("DROP TABLE x", "idx", "app.orders", "x", "y"));
}

TEST(Rewrite, TriggerDefRetargeted) {
	auto r =
	    rewrite_trigger_def("CREATE TRIGGER trg BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION "
	                        "app.touch()",
	                        "trg", "app.orders", "\"app\".\"o2\"");
	ASSERT_TRUE(r);
	EXPECT_EQ(*r,
	          "CREATE TRIGGER trg BEFORE UPDATE ON \"app\".\"o2\" FOR EACH ROW EXECUTE FUNCTION app.touch()");
	auto c = rewrite_trigger_def(
	    "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON s.t DEFERRABLE INITIALLY DEFERRED FOR "
	    "EACH ROW EXECUTE FUNCTION s.f()",
	    "t", "s.t", "\"s\".\"u\"");
	ASSERT_TRUE(c);
	EXPECT_EQ(
	    *c, "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON \"s\".\"u\" DEFERRABLE INITIALLY DEFERRED FOR EACH "
	        "ROW EXECUTE FUNCTION s.f()");
	EXPECT_FALSE(
	    rewrite_trigger_def("CREATE TRIGGER x AFTER INSERT ON s.other FOR EACH ROW", "x", "s.t", "y"));
}

TEST(Rewrite, TargetTableNameWithADotPointsAtTargetSchema) {
	EXPECT_NO_THROW(check_target_table_name("a2"));
	try {
		check_target_table_name("cl.a2");
		ADD_FAILURE() << "accepted a dotted name";
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "42602");
		EXPECT_EQ(std::string(e.what()), "target table name \"cl.a2\" contains a dot");
		EXPECT_NE(e.hint().find("\"target_schema\""), std::string::npos);
	}
}

TEST(Rewrite, RetargetCreatedSchema) {
	EXPECT_EQ(retarget_created_schema("CREATE OR REPLACE FUNCTION s.f(x s.t)\n RETURNS s.t", "s", "\"st\""),
	          "CREATE OR REPLACE FUNCTION \"st\".f(x s.t)\n RETURNS s.t");
	EXPECT_EQ(retarget_created_schema("CREATE TYPE \"S\".\"m\" AS ENUM ('s.x')", "\"S\"", "t"),
	          "CREATE TYPE t.\"m\" AS ENUM ('s.x')");
	EXPECT_EQ(retarget_created_schema("CREATE DOMAIN \"s\".\"d\" AS integer", "\"s\"", "\"x\"\"y\""),
	          "CREATE DOMAIN \"x\"\"y\".\"d\" AS integer");
	// Another schema, a prefix of the name, or no CREATE: not this statement.
	EXPECT_FALSE(retarget_created_schema("CREATE FUNCTION other.f()", "s", "t"));
	EXPECT_FALSE(retarget_created_schema("CREATE FUNCTION s2.f()", "s", "t"));
	EXPECT_FALSE(retarget_created_schema("CREATE FUNCTION sf()", "s", "t"));
	EXPECT_FALSE(retarget_created_schema("DROP FUNCTION s.f()", "s", "t"));
}

TEST(Rewrite, RetargetOnSchema) {
	EXPECT_EQ(retarget_on_schema("CREATE UNIQUE INDEX mv_id ON s.mv USING btree (id)", "s", "t"),
	          "CREATE UNIQUE INDEX mv_id ON t.mv USING btree (id)");
	EXPECT_EQ(retarget_on_schema("CREATE INDEX \"i ON s.x\" ON ONLY s.p USING btree (id)", "s", "t"),
	          "CREATE INDEX \"i ON s.x\" ON ONLY t.p USING btree (id)");
	EXPECT_EQ(retarget_on_schema("CREATE TRIGGER tr INSTEAD OF INSERT ON \"S s\".v FOR EACH ROW EXECUTE "
	                             "FUNCTION \"S s\".f('s.v')",
	                             "\"S s\"", "x"),
	          "CREATE TRIGGER tr INSTEAD OF INSERT ON x.v FOR EACH ROW EXECUTE FUNCTION \"S s\".f('s.v')");
	EXPECT_FALSE(retarget_on_schema("CREATE INDEX i ON other.mv USING btree (id)", "s", "t"));
	EXPECT_FALSE(retarget_on_schema("CREATE INDEX \"unterminated ON s.mv", "s", "t"));
	EXPECT_FALSE(retarget_on_schema("CREATE VIEW v AS SELECT 1", "s", "t"));
}

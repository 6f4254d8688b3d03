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

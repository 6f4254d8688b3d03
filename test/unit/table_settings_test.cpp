#include <gtest/gtest.h>

#include "pgclone/core/table_settings.hpp"

using namespace pgclone::core;

namespace {
std::string same(const std::string &n) {
	return n;
}
} // namespace

TEST(TableSettings, OptionsAreQuotedNamesAndLiteralValues) {
	TableSettings s;
	s.reloptions = {{"fillfactor", "70"}};
	s.toast_reloptions = {{"autovacuum_enabled", "false"}};
	ColumnSettings c;
	c.name = "body";
	c.storage = 'e';
	c.statistics = 500;
	c.options = {{"n_distinct", "3'); DROP TABLE x; --"}};
	s.columns = {c};
	s.replica_identity = 'f';
	s.cluster_index = "t_name";
	s.trigger_states = {{"trg", 'D'}};
	s.comments = {{"INDEX", "t_name", "names"}, {"CONSTRAINT", "t_check", "it's"}};
	auto sql = table_settings_sql(s, "s", "\"s\".\"t\"", same);
	std::vector<std::string> want = {
	    "ALTER TABLE ONLY \"s\".\"t\" SET (\"fillfactor\" = '70')",
	    "ALTER TABLE ONLY \"s\".\"t\" SET (toast.\"autovacuum_enabled\" = 'false')",
	    "ALTER TABLE ONLY \"s\".\"t\" ALTER COLUMN \"body\" SET STORAGE EXTERNAL",
	    "ALTER TABLE ONLY \"s\".\"t\" ALTER COLUMN \"body\" SET STATISTICS 500",
	    "ALTER TABLE ONLY \"s\".\"t\" ALTER COLUMN \"body\" SET (\"n_distinct\" = '3''); DROP TABLE x; --')",
	    "ALTER TABLE ONLY \"s\".\"t\" REPLICA IDENTITY FULL",
	    "ALTER TABLE ONLY \"s\".\"t\" CLUSTER ON \"t_name\"",
	    "ALTER TABLE \"s\".\"t\" DISABLE TRIGGER \"trg\"",
	    "COMMENT ON INDEX \"s\".\"t_name\" IS 'names'",
	    "COMMENT ON CONSTRAINT \"t_check\" ON \"s\".\"t\" IS 'it''s'",
	};
	EXPECT_EQ(sql, want);
}

TEST(TableSettings, RenamedTableRenamesItsIndexes) {
	TableSettings s;
	s.replica_identity = 'i';
	s.replica_index = "t_key";
	auto sql = table_settings_sql(s, "s", "\"s\".\"u\"", [](const std::string &n) { return "u" + n.substr(1); });
	ASSERT_EQ(sql.size(), 1u);
	EXPECT_EQ(sql[0], "ALTER TABLE ONLY \"s\".\"u\" REPLICA IDENTITY USING INDEX \"u_key\"");
}

TEST(TableSettings, RowSecurity) {
	TableSettings s;
	EXPECT_TRUE(row_security_sql(s, "t").empty());
	s.row_security = s.force_row_security = true;
	EXPECT_EQ(row_security_sql(s, "t"),
	          (std::vector<std::string>{"ALTER TABLE t ENABLE ROW LEVEL SECURITY", "ALTER TABLE t FORCE ROW LEVEL SECURITY"}));
}

namespace {
PolicyDef policy(bool permissive, std::vector<std::string> roles) {
	PolicyDef p;
	p.name = "odd \"p\"; --";
	p.permissive = permissive;
	p.command = 'r';
	p.roles = std::move(roles);
	p.using_expr = "(owner = CURRENT_USER)";
	return p;
}
bool only_alice(const std::string &r) {
	return r == "alice";
}
} // namespace

TEST(TableSettings, PolicyWithEveryRolePresentIsCopied) {
	auto st = policy_sql(policy(true, {"alice", ""}), "\"s\".\"t\"", only_alice);
	ASSERT_TRUE(st.sql);
	EXPECT_EQ(*st.sql, "CREATE POLICY \"odd \"\"p\"\"; --\" ON \"s\".\"t\" AS PERMISSIVE FOR SELECT TO \"alice\", PUBLIC "
	                   "USING ((owner = CURRENT_USER))");
	EXPECT_TRUE(st.note.empty());
}

TEST(TableSettings, PermissivePolicyLosesMissingRolesAndIsNotCreatedWithoutAny) {
	auto some = policy_sql(policy(true, {"alice", "bob"}), "t", only_alice);
	ASSERT_TRUE(some.sql);
	EXPECT_NE(some.sql->find("TO \"alice\" USING"), std::string::npos);
	EXPECT_NE(some.note.find("\"bob\""), std::string::npos);

	auto none = policy_sql(policy(true, {"bob"}), "t", only_alice);
	EXPECT_FALSE(none.sql); // never widened to PUBLIC
	EXPECT_NE(none.note.find("not created"), std::string::npos);
}

TEST(TableSettings, RestrictivePolicyWithMissingRolesAppliesToEveryone) {
	PolicyDef p = policy(false, {"bob"});
	p.command = '*';
	p.check_expr = "(id > 0)";
	auto st = policy_sql(p, "t", only_alice);
	ASSERT_TRUE(st.sql);
	EXPECT_EQ(*st.sql, "CREATE POLICY \"odd \"\"p\"\"; --\" ON t AS RESTRICTIVE FOR ALL TO PUBLIC USING ((owner = "
	                   "CURRENT_USER)) WITH CHECK ((id > 0))");
	EXPECT_NE(st.note.find("PUBLIC"), std::string::npos);
}

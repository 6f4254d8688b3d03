#include <gtest/gtest.h>

#include "pgclone/core/privileges.hpp"
#include "pgclone/core/role_settings.hpp"

using pgclone::core::is_known_privilege;
using pgclone::core::is_system_schema;

TEST(Privileges, KnownKeywords) {
	for (const char *k : {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
	                      "USAGE", "CREATE", "EXECUTE", "MAINTAIN"})
		EXPECT_TRUE(is_known_privilege(k)) << k;
}

TEST(Privileges, AnythingElseIsRejected) {
	EXPECT_FALSE(is_known_privilege("select")); // aclexplode() and our records use upper case
	EXPECT_FALSE(is_known_privilege("SELECT ON TABLE t TO PUBLIC; ALTER ROLE x SUPERUSER; GRANT SELECT"));
	EXPECT_FALSE(is_known_privilege("ALL"));
	EXPECT_FALSE(is_known_privilege(""));
	EXPECT_FALSE(is_known_privilege("SELECT "));
}

TEST(SystemSchemas, ServerSchemasAreSystemSchemas) {
	for (const char *s : {"pg_catalog", "information_schema", "pg_toast", "pg_temp_3", "pg_toast_temp_3", "pg_temp"})
		EXPECT_TRUE(is_system_schema(s)) << s;
}

TEST(SystemSchemas, UserSchemasAreNot) {
	for (const char *s : {"public", "pgclone", "Information_Schema", "information_schema2", "PG_CATALOG", "pg", "my_pg_x", ""})
		EXPECT_FALSE(is_system_schema(s)) << s;
}

TEST(ServerHasPrivilege, MaintainOnlyFromSeventeen) {
	EXPECT_FALSE(pgclone::core::server_has_privilege("MAINTAIN", 160004));
	EXPECT_TRUE(pgclone::core::server_has_privilege("MAINTAIN", 170000));
	EXPECT_TRUE(pgclone::core::server_has_privilege("SELECT", 140000));
}

TEST(Privileges, DefaultPrivilegesStatement) {
	EXPECT_EQ(pgclone::core::default_privileges_sql("own\"er", "s", 'r', "SELECT, UPDATE", std::string("reader"), false),
	          "ALTER DEFAULT PRIVILEGES FOR ROLE \"own\"\"er\" IN SCHEMA \"s\" GRANT SELECT, UPDATE ON TABLES TO \"reader\"");
	EXPECT_EQ(pgclone::core::default_privileges_sql("o", "s", 'f', "EXECUTE", std::nullopt, true),
	          "ALTER DEFAULT PRIVILEGES FOR ROLE \"o\" IN SCHEMA \"s\" GRANT EXECUTE ON FUNCTIONS TO PUBLIC WITH GRANT OPTION");
	EXPECT_FALSE(pgclone::core::default_privileges_sql("o", "s", 'n', "USAGE", std::nullopt, false));
}

TEST(Privileges, DefaultPrivilegesOfTheWholeDatabase) {
	EXPECT_EQ(pgclone::core::default_privileges_sql("o\"; --", "", 'n', "USAGE", std::string("r"), false),
	          "ALTER DEFAULT PRIVILEGES FOR ROLE \"o\"\"; --\" GRANT USAGE ON SCHEMAS TO \"r\"");
	EXPECT_EQ(pgclone::core::default_privileges_sql("o", "", 'T', "USAGE", std::nullopt, false),
	          "ALTER DEFAULT PRIVILEGES FOR ROLE \"o\" GRANT USAGE ON TYPES TO PUBLIC");
	EXPECT_EQ(*pgclone::core::default_privileges_reset_sql("o\"; --", 'f'),
	          "ALTER DEFAULT PRIVILEGES FOR ROLE \"o\"\"; --\" REVOKE ALL ON FUNCTIONS FROM PUBLIC, \"o\"\"; --\"");
	EXPECT_FALSE(pgclone::core::default_privileges_reset_sql("o", 'x'));
}

TEST(RoleSettings, NameQuotedPartByPartValuesAsLiterals) {
	EXPECT_EQ(pgclone::core::alter_role_set_sql("r\"; --", std::nullopt, "search_path", {"$user", "it's; --"}),
	          "ALTER ROLE \"r\"\"; --\" SET \"search_path\" = '$user', 'it''s; --'");
	EXPECT_EQ(pgclone::core::alter_role_set_sql("r", std::string("d\"b"), "app.x\"y", {"1"}),
	          "ALTER ROLE \"r\" IN DATABASE \"d\"\"b\" SET \"app\".\"x\"\"y\" = '1'");
	EXPECT_EQ(pgclone::core::alter_role_set_sql("r", std::nullopt, "search_path", {}),
	          "ALTER ROLE \"r\" SET \"search_path\" = ''");
}

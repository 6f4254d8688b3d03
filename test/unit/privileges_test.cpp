#include <gtest/gtest.h>

#include "pgclone/core/privileges.hpp"

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

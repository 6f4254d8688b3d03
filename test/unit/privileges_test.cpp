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

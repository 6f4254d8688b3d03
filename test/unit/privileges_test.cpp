#include <gtest/gtest.h>

#include "pgclone/core/privileges.hpp"

using pgclone::core::is_known_privilege;

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

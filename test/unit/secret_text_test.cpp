#include <gtest/gtest.h>

#include <string>

#include "pgclone/core/secret_text.hpp"

using pgclone::core::may_carry_pgclone_secret;

TEST(SecretText, NothingWithoutPgclone) {
	EXPECT_FALSE(may_carry_pgclone_secret(nullptr));
	EXPECT_FALSE(may_carry_pgclone_secret(""));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT dblink('password=x', 'select 1')"));
	EXPECT_FALSE(may_carry_pgclone_secret("ALTER ROLE u PASSWORD 'x'"));
}

TEST(SecretText, PgcloneWithoutSecret) {
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT pgclone.table(1)"));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT pgclone.table(current_setting('my.conninfo'), 's', 't')"));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT * FROM pgclone.jobs_view"));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT pgclone.table('host=h user=u', 's', 't')"));
}

TEST(SecretText, Keywords) {
	EXPECT_TRUE(may_carry_pgclone_secret("SELECT pgclone.table('host=h password=x', 's', 't')"));
	EXPECT_TRUE(may_carry_pgclone_secret("select PGCLONE.TABLE('host=h PASSWORD=x', 's', 't')"));
	EXPECT_TRUE(may_carry_pgclone_secret("SELECT pgclone.table('host=h sslpassword=x', 's', 't')"));
	EXPECT_TRUE(may_carry_pgclone_secret("SELECT pgclone.table('oauth_client_secret=x', 's', 't')"));
	EXPECT_TRUE(may_carry_pgclone_secret(
	    R"(SELECT pgclone.schema('host=h', 's', true, '{"masks": {"t": {"c": {"strategy": "pseudonymize", "Salt": "k"}}}}'))"));
	// the keyword anywhere in the statement, before or after the call
	EXPECT_TRUE(may_carry_pgclone_secret(
	    "WITH c AS (SELECT 'password=x' AS ci) SELECT pgclone.table(ci, 's', 't') FROM c"));
}

TEST(SecretText, UriUserInfo) {
	EXPECT_TRUE(may_carry_pgclone_secret("SELECT pgclone.table('postgresql://u:pw@h/db', 's', 't')"));
	EXPECT_TRUE(may_carry_pgclone_secret(
	    "SELECT pgclone.table('dbname=''postgres://u:pw@/db?host=/tmp''', 's', 't')"));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT pgclone.table('postgresql://h/db', 's', 't')"));
	EXPECT_FALSE(may_carry_pgclone_secret("SELECT pgclone.table('host=h user=a@b', 's', 't')")); // no URI
}

TEST(SecretText, LongText) {
	std::string s = "SELECT pgclone.table('host=h " + std::string(1 << 20, 'a') + "', 's', 't')";
	EXPECT_FALSE(may_carry_pgclone_secret(s.c_str()));
	s += " -- password";
	EXPECT_TRUE(may_carry_pgclone_secret(s.c_str()));
}

#include <gtest/gtest.h>

#include "pgclone/core/ddl.hpp"

using namespace pgclone::core;

namespace {
ColumnDef col(const char *name, const char *type) {
	ColumnDef c;
	c.name = name;
	c.type = type;
	return c;
}
} // namespace

TEST(Ddl, QuoteIdentAlwaysQuotesAndDoublesQuotes) {
	EXPECT_EQ(quote_ident("plain"), "\"plain\"");
	EXPECT_EQ(quote_ident("Mixed Case"), "\"Mixed Case\"");
	EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
	EXPECT_EQ(quote_ident("tëst"), "\"tëst\"");
	EXPECT_EQ(quote_ident(""), "\"\"");
}

TEST(Ddl, QuoteLiteralMatchesServerRules) {
	EXPECT_EQ(quote_literal("abc"), "'abc'");
	EXPECT_EQ(quote_literal("it's"), "'it''s'");
	EXPECT_EQ(quote_literal("a\\b"), "E'a\\\\b'");
	EXPECT_EQ(quote_literal("a\\'b"), "E'a\\\\''b'");
}

TEST(Ddl, QualifiedAndDisplayNames) {
	EXPECT_EQ(qualified_name("s", "t"), "\"s\".\"t\"");
	EXPECT_EQ(display_name("s", "t"), "s.t");
}

TEST(Ddl, CreateTableWithEveryColumnKind) {
	TableDef t;
	t.schema = "app";
	t.name = "Orders";
	ColumnDef id = col("id", "integer");
	id.identity = 'a';
	id.identity_options = "START WITH 5";
	id.not_null = true;
	ColumnDef name = col("name", "character varying(40)");
	name.collation = "\"pg_catalog\".\"C\"";
	name.default_expr = "'x'::character varying";
	name.not_null = true;
	ColumnDef total = col("total", "numeric(10,2)");
	total.generated = 's';
	total.generated_expr = "(price * 2)";
	t.columns = {id, name, total};
	EXPECT_EQ(create_table_sql(t),
	          "CREATE TABLE \"app\".\"Orders\" (\n"
	          "    \"id\" integer GENERATED ALWAYS AS IDENTITY (START WITH 5) NOT NULL,\n"
	          "    \"name\" character varying(40) COLLATE \"pg_catalog\".\"C\" DEFAULT "
	          "'x'::character varying NOT NULL,\n"
	          "    \"total\" numeric(10,2) GENERATED ALWAYS AS ((price * 2)) STORED\n"
	          ")");
	EXPECT_EQ(copy_column_names(t), (std::vector<std::string>{"id", "name"}));
}

// PostgreSQL 18 virtual generated columns: written as VIRTUAL and, like stored ones, never
// part of the COPY column list.
TEST(Ddl, VirtualGeneratedColumn) {
	TableDef t;
	t.schema = "s";
	t.name = "v";
	ColumnDef twice = col("twice", "integer");
	twice.generated = 'v';
	twice.generated_expr = "(a * 2)";
	t.columns = {col("a", "integer"), twice};
	EXPECT_EQ(create_table_sql(t), "CREATE TABLE \"s\".\"v\" (\n"
	                               "    \"a\" integer,\n"
	                               "    \"twice\" integer GENERATED ALWAYS AS ((a * 2)) VIRTUAL\n"
	                               ")");
	EXPECT_EQ(copy_column_names(t), (std::vector<std::string>{"a"}));
}

TEST(Ddl, CreateUnloggedPartitionedAndEmpty) {
	TableDef t;
	t.schema = "s";
	t.name = "p";
	t.unlogged = true;
	EXPECT_EQ(create_table_sql(t), "CREATE UNLOGGED TABLE \"s\".\"p\" ()");
	t.unlogged = false;
	t.columns = {col("k", "date")};
	t.partition_key = "RANGE (k)";
	EXPECT_EQ(create_table_sql(t), "CREATE TABLE \"s\".\"p\" (\n    \"k\" date\n) PARTITION BY RANGE (k)");
}

TEST(Ddl, SetvalQuotesTheSequenceName) {
	EXPECT_EQ(setval_sql("\"s\".\"o'q\"", "42", true),
	          "SELECT pg_catalog.setval('\"s\".\"o''q\"'::pg_catalog.regclass, 42, true)");
	EXPECT_EQ(setval_sql("\"s\".\"q\"", "-5", false),
	          "SELECT pg_catalog.setval('\"s\".\"q\"'::pg_catalog.regclass, -5, false)");
}

TEST(Ddl, InheritsListsOnlyTheChildsOwnColumnsAndATablespace) {
	TableDef t;
	t.schema = "s";
	t.name = "child";
	auto inherited = col("id", "integer");
	inherited.inherited_only = true;
	t.columns = {inherited, col("seats", "integer")};
	EXPECT_EQ(create_table_sql(t), "CREATE TABLE \"s\".\"child\" (\n    \"id\" integer,\n    \"seats\" integer\n)");
	t.inherits = {{"s", "p\"; --"}, {"o", "tag"}};
	t.tablespace = "ts \"x\"";
	EXPECT_EQ(create_table_sql(t), "CREATE TABLE \"s\".\"child\" (\n    \"seats\" integer\n) INHERITS (\"s\".\"p\"\"; --\", "
	                               "\"o\".\"tag\") TABLESPACE \"ts \"\"x\"\"\"");
	t.columns = {inherited};
	t.tablespace.reset();
	EXPECT_EQ(create_table_sql(t), "CREATE TABLE \"s\".\"child\" () INHERITS (\"s\".\"p\"\"; --\", \"o\".\"tag\")");
}

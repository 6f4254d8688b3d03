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

TEST(Ddl, CreatePartitionOfNamesParentBoundKeyAndTablespace) {
	TableDef t;
	t.schema = "app";
	t.name = "m 2024";
	t.columns = {col("id", "integer")};
	EXPECT_EQ(create_partition_of_sql(t, "\"app\".\"m\" FOR VALUES FROM (1) TO (10)"),
	          "CREATE TABLE \"app\".\"m 2024\" PARTITION OF \"app\".\"m\" FOR VALUES FROM (1) TO (10)");
	t.unlogged = true;
	t.partition_key = "LIST (id)";
	t.tablespace = "fast\"disk";
	EXPECT_EQ(create_partition_of_sql(t, "\"app\".\"m\" DEFAULT"),
	          "CREATE UNLOGGED TABLE \"app\".\"m 2024\" PARTITION OF \"app\".\"m\" DEFAULT PARTITION BY LIST (id) "
	          "TABLESPACE \"fast\"\"disk\"");
}

namespace {
TableDef two_columns() {
	TableDef t;
	ColumnDef id = col("id", "integer");
	id.not_null = true;
	id.default_expr = "nextval('app.m_id_seq'::regclass)";
	ColumnDef name = col("Name", "text");
	name.collation = "\"C\"";
	t.columns = {id, name};
	return t;
}
} // namespace

TEST(Ddl, PartitionOfNeedsNoFixupForTheParentsColumns) {
	auto fixups = partition_of_fixups(two_columns(), two_columns(), "\"app\".\"p\"");
	ASSERT_TRUE(fixups.has_value());
	EXPECT_TRUE(fixups->empty());
}

TEST(Ddl, PartitionOfSetsThePartitionsOwnDefaultsAndNotNull) {
	TableDef part = two_columns();
	part.columns[0].default_expr.reset();
	part.columns[1].default_expr = "'x'::text";
	part.columns[1].not_null = true;
	auto fixups = partition_of_fixups(part, two_columns(), "\"app\".\"p\"");
	ASSERT_TRUE(fixups.has_value());
	EXPECT_EQ(*fixups, (std::vector<std::string>{
	                       "ALTER TABLE \"app\".\"p\" ALTER COLUMN \"id\" DROP DEFAULT",
	                       "ALTER TABLE \"app\".\"p\" ALTER COLUMN \"Name\" SET DEFAULT 'x'::text",
	                       "ALTER TABLE \"app\".\"p\" ALTER COLUMN \"Name\" SET NOT NULL",
	                   }));
}

TEST(Ddl, PartitionOfRefusedWhereTheColumnsDiffer) {
	const TableDef parent = two_columns();
	const std::string q = "\"app\".\"p\"";
	TableDef other = two_columns();
	std::swap(other.columns[0], other.columns[1]); // another order
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	other = two_columns();
	other.columns.pop_back(); // fewer columns
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	other = two_columns();
	other.columns[1].type = "character varying(10)";
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	other = two_columns();
	other.columns[1].collation.reset();
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	other = two_columns();
	other.columns[0].not_null = false; // the parent's NOT NULL missing
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	other = two_columns();
	other.columns[1].generated = 's';
	other.columns[1].generated_expr = "upper(\"Name\")";
	EXPECT_FALSE(partition_of_fixups(other, parent, q).has_value());
	TableDef identity_parent = two_columns();
	identity_parent.columns[0].identity = 'd';
	EXPECT_FALSE(partition_of_fixups(two_columns(), identity_parent, q).has_value());
}

TEST(Ddl, PartitionOfRefusedInAnotherTablespaceThanTheParents) {
	// Without TABLESPACE, PARTITION OF would put it in the parent's.
	TableDef part = two_columns(), parent = two_columns();
	parent.tablespace = "fast";
	EXPECT_FALSE(partition_of_fixups(part, parent, "\"app\".\"p\"").has_value());
	part.tablespace = "fast";
	EXPECT_TRUE(partition_of_fixups(part, parent, "\"app\".\"p\"").has_value());
}

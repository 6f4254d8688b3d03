#include <gtest/gtest.h>

#include "pgclone/core/text_objects.hpp"

using namespace pgclone::core;

TEST(TextObjects, LibcCollationQuotesNameAndLocales) {
	TextObjectDef d;
	d.kind = TextObjectKind::Collation;
	d.schema = "lib";
	d.name = "odd \"x\"; --";
	d.provider = 'c';
	d.collate = "C";
	d.ctype = "it's";
	d.deterministic = true;
	EXPECT_EQ(text_object_create_sql(d),
	          "CREATE COLLATION \"lib\".\"odd \"\"x\"\"; --\" (provider = libc, lc_collate = 'C', lc_ctype = 'it''s')");
}

TEST(TextObjects, IcuCollationWithRulesAndNondeterministic) {
	TextObjectDef d;
	d.kind = TextObjectKind::Collation;
	d.schema = "s";
	d.name = "ci";
	d.provider = 'i';
	d.locale = "und-u-ks-level2";
	d.icu_rules = "&a < b";
	d.deterministic = false;
	EXPECT_EQ(text_object_create_sql(d), "CREATE COLLATION \"s\".\"ci\" (provider = icu, locale = 'und-u-ks-level2', "
	                                     "rules = '&a < b', deterministic = false)");
}

TEST(TextObjects, ParserLeavesOutUnsetFunctions) {
	TextObjectDef d;
	d.kind = TextObjectKind::Parser;
	d.schema = "s";
	d.name = "p";
	d.functions = {ObjectName{"pg_catalog", "prsd_start"}, ObjectName{"pg_catalog", "prsd_nexttoken"},
	               ObjectName{"pg_catalog", "prsd_end"}, ObjectName{"pg_catalog", "prsd_lextype"}, std::nullopt};
	EXPECT_EQ(text_object_create_sql(d),
	          "CREATE TEXT SEARCH PARSER \"s\".\"p\" (START = \"pg_catalog\".\"prsd_start\", GETTOKEN = "
	          "\"pg_catalog\".\"prsd_nexttoken\", END = \"pg_catalog\".\"prsd_end\", LEXTYPES = "
	          "\"pg_catalog\".\"prsd_lextype\")");
}

TEST(TextObjects, DictionaryKeepsItsOptionsAndConfigurationItsMappings) {
	TextObjectDef dict;
	dict.kind = TextObjectKind::Dictionary;
	dict.schema = "s";
	dict.name = "d";
	dict.base = {"s", "tmpl"};
	dict.options = "stopwords = 'english'";
	EXPECT_EQ(text_object_create_sql(dict),
	          "CREATE TEXT SEARCH DICTIONARY \"s\".\"d\" (TEMPLATE = \"s\".\"tmpl\", stopwords = 'english')");

	TextObjectDef cfg;
	cfg.kind = TextObjectKind::Configuration;
	cfg.schema = "s";
	cfg.name = "c";
	cfg.base = {"pg_catalog", "default"};
	cfg.mappings = {{"asciiword", {{"s", "d"}, {"pg_catalog", "simple"}}}, {"int", {}}};
	cfg.comment = "docs";
	EXPECT_EQ(text_object_create_sql(cfg), "CREATE TEXT SEARCH CONFIGURATION \"s\".\"c\" (PARSER = \"pg_catalog\".\"default\")");
	auto then = text_object_then_sql(cfg);
	ASSERT_EQ(then.size(), 2u);
	EXPECT_EQ(then[0], "ALTER TEXT SEARCH CONFIGURATION \"s\".\"c\" ADD MAPPING FOR \"asciiword\" WITH \"s\".\"d\", "
	                   "\"pg_catalog\".\"simple\"");
	EXPECT_EQ(then[1], "COMMENT ON TEXT SEARCH CONFIGURATION \"s\".\"c\" IS 'docs'");
}

TEST(TextObjects, KindWordsForMessages) {
	EXPECT_EQ(text_object_kind_word(TextObjectKind::Configuration), "text search configuration");
	EXPECT_EQ(text_object_kind_word(TextObjectKind::Collation), "collation");
}

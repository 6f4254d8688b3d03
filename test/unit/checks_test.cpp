// Pure logic behind clone_roles, verify, diff and preflight.
#include <gtest/gtest.h>

#include "pgclone/core/error.hpp"
#include "pgclone/core/preflight_report.hpp"
#include "pgclone/core/role_list.hpp"
#include "pgclone/core/schema_diff.hpp"
#include "pgclone/core/verify_options.hpp"

using namespace pgclone::core;

namespace {

std::string sqlstate_of(const std::function<void()> &f) {
	try {
		f();
	} catch (const Error &e) {
		return e.sqlstate();
	}
	return "none";
}

std::string message_of(const std::function<void()> &f) {
	try {
		f();
	} catch (const Error &e) {
		return e.what();
	}
	return "";
}

} // namespace

TEST(VerifyOptions, DefaultsToFast) {
	EXPECT_EQ(parse_verify_options(""), VerifyMode::Fast);
	EXPECT_EQ(parse_verify_options("  \n"), VerifyMode::Fast);
	EXPECT_EQ(parse_verify_options("null"), VerifyMode::Fast);
	EXPECT_EQ(parse_verify_options("{}"), VerifyMode::Fast);
}

TEST(VerifyOptions, Modes) {
	EXPECT_EQ(parse_verify_options(R"({"mode": "fast"})"), VerifyMode::Fast);
	EXPECT_EQ(parse_verify_options(R"({"mode": "exact"})"), VerifyMode::Exact);
	EXPECT_EQ(parse_verify_options(R"( {"mode":"checksum"} )"), VerifyMode::Checksum);
	EXPECT_STREQ(to_string(VerifyMode::Checksum), "checksum");
}

TEST(VerifyOptions, RejectsUnknownMode) {
	auto f = [] { parse_verify_options(R"({"mode": "EXACT"})"); };
	EXPECT_EQ(sqlstate_of(f), "22023");
	EXPECT_EQ(message_of(f), "unknown verify mode \"EXACT\"; valid modes are: fast, exact, checksum");
}

TEST(VerifyOptions, RejectsUnknownKey) {
	auto f = [] { parse_verify_options(R"({"mode": "exact", "mdoe": "fast"})"); };
	EXPECT_EQ(sqlstate_of(f), "22023");
	EXPECT_EQ(message_of(f), "unknown verify option \"mdoe\"; valid options are \"mode\" and \"subset\"");
}

TEST(VerifyOptions, Subset) {
	auto o = parse_verify_options_full(R"({"subset": {"where": {"orders": "id < 5"}, "subset": "restrict", "masks": {}}})");
	EXPECT_EQ(o.mode, VerifyMode::Exact);
	ASSERT_TRUE(o.subset.has_value());
	EXPECT_EQ(pgclone::core::subset_mode(*o.subset), pgclone::core::SubsetMode::Restrict);
	EXPECT_EQ(parse_verify_options_full(R"({"mode": "checksum", "subset": {"sample": {"t": 5}}})").mode, VerifyMode::Checksum);
	EXPECT_FALSE(parse_verify_options_full(R"({"mode": "exact"})").subset.has_value());
	EXPECT_EQ(message_of([] { parse_verify_options_full(R"({"mode": "fast", "subset": {"sample": {"t": 5}}})"); }),
	          "verify mode \"fast\" cannot compare a subset");
	EXPECT_EQ(message_of([] { parse_verify_options_full(R"({"subset": {"masks": {}}})"); }),
	          "verify option \"subset\" must hold option \"where\" (an object) or \"sample\"");
	EXPECT_EQ(message_of([] { parse_verify_options_full(R"({"subset": "parents"})"); }),
	          "verify option \"subset\" must be an object");
	EXPECT_EQ(message_of([] { parse_verify_options_full(R"({"subset": {"wher": {}}})"); }), "unknown option \"wher\"");
}

TEST(VerifyOptions, RejectsWrongShapes) {
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"({"mode": 1})"); }), "22023");
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"({"mode": null})"); }), "22023");
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"(["exact"])"); }), "22023");
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"("exact")"); }), "22023");
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"({"mode": "exact")"); }), "22P02");
	EXPECT_EQ(sqlstate_of([] { parse_verify_options(R"({"mode": "exact"} x)"); }), "22P02");
}

TEST(VerifyOptions, RejectsDuplicateKey) {
	auto f = [] { parse_verify_options(R"({"mode": "exact", "mode": "fast"})"); };
	EXPECT_EQ(message_of(f), "verify option \"mode\" is given more than once");
}

TEST(VerifyOptions, MatchText) {
	EXPECT_STREQ(verify_match_text(false, true), "✓");
	EXPECT_STREQ(verify_match_text(false, false), "✗");
	EXPECT_STREQ(verify_match_text(true, false), "✗ (missing)");
}

TEST(RoleList, SplitsAndTrims) {
	EXPECT_EQ(parse_role_list("test_reader, test_writer"),
	          (std::vector<std::string>{"test_reader", "test_writer"}));
	EXPECT_EQ(parse_role_list("  a ,b,\tc  "), (std::vector<std::string>{"a", "b", "c"}));
	EXPECT_EQ(parse_role_list("solo"), (std::vector<std::string>{"solo"}));
}

TEST(RoleList, KeepsCaseAndInnerSpaces) {
	EXPECT_EQ(parse_role_list("Admin Team, x"), (std::vector<std::string>{"Admin Team", "x"}));
}

TEST(RoleList, QuotedNames) {
	EXPECT_EQ(parse_role_list(R"("a,b" , "say ""hi""", c)"),
	          (std::vector<std::string>{"a,b", "say \"hi\"", "c"}));
}

TEST(RoleList, DropsDuplicates) {
	EXPECT_EQ(parse_role_list("a, b, a"), (std::vector<std::string>{"a", "b"}));
}

TEST(RoleList, RejectsEmpty) {
	EXPECT_EQ(message_of([] { parse_role_list(""); }), "role list is empty");
	EXPECT_EQ(message_of([] { parse_role_list("  "); }), "role list is empty");
	EXPECT_EQ(message_of([] { parse_role_list("a,,b"); }), "role list contains an empty name");
	EXPECT_EQ(message_of([] { parse_role_list("a,"); }), "role list contains an empty name");
	EXPECT_EQ(message_of([] { parse_role_list("\"\""); }), "role list contains an empty name");
	EXPECT_EQ(message_of([] { parse_role_list("\"abc"); }), "unterminated quoted role name in role list");
	EXPECT_EQ(sqlstate_of([] { parse_role_list("\"a\" b"); }), "22023");
}

namespace {

SchemaFacts sample() {
	SchemaFacts f;
	f.exists = true;
	f.tables.push_back({"customers",
	                    "table",
	                    {{"id", "integer", true, std::string("nextval('s.customers_id_seq'::regclass)")},
	                     {"name", "text", true, std::nullopt},
	                     {"score", "integer", false, std::nullopt}}});
	f.indexes.push_back(
	    {"idx_status", "customers", "CREATE INDEX idx_status ON s.customers USING btree (status)"});
	f.constraints.push_back({"customers_pkey", "customers", "PRIMARY KEY (id)"});
	f.triggers.push_back({"trg", "customers", "CREATE TRIGGER trg BEFORE UPDATE ON s.customers ..."});
	f.views.push_back({"v", "", " SELECT customers.id\n   FROM s.customers;"});
	f.materialized_views.push_back({"mv", "", " SELECT 1;"});
	f.sequences.push_back({"customers_id_seq", "", "CREATE SEQUENCE s.customers_id_seq AS integer"});
	return f;
}

} // namespace

TEST(SchemaDiff, IdenticalIsInSync) {
	auto j = diff_schemas("s", sample(), sample());
	EXPECT_TRUE(j["in_sync"].get<bool>());
	EXPECT_TRUE(j["summary"]["in_sync"].get<bool>());
	EXPECT_EQ(j["summary"]["modified"], 0);
	EXPECT_EQ(j["tables"]["modified"].size(), 0u);
	EXPECT_EQ(j["schema"], "s");
}

TEST(SchemaDiff, ColumnDrift) {
	SchemaFacts t = sample();
	t.tables[0].columns[2].type = "bigint";
	t.tables[0].columns[1].not_null = false;
	t.tables[0].columns[1].default_expr = "'x'::text";
	t.tables[0].columns.push_back({"extra", "text", false, std::nullopt});
	auto j = diff_schemas("s", sample(), t);
	EXPECT_FALSE(j["in_sync"].get<bool>());
	ASSERT_EQ(j["tables"]["modified"].size(), 1u);
	auto m = j["tables"]["detail"]["modified"][0];
	EXPECT_EQ(m["name"], "customers");
	ASSERT_EQ(m["columns"]["modified"].size(), 2u);
	EXPECT_EQ(m["columns"]["modified"][0]["name"], "name");
	EXPECT_EQ(m["columns"]["modified"][0]["changes"], nlohmann::ordered_json({"nullable", "default"}));
	EXPECT_EQ(m["columns"]["modified"][0]["source"]["nullable"], false);
	EXPECT_EQ(m["columns"]["modified"][0]["target"]["default"], "'x'::text");
	EXPECT_EQ(m["columns"]["modified"][1]["changes"], nlohmann::ordered_json({"type"}));
	EXPECT_EQ(m["columns"]["modified"][1]["source"]["type"], "integer");
	EXPECT_EQ(m["columns"]["modified"][1]["target"]["type"], "bigint");
	EXPECT_EQ(m["columns"]["only_in_target"][0]["name"], "extra");
	EXPECT_EQ(j["summary"]["modified"], 1);
}

TEST(SchemaDiff, OnlyInEachSideAndModifiedDefinitions) {
	SchemaFacts t = sample();
	t.indexes.clear();
	t.indexes.push_back(
	    {"idx_extra", "customers", "CREATE INDEX idx_extra ON s.customers USING btree (name)"});
	t.views[0].definition = " SELECT customers.id, customers.name\n   FROM s.customers;";
	t.tables.push_back({"new_table", "table", {}});
	auto j = diff_schemas("s", sample(), t);
	EXPECT_EQ(j["indexes"]["detail"]["only_in_source"][0]["name"], "idx_status");
	EXPECT_EQ(j["indexes"]["detail"]["only_in_source"][0]["table"], "customers");
	EXPECT_EQ(j["indexes"]["detail"]["only_in_target"][0]["name"], "idx_extra");
	EXPECT_EQ(j["views"]["detail"]["modified"][0]["name"], "v");
	EXPECT_EQ(j["views"]["detail"]["modified"][0]["source"], " SELECT customers.id\n   FROM s.customers;");
	EXPECT_FALSE(j["views"]["detail"]["modified"][0].contains("table"));
	EXPECT_EQ(j["tables"]["detail"]["only_in_target"][0]["name"], "new_table");
	EXPECT_EQ(j["summary"]["only_in_source"], 1);
	EXPECT_EQ(j["summary"]["only_in_target"], 2);
	EXPECT_EQ(j["summary"]["modified"], 1);
}

TEST(SchemaDiff, TheOriginalsShapeNameListsAndDiffCount) {
	SchemaFacts t = sample();
	t.indexes.clear();
	t.indexes.push_back(
	    {"idx_extra", "customers", "CREATE INDEX idx_extra ON s.customers USING btree (name)"});
	t.views[0].definition = " SELECT customers.id, customers.name\n   FROM s.customers;";
	t.tables.push_back({"new_table", "table", {}});
	auto j = diff_schemas("s", sample(), t);
	// Every section's lists are object names, so that jsonb's ? finds them.
	EXPECT_EQ(j["tables"]["only_in_target"], nlohmann::ordered_json({"new_table"}));
	EXPECT_EQ(j["indexes"]["only_in_source"], nlohmann::ordered_json({"idx_status"}));
	EXPECT_EQ(j["indexes"]["only_in_target"], nlohmann::ordered_json({"idx_extra"}));
	EXPECT_EQ(j["views"]["modified"], nlohmann::ordered_json({"v"}));
	EXPECT_EQ(j["sequences"]["modified"], nlohmann::ordered_json::array());
	EXPECT_EQ(j["diff_count"], 4);
	EXPECT_EQ(diff_schemas("s", sample(), sample())["diff_count"], 0);
}

TEST(SchemaDiff, WhitespaceOnlyDifferenceIsNotDrift) {
	SchemaFacts t = sample();
	t.views[0].definition = "SELECT customers.id FROM s.customers;";
	EXPECT_TRUE(diff_schemas("s", sample(), t)["in_sync"].get<bool>());
	EXPECT_EQ(normalize_definition("  a \n\t b  "), "a b");
}

TEST(SchemaDiff, ConstraintsKeyedByTable) {
	SchemaFacts s = sample(), t = sample();
	t.constraints[0].table = "other";
	auto j = diff_schemas("s", s, t);
	EXPECT_EQ(j["constraints"]["only_in_source"].size(), 1u);
	EXPECT_EQ(j["constraints"]["only_in_target"].size(), 1u);
}

TEST(SchemaDiff, MissingTargetSchema) {
	SchemaFacts t;
	auto j = diff_schemas("s", sample(), t);
	EXPECT_FALSE(j["target_schema_exists"].get<bool>());
	EXPECT_FALSE(j["in_sync"].get<bool>());
	EXPECT_EQ(j["summary"]["only_in_source"], 7);
}

TEST(Preflight, ReadyOnlyWithoutErrors) {
	PreflightReport r("s");
	r.add("source_connection", CheckStatus::Pass, {{"server", "x"}});
	r.add("version_compat", CheckStatus::Warn, {{"source_major", 17}}, "source is newer");
	r.add("target_version", CheckStatus::Info, {}, "PostgreSQL 15");
	auto j = r.to_json();
	EXPECT_TRUE(j["ready"].get<bool>());
	EXPECT_EQ(j["summary"]["checks_run"], 3);
	EXPECT_EQ(j["summary"]["warnings"][0], "version_compat: source is newer");
	EXPECT_EQ(j["summary"]["info"][0], "target_version: PostgreSQL 15");
	EXPECT_EQ(j["checks"]["source_connection"]["status"], "pass");
	EXPECT_EQ(j["checks"]["source_connection"]["server"], "x");

	r.add("schema_exists_source", CheckStatus::Fail, {}, "schema \"s\" does not exist on the source server");
	r.add("object_counts", CheckStatus::Skipped, {{"reason", "no schema"}});
	j = r.to_json();
	EXPECT_FALSE(j["ready"].get<bool>());
	EXPECT_EQ(j["summary"]["errors"].size(), 1u);
	EXPECT_EQ(j["summary"]["checks_run"], 4);
	EXPECT_EQ(j["checks"]["object_counts"]["status"], "skipped");
	EXPECT_EQ(j.begin().key(), "schema");
}

TEST(Preflight, CheckRecordedOnce) {
	PreflightReport r("s");
	r.add("a", CheckStatus::Pass, {});
	EXPECT_THROW(r.add("a", CheckStatus::Pass, {}), Error);
}

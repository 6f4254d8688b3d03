#include <gtest/gtest.h>

#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/schema_plan.hpp"

using namespace pgclone::core;
using nlohmann::json;

// --- dependency_order -----------------------------------------------------------

TEST(DependencyOrder, KeepsInputOrderWithoutDependencies) {
	std::vector<OrderNode> n(3);
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(DependencyOrder, ViewOnViewComesAfterItsBase) {
	// 0: top_active_customers depends on 1: active_customers
	std::vector<OrderNode> n(2);
	n[0].deps = {1};
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{1, 0}));
}

TEST(DependencyOrder, ChainAndDiamond) {
	// 0 <- 1 <- 3, 0 <- 2 <- 3
	std::vector<OrderNode> n(4);
	n[3].deps = {1, 2};
	n[1].deps = {0};
	n[2].deps = {0};
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{0, 1, 2, 3}));
	std::vector<OrderNode> r(4); // same graph, reversed numbering
	r[0].deps = {1, 2};
	r[1].deps = {3};
	r[2].deps = {3};
	EXPECT_EQ(dependency_order(r), (std::vector<std::size_t>{3, 1, 2, 0}));
}

TEST(DependencyOrder, RankBreaksTiesSoViewsPrecedeMatviews) {
	// 0: matview (rank 1), 1: view (rank 0), 2: view depending on the matview
	std::vector<OrderNode> n(3);
	n[0].rank = 1;
	n[2].deps = {0};
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{1, 0, 2}));
}

TEST(DependencyOrder, IgnoresUnknownSelfAndDuplicateDependencies) {
	std::vector<OrderNode> n(2);
	n[0].deps = {0, 7, 1, 1};
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{1, 0}));
}

TEST(DependencyOrder, CycleMembersFollowInInputOrder) {
	std::vector<OrderNode> n(4);
	n[0].deps = {1};
	n[1].deps = {0};
	n[3].deps = {0};
	EXPECT_EQ(dependency_order(n), (std::vector<std::size_t>{2, 0, 1, 3}));
}

// --- masks ---------------------------------------------------------------------------

TEST(MaskForTable, QualifiedKeyWinsOverBareName) {
	json masks = json::parse(R"({"employees": {"email": "email"}, "hr.employees": {"ssn": "null"}})");
	EXPECT_EQ(*mask_for_table(masks, "hr", "employees"), json::parse(R"({"ssn": "null"})"));
	EXPECT_EQ(*mask_for_table(masks, "sales", "employees"), json::parse(R"({"email": "email"})"));
	EXPECT_FALSE(mask_for_table(masks, "hr", "candidates").has_value());
}

TEST(MaskForTable, PartitionInheritsTheNearestAncestorsMask) {
	json masks = json::parse(R"({"people": {"email": "email"}, "app.people_eu": {"ssn": "null"}})");
	const std::vector<std::pair<std::string, std::string>> chain = {{"app", "people_eu"}, {"app", "people"}};
	// A leaf two levels down gets its parent's (the nearer) mask, not the root's.
	EXPECT_EQ(*mask_for_table(masks, "app", "people_eu_low", chain), json::parse(R"({"ssn": "null"})"));
	// A leaf of the root gets the root's.
	EXPECT_EQ(*mask_for_table(masks, "app", "people_us", {{"app", "people"}}),
	          json::parse(R"({"email": "email"})"));
	// No ancestor masked: unmasked.
	EXPECT_FALSE(mask_for_table(masks, "app", "other_part", {{"app", "other"}}).has_value());
}

TEST(MaskForTable, PartitionsOwnKeyWinsOverItsParents) {
	json masks = json::parse(R"({"people": {"email": "email"}, "people_us": {"email": "null"}})");
	EXPECT_EQ(*mask_for_table(masks, "app", "people_us", {{"app", "people"}}), json::parse(R"({"email": "null"})"));
}

TEST(MaskForTable, AncestorsKeysAreSchemaQualifiedWhereTheyLive) {
	// A parent in another schema is found by its own schema's key.
	json masks = json::parse(R"({"hist.people": {"email": "email"}})");
	EXPECT_TRUE(mask_for_table(masks, "app", "people_2024", {{"hist", "people"}}).has_value());
	EXPECT_FALSE(mask_for_table(masks, "app", "people_2024", {{"app", "people"}}).has_value());
}

TEST(MaskForTable, NoMasksMeansUnmasked) {
	EXPECT_FALSE(mask_for_table(json(), "s", "t").has_value());
}

TEST(MaskForTable, UnmatchedKeysAreReported) {
	json masks =
	    json::parse(R"({"employees": {}, "hr.candidates": {}, "sales.employees": {}, "employes": {}})");
	std::vector<std::pair<std::string, std::string>> tables = {{"hr", "employees"}, {"hr", "candidates"}};
	EXPECT_EQ(unmatched_mask_keys(masks, tables), (std::vector<std::string>{"employes", "sales.employees"}));
}

// --- options -------------------------------------------------------------------------

namespace {
std::string rejection(const char *options) {
	try {
		check_multi_table_options(parse_options(options), "pgclone.schema");
	} catch (const Error &e) {
		return std::string(e.sqlstate()) + " " + e.what();
	}
	return "accepted";
}
} // namespace

TEST(MultiTableOptions, AcceptsSchemaOptions) {
	EXPECT_EQ(rejection(R"({"indexes": false, "triggers": false, "matviews": false, "conflict": "replace",
	    "masks": {"t": {"c": "null"}}, "tables": ["a.*"], "exclude_tables": ["b"], "consistent": false,
	    "analyze": false})"),
	          "accepted");
	EXPECT_EQ(rejection(R"({"snapshot_id": "00000003-0000001B-1"})"), "accepted");
}

TEST(MultiTableOptions, RejectsTableOnlyKeys) {
	EXPECT_EQ(rejection(R"({"columns": ["id"]})"),
	          "22023 option \"columns\" is not supported by pgclone.schema()");
	EXPECT_EQ(rejection(R"({"where": "id > 1"})"),
	          "22023 option \"where\" of pgclone.schema() must be an object mapping tables to filters");
	EXPECT_EQ(rejection(R"({"mask": {"email": "email"}})"),
	          "22023 option \"mask\" is not supported by pgclone.schema()");
	EXPECT_EQ(rejection(R"({"parallel": 4})"),
	          "0A000 option \"parallel\" is not supported by pgclone.schema()");
	EXPECT_EQ(rejection(R"({"parallel": 1})"), "accepted");
	EXPECT_EQ(rejection(R"({"snapshot_id": "0000-1", "consistent": false})"),
	          "22023 options \"snapshot_id\" and \"consistent\": false contradict each other");
}

TEST(MultiTableOptions, SubsetOptions) {
	EXPECT_EQ(rejection(R"({"where": {"orders": "id > 1"}, "subset": "restrict"})"), "accepted");
	EXPECT_EQ(rejection(R"({"sample": {"events": 1.5}, "sample_method": "bernoulli", "seed": 42})"), "accepted");
	EXPECT_EQ(rejection(R"({"where": {"orders": "id > 1"}, "subset": "none", "consistent": false})"), "accepted");
	EXPECT_EQ(rejection(R"({"subset": "parents"})"), "22023 option \"subset\" needs option \"where\" or \"sample\"");
	EXPECT_EQ(rejection(R"({"seed": 1})"), "22023 option \"seed\" needs option \"where\" or \"sample\"");
	EXPECT_EQ(rejection(R"({"sample_method": "BERNOULLI"})"),
	          "22023 option \"sample_method\" needs option \"where\" or \"sample\"");
	EXPECT_EQ(rejection(R"({"where": {"t": "true"}, "seed": 1})"), "22023 option \"seed\" needs option \"sample\"");
	EXPECT_EQ(rejection(R"({"sample": {"t": 1}, "subset": "none", "consistent": false})"),
	          "22023 option \"sample\" needs one snapshot for the whole clone");
	EXPECT_EQ(rejection(R"({"where": {"t": "true"}, "consistent": false})"),
	          "22023 option \"subset\": \"parents\" needs one snapshot for the whole clone");
}

TEST(TableOptions, RefuseSubsetOptions) {
	auto table_rejection = [](const char *options) -> std::string {
		try {
			check_table_options(parse_options(options), "pgclone.table");
		} catch (const Error &e) {
			return std::string(e.sqlstate()) + " " + e.what();
		}
		return "accepted";
	};
	EXPECT_EQ(table_rejection(R"({"where": "id > 1"})"), "accepted");
	EXPECT_EQ(table_rejection(R"({"where": {"t": "id > 1"}})"),
	          "22023 option \"where\" is not supported by pgclone.table()");
	EXPECT_EQ(table_rejection(R"({"sample": {"t": 1}})"), "22023 option \"sample\" is not supported by pgclone.table()");
	EXPECT_EQ(table_rejection(R"({"subset": "none"})"), "22023 option \"subset\" is not supported by pgclone.table()");
	EXPECT_EQ(table_rejection(R"({"seed": 0.5})"), "22023 option \"seed\" is not supported by pgclone.table()");
	EXPECT_EQ(table_rejection(R"({"chunk_size": 1048576})"),
	          "22023 option \"chunk_size\" is not supported by pgclone.table()");
}

TEST(MultiTableOptions, ChunkSizeIsRefused) {
	// Only schema_async with a pool splits tables (jobs/submit.cpp takes
	// the option off before this check); a synchronous clone refuses it.
	EXPECT_EQ(rejection(R"({"chunk_size": 0})"), "22023 option \"chunk_size\" is not supported by pgclone.schema()");
	EXPECT_EQ(rejection(R"({"chunk_size": 268435456})"),
	          "22023 option \"chunk_size\" is not supported by pgclone.schema()");
}

// --- filters ---------------------------------------------------------------------

TEST(NameFilter, EmptyWithoutPatterns) {
	EXPECT_EQ(name_filter_sql("c.relname", 0, 0, 2), "");
}

TEST(NameFilter, IncludesThenExcludesAsAnchoredParameters) {
	const std::string m = " OPERATOR(pg_catalog.~) ('^(' OPERATOR(pg_catalog.||) ";
	const std::string e = "::pg_catalog.text OPERATOR(pg_catalog.||) ')$')";
	EXPECT_EQ(name_filter_sql("c.relname", 2, 1, 2), " AND (c.relname" + m + "$2" + e + " OR c.relname" + m +
	                                                     "$3" + e + ") AND NOT (c.relname" + m + "$4" + e +
	                                                     ")");
	EXPECT_EQ(name_filter_sql("x", 0, 1, 5), " AND NOT (x" + m + "$5" + e + ")");
}

TEST(TextArrayLiteral, QuotesEveryElement) {
	EXPECT_EQ(text_array_literal({}), "{}");
	EXPECT_EQ(text_array_literal({"public", "Test Schema"}), "{\"public\",\"Test Schema\"}");
	EXPECT_EQ(text_array_literal({"a\"b", "c\\d", "{x,y}"}), "{\"a\\\"b\",\"c\\\\d\",\"{x,y}\"}");
}

// --- result text -------------------------------------------------------------------

TEST(Summary, CleanSchemaClone) {
	CloneSummary s;
	s.tables = 4;
	s.rows = 42;
	s.views = 2;
	s.matviews = 1;
	s.functions = 3;
	s.sequences = 5;
	s.triggers = 2;
	s.seconds = 0.123;
	EXPECT_EQ(summary_text("schema test_schema", s),
	          "OK: cloned schema test_schema: 4 tables (42 rows), 2 views, 1 materialized view, 3 functions, "
	          "5 sequences, 2 triggers, 0 types in 0.12 s");
}

TEST(Summary, WarningsAreNeverAnOk) {
	CloneSummary s;
	s.tables = 1;
	s.rows = 1;
	s.warnings = 1;
	EXPECT_EQ(summary_text("schema x", s).rfind("DONE WITH 1 WARNING: cloned schema x: 1 table (1 row)", 0),
	          0u);
	s.warnings = 3;
	s.skipped_tables = 2;
	std::string t = summary_text("schema x", s);
	EXPECT_EQ(t.rfind("DONE WITH 3 WARNINGS: ", 0), 0u) << t;
	EXPECT_NE(t.find("2 tables skipped (already on the target)"), std::string::npos) << t;
}

TEST(Summary, KeptObjectsAreCountedPerKind) {
	CloneSummary s;
	s.skipped_tables = 4;
	s.kept_views = 2;
	s.kept_matviews = 1;
	s.kept_functions = 3;
	s.sequences = 1;
	s.kept_sequences = 5;
	s.kept_types = 1;
	s.seconds = 0.5;
	EXPECT_EQ(summary_text("schema x", s),
	          "OK: cloned schema x: 0 tables (0 rows), 4 tables skipped (already on the target), 0 views (2 kept), "
	          "0 materialized views (1 kept), 0 functions (3 kept), 1 sequence (5 kept), 0 triggers, 0 types (1 "
	          "kept) in 0.50 s");
}

TEST(Summary, DatabaseNamesSchemasAndExtensions) {
	CloneSummary s;
	s.schemas = 2;
	s.extensions = 1;
	EXPECT_EQ(summary_text("database", s)
	              .rfind("OK: cloned database (2 schemas, 1 extension): 0 tables (0 rows)", 0),
	          0u);
}

TEST(Summary, Functions) {
	CloneSummary s;
	s.functions = 3;
	EXPECT_EQ(functions_summary_text("test_schema", s),
	          "OK: cloned 3 functions of schema test_schema in 0.00 s");
	s.warnings = 1;
	EXPECT_EQ(functions_summary_text("test_schema", s),
	          "DONE WITH 1 WARNING: cloned 3 functions of schema test_schema in 0.00 s");
}

// --- local conninfo -------------------------------------------------------------

TEST(LocalConninfo, FirstSocketDirectory) {
	EXPECT_EQ(local_conninfo("/var/run/postgresql", 5432, "postgres", "db2"),
	          "host=/var/run/postgresql port=5432 user=postgres dbname=db2");
	EXPECT_EQ(local_conninfo(" /tmp/a , /tmp/b", 5433, "u", "d"), "host=/tmp/a port=5433 user=u dbname=d");
	EXPECT_EQ(local_conninfo("\"/tmp/with, comma\",/x", 1, "u", "d"),
	          "host='/tmp/with, comma' port=1 user=u dbname=d");
}

TEST(LocalConninfo, NoSocketMeansLocalhost) {
	EXPECT_EQ(local_conninfo("", 5432, "u", "d"), "host=localhost port=5432 user=u dbname=d");
}

TEST(LocalConninfo, ValuesAreQuotedWhenNeeded) {
	EXPECT_EQ(conninfo_value("plain"), "plain");
	EXPECT_EQ(conninfo_value(""), "''");
	EXPECT_EQ(conninfo_value("my db"), "'my db'");
	EXPECT_EQ(conninfo_value("o'hara\\x"), "'o\\'hara\\\\x'");
	EXPECT_EQ(local_conninfo("/s", 1, "Bob Smith", "x y"), "host=/s port=1 user='Bob Smith' dbname='x y'");
}

#include "pgclone/core/dry_run.hpp"

TEST(DryRun, SummaryCountsEveryKindAndConflict) {
	pgclone::core::DryRun d;
	d.subject = "schema s";
	d.conflict = "replace";
	d.steps.push_back({"schema", "s", "keep", nlohmann::json::object()});
	d.steps.push_back({"table", "s.a", "create", {{"rows_estimate", 40u}, {"bytes_estimate", 2000000u}}});
	d.steps.push_back({"table", "s.b", "replace", {{"rows_estimate", 2u}, {"bytes_estimate", 8192u}}});
	d.steps.push_back({"index", "s.a_pkey", "create", nlohmann::json::object()});
	d.steps.push_back({"index", "s.b_pkey", "create", nlohmann::json::object()});
	d.steps.push_back({"materialized view", "s.mv", "create", nlohmann::json::object()});
	d.steps.push_back({"function", "s.f()", "keep", nlohmann::json::object()});
	EXPECT_EQ(pgclone::core::dry_run_summary(d),
	          "DRY RUN: schema s: would create 0 schemas, 2 tables (~42 rows, 2.01 MB), 2 indexes, 1 materialized "
	          "view, 0 functions; 3 objects on the target (2 keep, 1 replace); nothing was changed");
	auto j = nlohmann::json::parse(pgclone::core::dry_run_text(d));
	EXPECT_EQ(j["steps"].size(), 7u);
	EXPECT_EQ(j["steps"][1]["rows_estimate"], 40u);
	EXPECT_EQ(j["steps"][2]["step"], 3u);
	EXPECT_EQ(j["conflicts"].size(), 3u);
	EXPECT_EQ(j["conflicts"][1]["name"], "s.b");
	EXPECT_EQ(j["summary"], pgclone::core::dry_run_summary(d));
}

TEST(DryRun, EmptyPlanAndOddNames) {
	pgclone::core::DryRun d;
	d.subject = "table s.\xff";
	EXPECT_EQ(pgclone::core::dry_run_summary(d), "DRY RUN: table s.\xff: would create nothing; nothing was changed");
	EXPECT_NO_THROW(nlohmann::json::parse(pgclone::core::dry_run_text(d)));
}

TEST(DryRun, OperatorKindsArePluralisedAsWords) {
	pgclone::core::DryRun d;
	d.subject = "database";
	d.steps.push_back({"operator class", "s.a using btree", "create", nlohmann::json::object()});
	d.steps.push_back({"operator class", "s.b using hash", "create", nlohmann::json::object()});
	d.steps.push_back({"operator family", "s.f using btree", "create", nlohmann::json::object()});
	d.steps.push_back({"operator family", "s.g using hash", "create", nlohmann::json::object()});
	d.steps.push_back({"cast", "(s.t AS text)", "keep", nlohmann::json::object()});
	EXPECT_EQ(pgclone::core::dry_run_summary(d),
	          "DRY RUN: database: would create 2 operator classes, 2 operator families, 0 casts; 1 object on the "
	          "target (1 keep); nothing was changed");
}

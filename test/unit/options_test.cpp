// Unit tests for core::parse_options (the where filter's shape is checked in the
// backend with PostgreSQL's parser: test/pgtap/630_row_filter.sql).

#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

namespace {

using pgclone::core::CloneOptions;
using pgclone::core::ConflictStrategy;
using pgclone::core::Error;
using pgclone::core::parse_options;
using pgclone::core::is_subset_clone;
using pgclone::core::SampleMethod;
using pgclone::core::subset_mode;
using pgclone::core::SubsetMode;

// What an expected failure produced, so a test can look at every part.
struct Failure {
	std::string sqlstate;
	std::string message;
	std::string detail;
	std::string hint;
};

template <typename F>
Failure failure_of(F &&call) {
	try {
		call();
	} catch (const Error &e) {
		return {e.sqlstate(), e.what(), e.detail(), e.hint()};
	}
	ADD_FAILURE() << "expected core::Error, nothing was thrown";
	return {};
}

Failure parse_failure(std::string_view text) {
	return failure_of([&] { parse_options(text); });
}


// Substring assertion with a readable message on failure.
#define EXPECT_HAS(haystack, needle)                                                                         \
	EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

constexpr const char *kInvalidParameter = "22023";
constexpr const char *kInvalidText = "22P02";

void expect_defaults(const CloneOptions &o) {
	EXPECT_FALSE(o.columns.has_value());
	EXPECT_FALSE(o.where.has_value());
	EXPECT_TRUE(o.indexes);
	EXPECT_TRUE(o.constraints);
	EXPECT_TRUE(o.triggers);
	EXPECT_TRUE(o.matviews);
	EXPECT_TRUE(o.analyze);
	EXPECT_EQ(o.conflict, ConflictStrategy::Error);
	EXPECT_FALSE(o.mask.has_value());
	EXPECT_FALSE(o.masks.has_value());
	EXPECT_TRUE(o.tables.empty());
	EXPECT_TRUE(o.exclude_tables.empty());
	EXPECT_EQ(o.parallel, 1);
	EXPECT_TRUE(o.consistent);
	EXPECT_FALSE(o.snapshot_id.has_value());
	EXPECT_TRUE(o.owners);
	EXPECT_TRUE(o.privileges);
	EXPECT_TRUE(o.large_objects);
	EXPECT_FALSE(o.run_as.has_value());
}

// --- defaults -----------------------------------------------------------------

TEST(OptionsDefaults, EmptyTextGivesDefaults) {
	expect_defaults(parse_options(""));
}
TEST(OptionsDefaults, WhitespaceGivesDefaults) {
	expect_defaults(parse_options(" \t\r\n "));
}
TEST(OptionsDefaults, JsonNullGivesDefaults) {
	expect_defaults(parse_options(" null "));
}
TEST(OptionsDefaults, EmptyObjectGivesDefaults) {
	expect_defaults(parse_options("{}"));
}

// --- every key, valid values --------------------------------------------------

TEST(OptionsKeys, Columns) {
	const CloneOptions o = parse_options(R"({"columns": ["id", "name", "email"]})");
	ASSERT_TRUE(o.columns.has_value());
	EXPECT_EQ(*o.columns, (std::vector<std::string>{"id", "name", "email"}));
}

TEST(OptionsKeys, ColumnsKeepOrderAndCase) {
	const CloneOptions o = parse_options(R"({"columns": ["Zeta", "alpha"]})");
	EXPECT_EQ(*o.columns, (std::vector<std::string>{"Zeta", "alpha"}));
}

TEST(OptionsKeys, Where) {
	const CloneOptions o = parse_options(R"({"where": "status = 'active'"})");
	ASSERT_TRUE(o.where.has_value());
	EXPECT_EQ(*o.where, "status = 'active'");
}

TEST(OptionsKeys, ColumnsAndWhereTogether) {
	const CloneOptions o = parse_options(R"({"columns": ["id", "name", "score"], "where": "score >= 80"})");
	EXPECT_EQ(o.columns->size(), 3u);
	EXPECT_EQ(*o.where, "score >= 80");
}

TEST(OptionsKeys, Booleans) {
	const CloneOptions off = parse_options(
	    R"({"indexes": false, "constraints": false, "triggers": false, "matviews": false, "consistent": false})");
	EXPECT_FALSE(off.indexes);
	EXPECT_FALSE(off.constraints);
	EXPECT_FALSE(off.triggers);
	EXPECT_FALSE(off.matviews);
	EXPECT_FALSE(off.consistent);
	const CloneOptions on = parse_options(
	    R"({"indexes": true, "constraints": true, "triggers": true, "matviews": true, "consistent": true})");
	EXPECT_TRUE(on.indexes);
	EXPECT_TRUE(on.constraints);
	EXPECT_TRUE(on.triggers);
	EXPECT_TRUE(on.matviews);
	EXPECT_TRUE(on.consistent);
}

TEST(OptionsKeys, Analyze) {
	EXPECT_FALSE(parse_options(R"({"analyze": false})").analyze);
	EXPECT_TRUE(parse_options(R"({"analyze": true})").analyze);
	const Failure f = failure_of([] { parse_options(R"({"analyze": "no"})"); });
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"analyze\" must be a boolean");
}

TEST(OptionsKeys, OneBooleanLeavesTheOthersAlone) {
	const CloneOptions o = parse_options(R"({"triggers": false})");
	EXPECT_FALSE(o.triggers);
	EXPECT_TRUE(o.indexes);
	EXPECT_TRUE(o.constraints);
	EXPECT_TRUE(o.matviews);
}

TEST(OptionsKeys, ConflictStrategies) {
	EXPECT_EQ(parse_options(R"({"conflict": "error"})").conflict, ConflictStrategy::Error);
	EXPECT_EQ(parse_options(R"({"conflict": "skip"})").conflict, ConflictStrategy::Skip);
	EXPECT_EQ(parse_options(R"({"conflict": "replace"})").conflict, ConflictStrategy::Replace);
	EXPECT_EQ(parse_options(R"({"conflict": "rename"})").conflict, ConflictStrategy::Rename);
}

TEST(OptionsKeys, ConflictToString) {
	EXPECT_STREQ(to_string(ConflictStrategy::Error), "error");
	EXPECT_STREQ(to_string(ConflictStrategy::Skip), "skip");
	EXPECT_STREQ(to_string(ConflictStrategy::Replace), "replace");
	EXPECT_STREQ(to_string(ConflictStrategy::Rename), "rename");
}

TEST(OptionsKeys, Mask) {
	const CloneOptions o = parse_options(
	    R"({"mask": {"email": "email", "full_name": {"type": "partial", "prefix": 2, "suffix": 3}}})");
	ASSERT_TRUE(o.mask.has_value());
	EXPECT_EQ((*o.mask)["email"], "email");
	EXPECT_EQ((*o.mask)["full_name"]["type"], "partial");
	EXPECT_EQ((*o.mask)["full_name"]["prefix"], 2);
}

TEST(OptionsKeys, MaskStrategyNamesAreNotCheckedHere) {
	// The masking compiler owns strategy validation; the parser checks shape only.
	const CloneOptions o = parse_options(R"({"mask": {"email": "nonexistent_strategy"}})");
	EXPECT_EQ((*o.mask)["email"], "nonexistent_strategy");
}

TEST(OptionsKeys, Masks) {
	const CloneOptions o =
	    parse_options(R"({"masks": {"employees": {"email": "email"}, "hr.people": {"ssn": "null"}}})");
	ASSERT_TRUE(o.masks.has_value());
	EXPECT_EQ((*o.masks)["employees"]["email"], "email");
	EXPECT_EQ((*o.masks)["hr.people"]["ssn"], "null");
}

TEST(OptionsKeys, TablesAndExcludeTables) {
	const CloneOptions o =
	    parse_options(R"({"tables": ["order_[0-9]+", "customers"], "exclude_tables": [".*_archive"]})");
	EXPECT_EQ(o.tables, (std::vector<std::string>{"order_[0-9]+", "customers"}));
	EXPECT_EQ(o.exclude_tables, (std::vector<std::string>{".*_archive"}));
}

TEST(OptionsKeys, EmptyExcludeListExcludesNothing) {
	const CloneOptions o = parse_options(R"({"exclude_tables": []})");
	EXPECT_TRUE(o.tables.empty());
	EXPECT_TRUE(o.exclude_tables.empty());
}

TEST(OptionsKeys, EmptyTablesListIsAnError) {
	const Failure f = parse_failure(R"({"tables": [], "exclude_tables": []})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"tables\" must not be empty");
	EXPECT_HAS(f.hint, "Omit the option to clone all tables");
}

TEST(OptionsKeys, Parallel) {
	EXPECT_EQ(parse_options(R"({"parallel": 1})").parallel, 1);
	EXPECT_EQ(parse_options(R"({"parallel": 4})").parallel, 4);
	EXPECT_EQ(parse_options(R"({"parallel": 64})").parallel, 64);
}

TEST(OptionsKeys, ChunkSize) {
	EXPECT_FALSE(parse_options("{}").chunk_size.has_value());
	EXPECT_EQ(pgclone::core::chunk_size(parse_options("{}")), 268435456u);
	EXPECT_EQ(*parse_options(R"({"chunk_size": 0})").chunk_size, 0u);
	EXPECT_EQ(pgclone::core::chunk_size(parse_options(R"({"chunk_size": 0})")), 0u);
	EXPECT_EQ(*parse_options(R"({"chunk_size": 524288})").chunk_size, 524288u);
	EXPECT_EQ(*parse_options(R"({"chunk_size": 9223372036854775807})").chunk_size, 9223372036854775807u);
}

TEST(OptionsKeys, ChunkSizeMustBeBytes) {
	Failure f = parse_failure(R"({"chunk_size": -1})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"chunk_size\" must not be negative");
	EXPECT_HAS(f.hint, "0 to never split a table");
	f = parse_failure(R"({"chunk_size": 9223372036854775808})");
	EXPECT_EQ(f.message, "option \"chunk_size\" is out of range");
	for (const char *bad : {R"({"chunk_size": "256MB"})", R"({"chunk_size": 1.5})", R"({"chunk_size": 1e6})",
	                        R"({"chunk_size": true})", R"({"chunk_size": null})", R"({"chunk_size": [1]})"}) {
		f = parse_failure(bad);
		EXPECT_EQ(f.message, "option \"chunk_size\" must be an integer number of bytes") << bad;
	}
}

TEST(OptionsKeys, SnapshotId) {
	const CloneOptions o = parse_options(R"({"snapshot_id": "00000003-0000001B-1"})");
	ASSERT_TRUE(o.snapshot_id.has_value());
	EXPECT_EQ(*o.snapshot_id, "00000003-0000001B-1");
	EXPECT_EQ(*parse_options(R"({"snapshot_id": "abcdef"})").snapshot_id, "abcdef");
	EXPECT_EQ(parse_options(R"({"snapshot_id": ")" + std::string(63, 'A') + R"("})").snapshot_id->size(),
	          63u);
}

TEST(OptionsKeys, ManyKeysFromTheManual) {
	const CloneOptions o = parse_options(R"({"parallel": 4, "conflict": "replace", "triggers": false})");
	EXPECT_EQ(o.parallel, 4);
	EXPECT_EQ(o.conflict, ConflictStrategy::Replace);
	EXPECT_FALSE(o.triggers);
}

TEST(OptionsKeys, UnicodeInNamesIsKept) {
	const CloneOptions o = parse_options(R"({"columns": ["prénom", "\u540d\u524d"]})");
	EXPECT_EQ((*o.columns)[0], "prénom");
	EXPECT_EQ((*o.columns)[1], "\xe5\x90\x8d\xe5\x89\x8d");
}

// --- malformed JSON -----------------------------------------------------------

TEST(OptionsMalformed, InvalidJsonFromTheManual) {
	const Failure f = parse_failure(R"({"invalid json)");
	EXPECT_EQ(f.sqlstate, kInvalidText);
	EXPECT_EQ(f.message.rfind("invalid JSON in options: ", 0), 0u) << f.message;
	EXPECT_HAS(f.detail, "line 1");
	EXPECT_EQ(f.message.find("[json.exception"), std::string::npos) << f.message;
}

TEST(OptionsMalformed, TrailingComma) {
	const Failure f = parse_failure(R"({"indexes": false,})");
	EXPECT_EQ(f.sqlstate, kInvalidText);
	EXPECT_HAS(f.message, "invalid JSON in options");
}

TEST(OptionsMalformed, TrailingGarbage) {
	EXPECT_EQ(parse_failure(R"({} {})").sqlstate, kInvalidText);
	EXPECT_EQ(parse_failure(R"({"parallel": 2} x)").sqlstate, kInvalidText);
}

TEST(OptionsMalformed, SingleQuotesAreNotJson) {
	EXPECT_EQ(parse_failure("{'parallel': 2}").sqlstate, kInvalidText);
}

TEST(OptionsMalformed, CommentsAreNotJson) {
	EXPECT_EQ(parse_failure("{/* c */ \"parallel\": 2}").sqlstate, kInvalidText);
}

TEST(OptionsMalformed, InvalidUtf8IsRejectedAndNotEchoedRaw) {
	const Failure f = parse_failure("{\"columns\": [\"\xff\xfe\"]}");
	EXPECT_EQ(f.sqlstate, kInvalidText);
	EXPECT_EQ(f.message.find('\xff'), std::string::npos);
}

TEST(OptionsMalformed, NumberOverflow) {
	EXPECT_EQ(parse_failure(R"({"parallel": 1e999})").sqlstate, kInvalidText);
}

TEST(OptionsMalformed, NulEscapeIsRejected) {
	const Failure f = parse_failure(R"({"where": "a = 1\u0000; drop table t"})");
	EXPECT_EQ(f.sqlstate, kInvalidText);
	EXPECT_HAS(f.detail, "\\u0000");
}

TEST(OptionsMalformed, DeepNestingIsRejected) {
	const std::string deep = R"({"mask": )" + std::string(100, '[') + std::string(100, ']') + "}";
	const Failure f = parse_failure(deep);
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_HAS(f.message, "nested too deeply");
}

TEST(OptionsMalformed, TopLevelMustBeAnObject) {
	for (const char *text : {"[]", "42", "\"parallel\"", "true", R"([{"parallel": 2}])"}) {
		const Failure f = parse_failure(text);
		EXPECT_EQ(f.sqlstate, kInvalidParameter) << text;
		EXPECT_EQ(f.message, "options must be a JSON object") << text;
	}
	EXPECT_HAS(parse_failure("[]").detail, "an array");
}

// --- unknown and duplicate keys -----------------------------------------------

TEST(OptionsUnknownKey, SuggestsNearestKey) {
	const Failure f = parse_failure(R"({"colums": ["id"]})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "unknown option \"colums\"");
	EXPECT_EQ(f.hint.rfind("Did you mean \"columns\"? Valid options are: columns, where, indexes", 0), 0u)
	    << f.hint;
	EXPECT_HAS(f.hint, "snapshot_id, owners, privileges, large_objects, run_as, target_schema, dry_run, sample, sample_method, seed, subset.");
}

TEST(OptionsUnknownKey, SuggestionsForCommonTypos) {
	EXPECT_HAS(parse_failure(R"({"index": false})").hint, "Did you mean \"indexes\"?");
	EXPECT_HAS(parse_failure(R"({"trigers": false})").hint, "Did you mean \"triggers\"?");
	EXPECT_HAS(parse_failure(R"({"paralel": 2})").hint, "Did you mean \"parallel\"?");
	EXPECT_HAS(parse_failure(R"({"mkas": {}})").hint, "Did you mean \"mask\"?");
	EXPECT_HAS(parse_failure(R"({"exclude_table": []})").hint, "Did you mean \"exclude_tables\"?");
	EXPECT_HAS(parse_failure(R"({"Where": "a"})").hint, "Did you mean \"where\"?");
	EXPECT_HAS(parse_failure(R"({"snapshotid": "a"})").hint, "Did you mean \"snapshot_id\"?");
}

TEST(OptionsUnknownKey, NoSuggestionWhenNothingIsClose) {
	const Failure f = parse_failure(R"({"frobnicate": 1})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "unknown option \"frobnicate\"");
	EXPECT_EQ(f.hint.find("Did you mean"), std::string::npos) << f.hint;
	EXPECT_EQ(f.hint.rfind("Valid options are: columns, where,", 0), 0u) << f.hint;
}

TEST(OptionsUnknownKey, HugeKeyIsTruncatedInTheMessage) {
	const Failure f = parse_failure("{\"" + std::string(10000, 'x') + "\": 1}");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_LT(f.message.size(), 200u);
}

TEST(OptionsUnknownKey, FirstMistakeInTextOrderIsReported) {
	// Both are wrong; "zzz" comes first in the text although it sorts last.
	EXPECT_EQ(parse_failure(R"({"zzz": 1, "aaa": 2})").message, "unknown option \"zzz\"");
}

TEST(OptionsDuplicateKey, TopLevel) {
	const Failure f = parse_failure(R"({"parallel": 2, "parallel": 4})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"parallel\" is given more than once");
}

TEST(OptionsDuplicateKey, Nested) {
	const Failure f = parse_failure(R"({"mask": {"email": "email", "email": "hash"}})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"mask\" contains key \"email\" more than once");
}

TEST(OptionsDuplicateKey, SameKeyInSiblingObjectsIsFine) {
	const CloneOptions o = parse_options(R"({"masks": {"a": {"email": "email"}, "b": {"email": "hash"}}})");
	EXPECT_EQ((*o.masks)["b"]["email"], "hash");
}

// --- wrong types, one per key -------------------------------------------------

struct WrongType {
	const char *text;
	const char *message;
};

void PrintTo(const WrongType &w, std::ostream *os) {
	*os << w.text;
}

class OptionsWrongType : public ::testing::TestWithParam<WrongType> {};

TEST_P(OptionsWrongType, IsRejectedWithTheExpectedType) {
	const Failure f = parse_failure(GetParam().text);
	EXPECT_EQ(f.sqlstate, kInvalidParameter) << GetParam().text;
	EXPECT_EQ(f.message, GetParam().message) << GetParam().text;
	EXPECT_HAS(f.detail, "The value given is");
}

INSTANTIATE_TEST_SUITE_P(
    EveryKey, OptionsWrongType,
    ::testing::Values(
        WrongType{R"({"columns": "id"})", "option \"columns\" must be an array of strings"},
        WrongType{R"({"where": 1})", "option \"where\" must be a string, or an object mapping tables to filters"},
        WrongType{R"({"where": null})", "option \"where\" must be a string, or an object mapping tables to filters"},
        WrongType{R"({"sample": 5})", "option \"sample\" must be an object mapping tables to percentages"},
        WrongType{R"({"seed": "1"})", "option \"seed\" must be a number"},
        WrongType{R"({"subset": true})", "option \"subset\" must be a string"},
        WrongType{R"({"indexes": "false"})", "option \"indexes\" must be a boolean"},
        WrongType{R"({"indexes": 0})", "option \"indexes\" must be a boolean"},
        WrongType{R"({"constraints": null})", "option \"constraints\" must be a boolean"},
        WrongType{R"({"triggers": "no"})", "option \"triggers\" must be a boolean"},
        WrongType{R"({"matviews": 1})", "option \"matviews\" must be a boolean"},
        WrongType{R"({"consistent": "true"})", "option \"consistent\" must be a boolean"},
        WrongType{R"({"conflict": true})", "option \"conflict\" must be a string"},
        WrongType{R"({"mask": "email"})", "option \"mask\" must be an object"},
        WrongType{R"({"mask": [{"email": "email"}]})", "option \"mask\" must be an object"},
        WrongType{R"({"masks": []})", "option \"masks\" must be an object"},
        WrongType{R"({"tables": "customers"})", "option \"tables\" must be an array of strings"},
        WrongType{R"({"exclude_tables": {}})", "option \"exclude_tables\" must be an array of strings"},
        WrongType{R"({"parallel": "4"})", "option \"parallel\" must be an integer"},
        WrongType{R"({"parallel": 2.5})", "option \"parallel\" must be an integer"},
        WrongType{R"({"parallel": 2.0})", "option \"parallel\" must be an integer"},
        WrongType{R"({"parallel": true})", "option \"parallel\" must be an integer"},
        WrongType{R"({"snapshot_id": 3})", "option \"snapshot_id\" must be a string"}),
    // Test names like "parallel_16": the key, then the index among the values.
    [](const ::testing::TestParamInfo<WrongType> &info) {
	    const std::string text = info.param.text;
	    const std::size_t open = text.find('"') + 1;
	    return text.substr(open, text.find('"', open) - open) + "_" + std::to_string(info.index);
    });

TEST(OptionsWrongTypeDetail, NamesWhatWasGiven) {
	EXPECT_EQ(parse_failure(R"({"parallel": 2.5})").detail, "The value given is 2.5.");
	EXPECT_EQ(parse_failure(R"({"indexes": "false"})").detail, "The value given is a string.");
	EXPECT_EQ(parse_failure(R"({"tables": {}})").detail, "The value given is an object.");
}

// --- per-key value checks -----------------------------------------------------

TEST(OptionsColumns, EmptyArray) {
	const Failure f = parse_failure(R"({"columns": []})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"columns\" must not be empty");
	EXPECT_HAS(f.hint, "Omit the option");
}

TEST(OptionsColumns, NonStringElement) {
	const Failure f = parse_failure(R"({"columns": ["id", 2]})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"columns\" must be an array of strings");
	EXPECT_EQ(f.detail, "Element 2 is 2.");
}

TEST(OptionsColumns, EmptyName) {
	const Failure f = parse_failure(R"({"columns": ["id", ""]})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"columns\" must not contain an empty column name");
}

TEST(OptionsColumns, Duplicate) {
	const Failure f = parse_failure(R"({"columns": ["id", "name", "id"]})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "column \"id\" is listed more than once in option \"columns\"");
}

TEST(OptionsColumns, NamesDifferingInCaseAreDistinct) {
	EXPECT_EQ(parse_options(R"({"columns": ["id", "ID"]})").columns->size(), 2u);
}

TEST(OptionsTables, EmptyPatternsAndNonStrings) {
	EXPECT_EQ(parse_failure(R"({"tables": [""]})").message,
	          "option \"tables\" must not contain an empty pattern");
	EXPECT_EQ(parse_failure(R"({"exclude_tables": ["a", null]})").message,
	          "option \"exclude_tables\" must be an array of strings");
}

TEST(OptionsWhere, EmptyOrBlank) {
	for (const char *text : {R"({"where": ""})", R"({"where": "  "})"}) {
		const Failure f = parse_failure(text);
		EXPECT_EQ(f.sqlstate, kInvalidParameter);
		EXPECT_EQ(f.message, "option \"where\" must not be empty");
	}
}

TEST(OptionsConflict, Unknown) {
	const Failure f = parse_failure(R"({"conflict": "overwrite"})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message,
	          "unknown conflict strategy \"overwrite\"; valid strategies are: error, skip, replace, rename");
}

TEST(OptionsConflict, IsCaseSensitive) {
	EXPECT_HAS(parse_failure(R"({"conflict": "SKIP"})").message, "unknown conflict strategy \"SKIP\"");
}

TEST(OptionsMask, ValueMustBeStringOrObject) {
	for (const char *text :
	     {R"({"mask": {"email": 1}})", R"({"mask": {"email": ["email"]}})", R"({"mask": {"email": null}})"}) {
		const Failure f = parse_failure(text);
		EXPECT_EQ(f.sqlstate, kInvalidParameter) << text;
		EXPECT_EQ(f.message, "mask for column \"email\" must be a strategy name or an object") << text;
	}
}

TEST(OptionsMasks, ValueMustBeObject) {
	const Failure f = parse_failure(R"({"masks": {"employees": "email"}})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "masks for table \"employees\" must be an object");
}

TEST(OptionsParallel, OutOfRange) {
	for (const char *text : {R"({"parallel": 0})", R"({"parallel": -1})", R"({"parallel": 65})",
	                         R"({"parallel": 18446744073709551615})", R"({"parallel": -9223372036854775808})",
	                         R"({"parallel": 4294967297})"}) {
		const Failure f = parse_failure(text);
		EXPECT_EQ(f.sqlstate, kInvalidParameter) << text;
		EXPECT_EQ(f.message, "option \"parallel\" must be between 1 and 64") << text;
	}
	EXPECT_EQ(parse_failure(R"({"parallel": 65})").detail, "The value given is 65.");
}

TEST(OptionsSnapshotId, Invalid) {
	for (const char *text : {R"({"snapshot_id": ""})", R"({"snapshot_id": "00000003-0000001B-1; x"})",
	                         R"({"snapshot_id": "xyz"})", R"({"snapshot_id": "0000 0001"})"}) {
		const Failure f = parse_failure(text);
		EXPECT_EQ(f.sqlstate, kInvalidParameter) << text;
		EXPECT_HAS(f.message, "invalid snapshot identifier");
		EXPECT_HAS(f.detail, "pg_export_snapshot()");
	}
}

TEST(OptionsSnapshotId, TooLong) {
	const Failure f = parse_failure(R"({"snapshot_id": ")" + std::string(64, 'A') + R"("})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_HAS(f.message, "invalid snapshot identifier");
	EXPECT_HAS(f.detail, "at most 63");
}


// --- owners, privileges, run_as --------------------------------------------------

TEST(OptionsPrivileges, OwnersAndPrivilegesAreBooleans) {
	const CloneOptions o = parse_options(R"({"owners": false, "privileges": false})");
	EXPECT_FALSE(o.owners);
	EXPECT_FALSE(o.privileges);
	const Failure f = parse_failure(R"({"owners": "yes"})");
	EXPECT_EQ(f.sqlstate, kInvalidParameter);
	EXPECT_EQ(f.message, "option \"owners\" must be a boolean");
	EXPECT_EQ(parse_failure(R"({"privileges": 1})").message, "option \"privileges\" must be a boolean");
}

TEST(OptionsLargeObjects, IsABoolean) {
	EXPECT_FALSE(parse_options(R"({"large_objects": false})").large_objects);
	EXPECT_TRUE(parse_options(R"({"large_objects": true})").large_objects);
	EXPECT_EQ(parse_failure(R"({"large_objects": "no"})").message, "option \"large_objects\" must be a boolean");
	EXPECT_EQ(parse_failure(R"({"large_object": false})").hint.rfind("Did you mean \"large_objects\"?", 0), 0u);
}

TEST(OptionsPrivileges, RunAsIsARoleName) {
	EXPECT_EQ(parse_options(R"({"run_as": "Clone Role\"; DROP"})").run_as, "Clone Role\"; DROP");
	EXPECT_EQ(parse_failure(R"({"run_as": true})").message, "option \"run_as\" must be a string");
	const Failure empty = parse_failure(R"({"run_as": ""})");
	EXPECT_EQ(empty.sqlstate, kInvalidParameter);
	EXPECT_HAS(empty.message, "option \"run_as\" must be a role name of 1 to 63 bytes");
	EXPECT_HAS(parse_failure("{\"run_as\": \"" + std::string(64, 'r') + "\"}").message, "1 to 63 bytes");
	EXPECT_HAS(parse_failure(R"({"run_as": "a", "run_as": "b"})").message, "more than once");
}

TEST(OptionsTargetSchema, IsASchemaName) {
	EXPECT_FALSE(parse_options("{}").target_schema.has_value());
	EXPECT_EQ(parse_options(R"({"target_schema": "odd \"s\"; --"})").target_schema, "odd \"s\"; --");
	EXPECT_EQ(parse_failure(R"({"target_schema": 1})").message, "option \"target_schema\" must be a string");
	const Failure empty = parse_failure(R"({"target_schema": ""})");
	EXPECT_EQ(empty.sqlstate, kInvalidParameter);
	EXPECT_HAS(empty.message, "option \"target_schema\" must be a schema name of 1 to 63 bytes");
	EXPECT_HAS(parse_failure("{\"target_schema\": \"" + std::string(64, 's') + "\"}").message, "1 to 63 bytes");
	EXPECT_HAS(parse_failure(R"({"target_shema": "s"})").hint, "Did you mean \"target_schema\"?");
}

TEST(OptionsDryRun, IsABoolean) {
	EXPECT_FALSE(parse_options("{}").dry_run);
	EXPECT_TRUE(parse_options(R"({"dry_run": true})").dry_run);
	EXPECT_EQ(parse_failure(R"({"dry_run": "yes"})").message, "option \"dry_run\" must be a boolean");
	EXPECT_HAS(parse_failure(R"({"dryrun": true})").hint, "Did you mean \"dry_run\"?");
}

TEST(OptionsPrivileges, TyposAreSuggested) {
	EXPECT_HAS(parse_failure(R"({"owner": false})").hint, "Did you mean \"owners\"?");
	EXPECT_HAS(parse_failure(R"({"runas": "r"})").hint, "Did you mean \"run_as\"?");
}

TEST(OptionsSubset, WhereAsAnObject) {
	const CloneOptions o = parse_options(R"({"where": {"orders": "id > 1", "s.audit_log": "false"}})");
	EXPECT_FALSE(o.where.has_value());
	ASSERT_TRUE(o.where_tables.has_value());
	EXPECT_EQ((*o.where_tables)["s.audit_log"], "false");
	EXPECT_TRUE(is_subset_clone(o));
	EXPECT_EQ(subset_mode(o), SubsetMode::Parents);
	EXPECT_FALSE(is_subset_clone(parse_options(R"({"where": "id > 1"})")));
	EXPECT_EQ(parse_failure(R"({"where": {}})").message, "option \"where\" must not be an empty object");
	EXPECT_EQ(parse_failure(R"({"where": {"t": 1}})").message, "where filter for table \"t\" must be a string");
	EXPECT_EQ(parse_failure(R"({"where": {"t": " "}})").message, "where filter for table \"t\" must not be empty");
	EXPECT_HAS(parse_failure(R"({"where": {"t": "a", "t": "b"}})").message, "more than once");
}

TEST(OptionsSubset, SampleModeMethodSeed) {
	const CloneOptions o =
	    parse_options(R"({"sample": {"events": 1.5, "b": 100}, "sample_method": "Bernoulli", "seed": 42, "subset": "children"})");
	EXPECT_EQ((*o.sample)["events"], 1.5);
	EXPECT_EQ(o.sample_method, SampleMethod::Bernoulli);
	EXPECT_EQ(o.seed, 42.0);
	EXPECT_EQ(o.subset, SubsetMode::Children);
	EXPECT_EQ(parse_options(R"({"sample": {"t": 1}})").sample_method, SampleMethod::System);
	for (const char *bad : {R"({"sample": {"t": 0}})", R"({"sample": {"t": 100.5}})", R"({"sample": {"t": -1}})",
	                        R"({"sample": {"t": "5"}})"})
		EXPECT_EQ(parse_failure(bad).message, "sample for table \"t\" must be a percentage above 0 and at most 100") << bad;
	EXPECT_EQ(parse_failure(R"({"sample_method": "random"})").message,
	          "unknown sample method \"random\"; valid methods are: SYSTEM, BERNOULLI");
	EXPECT_EQ(parse_failure(R"({"subset": "all"})").message,
	          "unknown subset mode \"all\"; valid modes are: none, parents, restrict, children");
	EXPECT_HAS(parse_failure(R"({"subest": "none"})").hint, "Did you mean \"subset\"?");
}

} // namespace

// --- options_for_record ---------------------------------------------------------------

TEST(OptionsForRecord, EmptyStaysEmptyAndComplete) {
	auto r = pgclone::core::options_for_record("");
	EXPECT_EQ(r.text, "");
	EXPECT_TRUE(r.complete);
}

TEST(OptionsForRecord, KeepsOptionsWithoutSecrets) {
	auto r = pgclone::core::options_for_record(R"({"parallel": 2, "masks": {"t": {"email": "email"}}})");
	EXPECT_TRUE(r.complete);
	EXPECT_EQ(nlohmann::json::parse(r.text),
	          nlohmann::json::parse(R"({"parallel": 2, "masks": {"t": {"email": "email"}}})"));
}

TEST(OptionsForRecord, RemovesEverySaltAtAnyDepth) {
	const char *in = R"({"mask": {"a": {"type": "pseudonymize", "salt": "s3cr3t-one", "format": "hex"}},
	                    "masks": {"t": {"b": {"type": "pseudonymize", "salt": "s3cr3t-two"}}}})";
	auto r = pgclone::core::options_for_record(in);
	EXPECT_FALSE(r.complete);
	EXPECT_EQ(r.text.find("s3cr3t"), std::string::npos) << r.text;
	EXPECT_EQ(r.text.find("salt"), std::string::npos) << r.text;
	EXPECT_NE(r.text.find("pseudonymize"), std::string::npos) << r.text;
	EXPECT_NE(r.text.find("\"format\":\"hex\""), std::string::npos) << r.text;
}

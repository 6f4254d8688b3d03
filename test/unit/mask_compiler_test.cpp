// Unit tests for the masking compiler (core::compile_masks and friends).
// The SQL text of each strategy is checked exactly: it is what runs on the
// source, and the pgTAP suite checks what it computes.

#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using pgclone::core::compile_masks;
using pgclone::core::compile_masks_keyed;
using pgclone::core::Error;
using pgclone::core::MaskColumn;

struct Failure {
	std::string sqlstate, message, detail, hint;
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

#define EXPECT_HAS(haystack, needle)                                                                         \
	EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)
#define EXPECT_LACKS(haystack, needle)                                                                       \
	EXPECT_EQ(std::string(haystack).find(needle), std::string::npos) << (haystack)

MaskColumn col(const std::string &name, const std::string &type, char category, bool not_null = false,
               bool generated = false) {
	MaskColumn c;
	c.name = name;
	c.type = type;
	c.type_category = category;
	c.not_null = not_null;
	c.generated = generated;
	return c;
}

// The seed's employees table.
std::vector<MaskColumn> employees() {
	return {
	    col("id", "integer", 'N', true, false),
	    col("full_name", "text", 'S', true, false),
	    col("email", "text", 'S', false, false),
	    col("phone", "text", 'S', false, false),
	    col("ssn", "text", 'S', false, false),
	    col("salary", "integer", 'N', false, false),
	    col("notes", "text", 'S', false, false),
	    col("created_at", "timestamp with time zone", 'D', false, false),
	    col("code", "character varying(12)", 'S', false, false),
	    col("ext_id", "uuid", 'U', false, false),
	    col("small", "smallint", 'N', false, false),
	    col("price", "numeric(6,2)", 'N', false, false),
	    col("total", "text", 'S', false, true),
	};
}

std::string compile_one(const std::string &column, const json &spec) {
	json mask = json::object();
	mask[column] = spec;
	auto out = compile_masks(mask, employees());
	EXPECT_EQ(out.size(), 1u);
	return out.at(column);
}

Failure failure_one(const std::string &column, const json &spec) {
	json mask = json::object();
	mask[column] = spec;
	return failure_of([&] { compile_masks(mask, employees(), "\"test_schema\".\"employees\""); });
}

// --- every strategy's expression ------------------------------------------------

TEST(MaskStrategies, Email) {
	EXPECT_EQ(compile_one("email", "email"),
	          "(CASE WHEN \"email\"::pg_catalog.text IS NULL THEN NULL "
	          "WHEN pg_catalog.strpos(\"email\"::pg_catalog.text, '@') > 0 "
	          "THEN pg_catalog.left(\"email\"::pg_catalog.text, 1) || '***@' || "
	          "pg_catalog.regexp_replace(\"email\"::pg_catalog.text, '^.*@', '') ELSE '***' END)::text");
}

TEST(MaskStrategies, Name) {
	EXPECT_EQ(compile_one("full_name", "name"),
	          "(CASE WHEN \"full_name\" IS NULL THEN NULL ELSE 'XXXX' END)::text");
}

TEST(MaskStrategies, Phone) {
	EXPECT_EQ(compile_one("phone", "phone"),
	          "(CASE WHEN \"phone\"::pg_catalog.text IS NULL THEN NULL ELSE '***-' || "
	          "pg_catalog.right(pg_catalog.regexp_replace(\"phone\"::pg_catalog.text, '[^0-9]', '', 'g'), 4) "
	          "END)::text");
}

TEST(MaskStrategies, Hash) {
	EXPECT_EQ(compile_one("email", "hash"), "(pg_catalog.md5(\"email\"::pg_catalog.text))::text");
	EXPECT_EQ(compile_one("ext_id", "hash"), "(pg_catalog.md5(\"ext_id\"::pg_catalog.text))::uuid");
}

TEST(MaskStrategies, Null) {
	EXPECT_EQ(compile_one("ssn", "null"), "(NULL)::text");
	EXPECT_EQ(compile_one("salary", "null"), "(NULL)::integer");
	EXPECT_EQ(compile_one("ssn", json{{"type", "null"}}), "(NULL)::text");
}

TEST(MaskStrategies, Partial) {
	EXPECT_EQ(compile_one("full_name", json{{"type", "partial"}, {"prefix", 2}, {"suffix", 3}}),
	          "(CASE WHEN \"full_name\"::pg_catalog.text IS NULL THEN NULL "
	          "WHEN pg_catalog.length(\"full_name\"::pg_catalog.text) <= 5 THEN '***' "
	          "ELSE pg_catalog.left(\"full_name\"::pg_catalog.text, 2) || '***' || "
	          "pg_catalog.right(\"full_name\"::pg_catalog.text, 3) END)::text");
}

TEST(MaskStrategies, PartialWithOneSide) {
	const std::string e = compile_one("full_name", json{{"type", "partial"}, {"suffix", 4}});
	EXPECT_HAS(e, "pg_catalog.left(\"full_name\"::pg_catalog.text, 0)");
	EXPECT_HAS(e, "pg_catalog.right(\"full_name\"::pg_catalog.text, 4)");
	EXPECT_HAS(e, "<= 4 THEN '***'");
}

TEST(MaskStrategies, RandomInt) {
	EXPECT_EQ(compile_one("salary", json{{"type", "random_int"}, {"min", 30000}, {"max", 150000}}),
	          "(LEAST((30000)::pg_catalog.numeric + pg_catalog.floor(pg_catalog.random() * "
	          "((150000)::pg_catalog.numeric - (30000)::pg_catalog.numeric + (1)::pg_catalog.numeric)::pg_catalog.float8)"
	          "::pg_catalog.numeric, (150000)::pg_catalog.numeric))::integer");
}

TEST(MaskStrategies, RandomIntNegativeAndSingleValue) {
	const std::string e = compile_one("salary", json{{"type", "random_int"}, {"min", -5}, {"max", -5}});
	EXPECT_HAS(e, "(-5)::pg_catalog.numeric");
}

TEST(MaskStrategies, RandomIntBareNameUsesTheDefaultRange) {
	// discover_sensitive recommends a bare "random_int"; it must compile.
	EXPECT_HAS(compile_one("salary", "random_int"), "(0)::pg_catalog.numeric");
	EXPECT_HAS(compile_one("salary", "random_int"), "(100000)::pg_catalog.numeric");
	// ... clamped to what the column type holds.
	EXPECT_HAS(compile_one("small", "random_int"), "(32767)::pg_catalog.numeric");
	EXPECT_HAS(compile_one("price", "random_int"), "(9999)::pg_catalog.numeric");
}

TEST(MaskStrategies, RandomIntOnAStringColumn) {
	EXPECT_HAS(compile_one("code", json{{"type", "random_int"}, {"min", 1}, {"max", 9}}),
	           ")::character varying(12)");
}

TEST(MaskStrategies, Constant) {
	EXPECT_EQ(compile_one("notes", json{{"type", "constant"}, {"value", "REDACTED"}}), "('REDACTED')::text");
	EXPECT_EQ(compile_one("salary", json{{"type", "constant"}, {"value", 0}}), "('0')::integer");
	EXPECT_EQ(compile_one("notes", json{{"type", "constant"}, {"value", true}}), "('true')::text");
	// Quotes and backslashes are escaped.
	EXPECT_EQ(compile_one("notes", json{{"type", "constant"}, {"value", "it's \\ odd"}}),
	          "(E'it''s \\\\ odd')::text");
}

TEST(MaskStrategies, CastToTheColumnType) {
	EXPECT_HAS(compile_one("code", "email"), "END)::character varying(12)");
}

// --- pseudonymize --------------------------------------------------------------

TEST(MaskPseudonymize, HexIsAnHmacOverUtf8) {
	const std::string e = compile_one("email", json{{"type", "pseudonymize"}, {"salt", "0123456789abcdef"}});
	EXPECT_EQ(e.rfind("(pg_catalog.encode(pg_catalog.sha256(pg_catalog.decode('", 0), 0u) << e;
	EXPECT_HAS(e, "pg_catalog.convert_to(\"email\"::pg_catalog.text, 'UTF8')");
	EXPECT_HAS(e, "'hex'))::text");
}

TEST(MaskPseudonymize, PadsAreTheSaltXoredWithIpadAndOpad) {
	// RFC 2104: K zero-padded to 64 bytes; ipad 0x36, opad 0x5c.
	const std::string e = compile_one("email", json{{"type", "pseudonymize"}, {"salt", "AAAAAAAA"}});
	// 'A' = 0x41: 0x41 ^ 0x36 = 0x77, 0x41 ^ 0x5c = 0x1d; padding bytes give 36 / 5c.
	const std::string inner = std::string(16, '7') + [] {
		std::string s;
		for (int i = 0; i < 56; ++i)
			s += "36";
		return s;
	}();
	std::string outer;
	for (int i = 0; i < 8; ++i)
		outer += "1d";
	for (int i = 0; i < 56; ++i)
		outer += "5c";
	EXPECT_HAS(e, "pg_catalog.decode('" + inner + "', 'hex') || pg_catalog.convert_to(");
	EXPECT_HAS(e, "pg_catalog.sha256(pg_catalog.decode('" + outer + "', 'hex') || pg_catalog.sha256(");
}

TEST(MaskPseudonymize, SaltIsNeverInTheExpression) {
	const std::string salt = "my-secret-salt-42";
	EXPECT_LACKS(compile_one("email", json{{"type", "pseudonymize"}, {"salt", salt}}), salt);
}

TEST(MaskPseudonymize, UuidColumnGetsAUuid) {
	const std::string e = compile_one("ext_id", json{{"type", "pseudonymize"}, {"salt", "0123456789abcdef"}});
	EXPECT_EQ(e.rfind("(pg_catalog.substr(pg_catalog.encode(", 0), 0u) << e;
	EXPECT_HAS(e, ", 1, 32))::uuid");
}

TEST(MaskPseudonymize, DigitsKeepsTheShape) {
	const std::string e = compile_one(
	    "phone", json{{"type", "pseudonymize"}, {"salt", "0123456789abcdef"}, {"format", "digits"}});
	EXPECT_HAS(e, "WHEN \"phone\"::pg_catalog.text = '' THEN ''");
	EXPECT_HAS(e, "BETWEEN 48 AND 57");
	EXPECT_HAS(e, "pg_catalog.get_byte(k.\"pgclone_h\", (s.\"pgclone_i\" - 1) % 32)");
	EXPECT_HAS(e, "OFFSET 0) AS k");
	EXPECT_HAS(e, "AS s(\"pgclone_i\")");
}

TEST(MaskPseudonymize, DigitsInnerNamesNeverHideAColumn) {
	std::vector<MaskColumn> cols = {col("pgclone_i", "text", 'S'), col("pgclone_h", "text", 'S')};
	json mask = {
	    {"pgclone_i", {{"type", "pseudonymize"}, {"salt", "0123456789abcdef"}, {"format", "digits"}}}};
	const std::string e = compile_masks(mask, cols).at("pgclone_i");
	EXPECT_HAS(e, "k.\"pgclone_h_2\"");
	EXPECT_HAS(e, "s.\"pgclone_i_2\"");
}

TEST(MaskPseudonymize, KeyedFormReadsSettingsOncePerSalt) {
	json mask = {{"email", {{"type", "pseudonymize"}, {"salt", "salt-one-1234"}}},
	             {"notes", {{"type", "pseudonymize"}, {"salt", "salt-one-1234"}}},
	             {"phone", {{"type", "pseudonymize"}, {"salt", "salt-two-5678"}, {"format", "digits"}}}};
	const auto c = compile_masks_keyed(mask, employees());
	ASSERT_EQ(c.settings.size(), 4u); // two pads for each distinct salt
	EXPECT_EQ(c.settings[0].first, "pgclone_mask.k1i");
	EXPECT_EQ(c.settings[1].first, "pgclone_mask.k1o");
	EXPECT_EQ(c.settings[2].first, "pgclone_mask.k2i");
	EXPECT_EQ(c.settings[0].second.size(), 128u);
	for (const auto &[column, e] : c.expressions) {
		EXPECT_LACKS(e, "salt-");
		EXPECT_LACKS(e, c.settings[0].second); // key material only in the settings
		EXPECT_HAS(e, "pg_catalog.current_setting('pgclone_mask.k");
	}
	// Same salt, same key: the email and notes expressions differ only in the column.
	std::string email = c.expressions.at("email"), notes = c.expressions.at("notes");
	for (auto *s : {&email, &notes})
		for (auto pos = s->find("\"email\""); pos != std::string::npos; pos = s->find("\"email\""))
			s->replace(pos, 7, "\"notes\"");
	EXPECT_EQ(email, notes);
}

TEST(MaskPseudonymize, LiteralAndKeyedFormAgreeOnOtherStrategies) {
	json mask = {{"email", "email"}, {"salary", {{"type", "random_int"}, {"min", 1}, {"max", 2}}}};
	EXPECT_EQ(compile_masks(mask, employees()), compile_masks_keyed(mask, employees()).expressions);
	EXPECT_TRUE(compile_masks_keyed(mask, employees()).settings.empty());
}

// --- odd column names --------------------------------------------------------------

TEST(MaskQuoting, OddColumnNamesAreQuoted) {
	std::vector<MaskColumn> cols = {col("E-Mail \"Work\"", "text", 'S'), col("select", "text", 'S'),
	                                col("ümlaut", "text", 'S')};
	json mask = {{"E-Mail \"Work\"", "email"}, {"select", "hash"}, {"ümlaut", "name"}};
	const auto out = compile_masks(mask, cols);
	EXPECT_HAS(out.at("E-Mail \"Work\""), "pg_catalog.strpos(\"E-Mail \"\"Work\"\"\"::pg_catalog.text, '@')");
	EXPECT_EQ(out.at("select"), "(pg_catalog.md5(\"select\"::pg_catalog.text))::text");
	EXPECT_EQ(out.at("ümlaut"), "(CASE WHEN \"ümlaut\" IS NULL THEN NULL ELSE 'XXXX' END)::text");
}

TEST(MaskQuoting, ColumnNamesAreCaseSensitive) {
	std::vector<MaskColumn> cols = {col("Email", "text", 'S')};
	EXPECT_EQ(failure_of([&] { compile_masks(json{{"email", "email"}}, cols); }).sqlstate, "42703");
	EXPECT_EQ(compile_masks(json{{"Email", "hash"}}, cols).size(), 1u);
}

TEST(MaskQuoting, SelectList) {
	std::map<std::string, std::string> exprs = {{"b", "(NULL)::text"}};
	EXPECT_EQ(pgclone::core::masked_select_list({"a", "b", "we\"ird"}, exprs),
	          "\"a\", (NULL)::text AS \"b\", \"we\"\"ird\"");
}

TEST(MaskQuoting, EmptyMaskCompilesToNothing) {
	EXPECT_TRUE(compile_masks(json::object(), employees()).empty());
}

// --- invalid input -------------------------------------------------------------------

TEST(MaskInvalid, UnknownStrategyListsTheValidOnes) {
	const Failure f = failure_one("email", "scramble");
	EXPECT_EQ(f.sqlstate, "22023");
	EXPECT_EQ(f.message,
	          "unknown mask strategy \"scramble\" for column \"email\" of table "
	          "\"test_schema\".\"employees\"; valid strategies are: email, name, phone, hash, null, "
	          "partial, random_int, constant, pseudonymize");
	EXPECT_EQ(failure_one("email", json{{"type", "Email"}}).sqlstate, "22023");
}

TEST(MaskInvalid, UnknownColumn) {
	const Failure f = failure_one("no_such_column", "email");
	EXPECT_EQ(f.sqlstate, "42703");
	EXPECT_EQ(f.message, "column \"no_such_column\" of table \"test_schema\".\"employees\" does not exist");
}

TEST(MaskInvalid, StringStrategiesOnAnIntegerColumn) {
	for (const char *s : {"email", "name", "phone", "hash"}) {
		const Failure f = failure_one("salary", s);
		EXPECT_EQ(f.sqlstate, "42804") << s;
		EXPECT_EQ(f.message,
		          std::string("mask strategy \"") + s +
		              "\" cannot be applied to column \"salary\" of table \"test_schema\".\"employees\" "
		              "of type integer")
		    << s;
	}
	EXPECT_EQ(failure_one("salary", json{{"type", "partial"}, {"prefix", 1}}).sqlstate, "42804");
	EXPECT_EQ(failure_one("salary", json{{"type", "pseudonymize"}, {"salt", "0123456789"}}).sqlstate,
	          "42804");
	EXPECT_EQ(failure_one("created_at", json{{"type", "random_int"}, {"min", 1}, {"max", 2}}).sqlstate,
	          "42804");
	EXPECT_EQ(
	    failure_one("ext_id", json{{"type", "pseudonymize"}, {"salt", "0123456789"}, {"format", "digits"}})
	        .sqlstate,
	    "42804");
}

TEST(MaskInvalid, NullOnNotNullColumn) {
	const Failure f = failure_one("full_name", "null");
	EXPECT_EQ(f.sqlstate, "22023");
	EXPECT_HAS(f.message, "mask strategy \"null\" cannot be applied to NOT NULL column \"full_name\"");
}

TEST(MaskInvalid, GeneratedColumn) {
	const Failure f = failure_one("total", "name");
	EXPECT_EQ(f.sqlstate, "0A000");
	EXPECT_HAS(f.message, "generated column \"total\"");
}

TEST(MaskInvalid, MissingParameters) {
	EXPECT_HAS(failure_one("full_name", "partial").message, "requires parameter \"prefix\" or \"suffix\"");
	EXPECT_HAS(failure_one("full_name", json{{"type", "partial"}}).message,
	           "requires parameter \"prefix\" or \"suffix\"");
	EXPECT_HAS(failure_one("salary", json{{"type", "random_int"}}).message,
	           "requires parameters \"min\" and \"max\"");
	EXPECT_HAS(failure_one("salary", json{{"type", "random_int"}, {"min", 1}}).message,
	           "requires parameters \"min\" and \"max\"");
	EXPECT_HAS(failure_one("notes", "constant").message, "requires parameter \"value\"");
	EXPECT_HAS(failure_one("email", "pseudonymize").message, "requires parameter \"salt\"");
	EXPECT_EQ(failure_one("notes", "constant").sqlstate, "22023");
}

TEST(MaskInvalid, InvertedRandomIntRange) {
	const Failure f = failure_one("salary", json{{"type", "random_int"}, {"min", 200}, {"max", 100}});
	EXPECT_EQ(f.sqlstate, "22023");
	EXPECT_HAS(f.message, "parameter \"min\" of mask strategy \"random_int\"");
	EXPECT_HAS(f.message, "must not be greater than \"max\"");
	EXPECT_EQ(f.detail, "min is 200 and max is 100.");
}

TEST(MaskInvalid, RandomIntRangeMustFitTheType) {
	const Failure f = failure_one("small", json{{"type", "random_int"}, {"min", 0}, {"max", 40000}});
	EXPECT_EQ(f.sqlstate, "42804");
	EXPECT_HAS(f.detail, "-32768 to 32767");
	EXPECT_EQ(failure_one("price", json{{"type", "random_int"}, {"min", 0}, {"max", 10000}}).sqlstate,
	          "42804");
	EXPECT_EQ(failure_one("salary", json{{"type", "random_int"}, {"min", 0}, {"max", 3000000000LL}}).sqlstate,
	          "42804");
}

TEST(MaskInvalid, WrongParameterTypes) {
	for (const json &bad : {json("2"), json(2.5), json(true), json(-1), json(nullptr), json::array()}) {
		const Failure f = failure_one("full_name", json{{"type", "partial"}, {"prefix", bad}});
		EXPECT_EQ(f.sqlstate, "22023") << bad;
		EXPECT_HAS(f.message, "parameter \"prefix\" of mask strategy \"partial\"");
	}
	EXPECT_HAS(failure_one("salary", json{{"type", "random_int"}, {"min", "1"}, {"max", 2}}).message,
	           "parameter \"min\"");
	EXPECT_HAS(
	    failure_one("salary", json{{"type", "random_int"}, {"min", 1}, {"max", 18446744073709551615ULL}})
	        .message,
	    "parameter \"max\"");
	EXPECT_HAS(failure_one("notes", json{{"type", "constant"}, {"value", nullptr}}).hint,
	           "\"null\" strategy");
	EXPECT_HAS(failure_one("notes", json{{"type", "constant"}, {"value", json::array()}}).message,
	           "must be a string, a number or a boolean");
	EXPECT_HAS(
	    failure_one("email", json{{"type", "pseudonymize"}, {"salt", "0123456789"}, {"format", "base64"}})
	        .message,
	    "must be \"hex\" or \"digits\"");
}

TEST(MaskInvalid, UnknownParameter) {
	const Failure f = failure_one("full_name", json{{"type", "partial"}, {"prefix", 2}, {"sufix", 3}});
	EXPECT_EQ(f.sqlstate, "22023");
	EXPECT_HAS(f.message, "unknown parameter \"sufix\" for mask strategy \"partial\"");
	EXPECT_EQ(f.hint, "Valid parameters are: prefix, suffix.");
	EXPECT_EQ(failure_one("email", json{{"type", "email"}, {"domain", "x"}}).hint,
	          "Strategy \"email\" takes no parameters.");
}

TEST(MaskInvalid, ObjectWithoutType) {
	const Failure f = failure_one("email", json{{"prefix", 2}});
	EXPECT_HAS(f.message, "needs a \"type\"");
	EXPECT_HAS(f.hint, "pseudonymize");
	EXPECT_EQ(failure_one("email", json{{"type", 3}}).sqlstate, "22023");
}

TEST(MaskInvalid, SpecMustBeStringOrObject) {
	for (const json &bad : {json(1), json::array(), json(nullptr)})
		EXPECT_HAS(failure_one("email", bad).message, "must be a strategy name or an object");
	EXPECT_HAS(failure_of([] { compile_masks(json::array(), employees()); }).message,
	           "mask must be a JSON object");
}

TEST(MaskInvalid, SaltIsNeverEchoed) {
	for (const json &salt : {json("short"), json(std::string(65, 'x')), json(123456789012LL), json("")}) {
		const Failure f = failure_one("email", json{{"type", "pseudonymize"}, {"salt", salt}});
		EXPECT_EQ(f.sqlstate, "22023");
		EXPECT_HAS(f.message, "must be a string of 8 to 64 bytes");
		EXPECT_LACKS(f.message + f.detail + f.hint, "short");
		EXPECT_LACKS(f.message + f.detail + f.hint, "xxxxxxxx");
		EXPECT_LACKS(f.message + f.detail + f.hint, "123456789012");
	}
}

// --- mask text --------------------------------------------------------------------------

TEST(MaskText, ParsesAnObject) {
	const json m =
	    pgclone::core::parse_mask_text(R"({"email": "email", "x": {"type": "null"}})", "mask_json");
	EXPECT_EQ(m["email"], "email");
}

TEST(MaskText, RefusesDuplicatesAtAnyLevel) {
	Failure f =
	    failure_of([] { pgclone::core::parse_mask_text(R"({"a": "email", "a": "hash"})", "mask_json"); });
	EXPECT_EQ(f.message, "mask_json contains key \"a\" more than once");
	f = failure_of([] {
		pgclone::core::parse_mask_text(R"({"a": {"type": "partial", "prefix": 1, "prefix": 2}})",
		                               "mask_json");
	});
	EXPECT_EQ(f.sqlstate, "22023");
}

TEST(MaskText, InvalidJsonDoesNotEchoTheInput) {
	const Failure f = failure_of([] {
		pgclone::core::parse_mask_text(R"({"e": {"type": "pseudonymize", "salt": "s3cret-value}})",
		                               "mask_json");
	});
	EXPECT_EQ(f.sqlstate, "22P02");
	EXPECT_EQ(f.message.rfind("invalid JSON in mask_json: ", 0), 0u) << f.message;
	EXPECT_HAS(f.detail, "line 1");
	EXPECT_LACKS(f.message + f.detail, "s3cret");
}

TEST(MaskText, MustBeAnObject) {
	for (const char *t : {"[]", "\"email\"", "null", "1"})
		EXPECT_HAS(failure_of([&] { pgclone::core::parse_mask_text(t, "mask_json"); }).message,
		           "mask_json must be a JSON object");
}

} // namespace

// Unit tests for the sensitive-data discovery rules and the require_masks
// gate (core/sensitivity.hpp), and the option key that turns the gate on.

#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/sensitivity.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using namespace pgclone::core;

#define EXPECT_HAS(haystack, needle)                                                                         \
	EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

std::string category_of(const std::string &column) {
	const SensitivityRule *r = match_sensitivity(column);
	return r ? std::string(r->category) : "";
}

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

// The seed's test_schema.employees.
std::vector<MaskColumn> employees() {
	return {col("id", "integer", 'N', true), col("full_name", "text", 'S', true),
	        col("email", "text", 'S'),       col("phone", "text", 'S'),
	        col("ssn", "text", 'S'),         col("salary", "integer", 'N'),
	        col("notes", "text", 'S'),       col("created_at", "timestamp with time zone", 'D')};
}

TEST(SensitivityRules, AboutFortyPatternsOverTenCategories) {
	std::set<std::string> categories;
	for (const auto &r : sensitivity_rules())
		categories.insert(std::string(r.category));
	EXPECT_EQ(categories,
	          (std::set<std::string>{"Email", "PII - Name", "Phone", "National ID", "Financial", "Credential",
	                                 "Address", "Date of Birth", "Credit Card", "IP Address"}));
	EXPECT_GE(sensitivity_rules().size(), 40u);
}

TEST(SensitivityRules, EveryRuleMaskIsValidForAStringOrNumberColumn) {
	for (const auto &r : sensitivity_rules()) {
		const MaskColumn c = r.category == "Financial" ? col("c", "integer", 'N') : col("c", "text", 'S');
		json mask = json::object();
		mask["c"] = recommend_mask(r, c);
		EXPECT_NO_THROW(compile_masks(mask, {c})) << r.pattern;
		// The rule's own mask, not a fallback, is what these columns get.
		EXPECT_EQ(mask["c"], r.mask.front() == '{' ? json::parse(r.mask) : json(std::string(r.mask)))
		    << r.pattern;
	}
}

TEST(SensitivityRules, Categories) {
	EXPECT_EQ(category_of("email"), "Email");
	EXPECT_EQ(category_of("Work_Email"), "Email");
	EXPECT_EQ(category_of("email_address"), "Email");
	EXPECT_EQ(category_of("full_name"), "PII - Name");
	EXPECT_EQ(category_of("LastName"), "PII - Name");
	EXPECT_EQ(category_of("phone"), "Phone");
	EXPECT_EQ(category_of("mobile_number"), "Phone");
	EXPECT_EQ(category_of("ssn"), "National ID");
	EXPECT_EQ(category_of("passport_no"), "National ID");
	EXPECT_EQ(category_of("salary"), "Financial");
	EXPECT_EQ(category_of("iban"), "Financial");
	EXPECT_EQ(category_of("password"), "Credential");
	EXPECT_EQ(category_of("api_key"), "Credential");
	EXPECT_EQ(category_of("home_address"), "Address");
	EXPECT_EQ(category_of("postal_code"), "Address");
	EXPECT_EQ(category_of("date_of_birth"), "Date of Birth");
	EXPECT_EQ(category_of("dob"), "Date of Birth");
	EXPECT_EQ(category_of("credit_card_number"), "Credit Card");
	EXPECT_EQ(category_of("cvv"), "Credit Card");
	EXPECT_EQ(category_of("ip_address"), "IP Address");
	EXPECT_EQ(category_of("client_ip"), "IP Address");
}

TEST(SensitivityRules, OverlapsResolveToTheRightCategory) {
	EXPECT_EQ(category_of("ip_address"), "IP Address"); // not Address
	EXPECT_EQ(category_of("ship_address"), "Address");  // not IP Address
	EXPECT_EQ(category_of("email_address"), "Email");   // not Address
}

TEST(SensitivityRules, OrdinaryColumnsAreNotSensitive) {
	for (const char *c :
	     {"id", "name", "notes", "status", "score", "created_at", "amount", "price", "quantity", "product",
	      "order_id", "customer_id", "description", "zipper", "relationship", "shipping"})
		EXPECT_EQ(category_of(c), "") << c;
}

TEST(SensitivityRules, GlobMatching) {
	EXPECT_EQ(category_of("x_ssn"), "National ID");
	EXPECT_EQ(category_of("ssn_x"), "");
	EXPECT_EQ(category_of("mail"), "Email");
	EXPECT_EQ(category_of("mailbox"), "");
	EXPECT_EQ(category_of("SSN"), "National ID");
}

// --- discovery ---------------------------------------------------------------------

TEST(Discovery, SpecTest9Output) {
	const json out = discover_masks({{"employees", employees()}, {"orders", {col("id", "integer", 'N')}}});
	EXPECT_EQ(json_text(out), R"({"employees": {"email": "email", "full_name": "name", "phone": "phone", )"
	                          R"("salary": "random_int", "ssn": "null"}})");
}

TEST(Discovery, OutputCompilesAsMask) {
	const json out = discover_masks({{"employees", employees()}});
	EXPECT_EQ(compile_masks(out["employees"], employees()).size(), 5u);
	EXPECT_TRUE(unmasked_sensitive_columns(employees(), &out["employees"]).empty());
}

TEST(Discovery, RecommendationsFitTheColumn) {
	const SensitivityRule *ssn = match_sensitivity("ssn");
	ASSERT_NE(ssn, nullptr);
	EXPECT_EQ(recommend_mask(*ssn, col("ssn", "text", 'S')), json("null"));
	// NOT NULL: "null" does not compile, a constant does.
	EXPECT_EQ(recommend_mask(*ssn, col("ssn", "text", 'S', true)),
	          (json{{"type", "constant"}, {"value", "REDACTED"}}));
	EXPECT_EQ(recommend_mask(*ssn, col("ssn", "bigint", 'N', true)), json("random_int"));
	const SensitivityRule *dob = match_sensitivity("date_of_birth");
	EXPECT_EQ(recommend_mask(*dob, col("date_of_birth", "date", 'D', true)),
	          (json{{"type", "constant"}, {"value", "1900-01-01"}}));
	const SensitivityRule *ip = match_sensitivity("ip_address");
	EXPECT_EQ(recommend_mask(*ip, col("ip_address", "inet", 'I', true)),
	          (json{{"type", "constant"}, {"value", "0.0.0.0"}}));
	// "email" on a non-string column falls back.
	const SensitivityRule *email = match_sensitivity("email");
	EXPECT_EQ(recommend_mask(*email, col("email", "bytea", 'U')), json("null"));
	// Financial on text: random_int fits a string column too.
	const SensitivityRule *salary = match_sensitivity("salary");
	EXPECT_EQ(recommend_mask(*salary, col("salary", "text", 'S')), json("random_int"));
	const SensitivityRule *cardno = match_sensitivity("card_number");
	EXPECT_EQ(mask_spec_text(recommend_mask(*cardno, col("card_number", "text", 'S'))),
	          R"({"type": "partial", "prefix": 0, "suffix": 4})");
}

TEST(Discovery, GeneratedColumnsAreSkipped) {
	std::vector<MaskColumn> cols = {col("email", "text", 'S', false, true)};
	EXPECT_TRUE(discover_masks({{"t", cols}}).empty());
	EXPECT_TRUE(unmasked_sensitive_columns(cols, nullptr).empty());
}

TEST(Discovery, JsonTextStyle) {
	EXPECT_EQ(json_text(json::object()), "{}");
	EXPECT_EQ(json_text(json{{"b", {1, 2}}, {"a", "x\"y"}}), R"({"a": "x\"y", "b": [1, 2]})");
	EXPECT_EQ(mask_spec_text(json("email")), "email");
}

// --- require_masks -----------------------------------------------------------------

TEST(RequireMasks, ListsUnmaskedSensitiveColumnsInColumnOrder) {
	const json mask = {{"email", "email"}, {"phone", "phone"}};
	const auto u = unmasked_sensitive_columns(employees(), &mask);
	ASSERT_EQ(u.size(), 3u);
	EXPECT_EQ(u[0].column, "full_name");
	EXPECT_EQ(u[0].category, "PII - Name");
	EXPECT_EQ(u[1].column, "ssn");
	EXPECT_EQ(u[2].column, "salary");
	EXPECT_EQ(unmasked_sensitive_columns(employees(), nullptr).size(), 5u);
}

TEST(RequireMasks, ErrorNamesEveryColumn) {
	const Error e = require_masks_error(
	    {{"test_schema", "employees", {{"ssn", "National ID"}, {"salary", "Financial"}}}});
	EXPECT_STREQ(e.what(), "table \"test_schema\".\"employees\" has sensitive columns without a mask");
	EXPECT_STREQ(e.sqlstate(), "22023");
	EXPECT_EQ(e.detail(),
	          "Unmasked sensitive columns: test_schema.employees.ssn (National ID), "
	          "test_schema.employees.salary (Financial). The option \"require_masks\" refuses to copy "
	          "them unmasked.");
	EXPECT_HAS(e.hint(), "\"mask\" option");
}

TEST(RequireMasks, SeveralTables) {
	const Error e =
	    require_masks_error({{"s", "a", {{"email", "Email"}}}, {"s", "b", {{"ssn", "National ID"}}}});
	EXPECT_STREQ(e.what(), "2 tables have sensitive columns without a mask");
	EXPECT_HAS(e.detail(), "s.a.email (Email), s.b.ssn (National ID)");
	EXPECT_HAS(e.hint(), "\"masks\" option");
}

TEST(RequireMasks, OptionKey) {
	EXPECT_FALSE(parse_options("").require_masks);
	EXPECT_TRUE(parse_options(R"({"require_masks": true})").require_masks);
	EXPECT_FALSE(parse_options(R"({"require_masks": false})").require_masks);
	try {
		parse_options(R"({"require_masks": "yes"})");
		ADD_FAILURE() << "expected an error";
	} catch (const Error &e) {
		EXPECT_STREQ(e.what(), "option \"require_masks\" must be a boolean");
	}
}

TEST(RequireMasks, OptionsParserNeverEchoesASaltFromBrokenJson) {
	for (const char *text : {R"({"mask": {"e": {"type": "pseudonymize", "salt": "s3cret-value}}})",
	                         R"({"mask": {"e": {"type": "pseudonymize", "salt": "s3cret-value" x}}})"}) {
		try {
			parse_options(text);
			ADD_FAILURE() << "expected an error";
		} catch (const Error &e) {
			EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
			EXPECT_EQ(e.detail().find("s3cret"), std::string::npos) << e.detail();
			EXPECT_HAS(e.what(), "invalid JSON in options: ");
		}
	}
}

} // namespace

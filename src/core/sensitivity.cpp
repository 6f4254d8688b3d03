// Sensitive-data discovery rules (see sensitivity.hpp).
#include "pgclone/core/sensitivity.hpp"

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using nlohmann::json;

// The categories, as pgclone.masking_report() names them in its sensitivity column.
constexpr std::string_view email = "Email";
constexpr std::string_view person_name = "PII - Name";
constexpr std::string_view phone = "Phone";
constexpr std::string_view national_id = "National ID";
constexpr std::string_view financial = "Financial";
constexpr std::string_view credential = "Credential";
constexpr std::string_view address = "Address";
constexpr std::string_view birth = "Date of Birth";
constexpr std::string_view card = "Credit Card";
constexpr std::string_view ip = "IP Address";

constexpr std::string_view last_four = R"({"type": "partial", "prefix": 0, "suffix": 4})";

// Order matters where patterns overlap: "email_address" is an Email and
// "ip_address" an IP Address before "*address*" sees them. A bare "name"
// column is not matched: it names products and tables as often as people.
const std::vector<SensitivityRule> rules = {
    {"*email*", email, "email"},
    {"*e_mail*", email, "email"},
    {"mail", email, "email"},

    {"ip", ip, "null"},
    {"*_ip", ip, "null"},
    {"ip_addr*", ip, "null"},
    {"*_ip_addr*", ip, "null"},
    {"*remote_addr*", ip, "null"},

    {"*credit_card*", card, last_four},
    {"*card_num*", card, last_four},
    {"*cc_num*", card, last_four},
    {"*cvv*", card, "null"},
    {"*cvc*", card, "null"},

    {"*password*", credential, "null"},
    {"*passwd*", credential, "null"},
    {"pwd", credential, "null"},
    {"*secret*", credential, "null"},
    {"*api_key*", credential, "null"},
    {"*token*", credential, "null"},

    {"ssn", national_id, "null"},
    {"*_ssn", national_id, "null"},
    {"*social_security*", national_id, "null"},
    {"*national_id*", national_id, "null"},
    {"*passport*", national_id, "null"},
    {"*tax_id*", national_id, "null"},

    {"dob", birth, "null"},
    {"*birth_date*", birth, "null"},
    {"*birthdate*", birth, "null"},
    {"*date_of_birth*", birth, "null"},

    {"*phone*", phone, "phone"},
    {"*mobile*", phone, "phone"},
    {"fax", phone, "phone"},

    {"*salary*", financial, "random_int"},
    {"*wage*", financial, "random_int"},
    {"*income*", financial, "random_int"},
    {"*iban*", financial, "null"},
    {"*bank_account*", financial, "null"},
    {"*account_number*", financial, "null"},

    {"*full_name*", person_name, "name"},
    {"*fullname*", person_name, "name"},
    {"*first_name*", person_name, "name"},
    {"*firstname*", person_name, "name"},
    {"*last_name*", person_name, "name"},
    {"*lastname*", person_name, "name"},
    {"*surname*", person_name, "name"},
    {"*middle_name*", person_name, "name"},

    {"*address*", address, "null"},
    {"*street*", address, "null"},
    {"zip", address, "null"},
    {"*zip_code*", address, "null"},
    {"*postal_code*", address, "null"},
};

char lower(char c) {
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// '*' matches any run (also empty); everything else one equal character.
// Greedy with one backtrack point: linear enough for identifiers.
bool glob_match(std::string_view pattern, std::string_view name) {
	std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
	while (n < name.size()) {
		if (p < pattern.size() && pattern[p] == '*') {
			star = p++;
			resume = n;
		} else if (p < pattern.size() && pattern[p] == lower(name[n])) {
			++p;
			++n;
		} else if (star != std::string_view::npos) {
			p = star + 1;
			n = ++resume;
		} else {
			return false;
		}
	}
	while (p < pattern.size() && pattern[p] == '*')
		++p;
	return p == pattern.size();
}

json parse_rule_mask(std::string_view mask) {
	if (!mask.empty() && mask.front() == '{')
		return json::parse(mask);
	return json(std::string(mask));
}

bool compiles_for(const json &spec, const MaskColumn &column) {
	json mask = json::object();
	mask[column.name] = spec;
	try {
		compile_masks(mask, {column});
		return true;
	} catch (const Error &) {
		return false;
	}
}

bool starts_with(const std::string &s, std::string_view prefix) {
	return s.compare(0, prefix.size(), prefix) == 0;
}

void append_json(std::string &out, const json &v) {
	if (v.is_object()) {
		out += '{';
		bool first = true;
		auto member = [&](const std::string &key, const json &value) {
			out += first ? "" : ", ";
			first = false;
			out += json(key).dump(-1, ' ', false, json::error_handler_t::replace);
			out += ": ";
			append_json(out, value);
		};
		// A mask object reads best with its strategy first.
		if (auto t = v.find("type"); t != v.end())
			member("type", *t);
		for (const auto &[key, value] : v.items())
			if (key != "type")
				member(key, value);
		out += '}';
	} else if (v.is_array()) {
		out += '[';
		for (std::size_t i = 0; i < v.size(); ++i) {
			out += i ? ", " : "";
			append_json(out, v[i]);
		}
		out += ']';
	} else {
		out += v.dump(-1, ' ', false, json::error_handler_t::replace);
	}
}

} // namespace

const std::vector<SensitivityRule> &sensitivity_rules() {
	return rules;
}

const SensitivityRule *match_sensitivity(std::string_view column_name) {
	for (const auto &r : rules)
		if (glob_match(r.pattern, column_name))
			return &r;
	return nullptr;
}

json recommend_mask(const SensitivityRule &rule, const MaskColumn &column) {
	std::vector<json> candidates = {parse_rule_mask(rule.mask)};
	if (column.type_category == 'N')
		candidates.emplace_back("random_int");
	candidates.emplace_back("null");
	// NOT NULL columns need a value; these constants are valid input for
	// the types they are offered to.
	auto constant = [](const char *value) { return json{{"type", "constant"}, {"value", value}}; };
	if (column.type_category == 'S')
		candidates.push_back(constant("REDACTED"));
	if (starts_with(column.type, "date") || starts_with(column.type, "timestamp"))
		candidates.push_back(constant("1900-01-01"));
	if (column.type == "inet" || column.type == "cidr")
		candidates.push_back(constant("0.0.0.0"));
	if (column.type == "uuid")
		candidates.emplace_back("hash");
	for (const json &c : candidates)
		if (compiles_for(c, column))
			return c;
	// Nothing fits (a NOT NULL column of some other type): "null" is the
	// honest advice, and compiling it explains why it cannot be used.
	return json("null");
}

std::string mask_spec_text(const json &spec) {
	if (spec.is_string())
		return spec.get<std::string>();
	return json_text(spec);
}

std::string json_text(const json &value) {
	std::string out;
	append_json(out, value);
	return out;
}

json discover_masks(const std::vector<DiscoveryTable> &tables) {
	json out = json::object();
	for (const auto &t : tables) {
		json masks = json::object();
		for (const auto &c : t.columns) {
			if (c.generated)
				continue;
			if (const SensitivityRule *r = match_sensitivity(c.name))
				masks[c.name] = recommend_mask(*r, c);
		}
		if (!masks.empty())
			out[t.name] = std::move(masks);
	}
	return out;
}

std::vector<UnmaskedColumn> unmasked_sensitive_columns(const std::vector<MaskColumn> &columns,
                                                       const json *mask) {
	std::vector<UnmaskedColumn> out;
	for (const auto &c : columns) {
		if (c.generated)
			continue;
		const SensitivityRule *r = match_sensitivity(c.name);
		if (!r)
			continue;
		if (mask && mask->is_object() && mask->contains(c.name))
			continue;
		out.push_back({c.name, std::string(r->category)});
	}
	return out;
}

Error require_masks_error(const std::vector<UnmaskedTable> &tables) {
	std::string list;
	std::size_t count = 0;
	for (const auto &t : tables)
		for (const auto &c : t.columns) {
			list += (list.empty() ? "" : ", ") + t.schema + "." + t.table + "." + c.column + " (" +
			        c.category + ")";
			++count;
		}
	const std::string columns = count == 1 ? "sensitive column: " : "sensitive columns: ";
	std::string message;
	std::string hint;
	if (tables.size() == 1) {
		message = "table " + qualified_name(tables[0].schema, tables[0].table) +
		          " has sensitive columns without a mask";
		hint = "Add a mask for each of them to the \"mask\" option (pgclone.discover_sensitive() suggests one), or leave out {\"require_masks\": true}.";
	} else {
		message = std::to_string(tables.size()) + " tables have sensitive columns without a mask";
		hint = "Add a mask for each of them to the \"masks\" option (pgclone.discover_sensitive() suggests them), or leave out {\"require_masks\": true}.";
	}
	return Error(
	    message, sqlstate::invalid_parameter_value,
	    "Unmasked " + columns + list + ". The option \"require_masks\" refuses to copy them unmasked.", hint);
}

} // namespace pgclone::core

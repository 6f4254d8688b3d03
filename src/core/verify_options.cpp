// Strict parser for pgclone.verify()'s options.
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/verify_options.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using nlohmann::json;

constexpr VerifyMode all_modes[] = {VerifyMode::Fast, VerifyMode::Exact, VerifyMode::Checksum};

std::string valid_modes() {
	std::string s;
	for (VerifyMode m : all_modes)
		s += std::string(s.empty() ? "" : ", ") + to_string(m);
	return s;
}

[[noreturn]] void fail(std::string message, std::string detail = {}, std::string hint = {}) {
	throw Error(std::move(message), sqlstate::invalid_parameter_value, std::move(detail), std::move(hint));
}

// Shortened text of a user value for messages (JSON-escaped, so always printable).
std::string shown(const json &v) {
	std::string s = v.dump(-1, ' ', true, json::error_handler_t::replace);
	if (s.size() > 64)
		s = s.substr(0, 61) + "...";
	return s;
}

bool is_blank(std::string_view text) {
	for (char c : text)
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return false;
	return true;
}

} // namespace

const char *to_string(VerifyMode mode) noexcept {
	switch (mode) {
	case VerifyMode::Fast:
		return "fast";
	case VerifyMode::Exact:
		return "exact";
	case VerifyMode::Checksum:
		return "checksum";
	}
	return "fast";
}

VerifyOptions parse_verify_options_full(std::string_view text) {
	VerifyOptions out;
	if (is_blank(text))
		return out;
	// nlohmann keeps the last of duplicate keys; an ignored half of the
	// user's input is worse than an error, so duplicates are caught here.
	std::set<std::string> top_keys;
	std::string duplicate;
	auto watch = [&](int depth, json::parse_event_t event, json &parsed) {
		if (event == json::parse_event_t::key && depth == 1 && duplicate.empty() &&
		    !top_keys.insert(parsed.get<std::string>()).second)
			duplicate = parsed.get<std::string>();
		return true;
	};
	json doc;
	try {
		doc = json::parse(text.begin(), text.end(), watch);
	} catch (const json::exception &e) {
		std::string what = e.what();
		auto pos = what.find("] ");
		if (pos != std::string::npos)
			what = what.substr(pos + 2);
		throw Error("invalid JSON in verify options: " + what, sqlstate::invalid_text_representation);
	}
	if (doc.is_null())
		return out;
	if (!doc.is_object())
		fail("verify options must be a JSON object", "The value given is " + shown(doc) + ".",
		     "Pass for example {\"mode\": \"exact\"}.");
	if (!duplicate.empty())
		fail("verify option \"" + duplicate + "\" is given more than once");
	bool mode_given = false;
	for (const auto &[key, value] : doc.items()) {
		if (key == "subset") {
			// The options the clone was given; parse_options checks them
			// as the clone did.
			if (!value.is_object())
				fail("verify option \"subset\" must be an object", "The value given is " + shown(value) + ".",
				     "Pass the options the subset clone was given: {\"subset\": {\"where\": {\"orders\": \"...\"}}}.");
			CloneOptions clone = parse_options(value.dump());
			if (!is_subset_clone(clone))
				fail("verify option \"subset\" must hold option \"where\" (an object) or \"sample\"",
				     {}, "Pass the options the subset clone was given.");
			out.subset = std::move(clone);
			continue;
		}
		if (key != "mode")
			fail("unknown verify option " + shown(json(key)) + "; valid options are \"mode\" and \"subset\"");
		if (!value.is_string())
			fail("verify option \"mode\" must be a string", "The value given is " + shown(value) + ".",
			     "Valid modes are: " + valid_modes() + ".");
		const std::string &name = value.get_ref<const std::string &>();
		bool found = false;
		for (VerifyMode m : all_modes)
			if (name == to_string(m)) {
				out.mode = m;
				found = true;
			}
		if (!found)
			fail("unknown verify mode " + shown(value) + "; valid modes are: " + valid_modes());
		mode_given = true;
	}
	// Statistics say nothing of a subset: its rows are counted.
	if (out.subset && !mode_given)
		out.mode = VerifyMode::Exact;
	if (out.subset && out.mode == VerifyMode::Fast)
		fail("verify mode \"fast\" cannot compare a subset", "Planner statistics count the whole source table.",
		     "Use \"exact\" (the default with \"subset\") or \"checksum\".");
	return out;
}

VerifyMode parse_verify_options(std::string_view text) {
	return parse_verify_options_full(text).mode;
}

const char *verify_match_text(bool missing_on_target, bool equal) noexcept {
	if (missing_on_target)
		return "\xE2\x9C\x97 (missing)";
	return equal ? "\xE2\x9C\x93" : "\xE2\x9C\x97";
}

} // namespace pgclone::core

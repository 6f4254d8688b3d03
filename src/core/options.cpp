// Strict parser for the JSON `options` argument.
//
// Pure logic: no server headers. Every failure is a core::Error with a real
// SQLSTATE, a PostgreSQL-style primary message, and detail/hint sentences.

#include "pgclone/core/json_describe.hpp"
#include "pgclone/core/options.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using nlohmann::json;

// Options are at most four levels deep ({"masks": {"t": {"c": {"type": ...}}}});
// anything much deeper is garbage, and refusing it early bounds the work done
// on hostile input.
constexpr std::size_t max_nesting_depth = 32;

constexpr std::size_t max_snapshot_id_length = 63;
constexpr int min_parallel = 1;
constexpr int max_parallel = 64;

// --- text helpers ------------------------------------------------------------

std::string in_quotes(std::string_view s) {
	return "\"" + printable(s) + "\"";
}

bool is_json_whitespace(char c) {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_blank(std::string_view text) {
	return std::all_of(text.begin(), text.end(), is_json_whitespace);
}

char ascii_lower(char c) {
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Edit distance where an adjacent transposition ("mkas" for "mask") also
// counts as one edit, because that is the commonest typo in a key name.
std::size_t edit_distance(std::string_view a, std::string_view b) {
	const std::size_t n = a.size(), m = b.size();
	std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
	for (std::size_t i = 0; i <= n; ++i)
		d[i][0] = i;
	for (std::size_t j = 0; j <= m; ++j)
		d[0][j] = j;
	for (std::size_t i = 1; i <= n; ++i) {
		for (std::size_t j = 1; j <= m; ++j) {
			const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
			d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
			if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
			    ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
				d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
		}
	}
	return d[n][m];
}

std::string describe(const json &v) {
	return describe_json_value(v);
}

std::string given(const json &v) {
	return "The value given is " + describe(v) + ".";
}

[[noreturn]] void fail(std::string message, std::string detail = {}, std::string hint = {}) {
	throw Error(std::move(message), sqlstate::invalid_parameter_value, std::move(detail), std::move(hint));
}

[[noreturn]] void wrong_type(std::string_view key, const char *expected, const json &v) {
	fail("option \"" + std::string(key) + "\" must be " + expected, given(v));
}

// --- JSON text -> document ---------------------------------------------------

// State of the parser callback. nlohmann keeps the last of duplicate keys
// silently; a clone that quietly ignores half of what the user wrote is
// worse than an error, so duplicates are caught while parsing.
class ParseWatcher {
public:
	const std::vector<std::string> &top_level_keys() const { return top_level_keys_; }

	bool operator()(int, json::parse_event_t event, json &parsed) {
		switch (event) {
		case json::parse_event_t::object_start:
		case json::parse_event_t::array_start:
			push(event == json::parse_event_t::object_start);
			break;
		case json::parse_event_t::object_end:
		case json::parse_event_t::array_end:
			frames_.pop_back();
			break;
		case json::parse_event_t::key:
			on_key(parsed.get_ref<const std::string &>());
			break;
		case json::parse_event_t::value:
			if (parsed.is_string())
				reject_nul(parsed.get_ref<const std::string &>());
			break;
		}
		return true;
	}

private:
	struct Frame {
		bool is_object;
		std::set<std::string> keys;
	};

	void push(bool is_object) {
		if (frames_.size() >= max_nesting_depth)
			fail("options JSON is nested too deeply",
			     "Nesting deeper than " + std::to_string(max_nesting_depth) + " levels is not accepted.");
		frames_.push_back(Frame{is_object, {}});
	}

	void on_key(const std::string &key) {
		reject_nul(key);
		Frame &frame = frames_.back();
		const bool top_level = frames_.size() == 1;
		if (!frame.keys.insert(key).second) {
			if (top_level)
				fail("option " + in_quotes(key) + " is given more than once",
				     "Each option may appear only once in the options object.");
			fail("option " + in_quotes(current_option_) + " contains key " + in_quotes(key) +
			         " more than once",
			     "Each key may appear only once in a JSON object.");
		}
		if (top_level) {
			current_option_ = key;
			top_level_keys_.push_back(key);
		}
	}

	// \u0000 decodes to a NUL byte, which no PostgreSQL text value can hold;
	// jsonb refuses it too.
	static void reject_nul(const std::string &s) {
		if (s.find('\0') != std::string::npos)
			throw Error("unsupported Unicode escape sequence in options",
			            sqlstate::invalid_text_representation, "\\u0000 cannot be converted to text.");
	}

	std::vector<Frame> frames_;
	std::vector<std::string> top_level_keys_;
	std::string current_option_;
};

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line
// 1, column 5: syntax error ...". Keep the explanation for the message and
// move the position into the detail.
[[noreturn]] void invalid_json(const json::exception &e) {
	std::string_view what = e.what();
	if (const auto bracket = what.find("] "); what.rfind("[json.exception.", 0) == 0 && bracket != what.npos)
		what.remove_prefix(bracket + 2);
	std::string detail;
	constexpr std::string_view parse_error_prefix = "parse error ";
	if (what.rfind(parse_error_prefix, 0) == 0) {
		const auto colon = what.find(": ");
		if (colon != what.npos) {
			detail = "The error is " +
			         std::string(what.substr(parse_error_prefix.size(), colon - parse_error_prefix.size())) +
			         ".";
			what.remove_prefix(colon + 2);
		}
	}
	// Without the quoted input: it may be a pseudonymization salt.
	throw Error("invalid JSON in options: " + printable(without_json_last_read(std::string(what)), 200),
	            sqlstate::invalid_text_representation, std::move(detail));
}

json parse_document(std::string_view text, ParseWatcher &watcher) {
	try {
		return json::parse(text.begin(), text.end(), std::ref(watcher));
	} catch (const json::exception &e) {
		invalid_json(e);
	}
}

// --- per-key handlers --------------------------------------------------------

using Handler = void (*)(std::string_view key, json &value, CloneOptions &out);

struct OptionKey {
	std::string_view name;
	Handler apply;
};

template <bool CloneOptions::*Field>
void apply_bool(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_boolean())
		wrong_type(key, "a boolean", value);
	out.*Field = value.get<bool>();
}

// Array of non-empty strings; `what` names one element in messages.
std::vector<std::string> string_array(std::string_view key, const json &value, const char *what) {
	if (!value.is_array())
		wrong_type(key, "an array of strings", value);
	std::vector<std::string> items;
	for (std::size_t i = 0; i < value.size(); ++i) {
		const json &item = value[i];
		if (!item.is_string())
			fail("option \"" + std::string(key) + "\" must be an array of strings",
			     "Element " + std::to_string(i + 1) + " is " + describe(item) + ".");
		if (item.get_ref<const std::string &>().empty())
			fail("option \"" + std::string(key) + "\" must not contain an empty " + what,
			     "Element " + std::to_string(i + 1) + " is an empty string.");
		items.push_back(item.get<std::string>());
	}
	return items;
}

void apply_columns(std::string_view key, json &value, CloneOptions &out) {
	std::vector<std::string> columns = string_array(key, value, "column name");
	if (columns.empty())
		fail("option \"columns\" must not be empty", {}, "Omit the option to clone all columns.");
	std::set<std::string_view> seen;
	for (const std::string &c : columns)
		if (!seen.insert(c).second)
			fail("column " + in_quotes(c) + " is listed more than once in option \"columns\"");
	out.columns = std::move(columns);
}

// {"table": "filter", ...}: the per-table filters of a schema clone. Each
// is checked with PostgreSQL's parser by the clone (clone/subset.cpp).
void apply_where_tables(json &value, CloneOptions &out) {
	if (value.empty())
		fail("option \"where\" must not be an empty object", {}, "Omit the option to clone all rows.");
	for (const auto &[table, filter] : value.items()) {
		if (!filter.is_string())
			fail("where filter for table " + in_quotes(table) + " must be a string", given(filter),
			     "Map each table to one condition on its columns: {\"orders\": \"created_at > now() - interval '30 days'\"}.");
		if (is_blank(filter.get_ref<const std::string &>()))
			fail("where filter for table " + in_quotes(table) + " must not be empty", {},
			     "Leave the table out of \"where\" to keep all its rows, or write \"false\" to keep none.");
	}
	out.where_tables = std::move(value);
}

void apply_where(std::string_view key, json &value, CloneOptions &out) {
	if (value.is_object()) {
		apply_where_tables(value, out);
		return;
	}
	if (!value.is_string())
		wrong_type(key, "a string, or an object mapping tables to filters", value);
	const std::string &where = value.get_ref<const std::string &>();
	if (is_blank(where))
		fail("option \"where\" must not be empty", {}, "Omit the option to clone all rows.");
	// Its shape is checked with PostgreSQL's own parser by the clone that
	// uses it (clone::check_row_filter); core only sees that it is text.
	if (where.find('\0') != std::string::npos)
		fail("option \"where\" must not contain a NUL character", {}, {});
	out.where = where;
}

constexpr std::array<ConflictStrategy, 4> conflict_strategies = {
    ConflictStrategy::Error, ConflictStrategy::Skip, ConflictStrategy::Replace, ConflictStrategy::Rename};

void apply_conflict(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	const std::string &name = value.get_ref<const std::string &>();
	std::string valid;
	for (ConflictStrategy s : conflict_strategies) {
		if (name == to_string(s)) {
			out.conflict = s;
			return;
		}
		valid += valid.empty() ? "" : ", ";
		valid += to_string(s);
	}
	fail("unknown conflict strategy " + in_quotes(name) + "; valid strategies are: " + valid);
}

// Shape only: the masking compiler checks strategy names and parameters.
void apply_mask(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_object())
		wrong_type(key, "an object", value);
	for (const auto &[column, spec] : value.items())
		if (!spec.is_string() && !spec.is_object())
			fail("mask for column " + in_quotes(column) + " must be a strategy name or an object",
			     given(spec), "Write a strategy as \"email\" or as {\"type\": \"partial\", \"prefix\": 2}.");
	out.mask = std::move(value);
}

void apply_masks(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_object())
		wrong_type(key, "an object", value);
	for (const auto &[table, spec] : value.items())
		if (!spec.is_object())
			fail("masks for table " + in_quotes(table) + " must be an object", given(spec),
			     "Map each table to an object of the same shape as the \"mask\" option.");
	out.masks = std::move(value);
}

void apply_tables(std::string_view key, json &value, CloneOptions &out) {
	out.tables = string_array(key, value, "pattern");
	// An empty list would select nothing; reading it as "every table" would
	// clone what the caller did not ask for.
	if (out.tables.empty())
		fail("option \"tables\" must not be empty", {}, "Omit the option to clone all tables.");
}

void apply_exclude_tables(std::string_view key, json &value, CloneOptions &out) {
	out.exclude_tables = string_array(key, value, "pattern");
}

void apply_parallel(std::string_view key, json &value, CloneOptions &out) {
	// is_number_integer() is false for 2.0 and 2.5, and booleans are not numbers.
	if (!value.is_number_integer())
		wrong_type(key, "an integer", value);
	const bool in_range =
	    value.is_number_unsigned()
	        ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(max_parallel) &&
	              value.get<std::uint64_t>() >= static_cast<std::uint64_t>(min_parallel)
	        : value.get<std::int64_t>() >= min_parallel && value.get<std::int64_t>() <= max_parallel;
	if (!in_range)
		fail("option \"parallel\" must be between " + std::to_string(min_parallel) + " and " +
		         std::to_string(max_parallel),
		     given(value));
	out.parallel = value.get<int>();
}

// Bytes of heap, a JSON integer from 0 (never split) up to the largest
// bigint (the task list stores page numbers as bigint).
void apply_chunk_size(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_number_integer())
		wrong_type(key, "an integer number of bytes", value);
	if (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)
		fail("option \"chunk_size\" must not be negative", given(value),
		     "Give the size in bytes, e.g. {\"chunk_size\": 268435456} for 256 MB, or 0 to never split a table.");
	if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
		fail("option \"chunk_size\" is out of range", given(value),
		     "Give the size in bytes, at most 9223372036854775807.");
	out.chunk_size = value.get<std::uint64_t>();
}

bool is_snapshot_char(char c) {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') || c == '-';
}

void apply_snapshot_id(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	const std::string &id = value.get_ref<const std::string &>();
	if (id.empty() || id.size() > max_snapshot_id_length ||
	    !std::all_of(id.begin(), id.end(), is_snapshot_char))
		fail("invalid snapshot identifier " + in_quotes(id) + " in option \"snapshot_id\"",
		     "A snapshot identifier, as returned by pg_export_snapshot(), consists of at most " +
		         std::to_string(max_snapshot_id_length) + " hexadecimal digits and hyphens.");
	out.snapshot_id = id;
}

// A role name, checked for shape only (the target resolves it).
void apply_run_as(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	const std::string &role = value.get_ref<const std::string &>();
	if (role.empty() || role.size() > max_identifier_bytes)
		fail("option \"run_as\" must be a role name of 1 to " + std::to_string(max_identifier_bytes) + " bytes",
		     given(value));
	out.run_as = role;
}

// A schema name, checked for shape only (the clone creates it if missing).
void apply_target_schema(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	const std::string &schema = value.get_ref<const std::string &>();
	if (schema.empty() || schema.size() > max_identifier_bytes)
		fail("option \"target_schema\" must be a schema name of 1 to " + std::to_string(max_identifier_bytes) +
		         " bytes",
		     given(value));
	out.target_schema = schema;
}

void apply_sample(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_object())
		wrong_type(key, "an object mapping tables to percentages", value);
	if (value.empty())
		fail("option \"sample\" must not be an empty object", {}, "Omit the option to clone all rows.");
	for (const auto &[table, percent] : value.items()) {
		// TABLESAMPLE takes a percentage in [0, 100]; 0 would keep nothing,
		// which "where": {"t": "false"} says more plainly.
		if (!percent.is_number() || !(percent.get<double>() > 0 && percent.get<double>() <= 100))
			fail("sample for table " + in_quotes(table) + " must be a percentage above 0 and at most 100",
			     given(percent), "Write {\"sample\": {\"events\": 1.5}} to keep about 1.5 % of the rows.");
	}
	out.sample = std::move(value);
}

void apply_sample_method(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	std::string name = value.get<std::string>();
	for (char &ch : name)
		ch = ascii_lower(ch);
	if (name == "system")
		out.sample_method = SampleMethod::System;
	else if (name == "bernoulli")
		out.sample_method = SampleMethod::Bernoulli;
	else
		fail("unknown sample method " + in_quotes(value.get_ref<const std::string &>()) +
		         "; valid methods are: SYSTEM, BERNOULLI",
		     {}, "SYSTEM samples whole pages (fast); BERNOULLI samples rows (even, reads every page).");
}

void apply_seed(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_number())
		wrong_type(key, "a number", value);
	out.seed = value.get<double>();
}

constexpr std::array<SubsetMode, 4> subset_modes = {SubsetMode::None, SubsetMode::Parents, SubsetMode::Restrict,
                                                    SubsetMode::Children};

void apply_subset(std::string_view key, json &value, CloneOptions &out) {
	if (!value.is_string())
		wrong_type(key, "a string", value);
	const std::string &name = value.get_ref<const std::string &>();
	std::string valid;
	for (SubsetMode m : subset_modes) {
		if (name == to_string(m)) {
			out.subset = m;
			return;
		}
		valid += valid.empty() ? "" : ", ";
		valid += to_string(m);
	}
	fail("unknown subset mode " + in_quotes(name) + "; valid modes are: " + valid);
}

// The one table of option keys. Adding an option: a field in CloneOptions,
// one entry here, a unit test. Order is the order shown in hints.
constexpr OptionKey option_keys[] = {
    {"columns", apply_columns},
    {"where", apply_where},
    {"indexes", apply_bool<&CloneOptions::indexes>},
    {"constraints", apply_bool<&CloneOptions::constraints>},
    {"triggers", apply_bool<&CloneOptions::triggers>},
    {"matviews", apply_bool<&CloneOptions::matviews>},
    {"analyze", apply_bool<&CloneOptions::analyze>},
    {"conflict", apply_conflict},
    {"mask", apply_mask},
    {"masks", apply_masks},
    {"require_masks", apply_bool<&CloneOptions::require_masks>},
    {"tables", apply_tables},
    {"exclude_tables", apply_exclude_tables},
    {"parallel", apply_parallel},
    {"chunk_size", apply_chunk_size},
    {"consistent", apply_bool<&CloneOptions::consistent>},
    {"snapshot_id", apply_snapshot_id},
    {"owners", apply_bool<&CloneOptions::owners>},
    {"privileges", apply_bool<&CloneOptions::privileges>},
    {"large_objects", apply_bool<&CloneOptions::large_objects>},
    {"run_as", apply_run_as},
    {"target_schema", apply_target_schema},
    {"dry_run", apply_bool<&CloneOptions::dry_run>},
    {"sample", apply_sample},
    {"sample_method", apply_sample_method},
    {"seed", apply_seed},
    {"subset", apply_subset},
};

const OptionKey *find_key(std::string_view name) {
	for (const OptionKey &k : option_keys)
		if (k.name == name)
			return &k;
	return nullptr;
}

// Closest valid key, if it is close enough to be a plausible typo.
const OptionKey *suggest_key(std::string_view name) {
	// Longer names cannot be typos of any key; skip the quadratic work.
	if (name.size() > 32)
		return nullptr;
	const OptionKey *best = nullptr;
	std::size_t best_distance = 0;
	for (const OptionKey &k : option_keys) {
		const std::size_t d = edit_distance(name, k.name);
		if (d <= std::max<std::size_t>(2, k.name.size() / 3) && (!best || d < best_distance)) {
			best = &k;
			best_distance = d;
		}
	}
	return best;
}

[[noreturn]] void unknown_key(std::string_view name) {
	std::string valid;
	for (const OptionKey &k : option_keys) {
		valid += valid.empty() ? "" : ", ";
		valid += k.name;
	}
	std::string hint = "Valid options are: " + valid + ".";
	if (const OptionKey *near = suggest_key(name))
		hint = "Did you mean \"" + std::string(near->name) + "\"? " + hint;
	fail("unknown option " + in_quotes(name), {}, std::move(hint));
}

} // namespace

const char *to_string(ConflictStrategy s) noexcept {
	switch (s) {
	case ConflictStrategy::Error:
		return "error";
	case ConflictStrategy::Skip:
		return "skip";
	case ConflictStrategy::Replace:
		return "replace";
	case ConflictStrategy::Rename:
		return "rename";
	}
	return "unknown";
}

const char *to_string(SubsetMode m) noexcept {
	switch (m) {
	case SubsetMode::None:
		return "none";
	case SubsetMode::Parents:
		return "parents";
	case SubsetMode::Restrict:
		return "restrict";
	case SubsetMode::Children:
		return "children";
	}
	return "unknown";
}

const char *to_string(SampleMethod m) noexcept {
	return m == SampleMethod::Bernoulli ? "BERNOULLI" : "SYSTEM";
}

std::uint64_t chunk_size(const CloneOptions &o) {
	return o.chunk_size.value_or(default_chunk_size);
}

bool is_subset_clone(const CloneOptions &o) {
	return o.where_tables.has_value() || o.sample.has_value();
}

SubsetMode subset_mode(const CloneOptions &o) {
	return o.subset.value_or(SubsetMode::Parents);
}

CloneOptions parse_options(std::string_view text) {
	CloneOptions out;
	if (is_blank(text))
		return out;
	ParseWatcher watcher;
	json doc = parse_document(text, watcher);
	if (doc.is_null())
		return out;
	if (!doc.is_object())
		fail("options must be a JSON object", given(doc), "Write options as {\"key\": value, ...}.");
	// In the order written, so the first mistake is the one reported.
	for (const std::string &name : watcher.top_level_keys()) {
		const OptionKey *key = find_key(name);
		if (!key)
			unknown_key(name);
		key->apply(key->name, doc[name], out);
	}
	return out;
}

namespace {

// Removes every "salt" member below j; counts what it removed.
void drop_salts(nlohmann::json &j, int &removed) {
	if (j.is_object()) {
		removed += static_cast<int>(j.erase("salt"));
		for (auto &[key, value] : j.items())
			drop_salts(value, removed);
	} else if (j.is_array()) {
		for (auto &value : j)
			drop_salts(value, removed);
	}
}

} // namespace

StoredOptions options_for_record(std::string_view text) {
	StoredOptions out;
	if (text.empty())
		return out;
	nlohmann::json j = nlohmann::json::parse(text.begin(), text.end());
	int removed = 0;
	drop_salts(j, removed);
	out.text = j.dump();
	out.complete = removed == 0;
	return out;
}

} // namespace pgclone::core

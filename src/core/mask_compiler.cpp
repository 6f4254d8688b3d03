// The masking compiler: mask specs -> SQL expressions (see masking.hpp).
//
// Every expression is built from functions that exist on every supported
// source (PostgreSQL 11 and later: sha256() is the newest), is
// schema-qualified (pg_catalog.*) so that the caller's search_path cannot
// redirect it, and ends in a cast to the column's own type. Column names are
// quoted identifiers; every constant is a quoted literal or a number
// produced here.
//
// Errors never echo a "salt": it is a secret.
#include "pgclone/core/json_describe.hpp"
#include "pgclone/core/mask_compiler.hpp"

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/text.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using nlohmann::json;

// HMAC-SHA-256 takes keys up to one block (64 bytes) as they are; longer
// keys would first have to be hashed, which this compiler does not do. A
// salt shorter than 8 bytes is too easy to guess along with the data.
constexpr std::size_t min_salt_bytes = 8;
constexpr std::size_t max_salt_bytes = 64;
constexpr std::size_t hmac_block_bytes = 64;

// Settings that carry key material (compile_masks_keyed). Not under the
// "pgclone." prefix: a source that preloads pgclone reserves that prefix
// and would refuse unknown names in it.
constexpr std::string_view key_setting_prefix = "pgclone_mask.k";

// The range a bare "random_int" draws from (clamped to the column type).
constexpr long long default_random_min = 0;
constexpr long long default_random_max = 100000;

// partial: prefix and suffix are character counts.
constexpr long long max_partial_length = 1000000;

// The strategies, in the order listed in messages.
constexpr std::string_view strategy_names[] = {"email",   "name",       "phone",    "hash",        "null",
                                               "partial", "random_int", "constant", "pseudonymize"};

// --- messages ----------------------------------------------------------------

std::string q(std::string_view s) {
	return "\"" + std::string(s) + "\"";
}

std::string describe(const json &v) {
	return describe_json_value(v);
}

// --- key material ------------------------------------------------------------

std::string hex(const std::string &bytes) {
	static constexpr char digits[] = "0123456789abcdef";
	std::string out;
	out.reserve(bytes.size() * 2);
	for (unsigned char c : bytes) {
		out += digits[c >> 4];
		out += digits[c & 0xF];
	}
	return out;
}

// Where the HMAC pads of each salt go: literals in the expression, or
// session settings read with current_setting(). One pair per distinct salt.
class KeyStore {
public:
	explicit KeyStore(bool as_settings) : as_settings_(as_settings) {}

	// SQL bytea expressions for (K xor ipad, K xor opad), RFC 2104.
	std::pair<std::string, std::string> pads(const std::string &salt) {
		std::string inner(hmac_block_bytes, '\0'), outer(hmac_block_bytes, '\0');
		for (std::size_t i = 0; i < hmac_block_bytes; ++i) {
			const unsigned char k = i < salt.size() ? static_cast<unsigned char>(salt[i]) : 0;
			inner[i] = static_cast<char>(k ^ 0x36);
			outer[i] = static_cast<char>(k ^ 0x5c);
		}
		if (!as_settings_)
			return {decode_sql(quote_literal(hex(inner))), decode_sql(quote_literal(hex(outer)))};
		auto [it, added] = index_.emplace(salt, index_.size() + 1);
		const std::string base = std::string(key_setting_prefix) + std::to_string(it->second);
		if (added) {
			settings_.emplace_back(base + "i", hex(inner));
			settings_.emplace_back(base + "o", hex(outer));
		}
		return {decode_sql("pg_catalog.current_setting(" + quote_literal(base + "i") + ")"),
		        decode_sql("pg_catalog.current_setting(" + quote_literal(base + "o") + ")")};
	}

	std::vector<std::pair<std::string, std::string>> take_settings() { return std::move(settings_); }

private:
	static std::string decode_sql(const std::string &hex_text) {
		return "pg_catalog.decode(" + hex_text + ", 'hex')";
	}

	bool as_settings_;
	std::map<std::string, std::size_t> index_;
	std::vector<std::pair<std::string, std::string>> settings_;
};

// --- one column --------------------------------------------------------------

// Compiles the spec of one column. `params` is null for a bare strategy name.
class ColumnCompiler {
public:
	ColumnCompiler(const MaskColumn &col, const std::vector<MaskColumn> &all, std::string_view table,
	               std::string strategy, const json *params, KeyStore &keys)
	    : col_(col), all_(all), table_(table), strategy_(std::move(strategy)), params_(params), keys_(keys) {}

	std::string compile() {
		const std::string expr = body();
		return "(" + expr + ")::" + col_.type;
	}

private:
	std::string body() {
		if (strategy_ == "email") {
			allow_params({});
			require_string_column("text");
			const std::string v = text_ref();
			return "CASE WHEN " + v + " IS NULL THEN NULL WHEN pg_catalog.strpos(" + v +
			       ", '@') > 0 THEN pg_catalog.left(" + v + ", 1) || '***@' || pg_catalog.regexp_replace(" +
			       v + ", '^.*@', '') ELSE '***' END";
		}
		if (strategy_ == "name") {
			allow_params({});
			require_string_column("text");
			return "CASE WHEN " + ref() + " IS NULL THEN NULL ELSE 'XXXX' END";
		}
		if (strategy_ == "phone") {
			allow_params({});
			require_string_column("text");
			const std::string v = text_ref();
			return "CASE WHEN " + v +
			       " IS NULL THEN NULL ELSE '***-' || pg_catalog.right(pg_catalog.regexp_replace(" + v +
			       ", '[^0-9]', '', 'g'), 4) END";
		}
		if (strategy_ == "hash") {
			allow_params({});
			if (!is_uuid())
				require_string_column("a 32-character hexadecimal text");
			return "pg_catalog.md5(" + text_ref() + ")";
		}
		if (strategy_ == "null") {
			allow_params({});
			if (col_.not_null)
				fail("mask strategy \"null\" cannot be applied to NOT NULL " + where(),
				     sqlstate::invalid_parameter_value, "",
				     "Use a strategy that produces a value, such as \"constant\".");
			return "NULL";
		}
		if (strategy_ == "partial")
			return partial();
		if (strategy_ == "random_int")
			return random_int();
		if (strategy_ == "constant")
			return constant();
		if (strategy_ == "pseudonymize")
			return pseudonymize();
		fail("unknown mask strategy " + q(strategy_) + " for " + where() +
		         "; valid strategies are: " + mask_strategy_list(),
		     sqlstate::invalid_parameter_value);
	}

	// partial {prefix, suffix}: keeps that many characters at each end. A
	// value no longer than prefix + suffix would be shown whole, so it
	// becomes '***' instead.
	std::string partial() {
		allow_params({"prefix", "suffix"});
		require_string_column("text");
		const auto prefix = int_param("prefix", 0, max_partial_length);
		const auto suffix = int_param("suffix", 0, max_partial_length);
		if (!prefix && !suffix)
			fail("mask strategy \"partial\" for " + where() + " requires parameter \"prefix\" or \"suffix\"",
			     sqlstate::invalid_parameter_value, "",
			     "Write it as {\"type\": \"partial\", \"prefix\": 2, \"suffix\": 3}.");
		const long long p = prefix.value_or(0), s = suffix.value_or(0);
		const std::string v = text_ref();
		return "CASE WHEN " + v + " IS NULL THEN NULL WHEN pg_catalog.length(" + v +
		       ") <= " + std::to_string(p + s) + " THEN '***' ELSE pg_catalog.left(" + v + ", " +
		       std::to_string(p) + ") || '***' || pg_catalog.right(" + v + ", " + std::to_string(s) + ") END";
	}

	// random_int {min, max}: a uniformly drawn integer in [min, max] for
	// every row (NULLs included). A bare "random_int" (what
	// discover_sensitive suggests) draws from the default range, clamped to
	// what the column type can hold.
	std::string random_int() {
		allow_params({"min", "max"});
		if (col_.type_category != 'N' && col_.type_category != 'S')
			mismatch("an integer", "numeric and string columns");
		const auto type_max = integer_type_max();
		long long lo = 0, hi = 0;
		if (!params_) {
			lo = default_random_min;
			hi = type_max ? std::min(default_random_max, *type_max) : default_random_max;
		} else {
			const long long int64_min = std::numeric_limits<long long>::min();
			const long long int64_max = std::numeric_limits<long long>::max();
			const auto min = int_param("min", int64_min, int64_max);
			const auto max = int_param("max", int64_min, int64_max);
			if (!min || !max)
				fail("mask strategy \"random_int\" for " + where() +
				         " requires parameters \"min\" and \"max\"",
				     sqlstate::invalid_parameter_value, "",
				     "Write it as {\"type\": \"random_int\", \"min\": 30000, \"max\": 150000}.");
			lo = *min;
			hi = *max;
			if (lo > hi)
				fail("parameter \"min\" of mask strategy \"random_int\" for " + where() +
				         " must not be greater than \"max\"",
				     sqlstate::invalid_parameter_value,
				     "min is " + std::to_string(lo) + " and max is " + std::to_string(hi) + ".");
			const auto type_min = integer_type_min();
			if ((type_max && hi > *type_max) || (type_min && lo < *type_min))
				fail("range of mask strategy \"random_int\" does not fit " + where() + " of type " +
				         col_.type,
				     sqlstate::datatype_mismatch,
				     "The type holds values from " + std::to_string(type_min.value_or(0)) + " to " +
				         std::to_string(*type_max) + "; the range is " + std::to_string(lo) + " to " +
				         std::to_string(hi) + ".");
		}
		// numeric arithmetic: exact for the whole bigint range; LEAST guards
		// against random() * width rounding up to width.
		const std::string lo_n = "(" + std::to_string(lo) + ")::pg_catalog.numeric";
		const std::string hi_n = "(" + std::to_string(hi) + ")::pg_catalog.numeric";
		return "LEAST(" + lo_n + " + pg_catalog.floor(pg_catalog.random() * (" + hi_n + " - " + lo_n +
		       " + (1)::pg_catalog.numeric)::pg_catalog.float8)::pg_catalog.numeric, " + hi_n + ")";
	}

	// constant {value}: the same value for every row, NULLs included. The
	// value is cast to the column type on the server.
	std::string constant() {
		allow_params({"value"});
		const json *v = param("value");
		if (!v)
			fail("mask strategy \"constant\" for " + where() + " requires parameter \"value\"",
			     sqlstate::invalid_parameter_value, "",
			     "Write it as {\"type\": \"constant\", \"value\": \"REDACTED\"}.");
		if (v->is_string())
			return quote_literal(v->get_ref<const std::string &>());
		if (v->is_number() || v->is_boolean())
			return quote_literal(v->dump());
		fail("parameter \"value\" of mask strategy \"constant\" for " + where() +
		         " must be a string, a number or a boolean",
		     sqlstate::invalid_parameter_value, "The value given is " + describe(*v) + ".",
		     v->is_null() ? "Use the \"null\" strategy to replace values with NULL." : "");
	}

	// pseudonymize {salt, format}: HMAC-SHA-256 keyed with the salt, over the
	// value's text in UTF-8. Deterministic: the same value and salt give the
	// same result in every table and every clone, so masked keys still join.
	//   format "hex" (default): 64 hex digits; a uuid column gets a uuid.
	//   format "digits": every ASCII digit is replaced by a keyed digit,
	//   everything else is kept, and so is the length.
	std::string pseudonymize() {
		allow_params({"salt", "format"});
		const json *salt = param("salt");
		if (!salt)
			fail("mask strategy \"pseudonymize\" for " + where() + " requires parameter \"salt\"",
			     sqlstate::invalid_parameter_value, "",
			     "Write it as {\"type\": \"pseudonymize\", \"salt\": \"...\"} with a secret of " +
			         std::to_string(min_salt_bytes) + " to " + std::to_string(max_salt_bytes) + " bytes.");
		// No detail: the value given must not be echoed.
		if (!salt->is_string() || salt->get_ref<const std::string &>().size() < min_salt_bytes ||
		    salt->get_ref<const std::string &>().size() > max_salt_bytes)
			fail("parameter \"salt\" of mask strategy \"pseudonymize\" for " + where() +
			         " must be a string of " + std::to_string(min_salt_bytes) + " to " +
			         std::to_string(max_salt_bytes) + " bytes",
			     sqlstate::invalid_parameter_value);
		std::string format = "hex";
		if (const json *f = param("format")) {
			if (!f->is_string() || (*f != "hex" && *f != "digits"))
				fail("parameter \"format\" of mask strategy \"pseudonymize\" for " + where() +
				         " must be \"hex\" or \"digits\"",
				     sqlstate::invalid_parameter_value, "The value given is " + describe(*f) + ".");
			format = f->get<std::string>();
		}
		if (format == "digits")
			require_string_column("text");
		else if (!is_uuid())
			require_string_column("a 64-character hexadecimal text");

		// (Not a structured binding: C++17 lambdas cannot capture those.)
		const auto pads = keys_.pads(salt->get_ref<const std::string &>());
		const std::string &inner = pads.first;
		const std::string &outer = pads.second;
		const std::string v = text_ref();
		auto hmac = [&](const std::string &value) {
			return "pg_catalog.sha256(" + outer + " || pg_catalog.sha256(" + inner +
			       " || pg_catalog.convert_to(" + value + ", 'UTF8')))";
		};
		if (format == "hex") {
			const std::string hexed = "pg_catalog.encode(" + hmac(v) + ", 'hex')";
			return is_uuid() ? "pg_catalog.substr(" + hexed + ", 1, 32)" : hexed;
		}
		// The digest is computed once per value (OFFSET 0 keeps the planner
		// from inlining it into every character); byte (i - 1) % 32 of it
		// shifts the i-th character if that is a digit. The inner column
		// names are chosen so that they cannot hide a column of the table.
		const std::string h = free_name("pgclone_h"), i = free_name("pgclone_i");
		const std::string ch = "pg_catalog.substr(" + v + ", s." + i + ", 1)";
		return "CASE WHEN " + v + " IS NULL THEN NULL WHEN " + v +
		       " = '' THEN '' ELSE (SELECT pg_catalog.string_agg(" + "CASE WHEN pg_catalog.ascii(" + ch +
		       ") BETWEEN 48 AND 57 THEN pg_catalog.chr(48 + (pg_catalog.ascii(" + ch +
		       ") - 48 + pg_catalog.get_byte(k." + h + ", (s." + i + " - 1) % 32)) % 10) ELSE " + ch +
		       " END, '' ORDER BY s." + i + ") FROM (SELECT " + hmac(v) + " AS " + h + " OFFSET 0) AS k, " +
		       "pg_catalog.generate_series(1, pg_catalog.length(" + v + ")) AS s(" + i + ")) END";
	}

	// --- helpers -----------------------------------------------------------

	std::string ref() const { return quote_ident(col_.name); }
	std::string text_ref() const { return ref() + "::pg_catalog.text"; }

	std::string where() const {
		std::string s = "column " + q(col_.name);
		if (!table_.empty())
			s += " of table " + std::string(table_);
		return s;
	}

	bool is_uuid() const { return col_.type == "uuid"; }

	[[noreturn]] void fail(const std::string &message, const char *state, const std::string &detail = {},
	                       const std::string &hint = {}) const {
		throw Error(message, state, detail, hint);
	}

	[[noreturn]] void mismatch(const std::string &produces, const std::string &accepts) const {
		fail("mask strategy " + q(strategy_) + " cannot be applied to " + where() + " of type " + col_.type,
		     sqlstate::datatype_mismatch,
		     "The strategy produces " + produces + "; it applies to " + accepts + ".");
	}

	void require_string_column(const std::string &produces) const {
		if (col_.type_category != 'S')
			mismatch(produces,
			         std::string("string columns (text, character varying, character)") +
			             (strategy_ == "hash" || strategy_ == "pseudonymize" ? " and uuid columns" : ""));
	}

	// Rejects parameters the strategy does not take (a typo such as
	// "sufix" must not be ignored silently).
	void allow_params(std::initializer_list<std::string_view> allowed) const {
		if (!params_)
			return;
		for (const auto &[key, value] : params_->items()) {
			(void)value;
			if (key == "type")
				continue;
			bool ok = false;
			for (std::string_view a : allowed)
				ok = ok || key == a;
			if (ok)
				continue;
			std::string valid;
			for (std::string_view a : allowed)
				valid += (valid.empty() ? "" : ", ") + std::string(a);
			fail("unknown parameter " + q(key) + " for mask strategy " + q(strategy_) + " on " + where(),
			     sqlstate::invalid_parameter_value, "",
			     valid.empty() ? "Strategy " + q(strategy_) + " takes no parameters."
			                   : "Valid parameters are: " + valid + ".");
		}
	}

	const json *param(const char *name) const {
		if (!params_)
			return nullptr;
		auto it = params_->find(name);
		return it == params_->end() ? nullptr : &*it;
	}

	std::optional<long long> int_param(const char *name, long long lo, long long hi) const {
		const json *v = param(name);
		if (!v)
			return std::nullopt;
		bool ok = v->is_number_integer();
		long long n = 0;
		if (ok && v->is_number_unsigned()) {
			ok = v->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<long long>::max());
			if (ok)
				n = static_cast<long long>(v->get<std::uint64_t>());
		} else if (ok) {
			n = v->get<std::int64_t>();
		}
		if (!ok || n < lo || n > hi)
			fail("parameter " + q(name) + " of mask strategy " + q(strategy_) + " for " + where() +
			         " must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi),
			     sqlstate::invalid_parameter_value, "The value given is " + describe(*v) + ".");
		return n;
	}

	// Bounds of the integer types random_int can check; nullopt when the
	// type (a domain, float, unconstrained numeric, text) has none known here.
	std::optional<long long> integer_type_max() const {
		if (col_.type == "smallint")
			return 32767;
		if (col_.type == "integer")
			return 2147483647;
		if (col_.type == "bigint")
			return std::numeric_limits<long long>::max();
		if (auto digits = numeric_integer_digits()) {
			long long m = 0;
			for (int i = 0; i < *digits && m < 100000000000000000LL; ++i)
				m = m * 10 + 9;
			return m;
		}
		return std::nullopt;
	}

	std::optional<long long> integer_type_min() const {
		if (col_.type == "smallint")
			return -32768;
		if (col_.type == "integer")
			return -2147483647LL - 1;
		if (col_.type == "bigint")
			return std::numeric_limits<long long>::min();
		if (auto max = integer_type_max())
			return -*max;
		return std::nullopt;
	}

	// numeric(p, s) / numeric(p): digits before the decimal point (p - s).
	std::optional<int> numeric_integer_digits() const {
		const std::string prefix = "numeric(";
		if (col_.type.rfind(prefix, 0) != 0 || col_.type.back() != ')')
			return std::nullopt;
		const std::string inside = col_.type.substr(prefix.size(), col_.type.size() - prefix.size() - 1);
		try {
			const auto comma = inside.find(',');
			const int p = std::stoi(inside.substr(0, comma));
			const int s = comma == std::string::npos ? 0 : std::stoi(inside.substr(comma + 1));
			return std::max(0, p - s);
		} catch (const std::exception &) {
			return std::nullopt;
		}
	}

	// base, or base_2, base_3, ...: a name no column of the table has.
	std::string free_name(const std::string &base) const {
		auto taken = [&](const std::string &n) {
			for (const auto &c : all_)
				if (c.name == n)
					return true;
			return false;
		};
		std::string name = base;
		for (int n = 2; taken(name); ++n)
			name = base + "_" + std::to_string(n);
		return quote_ident(name);
	}

	const MaskColumn &col_;
	const std::vector<MaskColumn> &all_;
	std::string_view table_;
	std::string strategy_;
	const json *params_;
	KeyStore &keys_;
};

// --- the mask object ---------------------------------------------------------

std::string column_phrase(std::string_view column, std::string_view table) {
	std::string s = "column " + q(column);
	if (!table.empty())
		s += " of table " + std::string(table);
	return s;
}

std::map<std::string, std::string> compile_into(const json &mask, const std::vector<MaskColumn> &columns,
                                                std::string_view table, KeyStore &keys) {
	if (!mask.is_object())
		throw Error("mask must be a JSON object mapping column names to mask strategies",
		            sqlstate::invalid_parameter_value, "The value given is " + describe(mask) + ".");
	std::map<std::string, std::string> out;
	for (const auto &[column, spec] : mask.items()) {
		const MaskColumn *col = nullptr;
		for (const auto &c : columns)
			if (c.name == column)
				col = &c;
		if (!col)
			throw Error(column_phrase(column, table) + " does not exist", sqlstate::undefined_column,
			            "The mask names it.");
		if (col->generated)
			throw Error("generated " + column_phrase(column, table) + " cannot be masked",
			            sqlstate::feature_not_supported,
			            "It is computed on the target from the other columns.",
			            "Mask the columns it is computed from instead.");
		std::string strategy;
		const json *params = nullptr;
		if (spec.is_string()) {
			strategy = spec.get<std::string>();
		} else if (spec.is_object()) {
			auto type = spec.find("type");
			if (type == spec.end() || !type->is_string())
				throw Error("mask for " + column_phrase(column, table) +
				                " needs a \"type\" naming its strategy",
				            sqlstate::invalid_parameter_value, "",
				            "Valid strategies are: " + mask_strategy_list() + ".");
			strategy = type->get<std::string>();
			params = &spec;
		} else {
			throw Error("mask for " + column_phrase(column, table) + " must be a strategy name or an object",
			            sqlstate::invalid_parameter_value, "The value given is " + describe(spec) + ".",
			            "Write a strategy as \"email\" or as {\"type\": \"partial\", \"prefix\": 2}.");
		}
		out[column] = ColumnCompiler(*col, columns, table, strategy, params, keys).compile();
	}
	return out;
}

// nlohmann's callback parser, used to refuse duplicate keys (the parser
// would keep the last one silently) and NUL characters.
class DuplicateKeyWatcher {
public:
	explicit DuplicateKeyWatcher(std::string_view what) : what_(what) {}

	bool operator()(int, json::parse_event_t event, json &parsed) {
		switch (event) {
		case json::parse_event_t::object_start:
			keys_.emplace_back();
			break;
		case json::parse_event_t::object_end:
			keys_.pop_back();
			break;
		case json::parse_event_t::key: {
			const std::string &key = parsed.get_ref<const std::string &>();
			if (key.find('\0') != std::string::npos)
				throw Error("unsupported Unicode escape sequence in " + std::string(what_),
				            sqlstate::invalid_text_representation, "\\u0000 cannot be converted to text.");
			if (!keys_.back().insert(key).second)
				throw Error(std::string(what_) + " contains key " + q(key) + " more than once",
				            sqlstate::invalid_parameter_value,
				            "Each key may appear only once in a JSON object.");
			break;
		}
		default:
			break;
		}
		return true;
	}

private:
	std::string_view what_;
	std::vector<std::set<std::string>> keys_;
};

} // namespace

std::string mask_strategy_list() {
	std::string s;
	for (std::string_view n : strategy_names)
		s += (s.empty() ? "" : ", ") + std::string(n);
	return s;
}

std::string mask_strategy_name(const json &spec) {
	if (spec.is_string())
		return spec.get<std::string>();
	if (spec.is_object()) {
		auto t = spec.find("type");
		if (t != spec.end() && t->is_string())
			return t->get<std::string>();
	}
	return {};
}

std::map<std::string, std::string> compile_masks(const json &mask, const std::vector<MaskColumn> &columns,
                                                 std::string_view table) {
	KeyStore keys(false);
	return compile_into(mask, columns, table, keys);
}

CompiledMasks compile_masks_keyed(const json &mask, const std::vector<MaskColumn> &columns,
                                  std::string_view table) {
	KeyStore keys(true);
	CompiledMasks out;
	out.expressions = compile_into(mask, columns, table, keys);
	out.settings = keys.take_settings();
	return out;
}

json parse_mask_text(std::string_view text, std::string_view what) {
	DuplicateKeyWatcher watcher(what);
	json doc;
	try {
		doc = json::parse(text.begin(), text.end(), std::ref(watcher));
	} catch (const json::exception &e) {
		// "[json.exception.parse_error.101] parse error at line 1, column 5:
		// syntax error ...; last read: '...'": keep the explanation, drop the
		// quoted input (it may be a salt), move the position to the detail.
		std::string message = without_json_last_read(e.what());
		std::string detail;
		if (const auto colon = message.find(": ");
		    message.find("parse error at ") != std::string::npos && colon != std::string::npos) {
			const auto at = message.find("parse error at ") + std::string("parse error at ").size();
			detail = "The error is at " + message.substr(at, colon - at) + ".";
			message = message.substr(colon + 2);
		} else if (const auto bracket = message.find("] "); bracket != std::string::npos) {
			message = message.substr(bracket + 2);
		}
		throw Error("invalid JSON in " + std::string(what) + ": " + message,
		            sqlstate::invalid_text_representation, detail);
	}
	if (!doc.is_object())
		throw Error(std::string(what) + " must be a JSON object mapping column names to mask strategies",
		            sqlstate::invalid_parameter_value, "The value given is " + describe(doc) + ".",
		            "Write it as {\"email\": \"email\", \"ssn\": \"null\"}.");
	return doc;
}

std::string masked_select_list(const std::vector<std::string> &columns,
                               const std::map<std::string, std::string> &expressions) {
	std::string out;
	for (const auto &c : columns) {
		out += out.empty() ? "" : ", ";
		auto it = expressions.find(c);
		out += it == expressions.end() ? quote_ident(c) : it->second + " AS " + quote_ident(c);
	}
	return out;
}

} // namespace pgclone::core

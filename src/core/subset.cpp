// Row addresses and texts of subset clones (see subset.hpp).
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/subset.hpp"
#include "pgclone/core/text.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

// Digits only, at most `max_value`; nullopt otherwise.
std::optional<uint64_t> parse_unsigned(std::string_view s, uint64_t max_value) {
	if (s.empty() || s.size() > 10)
		return std::nullopt;
	uint64_t v = 0;
	for (char c : s) {
		if (c < '0' || c > '9')
			return std::nullopt;
		v = v * 10 + static_cast<uint64_t>(c - '0');
	}
	if (v > max_value)
		return std::nullopt;
	return v;
}

} // namespace

std::optional<Tid> parse_tid(std::string_view text) {
	if (text.size() < 5 || text.front() != '(' || text.back() != ')')
		return std::nullopt;
	std::string_view inner = text.substr(1, text.size() - 2);
	const auto comma = inner.find(',');
	if (comma == std::string_view::npos)
		return std::nullopt;
	auto block = parse_unsigned(inner.substr(0, comma), std::numeric_limits<uint32_t>::max());
	auto offset = parse_unsigned(inner.substr(comma + 1), std::numeric_limits<uint16_t>::max());
	if (!block || !offset)
		return std::nullopt;
	return Tid{static_cast<uint32_t>(*block), static_cast<uint16_t>(*offset)};
}

std::string tid_array_text(const std::set<Tid> &tids) {
	std::string out = "{";
	for (const Tid &t : tids) {
		if (out.size() > 1)
			out += ',';
		out += "\"(" + std::to_string(t.block) + "," + std::to_string(t.offset) + ")\"";
	}
	return out + "}";
}

bool is_oid_text(std::string_view text) {
	return parse_unsigned(text, std::numeric_limits<uint32_t>::max()).has_value();
}

std::string kept_rows_condition(std::string_view table_oid, bool all_but, const std::set<Tid> &tids) {
	std::string out = "tableoid OPERATOR(pg_catalog.=) '" + std::string(table_oid) + "'::pg_catalog.oid";
	if (tids.empty())
		return all_but ? out : "false";
	// The array text holds digits, commas, quotes and parentheses only: a
	// literal needs no escaping.
	std::string any = "ctid OPERATOR(pg_catalog.=) ANY ('" + tid_array_text(tids) + "'::pg_catalog.tid[])";
	return out + " AND " + (all_but ? "NOT (" + any + ")" : any);
}

std::string table_filter_condition(std::string_view table_oid, std::string_view filter) {
	// The newline ends a "--" comment the filter may hold.
	return "tableoid OPERATOR(pg_catalog.=) '" + std::string(table_oid) + "'::pg_catalog.oid AND (" +
	       std::string(filter) + "\n)";
}

std::optional<std::string> masked_key_problem(std::string_view child, const nlohmann::json *child_mask,
                                              std::string_view parent, const nlohmann::json *parent_mask) {
	if (!child_mask && !parent_mask)
		return std::nullopt;
	auto shown = [](std::string_view column, const nlohmann::json *mask) {
		return std::string(column) + (mask ? " is masked with \"" + mask_strategy_name(*mask) + "\"" : " is not masked");
	};
	const std::string both = shown(child, child_mask) + " and " + shown(parent, parent_mask);
	if (!child_mask || !parent_mask || *child_mask != *parent_mask)
		return both + ": the masked values would not match.";
	const std::string strategy = mask_strategy_name(*child_mask);
	if (strategy != "hash" && strategy != "pseudonymize")
		return both + ": \"" + strategy + "\" does not keep distinct values distinct.";
	return std::nullopt;
}

std::string sql_number(double value) {
	if (!std::isfinite(value))
		return "0";
	char buf[64];
	std::snprintf(buf, sizeof buf, "%.17g", value);
	return buf;
}

std::string subset_table_text(std::string_view display, const TableSubsetCounts &c) {
	std::string out = std::string(display) + ": ";
	if (c.all_but)
		out += "every row but " + std::to_string(c.removed) + " of about " + plural(c.estimate, "row", "rows") +
		       " (" + std::to_string(c.removed) + " dropped by keys)";
	else
		out += std::to_string(c.kept) + " of about " + plural(c.estimate, "row", "rows");
	if (!c.all_but && c.pulled)
		out += " (" + std::to_string(c.pulled) + " pulled in by keys)";
	if (!c.all_but && c.removed)
		out += " (" + std::to_string(c.removed) + " dropped by keys)";
	return out;
}

std::string subset_filtered_table_text(std::string_view display, uint64_t estimate) {
	return std::string(display) + ": filtered, about " + plural(estimate, "row", "rows") + " before the filter";
}

std::string subset_result_text(const char *mode, const std::vector<std::string> &tables) {
	std::string out = std::string("subset (") + mode + "): ";
	if (tables.empty())
		return out + "every row of every table";
	for (std::size_t i = 0; i < tables.size(); i++)
		out += (i ? ", " : "") + tables[i];
	return out;
}

} // namespace pgclone::core

// Planning logic of schema and database clones.
#include <algorithm>
#include <functional>
#include <queue>
#include <tuple>

#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::vector<std::size_t> dependency_order(const std::vector<OrderNode> &nodes) {
	const std::size_t n = nodes.size();
	std::vector<std::size_t> waiting(n, 0);
	std::vector<std::vector<std::size_t>> dependents(n);
	for (std::size_t i = 0; i < n; i++) {
		std::vector<std::size_t> seen;
		for (std::size_t d : nodes[i].deps) {
			if (d >= n || d == i || std::find(seen.begin(), seen.end(), d) != seen.end())
				continue;
			seen.push_back(d);
			waiting[i]++;
			dependents[d].push_back(i);
		}
	}
	using Key = std::tuple<int, std::size_t>; // (rank, position): smallest first
	std::priority_queue<Key, std::vector<Key>, std::greater<Key>> ready;
	for (std::size_t i = 0; i < n; i++)
		if (waiting[i] == 0)
			ready.emplace(nodes[i].rank, i);
	std::vector<std::size_t> order;
	std::vector<bool> placed(n, false);
	while (!ready.empty()) {
		std::size_t i = std::get<1>(ready.top());
		ready.pop();
		order.push_back(i);
		placed[i] = true;
		for (std::size_t j : dependents[i])
			if (--waiting[j] == 0)
				ready.emplace(nodes[j].rank, j);
	}
	for (std::size_t i = 0; i < n; i++)
		if (!placed[i])
			order.push_back(i);
	return order;
}

std::optional<nlohmann::json> mask_for_table(const nlohmann::json &masks, std::string_view schema,
                                             std::string_view table) {
	if (!masks.is_object())
		return std::nullopt;
	std::string qualified = std::string(schema) + "." + std::string(table);
	auto it = masks.find(qualified);
	if (it != masks.end())
		return *it;
	it = masks.find(std::string(table));
	if (it != masks.end())
		return *it;
	return std::nullopt;
}

std::optional<nlohmann::json> mask_for_table(const nlohmann::json &masks, std::string_view schema,
                                             std::string_view table,
                                             const std::vector<std::pair<std::string, std::string>> &ancestors) {
	if (auto own = mask_for_table(masks, schema, table))
		return own;
	for (const auto &[s, t] : ancestors)
		if (auto inherited = mask_for_table(masks, s, t))
			return inherited;
	return std::nullopt;
}

std::vector<std::string> unmatched_mask_keys(const nlohmann::json &masks,
                                             const std::vector<std::pair<std::string, std::string>> &tables) {
	std::vector<std::string> out;
	if (!masks.is_object())
		return out;
	for (const auto &item : masks.items()) {
		const std::string &key = item.key();
		bool matched = std::any_of(tables.begin(), tables.end(), [&](const auto &t) {
			return key == t.second || key == t.first + "." + t.second;
		});
		if (!matched)
			out.push_back(key);
	}
	return out;
}

void check_multi_table_options(const CloneOptions &o, std::string_view function_name) {
	const std::string fn(function_name);
	auto table_only = [&](const char *key, const char *hint) {
		throw Error("option \"" + std::string(key) + "\" is not supported by " + fn + "()",
		            sqlstate::invalid_parameter_value,
		            "It applies to one table, and " + fn + "() clones many.", hint);
	};
	if (o.columns)
		table_only("columns", "Clone the table with pgclone.table() to choose its columns.");
	if (o.where)
		throw Error("option \"where\" of " + fn + "() must be an object mapping tables to filters",
		            sqlstate::invalid_parameter_value, "A single filter applies to one table, and " + fn + "() clones many.",
		            "Name the table: {\"where\": {\"orders\": \"created_at > now() - interval '30 days'\"}}.");
	if (o.mask)
		table_only("mask",
		           "Use \"masks\", which maps table names to mask objects: {\"masks\": {\"employees\": {\"email\": \"email\"}}}.");
	if (o.parallel > 1)
		throw Error("option \"parallel\" is not supported by " + fn + "()", sqlstate::feature_not_supported,
		            "A synchronous clone reads the source through one connection, in one transaction.",
		            "Use pgclone.schema_async() for a parallel clone.");
	if (o.chunk_size)
		refuse_chunk_size(fn);
	check_subset_options(o, fn);
	if (o.snapshot_id && !o.consistent)
		throw Error(
		    "options \"snapshot_id\" and \"consistent\": false contradict each other",
		    sqlstate::invalid_parameter_value,
		    "\"snapshot_id\" makes every table read the same snapshot; \"consistent\": false reads each table in its own.");
}

void check_subset_options(const CloneOptions &o, std::string_view function_name) {
	const std::string fn(function_name);
	if (!is_subset_clone(o)) {
		for (const char *key : {"subset", "sample_method", "seed"}) {
			bool given = (key[1] == 'u' && o.subset) || (key[1] == 'a' && o.sample_method != SampleMethod::System) ||
			             (key[1] == 'e' && o.seed);
			if (given)
				throw Error("option \"" + std::string(key) + "\" needs option \"where\" or \"sample\"",
				            sqlstate::invalid_parameter_value,
				            "It says how a subset clone picks its rows, and no table is filtered or sampled.",
				            "Filter tables with {\"where\": {\"orders\": \"...\"}} or sample them with {\"sample\": {\"events\": 1}}.");
		}
		return;
	}
	if (o.seed && !o.sample)
		throw Error("option \"seed\" needs option \"sample\"", sqlstate::invalid_parameter_value,
		            "The seed makes a sample repeatable, and no table is sampled.");
	// Kept rows are found by their row address under the clone's snapshot,
	// which a later transaction does not share.
	if (!o.consistent && (subset_mode(o) != SubsetMode::None || o.sample))
		throw Error(std::string(subset_mode(o) != SubsetMode::None
		                            ? "option \"subset\": \"" + std::string(to_string(subset_mode(o))) + "\""
		                            : std::string("option \"sample\"")) +
		                " needs one snapshot for the whole clone",
		            sqlstate::invalid_parameter_value,
		            "\"consistent\": false reads each table in its own transaction; the rows a subset keeps are found in the clone's one snapshot.",
		            "Leave out \"consistent\": false (a filter without keys to follow, \"subset\": \"none\", works without it).");
}

void check_table_options(const CloneOptions &o, std::string_view function_name) {
	const std::string fn(function_name);
	auto many_only = [&](const char *key, const char *hint) {
		throw Error("option \"" + std::string(key) + "\" is not supported by " + fn + "()",
		            sqlstate::invalid_parameter_value, "It applies to the tables of a schema or database clone.", hint);
	};
	if (o.where_tables)
		many_only("where", "Give one table's filter as a string: {\"where\": \"status = 'active'\"}.");
	if (o.sample)
		many_only("sample", "Clone the schema with pgclone.schema() and {\"sample\": {...}}, or filter the table with \"where\".");
	if (o.subset)
		many_only("subset", "Clone the schema with pgclone.schema() to follow foreign keys between tables.");
	if (o.sample_method != SampleMethod::System)
		many_only("sample_method", "It goes with \"sample\" in a schema or database clone.");
	if (o.seed)
		many_only("seed", "It goes with \"sample\" in a schema or database clone.");
	if (o.chunk_size)
		refuse_chunk_size(fn);
}

void refuse_chunk_size(std::string_view function_name) {
	throw Error("option \"chunk_size\" is not supported by " + std::string(function_name) + "()",
	            sqlstate::invalid_parameter_value,
	            "It splits the big tables of a parallel async schema clone among its pool workers; this clone copies each table in one piece.",
	            "Use pgclone.schema_async() with {\"parallel\": 2} or more to copy big tables in chunks.");
}

void check_database_options(const CloneOptions &o, std::string_view function_name) {
	if (o.target_schema)
		throw Error("option \"target_schema\" is not supported by " + std::string(function_name) + "()",
		            sqlstate::invalid_parameter_value,
		            "A database clone keeps every schema's name; it has no one schema to move.",
		            "Clone the schema with pgclone.schema() and {\"target_schema\": ...} to move it.");
}

std::string text_array_literal(const std::vector<std::string> &items) {
	std::string out = "{";
	for (std::size_t i = 0; i < items.size(); i++) {
		if (i)
			out += ',';
		out += '"';
		for (char c : items[i]) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		out += '"';
	}
	return out + "}";
}

namespace {

std::string any_match(std::string_view column, std::size_t count, std::size_t first) {
	std::string s = "(";
	for (std::size_t i = 0; i < count; i++) {
		if (i)
			s += " OR ";
		s += std::string(column) + " OPERATOR(pg_catalog.~) ('^(' OPERATOR(pg_catalog.||) $" +
		     std::to_string(first + i) + "::pg_catalog.text OPERATOR(pg_catalog.||) ')$')";
	}
	return s + ")";
}

} // namespace

std::string name_filter_sql(std::string_view column, std::size_t n_include, std::size_t n_exclude,
                            std::size_t first_param) {
	std::string s;
	if (n_include)
		s += " AND " + any_match(column, n_include, first_param);
	if (n_exclude)
		s += " AND NOT " + any_match(column, n_exclude, first_param + n_include);
	return s;
}

namespace {

std::string counts(const CloneSummary &s) {
	std::string out = plural(s.tables, "table", "tables") + " (" + plural(s.rows, "row", "rows") + ")";
	if (s.skipped_tables)
		out += ", " + plural(s.skipped_tables, "table", "tables") + " skipped (already on the target)";
	auto kind = [&](uint64_t created, uint64_t kept, const char *one, const char *many) {
		out += ", " + plural(created, one, many);
		if (kept)
			out += " (" + std::to_string(kept) + " kept)";
	};
	kind(s.views, s.kept_views, "view", "views");
	kind(s.matviews, s.kept_matviews, "materialized view", "materialized views");
	kind(s.functions, s.kept_functions, "function", "functions");
	kind(s.sequences, s.kept_sequences, "sequence", "sequences");
	kind(s.triggers, 0, "trigger", "triggers");
	kind(s.types, s.kept_types, "type", "types");
	return out;
}

std::string status(const CloneSummary &s) {
	if (!s.warnings)
		return "OK";
	std::string n = std::to_string(s.warnings);
	return std::string("DONE WITH ") + n + (s.warnings == 1 ? " WARNING" : " WARNINGS");
}

} // namespace

std::string summary_text(std::string_view subject, const CloneSummary &s) {
	std::string out = status(s) + ": cloned " + std::string(subject);
	if (s.schemas || s.extensions) {
		out += " (" + plural(s.schemas, "schema", "schemas");
		if (s.extensions)
			out += ", " + plural(s.extensions, "extension", "extensions");
		out += ")";
	}
	return out + ": " + counts(s) + " in " + format_fixed(s.seconds, 2) + " s";
}

std::string functions_summary_text(std::string_view schema, const CloneSummary &s) {
	return status(s) + ": cloned " + plural(s.functions, "function", "functions") + " of schema " +
	       std::string(schema) + " in " + format_fixed(s.seconds, 2) + " s";
}

std::string conninfo_value(std::string_view v) {
	bool plain = !v.empty() && v.find_first_of(" '\\\t\n\r\f\v") == std::string_view::npos;
	if (plain)
		return std::string(v);
	std::string out = "'";
	for (char c : v) {
		if (c == '\'' || c == '\\')
			out += '\\';
		out += c;
	}
	return out + "'";
}

namespace {

// First entry of a comma-separated directory list, as the server's
// SplitDirectoriesString reads it: whitespace trimmed, "..." unquoted.
std::string first_directory(std::string_view list) {
	std::size_t i = 0;
	auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
	while (i < list.size() && space(list[i]))
		i++;
	std::string out;
	if (i < list.size() && list[i] == '"') {
		for (i++; i < list.size(); i++) {
			if (list[i] == '"') {
				if (i + 1 < list.size() && list[i + 1] == '"') {
					out += '"';
					i++;
					continue;
				}
				break;
			}
			out += list[i];
		}
		return out;
	}
	while (i < list.size() && list[i] != ',')
		out += list[i++];
	while (!out.empty() && space(out.back()))
		out.pop_back();
	return out;
}

} // namespace

std::string local_conninfo(std::string_view unix_socket_directories, int port, std::string_view user,
                           std::string_view dbname) {
	std::string host = first_directory(unix_socket_directories);
	if (host.empty())
		host = "localhost";
	return "host=" + conninfo_value(host) + " port=" + std::to_string(port) +
	       " user=" + conninfo_value(user) + " dbname=" + conninfo_value(dbname);
}

} // namespace pgclone::core

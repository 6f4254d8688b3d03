// libFuzzer target for the where-filter check (issue "Safe to point at
// production": a filter must not be able to replace the rows the masks
// apply to). Each input is a filter. It is judged exactly as the backend
// judges it — core::wrapped_filter_query() parsed by PostgreSQL's grammar
// (here through libpg_query, PostgreSQL 15's parser as a library; in the
// backend by raw_parser), the same fields read, core::filter_shape_problem()
// deciding — and every filter that is accepted must leave the source query
// (core::filtered_rows_query) with exactly the shape pgclone wrote: one
// SELECT of our columns over one subquery of the table, the filter only
// inside that subquery's where clause. A finding aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

extern "C" {
#include <pg_query.h>
}

#include "pgclone/core/row_filter.hpp"

namespace {

using nlohmann::json;
using pgclone::core::FilterParse;

void require(bool condition, const char *what, const std::string &filter) {
	if (!condition) {
		std::fprintf(stderr, "where_fuzz: %s for filter [%s]\n", what, filter.c_str());
		std::abort();
	}
}

std::optional<json> parse(const std::string &sql) {
	PgQueryParseResult r = pg_query_parse(sql.c_str());
	std::optional<json> out;
	if (!r.error)
		out = json::parse(r.parse_tree);
	pg_query_free_parse_result(r);
	return out;
}

std::size_t count(const json &o, const char *key) {
	return o.contains(key) && o[key].is_array() ? o[key].size() : 0;
}

bool has(const json &o, const char *key) {
	return o.contains(key) && !o[key].is_null() && !(o[key].is_array() && o[key].empty());
}

const json *select_of(const json &node) {
	return node.is_object() && node.contains("SelectStmt") ? &node["SelectStmt"] : nullptr;
}

bool set_operation(const json &s) {
	return (s.contains("op") && s["op"] != "SETOP_NONE") || has(s, "larg") || has(s, "rarg");
}

bool other_clause(const json &s) {
	for (const char *k : {"distinctClause", "intoClause", "groupClause", "havingClause", "windowClause",
	                      "valuesLists", "sortClause", "limitOffset", "limitCount", "lockingClause", "withClause"})
		if (has(s, k))
			return true;
	return false;
}

// The fields the backend reads from raw_parser's tree (clone/row_filter.cpp).
FilterParse shape_of(const json &tree) {
	FilterParse p;
	p.statements = static_cast<int>(count(tree, "stmts"));
	if (p.statements != 1)
		return p;
	const json *s = select_of(tree["stmts"][0]["stmt"]);
	p.select = s != nullptr;
	if (!s)
		return p;
	p.set_operation = set_operation(*s);
	p.where_clause = has(*s, "whereClause");
	p.targets = static_cast<int>(count(*s, "targetList"));
	p.from_items = static_cast<int>(count(*s, "fromClause"));
	p.other_clause = other_clause(*s);
	return p;
}

bool valid_utf8(const std::string &text) {
	try {
		(void)json(text).dump();
		return true;
	} catch (const json::type_error &) {
		return false;
	}
}

bool accepted(const std::string &filter) {
	auto tree = parse(pgclone::core::wrapped_filter_query(filter));
	return tree && !pgclone::core::filter_shape_problem(shape_of(*tree)).has_value();
}

// The source query of an accepted filter has the shape pgclone wrote.
void check_source_query(const std::string &filter) {
	const std::string sql = pgclone::core::filtered_rows_query("\"a\", md5(\"b\")", "\"s\".\"t\"", filter);
	auto tree = parse(sql);
	require(tree.has_value(), "the source query of an accepted filter does not parse", filter);
	require(count(*tree, "stmts") == 1, "the source query is not one statement", filter);
	const json *outer = select_of((*tree)["stmts"][0]["stmt"]);
	require(outer != nullptr, "the source query is not a SELECT", filter);
	require(!set_operation(*outer) && !other_clause(*outer) && !has(*outer, "whereClause"),
	        "the outer query has a clause pgclone did not write", filter);
	require(count(*outer, "targetList") == 2, "the outer query selects other columns", filter);
	require(count(*outer, "fromClause") == 1 && (*outer)["fromClause"][0].contains("RangeSubselect"),
	        "the outer query reads something else than the filtered subquery", filter);
	const json &sub = (*outer)["fromClause"][0]["RangeSubselect"];
	require(sub.contains("alias") && sub["alias"].value("aliasname", "") == pgclone::core::filtered_rows_alias,
	        "the subquery lost its name", filter);
	const json *inner = select_of(sub["subquery"]);
	require(inner != nullptr, "the subquery is not a SELECT", filter);
	require(!set_operation(*inner) && !other_clause(*inner), "the subquery has a clause pgclone did not write",
	        filter);
	require(has(*inner, "whereClause"), "the subquery lost the filter", filter);
	require(count(*inner, "targetList") == 1 && count(*inner, "fromClause") == 1,
	        "the subquery reads other columns or relations", filter);
	const json &from = (*inner)["fromClause"][0];
	require(from.contains("RangeVar") && from["RangeVar"].value("schemaname", "") == "s" &&
	            from["RangeVar"].value("relname", "") == "t",
	        "the subquery reads another relation than the table", filter);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
	const std::string filter(reinterpret_cast<const char *>(data), size);
	// A NUL never reaches the parser: the backend refuses it first. Text
	// arguments are valid in the server encoding (UTF-8 here) before any
	// pgclone code sees them.
	if (filter.find('\0') != std::string::npos || !valid_utf8(filter))
		return 0;
	if (accepted(filter))
		check_source_query(filter);
	return 0;
}

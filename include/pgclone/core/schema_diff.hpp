// Comparing two descriptions of one schema (source and target) for
// pgclone.diff(). Pure logic: the catalog readers fill SchemaFacts on each
// side, this turns the pair into the JSON drift report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgclone::core {

struct ColumnFacts {
	std::string name;
	std::string type; // format_type() text, plus " COLLATE ..." for a non-default collation
	bool not_null = false;
	// Default expression; identity and generated columns are described here
	// too ("GENERATED ALWAYS AS IDENTITY", "GENERATED ALWAYS AS (...) STORED").
	std::optional<std::string> default_expr;
};

struct TableFacts {
	std::string name;
	std::string kind; // "table" or "partitioned table"
	std::vector<ColumnFacts> columns;
};

// An index, constraint, trigger, view, materialized view or sequence:
// compared by its definition text (pg_get_*def output printed with
// search_path = pg_catalog on both sides).
struct ObjectFacts {
	std::string name;
	std::string table; // the table it belongs to; empty for views, sequences
	std::string definition;
};

struct SchemaFacts {
	bool exists = false;
	// server_version_num of the side (0: unknown). When one side is older than PostgreSQL 16
	// and the other is not, views are compared with same_view_across_16() (view_definition.hpp).
	int server_version = 0;
	std::vector<TableFacts> tables;
	std::vector<ObjectFacts> indexes;
	std::vector<ObjectFacts> constraints;
	std::vector<ObjectFacts> triggers;
	std::vector<ObjectFacts> views;
	std::vector<ObjectFacts> materialized_views;
	std::vector<ObjectFacts> sequences;
};

// Whitespace runs collapsed to one space, ends trimmed: definitions that
// differ only in layout are equal.
std::string normalize_definition(std::string_view text);

// The report: {"schema", "source_schema_exists", "target_schema_exists",
// "in_sync", "summary": {"only_in_source", "only_in_target", "modified",
// "in_sync"}, "diff_count" (objects that drifted), and per kind ("tables",
// "indexes", "constraints", "triggers", "views", "materialized_views",
// "sequences") {"only_in_source": [names], "only_in_target": [names],
// "modified": [names], "detail": {"only_in_source": [...],
// "only_in_target": [...], "modified": [...]}} — the original pgclone's
// keys and shapes, with the full entries under "detail".
nlohmann::ordered_json diff_schemas(const std::string &schema, const SchemaFacts &source,
                                    const SchemaFacts &target);

} // namespace pgclone::core

// Pure planning logic of schema and database clones: dependency ordering,
// table filters and per-table masks, option checks, the result text and the
// loopback conninfo of database_create. No server headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/options.hpp"

namespace pgclone::core {

// One object to order; its position in the input vector is its id.
struct OrderNode {
	std::vector<std::size_t> deps; // ids of nodes that must come first (unknown ids are ignored)
	int rank = 0;                  // among nodes that are ready, lower rank first
};

// A topological order (Kahn): every node after the nodes it depends on;
// ties broken by rank, then by input position, so the order is stable.
// Nodes caught in a cycle cannot be ordered; they follow in input order
// (their creation then fails and is reported, rather than looping).
std::vector<std::size_t> dependency_order(const std::vector<OrderNode> &nodes);

// The mask object for one table of a schema/database clone: the
// "schema.table" key wins over the bare "table" key. nullopt: unmasked.
std::optional<nlohmann::json> mask_for_table(const nlohmann::json &masks, std::string_view schema,
                                             std::string_view table);

// The same for a partition: its own keys first, then those of its parent,
// grandparent, ... (`ancestors`, (schema, table) pairs, nearest first), so
// a mask of a partitioned table reaches the rows of every partition at any
// depth, and a key naming a partition itself wins over its parent's.
std::optional<nlohmann::json> mask_for_table(const nlohmann::json &masks, std::string_view schema,
                                             std::string_view table,
                                             const std::vector<std::pair<std::string, std::string>> &ancestors);

// Keys of `masks` that name no table in `tables` ((schema, table) pairs).
// A mask that silently matches nothing would clone sensitive data unmasked.
std::vector<std::string> unmatched_mask_keys(const nlohmann::json &masks,
                                             const std::vector<std::pair<std::string, std::string>> &tables);

// Rejects options that only make sense for one table ("columns", "where"
// as a string, "mask"), "parallel" above 1 (a synchronous clone uses one connection) and
// "snapshot_id" combined with "consistent": false. function_name is the SQL
// function named in messages, e.g. "pgclone.schema".
void check_multi_table_options(const CloneOptions &o, std::string_view function_name);
// Part of check_multi_table_options: "subset", "sample_method" and "seed"
// need "where" (an object) or "sample"; "seed" needs "sample"; a subset
// that follows foreign keys needs one snapshot ("consistent").
void check_subset_options(const CloneOptions &o, std::string_view function_name);
// The options pgclone.table() and table_async() refuse: "where" as an
// object, "sample", "subset", "sample_method", "seed".
void check_table_options(const CloneOptions &o, std::string_view function_name);
// Option "chunk_size" does something only in pgclone.schema_async() with
// "parallel" above 1: everywhere else it is refused (22023), not ignored.
[[noreturn]] void refuse_chunk_size(std::string_view function_name);
// The options a database clone refuses on top of those: "target_schema"
// (a database has many schemas; clone one schema to move it).
void check_database_options(const CloneOptions &o, std::string_view function_name);

// A text[] input literal: {"a","b\"c"}; every element quoted.
std::string text_array_literal(const std::vector<std::string> &items);

// The SQL condition of the tables / exclude_tables filters for `column`
// (e.g. c.relname): each pattern is a parameter $first_param.. matched as
// ^(pattern)$ by the server's regex engine; excludes apply after includes.
// Empty when both counts are zero, else starts with " AND ".
std::string name_filter_sql(std::string_view column, std::size_t n_include, std::size_t n_exclude,
                            std::size_t first_param);

// What a schema / database clone did, for its result text.
struct CloneSummary {
	uint64_t schemas = 0;
	uint64_t extensions = 0;
	uint64_t types = 0;
	uint64_t sequences = 0;
	uint64_t tables = 0;
	uint64_t skipped_tables = 0; // conflict "skip"
	uint64_t rows = 0;
	uint64_t views = 0;
	uint64_t matviews = 0;
	uint64_t functions = 0;
	uint64_t triggers = 0;
	// Objects of the plan that were on the target and kept as they are
	// (conflict "skip", or a type that exists): "0 views (2 kept)".
	uint64_t kept_types = 0;
	uint64_t kept_sequences = 0;
	uint64_t kept_views = 0;
	uint64_t kept_matviews = 0;
	uint64_t kept_functions = 0;
	uint64_t warnings = 0;
	double seconds = 0;
};

// "OK: cloned schema test_schema: 4 tables (42 rows), 2 views, ... in 0.05 s"
// (a kind with objects kept: "0 views (2 kept)"),
// or, when objects were skipped or created with problems,
// "DONE WITH 2 WARNINGS: cloned schema test_schema: ...". subject names what
// was cloned ("schema test_schema", "database").
std::string summary_text(std::string_view subject, const CloneSummary &s);

// "OK: cloned 3 functions of schema test_schema in 0.01 s" (pgclone.functions).
std::string functions_summary_text(std::string_view schema, const CloneSummary &s);

// A conninfo value, quoted when it needs to be: 'a b' with \ and ' escaped.
std::string conninfo_value(std::string_view v);

// The conninfo of this server for database_create when pgclone.local_conninfo
// is empty: the first of unix_socket_directories (a comma-separated list,
// entries optionally double-quoted), or localhost when there is none.
std::string local_conninfo(std::string_view unix_socket_directories, int port, std::string_view user,
                           std::string_view dbname);

} // namespace pgclone::core

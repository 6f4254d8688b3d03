// CloneOptions: the JSON `options` argument of every clone function, parsed
// strictly into one value. Adding an option key means: a field here, one
// entry in the key table in src/core/options.cpp, a unit test.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgclone::core {

enum class ConflictStrategy { Error, Skip, Replace, Rename };

const char *to_string(ConflictStrategy s) noexcept;

// How a subset clone (schema/database clones with per-table "where" or
// "sample") follows foreign keys (docs/SCHEMA_DATABASE.md "Subset clones").
enum class SubsetMode { None, Parents, Restrict, Children };

const char *to_string(SubsetMode m) noexcept;

// TABLESAMPLE method of option "sample".
enum class SampleMethod { System, Bernoulli };

const char *to_string(SampleMethod m) noexcept;

struct CloneOptions {
	// Column subset, in the order given. Empty optional = all columns.
	std::optional<std::vector<std::string>> columns;
	// Row filter evaluated on the source (checked by clone::check_row_filter).
	std::optional<std::string> where;
	// Schema/database clones: "where" given as an object, a filter per table
	// {"table" | "schema.table": "filter"} (each value a non-blank string).
	std::optional<nlohmann::json> where_tables;
	// Schema/database clones: {"table" | "schema.table": percent}, each a
	// number in (0, 100], with the TABLESAMPLE method and its REPEATABLE seed.
	std::optional<nlohmann::json> sample;
	SampleMethod sample_method = SampleMethod::System;
	std::optional<double> seed;
	// How filtered rows follow foreign keys; nullopt: "parents" when a table
	// is filtered or sampled (subset_mode()).
	std::optional<SubsetMode> subset;
	bool indexes = true;
	bool constraints = true;
	bool triggers = true;
	bool matviews = true;
	// ANALYZE each table after its rows are loaded, so the target plans well
	// from its first query.
	bool analyze = true;
	ConflictStrategy conflict = ConflictStrategy::Error;
	// Per-column mask spec for one table: {"col": "strategy" | {"type": ...}}.
	// Kept as JSON; the masking compiler validates and compiles it.
	std::optional<nlohmann::json> mask;
	// Per-table mask specs for schema/database clones: {"table" | "schema.table": {...}}.
	std::optional<nlohmann::json> masks;
	// Fail-closed privacy gate: refuse to clone a table while a cloned column
	// that the discovery rules classify as sensitive has no mask.
	bool require_masks = false;
	// POSIX regexes, anchored by the caller as ^(pattern)$ on the source.
	std::vector<std::string> tables;
	std::vector<std::string> exclude_tables;
	int parallel = 1;
	// pgclone.schema_async with "parallel" above 1: a plain table whose heap
	// is larger than this many bytes is copied in page-range chunks taken by
	// several pool workers (docs/ASYNC.md "Chunks"); 0 never splits.
	// nullopt: not given (default_chunk_size); other functions refuse it.
	std::optional<std::uint64_t> chunk_size;
	bool consistent = true;
	std::optional<std::string> snapshot_id;
	// Privileges (docs/SECURITY.md): give each cloned object its source
	// owner, and its source ACL, where those roles exist on the target.
	bool owners = true;
	bool privileges = true;
	// database(): copy the large objects (pg_largeobject) with their owners,
	// ACLs and comments. They belong to the database, so table and schema
	// clones never copy them.
	bool large_objects = true;
	// Run the clone's target work (DDL, rows, validation) as this role,
	// which the caller must be able to SET ROLE to.
	std::optional<std::string> run_as;
	// Clone into this schema instead of the source's (table and schema
	// clones): the names of the source schema inside what is cloned follow
	// (docs/USAGE.md "Cloning into another schema").
	std::optional<std::string> target_schema;
	// Return the plan (core::DryRun as JSON text) instead of cloning; changes
	// nothing on either server.
	bool dry_run = false;
};

// Parse the options text. An empty string or JSON null gives the defaults.
// Throws core::Error (SQLSTATE 22023 / 22P02) naming the offending key.
CloneOptions parse_options(std::string_view text);

// The default of option "chunk_size": 256 MB of heap.
inline constexpr std::uint64_t default_chunk_size = 268435456;
// The chunk size in effect: the option, or the default.
std::uint64_t chunk_size(const CloneOptions &o);

// True when "where" (as an object) or "sample" makes this a subset clone.
bool is_subset_clone(const CloneOptions &o);
// The subset mode in effect: the option, or "parents" by default.
SubsetMode subset_mode(const CloneOptions &o);
// The options text of a job as its durable record keeps it: every member
// named "salt" (the key of a pseudonymize mask), at any depth, removed. A
// record is readable by more roles and lives longer than the job, so no
// secret goes there; complete says whether nothing had to be removed (a
// job whose options lost a salt cannot be continued from its record).
struct StoredOptions {
	std::string text;
	bool complete = true;
};
// text must have passed parse_options (it is valid JSON or empty).
StoredOptions options_for_record(std::string_view text);


} // namespace pgclone::core

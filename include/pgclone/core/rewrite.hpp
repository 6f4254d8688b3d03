// Re-targeting DDL text read from the source (pg_get_indexdef,
// pg_get_triggerdef) at a table with another name, and deriving object names
// for it. Pure string logic: the caller passes the exact quoted forms the
// source server printed, so nothing is guessed about its quoting rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgclone::core {

// PostgreSQL's identifier limit (NAMEDATALEN - 1).
inline constexpr size_t max_identifier_bytes = 63;

// A name the caller gives for an object to create must have 1 to
// max_identifier_bytes bytes: else invalid_name (42602), "invalid <what> "<name>"".
void check_name(std::string_view name, const char *what);

// A target table name the caller gives has no dot (its length is checked
// by the clone: name_too_long). A
// dot would make a table literally named "s.t" in the source's schema, which
// is never what "s.t" means: invalid_name, with a hint at the option
// "target_schema".
void check_target_table_name(std::string_view name);

// Cuts name to at most max_bytes without splitting a UTF-8 sequence.
std::string clip_identifier(std::string_view name, size_t max_bytes = max_identifier_bytes);

// An object name for the target table: "orders_pkey" for source table
// "orders" becomes "orders_copy_pkey" for target "orders_copy"; a name not
// starting with the source table's name gets "_<target>" appended. Result is
// clipped to the identifier limit.
std::string derive_name(std::string_view name, std::string_view source_table, std::string_view target_table);

// def: "CREATE [UNIQUE] INDEX <index_q> ON [ONLY] <table_q> USING ...".
// Returns the same index for new_table_q named new_index_q, or nullopt if
// def does not have that shape. With cascade, "ON ONLY" is dropped, so an
// index on a partitioned table is built on its partitions too (the source
// prints ONLY because its partitions' indexes are separate, attached objects).
std::optional<std::string> rewrite_index_def(std::string_view def, std::string_view index_q,
                                             std::string_view table_q, std::string_view new_index_q,
                                             std::string_view new_table_q, bool cascade = false);

// def: "CREATE [CONSTRAINT] TRIGGER <trigger_q> ... ON <table_q> ...".
// Returns it with the table replaced, or nullopt if the shape is different.
std::optional<std::string> rewrite_trigger_def(std::string_view def, std::string_view trigger_q,
                                               std::string_view table_q, std::string_view new_table_q);

// Moving a statement read from the source into another schema (option
// "target_schema"). Only the one schema qualifier the statement's shape
// fixes is replaced; everything else (bodies, literals) is left as it is.
//
// def: "CREATE [OR REPLACE] <KEYWORDS> <old_schema_q>.<name>..." (a type,
// domain, function or procedure). Returns it with new_schema_q instead, or
// nullopt when the created object is not qualified by old_schema_q.
std::optional<std::string> retarget_created_schema(std::string_view def, std::string_view old_schema_q,
                                                   std::string_view new_schema_q);

// def: "CREATE [UNIQUE|CONSTRAINT] INDEX|TRIGGER <name> ... ON [ONLY]
// <old_schema_q>.<relation> ..." (pg_get_indexdef / pg_get_triggerdef).
// Returns it with the relation's qualifier replaced, or nullopt when the
// shape differs.
std::optional<std::string> retarget_on_schema(std::string_view def, std::string_view old_schema_q,
                                              std::string_view new_schema_q);

} // namespace pgclone::core

// Pure pieces of subset clones (docs/SCHEMA_DATABASE.md "Subset clones"):
// row addresses (tids) as the source prints them and as pgclone writes
// them back, the conditions a subset copy runs under, and the texts that
// report a subset. The rows themselves are found on the source by
// clone/subset.cpp. No server headers.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgclone::core {

// A row address (ctid): block number and line pointer.
struct Tid {
	uint32_t block = 0;
	uint16_t offset = 0;
	bool operator<(const Tid &o) const { return block != o.block ? block < o.block : offset < o.offset; }
	bool operator==(const Tid &o) const { return block == o.block && offset == o.offset; }
};

// "(12,3)" as tidout prints it; nullopt for anything else (the source's
// reply is checked before a value from it is written into a query).
std::optional<Tid> parse_tid(std::string_view text);

// The tid[] input text of a set: {"(0,1)","(0,2)"} (digits, commas and
// parentheses only, as pgclone writes every element itself).
std::string tid_array_text(const std::set<Tid> &tids);

// True for the text of an oid: 1 to 10 digits.
bool is_oid_text(std::string_view text);

// The condition a subset copy of one table (oid `table_oid`) runs under,
// over the table's columns: its rows at the addresses `tids` (every row
// except them when `all_but`). The table oid is part of it so that the rows
// of inheritance children, which share addresses, never match.
std::string kept_rows_condition(std::string_view table_oid, bool all_but, const std::set<Tid> &tids);

// The rows of table `table_oid` that `filter` (checked by the caller) lets
// through, among the rows of a query that may read other tables too (a
// partitioned table through its root).
std::string table_filter_condition(std::string_view table_oid, std::string_view filter);

// A foreign key column pair of a subset clone (`child` references
// `parent`, both "schema.table.column" for messages) with their mask specs
// (nullptr: unmasked). The key holds on the target only when both sides
// are unmasked, or masked with the same spec of a strategy that maps each
// value to one value, distinct values to distinct ones ("hash", or
// "pseudonymize" with one salt). Otherwise why not.
std::optional<std::string> masked_key_problem(std::string_view child, const nlohmann::json *child_mask,
                                              std::string_view parent, const nlohmann::json *parent_mask);

// A percentage or seed as a SQL numeric literal (finite values only).
std::string sql_number(double value);

// What a subset did to one table, for its NOTICE and the result text.
struct TableSubsetCounts {
	bool all_but = false;  // counts are "every row but removed"
	uint64_t kept = 0;     // rows kept (when !all_but)
	uint64_t estimate = 0; // the source's row estimate (reltuples)
	uint64_t pulled = 0;   // rows added by following foreign keys
	uint64_t removed = 0;  // rows dropped by following foreign keys
};

// "s.orders: 120 of about 10000 rows (35 pulled in by keys)",
// "s.order_items: all but 12 of about 800 rows (12 dropped by keys)".
std::string subset_table_text(std::string_view display, const TableSubsetCounts &c);

// "s.orders: filtered, about 10000 rows before the filter": a table whose
// filter was its copy's own condition (no keys followed), before the copy
// counted its rows.
std::string subset_filtered_table_text(std::string_view display, uint64_t estimate);

// What a schema clone's result text adds for a subset:
// "subset (parents): s.orders: 120 of about 10000 rows, s.customers: ...".
// `tables`: subset_table_text() of each table that did not keep every row.
std::string subset_result_text(const char *mode, const std::vector<std::string> &tables);

} // namespace pgclone::core

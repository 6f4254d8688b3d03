// Subset clones (docs/SCHEMA_DATABASE.md "Subset clones"): the rows a
// schema or database clone keeps of each table when options "where" (an
// object) or "sample" filter some of them, after following the foreign keys
// between the plan's tables as option "subset" says. Everything is read on
// the source, in the clone's one snapshot, on the unmasked rows: rows are
// identified by their address (tableoid, ctid), which no concurrent write
// changes for the snapshot, so a masked key column is followed by its real
// values and the copies read exactly the rows found.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/subset.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::clone {

// The rows kept of one table that holds rows (a table or a partition).
struct TableSubset {
	std::string display; // schema.table
	// Exactly `tids`, or (all_but) every row except `tids`.
	bool all_but = true;
	std::set<core::Tid> tids;
	std::optional<std::string> filter; // its "where" filter (its own or its nearest ancestor's)
	bool sampled = false;
	uint64_t estimate = 0; // reltuples on the source
	uint64_t pulled = 0;   // rows added by following foreign keys
	uint64_t removed = 0;  // rows dropped by following foreign keys
	// Every row is kept: no filter, no sample, nothing dropped.
	bool whole() const { return all_but && tids.empty(); }
	core::TableSubsetCounts counts() const;
};

struct Subset {
	core::SubsetMode mode = core::SubsetMode::None;
	// By source oid, every table of the plan that holds rows.
	std::map<std::string, TableSubset> tables;
	// Foreign keys between the plan's tables that were followed.
	std::size_t keys_followed = 0;
	double seconds = 0;

	// The condition the copy of table `oid` runs under; nullopt: every row.
	// The table's own filter when the keys changed nothing and it is not
	// sampled, else its kept row addresses.
	std::optional<std::string> kept_rows(const std::string &oid) const;
	// The rows table `oid` keeps, as a condition that names the table's oid:
	// it can stand in a query over its partitioned table (verify counts a
	// partitioned table through its root).
	std::string source_rows(const std::string &oid) const;
	// The tables that do not keep every row.
	std::vector<const TableSubset *> partial() const;
};

// Checks the options "where" (object) and "sample" against the plan's
// tables: every key names a table of the plan (bare or schema-qualified),
// every filter is one expression (clone::check_row_filter). Then finds the
// rows on `src` (which must be in the clone's snapshot): each filtered or
// sampled table's rows, then the foreign keys followed to a fixpoint
// (parents: referenced rows pulled in; restrict: rows referencing dropped
// rows dropped; children: rows referencing kept rows pulled in, then their
// parents). `tables`/`defs`: the schema clone's plan (of `tables` only the
// oid, schema, name and relkind are read; partitions are found through
// their definitions' ancestors). Deterministic for one snapshot, filters
// and seed: a pool worker that imported the clone's snapshot finds the
// same rows as the job that planned it.
Subset find_subset(libpq::Connection &src, const core::CloneOptions &options,
                   const std::vector<catalog::TableRef> &tables, const catalog::TablePlan &defs);

} // namespace pgclone::clone

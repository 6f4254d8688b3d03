// One reader per object kind of a table plan (table_plan.hpp). Each runs
// ONE query for every table of the plan, the oids passed as one array
// parameter, and files what it reads under each table's oid. Adding a kind
// is adding a file src/catalog/kind_<kind>.cpp with its reader, declaring
// it here and calling it from read_table_plan (docs/ARCHITECTURE.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog::kinds {

// Each kind is its query ($1: the tables' oids as one array parameter; the
// text may depend on the source's version) and the filing of its reply
// into the plan: read_table_plan runs them one after the other, and a plan
// read ahead (plan_read_ahead.hpp) sends them all at once and files the
// replies later. A reply row for a table the plan was not read for is an
// ERROR (TablePlan::row_table).
struct Kind {
	std::string (*sql)(int source_version);
	void (*file)(const libpq::Result &reply, TablePlan &plan);
	// What a parallel job decides with before its pool starts (sizes, the
	// routines a table calls, the types its columns need): read first when
	// the plan is read in two steps (TablePlanScope::whole).
	bool decides = false;
	// What a job creates for a table once a pool worker cloned it (its
	// foreign keys, its triggers: clone::deferred_statements), read alone
	// for such tables (read_kinds_after_rows).
	bool after_rows = false;
};
// Every kind of a table plan, in the order they are read (relations first:
// it creates the plan's entries).
const std::vector<Kind> &table_kinds();

// kind_relations.cpp: relkind, persistence, quoted name, comment, partition
// key, a partition's ancestors (also creates the plan's entries).
std::string relations_sql(int source_version);
void file_relations(const libpq::Result &r, TablePlan &plan);
// kind_columns.cpp: columns in attnum order.
std::string columns_sql(int source_version);
void file_columns(const libpq::Result &r, TablePlan &plan);
// kind_constraints.cpp: p, u, x, c, f constraints (a partition's attached
// ones first, ConstraintDef::attached).
std::string constraints_sql(int source_version);
void file_constraints(const libpq::Result &r, TablePlan &plan);
// The same for any relations (partitions of a tree), by relation oid.
std::map<std::string, std::vector<ConstraintDef>> read_constraint_defs(libpq::Connection &src,
                                                                       const std::vector<std::string> &oids);
// kind_indexes.cpp: indexes not created by a constraint (a partition's
// attached ones first, IndexDef::attached).
std::string indexes_sql(int source_version);
void file_indexes(const libpq::Result &r, TablePlan &plan);
// The same for any relations (partitions of a tree), by relation oid.
std::map<std::string, std::vector<IndexDef>> read_index_defs(libpq::Connection &src,
                                                             const std::vector<std::string> &oids);
// kind_triggers.cpp: user triggers.
std::string triggers_sql(int source_version);
void file_triggers(const libpq::Result &r, TablePlan &plan);
// kind_owned_sequences.cpp: serial and identity sequences with their
// options; their positions are read after them (sequence_positions.hpp).
std::string owned_sequences_sql(int source_version);
void file_owned_sequences(const libpq::Result &r, TablePlan &plan);
// kind_column_types.cpp: which user-defined types each table's columns
// need; read_missing_types then reads those the plan does not hold yet.
std::string column_types_sql(int source_version);
void file_column_types(const libpq::Result &r, TablePlan &plan);
void read_missing_types(libpq::Connection &src, TablePlan &plan);
// kind_partitions.cpp: the partition trees of the partitioned tables, with
// each partition's indexes and index-backed constraints (two steps: only
// for pgclone.table, which creates the partitions with their table).
void read_partition_trees(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);

// The pg_depend-based JSON list of the columns an object uses (an index, a
// trigger, a generated column's expression): a scalar subquery over the
// object `obj` of catalog `klass` (SQL expressions).
std::string depended_columns_sql(const char *klass, const char *obj);

} // namespace pgclone::catalog::kinds

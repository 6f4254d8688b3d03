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

// kind_relations.cpp: relkind, persistence, quoted name, comment, partition
// key, a partition's ancestors (also creates the plan's entries).
void read_relations(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// kind_columns.cpp: columns in attnum order.
void read_columns(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// kind_constraints.cpp: p, u, x, c, f constraints.
void read_constraints(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// The same for any relations (partitions of a tree), by relation oid.
std::map<std::string, std::vector<ConstraintDef>> read_constraint_defs(libpq::Connection &src,
                                                                       const std::vector<std::string> &oids);
// kind_indexes.cpp: indexes not created by a constraint, of the tables of a
// plan; a partition's attached ones first (IndexDef::attached).
void read_indexes(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// The same for any relations (partitions of a tree), by relation oid.
std::map<std::string, std::vector<IndexDef>> read_index_defs(libpq::Connection &src,
                                                             const std::vector<std::string> &oids);
// kind_triggers.cpp: user triggers.
void read_triggers(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// kind_owned_sequences.cpp: serial and identity sequences with their
// options and positions.
void read_owned_sequences(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// kind_partitions.cpp: the partition trees of the partitioned tables, with
// each partition's indexes and index-backed constraints.
void read_partition_trees(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// kind_column_types.cpp: the user-defined types the columns need.
void read_column_types(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);

// The pg_depend-based JSON list of the columns an object uses (an index, a
// trigger, a generated column's expression): a scalar subquery over the
// object `obj` of catalog `klass` (SQL expressions).
std::string depended_columns_sql(const char *klass, const char *obj);

} // namespace pgclone::catalog::kinds

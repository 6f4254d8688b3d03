// The definitions of a set of source tables, read per object kind: one
// query per kind for the whole set (docs/ARCHITECTURE.md "How to add an
// object kind"), so a schema of 5,000 tables costs as many catalog queries
// as a schema of one. A table clone looks its table up here; pgclone.table
// reads a one-table plan with the same readers.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct TablePlan {
	// Source table oid -> its definition. Only oids the plan was read for.
	std::map<std::string, SourceTable> tables;
	// User-defined types the columns need (with what they are built from),
	// by oid.
	std::map<std::string, TypeDef> types;
	// (schema, name) -> oid of the plan's tables.
	std::map<std::pair<std::string, std::string>, std::string> oids_by_name;
	// Tables read by read_kinds_after_rows: their entries hold what a job
	// creates after another session cloned them (foreign keys, triggers),
	// not enough to create them.
	std::set<std::string> after_rows_only;

	// The table of a reply row; a row naming a table the plan was not read
	// for is a malformed reply and fails the clone with an ERROR.
	SourceTable &row_table(const std::string &oid);
	// A table of the plan; nullptr when it was not read.
	const SourceTable *find(const std::string &oid) const;
	// The oid of table schema.name in the plan, or "" when it was not read.
	std::string oid_of(const std::string &schema, const std::string &name) const;
	// The types table `t` needs, in (schema, name) order.
	std::vector<TypeDef> types_of(const SourceTable &t) const;
	// Adds the tables and types of another plan read in the same snapshot
	// (a pool worker reads its part of the job's tables first, the rest
	// when it takes one); what this plan has stays, and so do pointers to it.
	void merge(TablePlan &&other);
};

// What a plan reads besides each table's own definition.
struct TablePlanScope {
	// The partitions of partitioned tables, recursively, with their own
	// indexes (pgclone.table creates them with the parent; a schema clone
	// has every partition as a table of its own and leaves this off).
	bool partition_trees = true;
	// false: only the kinds a parallel job decides with (Kind::decides);
	// read_other_kinds reads the rest later, for the same tables.
	bool whole = true;
};

// Reads the definitions of the tables `oids` (tables and partitioned tables
// of the source), under the session's snapshot.
TablePlan read_table_plan(libpq::Connection &src, const std::vector<std::string> &oids,
                          const TablePlanScope &scope = {});

// The kinds a plan read without TablePlanScope::whole left out, for the same
// tables (filed into their entries), and their second step.
void read_other_kinds(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);
// Of those, only what a job creates for a table after another session
// (a pool worker) created and filled it: the kinds with Kind::after_rows
// (constraints, for the foreign keys; triggers). The tables are marked
// TablePlan::after_rows_only.
void read_kinds_after_rows(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids);

// The second step of a plan's kinds, on the same snapshot: the positions of
// its sequences not read yet (sequence_positions.hpp) and the types its
// columns need that it does not hold yet. read_table_plan ends with it.
void complete_table_plan(libpq::Connection &src, TablePlan &plan);
// The owned sequences of the plan whose positions are not read yet.
std::vector<OwnedSequence *> unread_sequence_positions(TablePlan &plan);

// The one-table plan of schema.table (pgclone.table): the same readers.
// Throws core::Error: invalid_schema_name when the schema does not exist,
// undefined_table when the table does not (both naming "schema"."table").
TablePlan read_one_table(libpq::Connection &src, const std::string &schema, const std::string &table,
                         const TablePlanScope &scope = {});

// The plan of the tables named (schema, name): one query finds their oids,
// then the same readers. Names the source does not know are left out.
TablePlan read_named_tables(libpq::Connection &src,
                            const std::vector<std::pair<std::string, std::string>> &names,
                            const TablePlanScope &scope = {});

// The oids as one array parameter ($n::pg_catalog.oid[]) of a plan query.
std::string oid_array(const std::vector<std::string> &oids);

} // namespace pgclone::catalog

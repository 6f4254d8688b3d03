// The definition of a source table, as the per-kind readers of a table plan
// (table_plan.hpp, table_kinds.hpp) fill it in. Every query runs on a
// session with search_path = pg_catalog, so expressions and type names come
// back schema-qualified: they then mean the same on a target whose
// search_path differs.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/catalog/size_estimate.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct ConstraintDef {
	std::string name;
	char type = '\0';                  // p u c f x
	std::string definition;            // pg_get_constraintdef() text
	std::vector<std::string> columns;  // columns of this table it uses
	std::string ref_schema, ref_table; // FOREIGN KEY: the referenced table
	// FOREIGN KEY: its columns and the referenced ones, pair by pair (in
	// key order, which `columns` is not), and whether it is a partition's
	// copy of its parent's key. A subset clone follows these.
	std::vector<std::string> key_columns, ref_columns;
	bool inherited = false;
	std::optional<std::string> tablespace; // its index's (p u x), when not the database's default
	bool inherited_only = false;           // CHECK inherited from a parent only (conislocal false)
	// A partition's copy of its parent's constraint (conparentid set): as
	// with IndexDef::attached, the parent's constraint adopts it when it is
	// created after it, so it keeps its source name.
	bool attached = false;
};

struct IndexDef {
	std::string name;
	std::string name_q;               // as the source quoted it
	std::string definition;           // pg_get_indexdef() text (CREATE INDEX ...)
	std::vector<std::string> columns; // columns it uses, expressions included
	std::optional<std::string> tablespace; // nullopt: the database's default
	// Plain columns with core operator classes and collations only: the
	// index depends on nothing but its table (pg_depend records no object a
	// target of the same major version could lack), has no expression and no
	// predicate. Creating it after its table cannot fail for a reason a clone
	// tolerates, so it needs no subtransaction of its own.
	bool core_only = false;
	// A partition's index attached to an index of its parent. The parent's
	// index adopts it when it is created after it (CREATE INDEX on a
	// partitioned table, like ATTACH PARTITION, takes for each partition the
	// first matching index not yet attached, in the OID order of
	// RelationGetIndexList): so the readers list a partition's attached
	// indexes before its others, and the clone creates them in that order
	// and before the parent's. Then a partition keeps the names its source
	// gave them, and a duplicate of its own is not taken instead.
	bool attached = false;
};

struct TriggerDef {
	std::string name;
	std::string name_q;
	std::string definition; // pg_get_triggerdef() text
	std::vector<std::string> columns;
};

// A sequence owned by a column of the table (serial: deptype 'a';
// identity: deptype 'i'), with its options and current state.
struct OwnedSequence {
	std::string column;
	std::string schema;
	std::string name;
	bool identity = false;
	std::string type; // AS type
	std::string start, increment, min, max, cache;
	bool cycle = false;
	std::string last_value;
	bool is_called = false;
	std::optional<std::string> comment; // COMMENT ON SEQUENCE
};

// A partition of a partitioned table (recursively: it may be partitioned).
struct PartitionDef {
	std::string name;
	std::string table_q;                      // as the source quotes it
	std::string bound;                        // pg_get_expr(relpartbound): "FOR VALUES ..." or "DEFAULT", constants only (pg/partition_bound.hpp)
	std::optional<std::string> partition_key; // when itself partitioned
	bool unlogged = false;
	std::optional<std::string> tablespace; // nullopt: the database's default
	std::vector<PartitionDef> children;
	// This partition's indexes (those attached to an index of its parent
	// first) and its primary key, unique and exclusion constraints (those
	// attached to its parent's first).
	std::vector<IndexDef> local_indexes;
	std::vector<ConstraintDef> key_constraints;
};

struct SourceTable {
	std::string oid;
	char relkind = 'r';
	std::string table_q; // schema.table as the source quotes it
	core::TableDef def;
	std::vector<ConstraintDef> constraints;
	std::vector<IndexDef> indexes;
	std::vector<OwnedSequence> sequences;
	std::vector<TriggerDef> triggers;
	std::vector<PartitionDef> partitions; // relkind 'p' only
	// A partition's parent, grandparent, ... up to the root, nearest first
	// (schema, table); empty for a table that is no partition. Masks of a
	// partitioned table reach its partitions through this.
	std::vector<std::pair<std::string, std::string>> ancestors;
	// Inheritance parents (INHERITS, not partitioning), in order, and
	// whether its columns stand in the order CREATE TABLE ... INHERITS gives
	// (each parent's columns, then its own): only then is it created so.
	std::vector<std::pair<std::string, std::string>> parents;
	bool inherits_in_order = false;
	// A generated column, CHECK constraint or index of it calls a routine
	// that is not built in (oid >= FirstNormalObjectId): such a routine may
	// read other tables while the rows load or are checked, so a parallel
	// pool loads this table only after every other (jobs/schema_job.cpp).
	bool calls_routines = false;
	// Oids of the user-defined types its columns need (TablePlan::types_of).
	std::vector<std::string> type_oids;
	SizeEstimate estimate; // with its partitions
};

// Sequence options text for CREATE SEQUENCE / identity (no name).
std::string sequence_options_sql(const OwnedSequence &s);

} // namespace pgclone::catalog

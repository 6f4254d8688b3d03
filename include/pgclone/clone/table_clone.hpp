// Cloning one table: structure, owned sequences, rows, then constraints,
// indexes and triggers (docs/ARCHITECTURE.md: indexes and constraints after data).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/clone/dependents.hpp"
#include "pgclone/core/chunks.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/dry_run.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::catalog {
struct TablePlan;
}

namespace pgclone::clone {

// What of a table clone a call does: all of it; or, for a table a parallel
// pool copies in chunks (docs/ASYNC.md "Chunks"), each part in its own
// transaction: create (the table, its sequences and what it needs: no
// rows), rows (one chunk's rows into the table created before), finish
// (constraints, indexes, triggers, settings, ANALYZE, once every chunk is in).
enum class TableStage { whole, create, rows, finish };

struct TableRequest {
	std::string schema;
	std::string table;
	std::string target_table; // empty: same as table
	bool include_data = true;
	core::CloneOptions options;
	// Set by schema/database clones: foreign keys and triggers are created
	// in later passes (after every table / every function exists).
	bool defer_foreign_keys = false;
	bool defer_triggers = false;
	// A partitioned table brings its partitions (and loads its rows through
	// itself). Schema clones clone each partition as a table of its own and
	// attach it afterwards, so they turn this off.
	bool create_partitions = true;
	// The table's oid on the source, when a plan read it (schema clones):
	// its definition is looked up there instead of read again.
	std::string source_oid;
	// pgclone.table says how the copy went in a NOTICE. A schema clone
	// says so only for a table that took more than a second (each table at
	// client_min_messages = debug1): thousands of lines say nothing.
	bool notice_every_table = true;
	// Set by schema/database clones: the collations and text search objects
	// of the whole plan were created before the tables (one catalog query
	// for all of them), so a table does not read its own.
	bool plan_objects_ready = false;
	// Set by a synchronous schema or database clone that, in this
	// transaction and before its first table, refused protected target
	// schemas and existing extension members for every table of its plan
	// (schema_clone.cpp protect_schemas, check_extension_members): the table
	// does not ask the target again (two catalog queries per table).
	bool target_checked = false;
	// Set by a synchronous schema or database clone that sent this table's
	// COPY ahead with those of the tables after it, in one message
	// (clone/copy_ahead.hpp; the text is copy_to_send_ahead's): the table
	// clone reads that stream instead of sending its own. The COPY must be
	// the one the clone would send; anything else is an internal error.
	std::optional<std::string> queued_copy;
	// Set by subset clones (clone/subset.cpp): the rows of this table the
	// subset keeps, as a condition pgclone wrote (the table's checked filter,
	// or its kept row addresses as one array literal), applied under the
	// masks like a "where" filter.
	std::optional<std::string> kept_rows;
	// A table with inheritance parents is created with INHERITS when they
	// are all on the target (its inherited columns and checks are then the
	// parents', as on the source). Set where the parents are cloned before
	// their children in the same session: a synchronous schema or database
	// clone, and an async one without a pool (a pool worker cannot see a
	// parent another worker has not committed yet).
	bool inherit_at_creation = false;
	// Partitions the cheap way (a synchronous schema or database clone,
	// schema_clone.cpp "attach_early"), as pg_restore orders them:
	// - defer_partitioned_indexes: a partitioned table's indexes and
	//   index-backed constraints are not created with it but returned in
	//   TableOutcome::partitioned_indexes, to be created once its partitions
	//   are attached and indexed (each then adopts its partitions' matching
	//   indexes instead of every ATTACH matching indexes one partition at a time);
	// - attach_sql: the ALTER TABLE ... ATTACH PARTITION of this partition,
	//   run right after its CREATE TABLE, while it is empty and has no index
	//   (no scan of its rows, no index to match). No subtransaction: the
	//   caller only sets it where the attachment cannot fail for a reason a
	//   clone tolerates.
	// - partition_of: with attach_sql, the parent's name and the bound and
	//   the parent's definition (in the caller's plan). Where PARTITION OF
	//   gives the table its columns as they are about to be created
	//   (core::partition_of_fixups), it is created attached, CREATE TABLE ...
	//   PARTITION OF <parent_and_bound>, then the fixups, and attach_sql is not
	//   run. PostgreSQL then reads the parent's partitions once per partition
	//   instead of twice (the ATTACH's check and its lock), which grows with
	//   the square of their number.
	bool defer_partitioned_indexes = false;
	std::optional<std::string> attach_sql;
	struct PartitionOf {
		std::string parent_and_bound;
		const core::TableDef *parent = nullptr;
	};
	std::optional<PartitionOf> partition_of;
	TableStage stage = TableStage::whole;
	// stage rows: the heap pages of the source table whose rows it copies,
	// with the filter or kept rows above applied to them as to the table.
	core::PageRange pages;
};

// A statement held back for a later pass of a schema clone.
struct DeferredStatement {
	std::string what; // e.g. foreign key "orders_customer_id_fkey" on test_schema.orders
	std::string sql;
	// Run without a subtransaction, a failure failing the clone (a primary
	// key, a unique constraint, an index of core objects only), as the
	// table clone would have run it; otherwise a failure is a WARNING.
	bool must_succeed = false;
};

struct TableOutcome {
	std::string display; // schema.target_table
	uint64_t rows = 0;
	uint64_t bytes = 0;
	double seconds = 0;
	bool skipped = false;
	int warnings = 0;
	std::vector<DeferredStatement> foreign_keys;
	std::vector<DeferredStatement> triggers;
	// TableRequest::defer_partitioned_indexes of a partitioned table: its
	// indexes and index-backed constraints, in the order to create them,
	// and whether they were deferred at all (not when one of them has a
	// tablespace of its own: then they were created with the table).
	std::vector<DeferredStatement> partitioned_indexes;
	bool indexes_deferred = false;
	bool attached = false; // TableRequest::attach_sql ran
	// conflict "replace" of a deferring (schema) clone: what the DROP ...
	// CASCADE took with the old table, for the schema clone to put back at
	// its end. A table clone puts it back itself.
	Dependents dropped;
};

// Applies the conflict strategy to an existing relation schema.table on
// the target: "error" throws, "skip" returns false (keep it), "replace"
// drops it (CASCADE) after reading into *dropped (when given) what the
// CASCADE takes with it, "rename" moves it and its indexes and sequences to
// *_old names. Returns true when the name is free afterwards.
bool make_room_for_table(pg::Spi &spi, const std::string &schema, const std::string &table,
                         core::ConflictStrategy strategy, Dependents *dropped = nullptr);

// Clones on a source connection already inside its read-only transaction.
// Target work runs through SPI in the caller's transaction. `plan`, when
// given and holding req.source_oid, is the table's definition read with the
// rest of a schema's plan; otherwise a one-table plan is read from `src`.
TableOutcome clone_table_on(libpq::Connection &src, const TableRequest &req,
                            const catalog::TablePlan *plan = nullptr);

// The COPY that clone_table_on would send for table req (req.source_oid in
// `plan`), when it may be sent ahead, before the table's turn, with those
// of other tables: a plain table of a clone under one snapshot whose rows
// are copied whole, unmasked and unfiltered (no "mask", "masks" entry,
// "require_masks", "where", "columns", subset, schema move, chunk).
// Masked and filtered copies are checked on the source per table before
// they are sent; they keep their own. nullopt: not such a table.
std::optional<std::string> copy_to_send_ahead(const libpq::Connection &src, const TableRequest &req,
                                              const catalog::TablePlan &plan);

// For a table that another connection cloned with `req` (defer_foreign_keys
// / defer_triggers set): the deferred foreign keys and triggers, as
// clone_table_on would have returned them. Reads the source; does not touch
// the target. A trigger whose definition has an unexpected form is left out
// (the clone that created the table already warned about it).
TableOutcome deferred_statements(libpq::Connection &src, const TableRequest &req,
                                 const catalog::TablePlan *plan = nullptr);

// A dry run of one table: appends to d, in the order the clone would create
// them, the table's objects (its types and schema when the clone would
// create them, sequences, the table with its estimates, masks and filter,
// partitions, constraints, indexes, triggers) and what the conflict
// strategy would do. Reads the source as clone_table_on does; changes
// nothing. With `deferred`, foreign keys and triggers go there (a schema
// clone creates them after every table) and types and schema are left to
// the caller. `plan`: the definitions a schema clone read for every table.
void table_dry_run_steps(libpq::Connection &src, const TableRequest &req, core::DryRun &d,
                         std::vector<core::PlanStep> *deferred, const catalog::TablePlan *plan = nullptr);

// pgclone.table() with {"dry_run": true}: the plan as JSON text.
std::string dry_run_table(const std::string &conninfo, const TableRequest &req);

// pgclone.table(): connect, clone in one snapshot, return the result text.
std::string clone_table(const std::string &conninfo, const TableRequest &req);

// The result text of a table clone ("OK: cloned s.t (N rows)").
std::string table_result_text(const TableOutcome &o);

} // namespace pgclone::clone

// A schema or database clone taken apart into its steps, for callers that
// run the steps in separate transactions or hand the tables to other
// connections: async jobs commit after each table, and a parallel pool
// clones the tables in several background workers while one run (the
// parent job) owns the plan and creates everything that depends on the
// tables afterwards. clone_many() is the same steps in one transaction.
//
// Order of the calls:
//   read_plan -> check_conflicts -> create_schema_objects -> start_tables
//   -> for each table: clone_table | adopt_table | skip_table
//   -> create_dependent_objects -> finish
// Target work runs through SPI: each step that touches the target needs a
// transaction (the caller's). The source is read through the keeper.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/clone/schema_clone.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/snapshot/keeper.hpp"

namespace pgclone::clone {

// The request a schema clone makes for table t of its plan: its mask of
// "masks", foreign keys and triggers deferred, a partition as a table of
// its own (without its parent's triggers), no rows for a partitioned table.
TableRequest schema_table_request(const MultiCloneRequest &req, const catalog::TableRef &t);

class SchemaRun {
public:
	// keeper: the source connection, already in its read-only transaction
	// (and bound to the clone's snapshot). Both must outlive the run.
	// req.options have passed core::check_multi_table_options: every
	// caller checks them before it connects.
	SchemaRun(const MultiCloneRequest &req, snapshot::Keeper &keeper);
	~SchemaRun();
	SchemaRun(const SchemaRun &) = delete;
	SchemaRun &operator=(const SchemaRun &) = delete;

	// Called with the name of each phase as it begins ("types", "tables",
	// "foreign keys", ...).
	void on_phase(std::function<void(const std::string &)> observer);

	// Resuming: these tables ("schema", "table") were cloned and committed
	// by an earlier run of the same clone. They are not conflicts, are not
	// cloned again, and their foreign keys and triggers are created by this
	// run. Objects created before the tables (sequences, types, functions
	// the tables use) are kept if they exist, whatever the conflict strategy.
	void resume_after(std::set<std::pair<std::string, std::string>> done_before);

	// How the tables' definitions are read:
	// - whole: all of them, here;
	// - ahead: all on a second session of the source, from the moment the
	//   tables are known, while the rest of the plan is read here and the
	//   first tables are cloned (catalog/
	//   plan_read_ahead.hpp), for a clone whose tables are cloned one after
	//   the other by clone_table, in plan order;
	// - decisions_first: here only what a parallel job decides with before
	//   its pool starts (catalog::Kind::decides); complete_definitions reads
	//   the rest, while the pool's workers clone (they read their own).
	// A dry run and a subset clone always read the whole plan here.
	enum class PlanRead { whole, ahead, decisions_first };
	void read_plan(PlanRead how = PlanRead::whole);
	// The rest of the definitions after PlanRead::decisions_first (nothing
	// otherwise): before any table is created from them. Of the plain tables
	// that other sessions clone (pool_clones[i]: the pool's workers, which
	// read their own definitions; or an earlier job), only what the job
	// creates after them (catalog::read_kinds_after_rows): their columns and
	// indexes are not read twice.
	void complete_definitions(const std::vector<bool> &pool_clones = {});
	void check_conflicts();
	// Schemas, extensions, types (and the functions the tables use), sequences.
	void create_schema_objects();

	std::size_t table_count() const;
	const catalog::TableRef &table(std::size_t i) const;
	bool done_before(std::size_t i) const;
	// A generated column, check or index of table i calls a routine that is
	// not built in (catalog::SourceTable::calls_routines).
	bool calls_routines(std::size_t i) const;
	// The request a schema clone makes for table i (masks, deferred foreign
	// keys and triggers, partitions as tables of their own).
	TableRequest table_request(std::size_t i) const;
	// The definitions of the plan's tables (read_plan), as the table
	// clones look them up (the whole plan: read_plan without read_ahead).
	const catalog::TablePlan &table_defs() const;

	// For a parallel pool, before its workers start, one after the other,
	// what workers doing it concurrently would collide on: applies
	// "replace" or "rename" to every existing table of the plan (except
	// those of an earlier run): DROP ... CASCADE of tables linked by a
	// foreign key locks both ends and deadlocks; and creates the
	// user-defined types of other schemas that the tables' columns need
	// (two workers creating the same type, one fails). Needs a transaction.
	void prepare_tables_for_pool();

	// Announces the table phase (a NOTICE with the count).
	// A synchronous clone (one transaction, parents cloned first in this
	// session): partitions are attached at their creation and partitioned
	// tables' indexes created once their partitions are (schema_clone.cpp
	// "attaches_early"). Not for async jobs, which commit table by table.
	void attach_partitions_early();
	// An async job: which tables belong to partition trees it clones
	// itself, each tree in one transaction with its partitions attached at
	// creation (core::tables_of_small_partition_trees: at most
	// core::default_chunk_size bytes and max_tables tables; none under
	// masks or without one snapshot); all false otherwise.
	std::vector<bool> small_partition_trees(std::size_t max_tables) const;
	// Around the trees' clone_table calls, in the trees' transaction:
	// partitions attached at creation, partitioned tables' indexes held
	// back; the end attaches what is left and creates those indexes.
	void begin_partition_trees();
	void end_partition_trees();
	void start_tables();
	// A caller that clones every table with clone_table, one after the
	// other in plan order, in one transaction with one snapshot, and sends
	// nothing else to the keeper until create_dependent_objects (clone_many):
	// the COPYs of small tables go to the source many in one message
	// (clone/copy_ahead.hpp).
	void send_copies_ahead();
	// Clones table i on the keeper's connection.
	TableOutcome clone_table(std::size_t i);
	// Table i was cloned on another connection (a pool worker) or by the
	// run this one resumes (earlier_run): reads its foreign keys and
	// triggers through the keeper for the later phases. A table of an
	// earlier run does not count in this run's result.
	void adopt_table(std::size_t i, bool earlier_run);
	// Rows and warnings of tables cloned on other connections, for the
	// result text.
	void add_counts(uint64_t rows, int warnings);
	// Table i existed and was kept (conflict "skip").
	void skip_table(std::size_t i);

	// Partitions attached, foreign keys, views, materialized views,
	// functions, triggers; WARNINGs for foreign tables.
	void create_dependent_objects();

	// Commits the keeper's transaction; returns the result text.
	std::string finish();
	// Everything this run skipped with a WARNING so far, its tables' (and
	// those of add_counts) included.
	int warnings() const;

	// Instead of the steps after read_plan ({"dry_run": true}): the plan as
	// JSON text (core::DryRun). Reads the target catalog only, and ends the
	// keeper's transaction.
	std::string dry_run();

private:
	struct State;
	std::unique_ptr<State> s_;
};

} // namespace pgclone::clone

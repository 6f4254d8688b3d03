// A schema job (pgclone.schema_async): the parent of a parallel pool, or a
// sequential clone. Transactions on the target:
//   1. the plan is read, checked, and the objects the tables need are
//      created (schema, extensions, types, sequences): one commit;
//   2. every table in a transaction of its own (here, or in a pool worker);
//      with a pool, a big table is created in 1 and its rows copied in
//      chunks, each chunk in a transaction of its own, then its finish
//      task (split_tables; docs/ASYNC.md "Chunks"); the tables of small
//      partition trees here, in one transaction (clone_trees_here);
//   3. partitions attached, foreign keys, views, materialized views,
//      functions, triggers: one commit.
// A failure or cancel in 2 keeps the tables committed before it; the table
// in flight leaves nothing. pgclone.resume() clones the rest and does 3.
// Source side: the parent's keeper connection reads the plan and step 3;
// with "consistent" (the default) every connection of the clone reads one
// snapshot, exported by the snapshot coordinator job when there is a pool.
#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/clone/schema_run.hpp"
#include "pgclone/core/chunks.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/jobs/record.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/jobs/worker_util.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/snapshot/keeper.hpp"

namespace pgclone::jobs {

namespace {

namespace state = core::job_table_state;

constexpr long tick_ms = 100;
constexpr int ping_every = 50; // ticks: the keeper is pinged every ~5 s while the pool works

NewJob child_job(const JobParams &p, uint8_t kind, int worker_number) {
	NewJob j;
	j.kind = kind;
	j.parent_id = p.job_id;
	j.worker_number = worker_number;
	j.schema = p.schema;
	j.include_data = p.include_data;
	if (kind == kind_coordinator)
		j.table = "pgclone: snapshot coordinator (parent " + std::to_string(p.job_id) + ")";
	return j;
}

// Starts the snapshot coordinator and waits until it has exported the
// snapshot. Returns the snapshot id.
std::string start_coordinator(const Job &job) {
	int index = job.index();
	Launched c = slot::create(child_job(job.params, kind_coordinator, 0));
	slot::set_coordinator(index, c.job_id);
	std::string why;
	if (!start_worker(c, &why))
		throw core::Error(
		    "could not start the snapshot coordinator of job " + std::to_string(job.params.job_id) + ": " +
		        why,
		    core::sqlstate::insufficient_resources, "",
		    "Raise max_worker_processes, or pass {\"consistent\": false} to clone without a shared snapshot.");
	slot::set_phase(index, "waiting for the snapshot coordinator");
	for (;;) {
		slot::SnapshotState st = slot::snapshot_state(index, job.params.job_id);
		if (st.ready)
			return st.id;
		if (st.failed)
			throw core::Error("the snapshot coordinator could not export a snapshot",
			                  core::sqlstate::connection_failure, slot::children(index).failure);
		slot::throw_if_cancelled(index);
		wait_tick(tick_ms);
	}
}

// Starts up to n pool workers. Returns how many run; fewer than n when
// background worker slots or job slots ran out.
int launch_pool(const Job &job, int n) {
	int launched = 0;
	for (int w = 1; w <= n; w++) {
		Launched l;
		try {
			l = slot::create(child_job(job.params, kind_pool_worker, w));
		} catch (const core::Error &) {
			break; // no job slot left: the pool is smaller
		}
		if (!start_worker(l, nullptr)) {
			slot::drop(l);
			break;
		}
		launched++;
	}
	return launched;
}

// Waits until every pool worker has finished. A failed worker fails the
// job (the others are stopped by the caller).
void wait_for_pool(const Job &job, snapshot::Keeper &keeper) {
	int index = job.index();
	for (int ticks = 1;; ticks++) {
		slot::ChildSummary c = slot::children(index);
		if (c.failed_child)
			throw core::Error(c.failure[0] == '\0' ? "a pool worker failed" : c.failure, core::sqlstate::internal_error);
		if (c.active == 0)
			return;
		slot::throw_if_cancelled(index);
		// The keeper sits idle in its transaction meanwhile: a dropped
		// connection is found now, not after all the copying.
		if (ticks % ping_every == 0)
			keeper.ping("tables");
		wait_tick(tick_ms);
	}
}

// Table i, cloned by the job itself in the current transaction; its row
// estimate is the plan's (no query per table).
void clone_here(const Job &job, clone::SchemaRun &run, std::size_t i) {
	int index = job.index();
	slot::throw_if_cancelled(index);
	const auto &t = run.table(i);
	const catalog::SourceTable *def = run.table_defs().find(t.oid);
	slot::set_current_table(index, core::display_name(t.schema, t.name),
	                        def && t.relkind != 'p' ? def->estimate.rows : 0);
	slot::set_table_name(index, t.name);
	clone::TableOutcome o;
	{
		CopyProgress progress(index);
		o = run.clone_table(i);
	}
	slot::set_table_state(index, static_cast<int>(i), o.skipped ? state::skipped : state::done);
	slot::add_table_done(index, {t.schema, t.name, o.skipped, o.rows, o.bytes, o.warnings});
}

// Each table in a transaction of its own, on the keeper's connection. Only
// the tables the pool left (held), when held_only; never those of the
// partition trees (clone_trees_here).
void clone_tables_here(const Job &job, clone::SchemaRun &run, const std::vector<bool> &trees,
                       bool held_only = false) {
	int index = job.index();
	std::vector<core::JobTable> list;
	if (held_only)
		list = read_task_list(job.params.job_id, index);
	for (std::size_t i = 0; i < run.table_count(); i++) {
		if (trees[i] || (held_only && (i >= list.size() || list[i].state != state::held)))
			continue;
		if (run.done_before(i)) {
			run.adopt_table(i, true);
			continue;
		}
		const auto &t = run.table(i);
		begin_xact("pgclone job " + std::to_string(job.params.job_id) + ": cloning table " +
		           core::display_name(t.schema, t.name));
		clone_here(job, run, i);
		commit_xact();
	}
}

// The tables of small partition trees (SchemaRun::small_partition_trees),
// all in one transaction: each partition created attached to its parent
// (PARTITION OF), the partitioned tables' indexes created once their
// partitions are. Attached one by one at the end instead, as tables of a
// pool, thousands of partitions cost PostgreSQL a rebuild of the parent's
// partition descriptor each (quadratic). Nothing of the trees is committed
// unless all of it is: a resumed job clones them again.
void clone_trees_here(const Job &job, clone::SchemaRun &run, const std::vector<bool> &trees) {
	std::vector<std::size_t> to_clone;
	for (std::size_t i = 0; i < run.table_count(); i++) {
		if (!trees[i])
			continue;
		if (run.done_before(i))
			run.adopt_table(i, true);
		else
			to_clone.push_back(i);
	}
	if (to_clone.empty())
		return;
	begin_xact("pgclone job " + std::to_string(job.params.job_id) + ": partitioned tables and their partitions");
	slot::set_phase(job.index(), "partitioned tables (" + core::plural(to_clone.size(), "table", "tables") +
	                                 " in one transaction)");
	run.begin_partition_trees();
	for (std::size_t i : to_clone)
		clone_here(job, run, i);
	run.end_partition_trees();
	commit_xact();
}

// Step 1 with a pool, after the tables' room was made: the tables copied
// in chunks, their tasks added to the list. A table that the job this one
// resumes left with unfinished chunks goes on with them (it exists: it was
// neither a conflict nor made room for, see resume_after); a plain table
// whose heap is larger than chunk_size is created here (stage create), its
// rows left to its chunks and the rest to its finish task. Returns the
// names of the tables split.
std::vector<std::string> split_tables(const Job &job, clone::SchemaRun &run, const clone::MultiCloneRequest &req,
                                      snapshot::Keeper &keeper, std::vector<core::JobTable> &list,
                                      uint64_t chunk_size, const std::vector<record::ChunkedTable> &unfinished) {
	int index = job.index();
	std::vector<std::string> split;
	uint64_t block_size = 0;
	for (std::size_t i = 0; i < list.size(); i++) {
		if (list[i].state != state::pending)
			continue;
		const auto &t = run.table(i);
		auto u = std::find_if(unfinished.begin(), unfinished.end(), [&](const record::ChunkedTable &c) {
			return c.schema == t.schema && c.name == t.name;
		});
		if (u != unfinished.end()) {
			// The same pages as before: a chunk committed is not copied again.
			slot::add_chunks(static_cast<int>(i), u->chunks);
			split.push_back(core::display_name(t.schema, t.name));
			continue;
		}
		// Tid range scans came with PostgreSQL 14: on an older source each
		// chunk would read the whole table.
		if (chunk_size == 0 || t.relkind != 'r' || !req.include_data || !slot::chunks_recorded() ||
		    keeper.connection().server_version() < 140000)
			continue;
		const catalog::SourceTable *def = run.table_defs().find(t.oid);
		if (!def || def->estimate.bytes <= chunk_size)
			continue;
		if (block_size == 0) {
			libpq::Result r = keeper.connection().exec("SELECT pg_catalog.current_setting('block_size')::pg_catalog.int8");
			block_size = r.rows() > 0 ? static_cast<uint64_t>(r.get_int(0, 0)) : 0;
		}
		const std::vector<core::PageRange> ranges = core::chunk_ranges(def->estimate.bytes, block_size, chunk_size);
		if (ranges.empty())
			continue;
		slot::set_phase(index, "creating table " + core::display_name(t.schema, t.name) + " for its chunks");
		run.complete_definitions(); // the table is created here, from its definition
		clone::TableRequest r = clone::schema_table_request(req, t);
		r.stage = clone::TableStage::create;
		keeper.next_unit();
		clone::TableOutcome o = clone::clone_table_on(keeper.connection(), r, &run.table_defs());
		run.add_counts(0, o.warnings);
		if (o.skipped) {
			// conflict "skip": the existing table stays, as a pool worker
			// would have kept it.
			slot::set_table_state(index, static_cast<int>(i), state::skipped);
			slot::add_table_done(index, {t.schema, t.name, true, 0, 0, 0});
			list[i].state = state::skipped;
			continue;
		}
		std::vector<record::Chunk> chunks;
		for (const auto &range : ranges)
			chunks.push_back({range, state::pending, 0, 0});
		slot::add_chunks(static_cast<int>(i), chunks);
		split.push_back(core::display_name(t.schema, t.name));
	}
	return split;
}

// After the pool: the tables the workers cloned join the plan.
void adopt_pool_tables(const Job &job, clone::SchemaRun &run) {
	int index = job.index();
	slot::set_phase(index, "reading foreign keys and triggers");
	std::vector<core::JobTable> list = read_task_list(job.params.job_id, index);
	if (list.size() != run.table_count())
		throw core::Error("the job's table list does not match its plan", core::sqlstate::internal_error);
	for (std::size_t i = 0; i < list.size(); i++) {
		switch (list[i].state) {
		case state::done:
			run.adopt_table(i, false);
			break;
		case state::earlier:
			run.adopt_table(i, true);
			break;
		case state::skipped:
			run.skip_table(i);
			break;
		case state::held: // cloned by the job itself next
			break;
		default:
			throw core::Error("table " + core::display_name(list[i].schema, list[i].name) +
			                      " was not cloned by the pool",
			                  core::sqlstate::internal_error);
		}
	}
	slot::Committed counts = slot::committed_counts(index);
	run.add_counts(counts.rows, counts.warnings);
}

void run_schema_job_steps(const Job &job) {
	const JobParams &p = job.params;
	int index = job.index();
	clone::MultiCloneRequest req;
	req.conninfo = p.conninfo;
	req.schemas.push_back(p.schema);
	req.include_data = p.include_data;
	req.options = core::parse_options(p.options);
	req.function_name = "pgclone.schema_async";
	// A dry run plans in this worker alone: no pool, no snapshot coordinator.
	int parallel = req.options.dry_run ? 1 : req.options.parallel;
	req.options.parallel = 1;
	// Tables are split only where every chunk reads the one snapshot.
	const uint64_t chunk_size = parallel > 1 && req.options.consistent ? core::chunk_size(req.options) : 0;
	req.options.chunk_size.reset();
	core::check_multi_table_options(req.options, req.function_name);

	std::set<std::pair<std::string, std::string>> earlier;
	// Tables the resumed job split in chunks and did not finish: they exist
	// with some of their rows; the chunks left and their finish run now.
	std::vector<record::ChunkedTable> unfinished;
	std::set<std::pair<std::string, std::string>> unfinished_names;
	if (p.resumed_from > 0) {
		begin_xact("pgclone job " + std::to_string(p.job_id) + ": reading its record");
		for (auto &t : slot::earlier_tables(p))
			earlier.insert(std::move(t));
		unfinished = slot::unfinished_chunked_tables(p);
		commit_xact();
		for (const auto &t : unfinished)
			unfinished_names.insert({t.schema, t.name});
	}

	std::optional<std::string> import_id = req.options.snapshot_id;
	bool coordinated = parallel > 1 && req.options.consistent && !req.options.snapshot_id;
	if (coordinated)
		import_id = start_coordinator(job);
	slot::set_phase(index, "connecting to the source");
	snapshot::Keeper keeper = snapshot::Keeper::open(p.conninfo, req.options.consistent, import_id);
	if (coordinated)
		slot::note_snapshot_imported(index, job.params.job_id);

	clone::SchemaRun run(req, keeper);
	run.on_phase([index](const std::string &phase) { slot::set_phase(index, phase); });
	if (p.resumed_from > 0) {
		// Neither a conflict nor a table to make room for.
		std::set<std::pair<std::string, std::string>> kept = earlier;
		kept.insert(unfinished_names.begin(), unfinished_names.end());
		run.resume_after(kept);
	}

	// Step 1.
	begin_xact("pgclone job " + std::to_string(p.job_id) + ": schema " + p.schema);
	slot::set_phase(index, "reading the source catalog");
	// With a pool, the definitions the job does not decide with are read
	// once the workers are cloning (complete_definitions below).
	run.read_plan(parallel > 1 ? clone::SchemaRun::PlanRead::decisions_first : clone::SchemaRun::PlanRead::whole);
	if (req.options.dry_run) {
		// The job's plan, as pgclone.schema() shows it, is its result;
		// nothing is created or copied, no pool is started.
		std::string plan = run.dry_run();
		slot::set_result(index, plan);
		slot::record_completed(index);
		commit_xact();
		return;
	}
	run.check_conflicts();
	// One transaction holds a lock on each table of a tree it clones: a tree
	// of up to four times max_locks_per_transaction tables leaves the
	// target's shared lock table room for everyone else.
	const int locks_per_xact = pg::call([] { return max_locks_per_xact; });
	std::vector<bool> trees = run.small_partition_trees(4 * static_cast<std::size_t>(locks_per_xact));
	std::vector<core::JobTable> list;
	for (std::size_t i = 0; i < run.table_count(); i++) {
		const auto &t = run.table(i);
		const bool chunks_left = unfinished_names.count({t.schema, t.name}) > 0;
		// A table the resumed job left with chunks to copy exists already:
		// its chunks go to the pool; the rest of its tree, if any, attaches it.
		if (chunks_left)
			trees[i] = false;
		// With a pool, a table whose expressions call routines waits for
		// every other: such a routine may read another table, which a pool
		// worker may not have committed yet (a generated column would be
		// computed from missing rows).
		// The tables of small partition trees too: the job clones them.
		char st = chunks_left                                         ? state::pending
		          : run.done_before(i)                                ? state::earlier
		          : parallel > 1 && (run.calls_routines(i) || trees[i]) ? state::held
		                                                              : state::pending;
		list.push_back({t.schema, t.name, t.relkind, t.is_partition, st});
	}
	std::size_t pending = std::count_if(list.begin(), list.end(),
	                                    [](const core::JobTable &t) { return t.state == state::pending; });
	// With the durable record the pool's tasks are rows of
	// pgclone.job_task, committed with the plan below; only a database
	// whose pgclone was not updated to 4.6.0 keeps them in the slot.
	if (!slot::store_tables(index, list, parallel > 1) && parallel > 1)
		throw core::Error("schema \"" + p.schema + "\" has too many tables for a parallel async clone (" +
		                      std::to_string(list.size()) + ")",
		                  core::sqlstate::program_limit_exceeded,
		                  "Without the table pgclone.job_task the names of the tables to clone must fit in " +
		                      std::to_string(tables_capacity) + " bytes of the job's shared-memory slot.",
		                  "Update the extension (ALTER EXTENSION pgclone UPDATE), clone it without \"parallel\", or in parts with the \"tables\" option.");
	run.create_schema_objects();
	std::vector<std::string> split;
	if (parallel > 1 && pending > 0) {
		run.prepare_tables_for_pool();
		split = split_tables(job, run, req, keeper, list, chunk_size, unfinished);
	}
	commit_xact();

	// Step 2.
	run.start_tables();
	int workers = 0;
	if (parallel > 1 && pending > 0)
		workers = launch_pool(job, split.empty() ? static_cast<int>(std::min<std::size_t>(parallel, pending)) : parallel);
	if (coordinated)
		slot::set_launch(index, 1 + workers, true);
	// While the workers clone: what the job creates after them (its
	// partition trees and held tables, whole; the pool tables' keys and
	// triggers, all it reads of those).
	std::vector<bool> pool_clones;
	for (const auto &t : list)
		pool_clones.push_back(workers > 0 && (t.state == state::pending || t.state == state::earlier));
	run.complete_definitions(pool_clones);
	if (workers > 0) {
		slot::set_phase(index, "tables (" + core::plural(workers, "pool worker", "pool workers") + ")");
		wait_for_pool(job, keeper);
		adopt_pool_tables(job, run);
		clone_trees_here(job, run, trees);
		slot::set_phase(index, "tables whose expressions call routines");
		clone_tables_here(job, run, trees, true);
	} else {
		// A table split in chunks exists with its rows to come from its
		// chunk tasks, which only pool workers take: the job stops, and
		// resume() goes on with the chunks once workers can start.
		if (!split.empty())
			throw core::Error("no pool worker could be started for the chunks of table " + split.front(),
			                  core::sqlstate::insufficient_resources,
			                  "The job created the table for its chunks, which pool workers copy.",
			                  "Resume the job with pgclone.resume() once background workers are free (max_worker_processes), or clone with {\"chunk_size\": 0}.");
		clone_tables_here(job, run, trees);
		clone_trees_here(job, run, trees);
	}
	slot::set_current_table(index, "", 0);
	slot::set_table_name(index, "");

	// Step 3.
	begin_xact("pgclone job " + std::to_string(p.job_id) + ": schema " + p.schema + ", dependent objects");
	run.create_dependent_objects();
	// The record says completed only in the transaction that finds every
	// task of the job finished.
	for (const auto &t : slot::read_tables(index))
		if (t.state == state::pending || t.state == state::held || t.state == state::taken)
			throw core::Error("table " + core::display_name(t.schema, t.name) + " of the job's task list was not cloned",
			                  core::sqlstate::internal_error);
	slot::record_completed(index);
	commit_xact();
	std::string result = run.finish();
	slot::set_warnings(index, run.warnings());
	if (workers > 0)
		result += " with " + core::plural(workers, "pool worker", "pool workers");
	slot::set_result(index, result);
	// The coordinator ends once every connection imported the snapshot (at
	// its next tick): the job is reported completed after it, so nothing of
	// it runs on.
	for (int i = 0; i < 300 && slot::children(index).active_all > 0; i++)
		wait_tick(tick_ms);
}

} // namespace

void run_schema_job(Job &job) {
	std::exception_ptr failure;
	try {
		run_schema_job_steps(job);
	} catch (...) {
		failure = std::current_exception();
	}
	if (!failure)
		return;
	// The pool (and the coordinator) stop with the job: they abort their
	// current table. Waited for, so that the job is reported finished only
	// once nothing of it runs; a second cancel ends the wait.
	slot::request_cancel_children(job.index());
	for (int i = 0; i < 600 && slot::children(job.index()).active_all > 0; i++)
		wait_tick(tick_ms);
	std::rethrow_exception(failure);
}

} // namespace pgclone::jobs

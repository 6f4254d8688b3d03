// The parallel pool of a schema job: pool workers, which take tasks from
// the parent's list (a table, a chunk of a big table's rows, or a chunked
// table's finish) and commit each in a transaction of their own, and the
// snapshot coordinator, which exports the snapshot every connection of the
// clone imports and keeps its transaction open until all have (with the
// keeper's protections: source timeouts off in its transaction, keepalives,
// a ping every ~5 s).
#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/clone/schema_run.hpp"
#include "pgclone/clone/subset.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/chunks.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/read_ahead.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/jobs/worker_util.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/snapshot/keeper.hpp"

namespace pgclone::jobs {

namespace {

constexpr long tick_ms = 100;
constexpr int ping_every = 50;
// Tables whose definitions a worker reads at once when it takes one outside
// its own part of the task list.
constexpr std::size_t slice = 64;

// Waits for the coordinator's snapshot in the parent's slot.
std::string wait_for_snapshot(const Job &job) {
	int parent = job.params.parent_index;
	slot::set_phase(job.index(), "waiting for the snapshot");
	for (;;) {
		slot::SnapshotState st = slot::snapshot_state(parent, job.params.parent_id);
		if (st.ready && !st.failed)
			return st.id;
		if (st.failed || st.parent_finished)
			throw core::Error("the snapshot of parent job " + std::to_string(job.params.parent_id) +
			                      " is not available",
			                  core::sqlstate::connection_failure,
			                  "Its snapshot coordinator failed or the parent job ended.");
		slot::throw_if_cancelled(job.index());
		wait_tick(tick_ms);
	}
}

} // namespace

void run_pool_worker(Job &job) {
	const JobParams &p = job.params;
	int index = job.index();
	int parent = p.parent_index;
	clone::MultiCloneRequest req;
	req.conninfo = p.conninfo;
	req.schemas.push_back(p.schema);
	req.include_data = p.include_data;
	req.options = core::parse_options(p.options);
	const int pool_size = std::max(1, req.options.parallel);
	req.options.parallel = 1;
	req.options.chunk_size.reset(); // the parent split the tables
	req.function_name = "pgclone.schema_async";

	std::optional<std::string> import_id = req.options.snapshot_id;
	bool coordinated = req.options.consistent && !req.options.snapshot_id;
	if (coordinated)
		import_id = wait_for_snapshot(job);
	slot::set_phase(index, coordinated ? "importing the snapshot" : "connecting to the source");
	std::optional<snapshot::Keeper> keeper;
	std::exception_ptr failure;
	try {
		keeper.emplace(snapshot::Keeper::open(p.conninfo, req.options.consistent, import_id));
	} catch (...) {
		failure = std::current_exception();
	}
	if (failure) {
		// The others must not wait for a snapshot this worker could not get.
		if (coordinated)
			slot::mark_snapshot_failed(parent, p.parent_id);
		std::rethrow_exception(failure);
	}
	if (coordinated)
		slot::note_snapshot_imported(parent, p.parent_id);

	// The definitions of the job's tables, one query per object kind, under
	// this worker's snapshot; each table taken is looked up there. The
	// workers of a pool of n start n equal parts of the task list apart:
	// each takes the first pending task from its start on (the others' only
	// once its own part is done), so each reads the definitions of its own
	// part, not all of the plan; a table taken outside what it read brings
	// the definitions of the next `slice` tables. With a schema move they are
	// read as the move prints them (clone/target_schema.hpp).
	slot::set_phase(index, "reading the table definitions");
	clone::follow_source_schema(keeper->connection(), clone::schema_move(p.schema, req.options));
	const std::vector<core::JobTable> list = read_task_list(p.job_id, parent);
	const std::size_t n = list.size();
	const std::size_t part = static_cast<std::size_t>(std::clamp(p.worker_number, 1, pool_size) - 1);
	const std::size_t start = n * part / static_cast<std::size_t>(pool_size);
	const std::size_t end = n * (part + 1) / static_cast<std::size_t>(pool_size);
	catalog::TablePlanScope scope;
	scope.partition_trees = false; // every partition is a table of the job
	catalog::TablePlan defs;
	std::vector<bool> read(n, false);
	auto read_definitions = [&](std::size_t from, std::size_t to) {
		std::vector<std::pair<std::string, std::string>> names;
		for (std::size_t i = from; i < to && i < n; i++)
			if (!read[i]) {
				read[i] = true;
				names.emplace_back(list[i].schema, list[i].name);
			}
		if (!names.empty())
			defs.merge(catalog::read_named_tables(keeper->connection(), names, scope));
	};
	// Its own part in slices that double (core::read_ahead_slices: 64, 128,
	// 256, ... tables), each read when the worker reaches it: the first
	// table waits for 64 definitions, not for the whole part's (2,500 tables
	// of a 5,000-table job with two workers), in a few queries per kind.
	std::vector<std::size_t> part_ends;
	std::size_t at = start;
	for (std::size_t size : core::read_ahead_slices(end - start))
		part_ends.push_back(at += size);
	auto read_part_slice = [&](std::size_t ordinal) {
		auto it = std::upper_bound(part_ends.begin(), part_ends.end(), ordinal);
		read_definitions(it == part_ends.begin() ? start : *(it - 1), *it);
	};
	// A subset is found over all the job's tables.
	const bool subset_clone = core::is_subset_clone(req.options) && p.include_data;
	if (subset_clone)
		read_definitions(0, n);
	else if (start < end)
		read_part_slice(start);
	// A subset clone: the rows each table keeps, found again in the job's
	// snapshot with the same options, so they are the ones the job found.
	std::optional<clone::Subset> subset;
	if (subset_clone) {
		slot::set_phase(index, "finding the subset");
		std::vector<catalog::TableRef> refs;
		for (const auto &t : list) {
			catalog::TableRef r;
			r.schema = t.schema;
			r.name = t.name;
			r.relkind = t.relkind;
			r.is_partition = t.is_partition;
			r.oid = defs.oid_of(t.schema, t.name);
			if (!r.oid.empty())
				refs.push_back(std::move(r));
		}
		subset = clone::find_subset(keeper->connection(), req.options, refs, defs);
	}

	uint64_t rows = 0;
	int tables = 0;
	for (;;) {
		slot::throw_if_cancelled(index);
		// The task is taken in the transaction that commits its table.
		begin_xact("pgclone job " + std::to_string(p.job_id) + ": taking the next table");
		auto taken = slot::take_next_table(parent, p.parent_id, static_cast<int>(start));
		if (!taken) {
			commit_xact();
			break;
		}
		const std::size_t ordinal = static_cast<std::size_t>(taken->ordinal);
		if (taken->ordinal >= 0 && ordinal < n && !read[ordinal]) {
			if (ordinal >= start && ordinal < end)
				read_part_slice(ordinal);
			else
				read_definitions(ordinal, ordinal + slice);
		}
		keeper->next_unit();
		catalog::TableRef ref;
		ref.schema = taken->table.schema;
		ref.name = taken->table.name;
		ref.relkind = taken->table.relkind;
		ref.is_partition = taken->table.is_partition;
		ref.oid = defs.oid_of(ref.schema, ref.name);
		const core::TaskStage stage = taken->stage;
		std::string display = core::display_name(ref.schema, ref.name);
		std::string doing = "cloning table " + display;
		if (stage == core::TaskStage::rows)
			doing = "copying chunk " + std::to_string(taken->part) + " of table " + display;
		else if (stage == core::TaskStage::finish)
			doing = "finishing table " + display + " (its chunks are in)";
		// A table counts once, with its finish task when it is chunked.
		if (stage != core::TaskStage::rows)
			slot::add_table_taken(index);
		slot::set_table_name(index, ref.name);
		// The row estimate came with the plan (a partitioned table holds no
		// rows of its own: its partitions are tables of the job); a chunk's
		// share of it is not known.
		const catalog::SourceTable *def = defs.find(ref.oid);
		slot::set_current_table(index, display,
		                        def && def->relkind != 'p' && stage == core::TaskStage::table ? def->estimate.rows : 0);
		slot::set_phase(index, doing);
		set_activity("pgclone job " + std::to_string(p.job_id) + ": " + doing);
		clone::TableOutcome o;
		{
			CopyProgress progress(index);
			clone::TableRequest r = clone::schema_table_request(req, ref);
			if (subset)
				r.kept_rows = subset->kept_rows(ref.oid);
			if (stage == core::TaskStage::rows) {
				r.stage = clone::TableStage::rows;
				r.pages = taken->pages;
			} else if (stage == core::TaskStage::finish) {
				r.stage = clone::TableStage::finish;
			}
			o = clone::clone_table_on(keeper->connection(), r, &defs);
		}
		slot::pool_table_done(index, parent, p.parent_id, *taken,
		                      {ref.schema, ref.name, o.skipped, o.rows, o.bytes, o.warnings});
		commit_xact();
		slot::set_phase(index, "taking the next table");
		rows += o.rows;
		if (stage != core::TaskStage::rows)
			tables++;
	}
	keeper->close();
	slot::set_current_table(index, "", 0);
	slot::set_result(index, "OK: cloned " + core::plural(tables, "table", "tables") + " (" +
	                      core::plural(rows, "row", "rows") + ") for job " + std::to_string(p.parent_id));
}

void run_coordinator(Job &job) {
	const JobParams &p = job.params;
	int index = job.index();
	int parent = p.parent_index;
	slot::set_phase(index, "exporting the snapshot");
	// Keeper::open turns idle_in_transaction_session_timeout and
	// statement_timeout off for its transaction; keepalives come with every
	// source connection.
	snapshot::Keeper keeper = snapshot::Keeper::open(p.conninfo, true, std::nullopt);
	std::string id = keeper.export_snapshot();
	slot::publish_snapshot(parent, p.parent_id, id);
	slot::set_phase(index, "holding the snapshot");
	int imported = 0;
	for (int ticks = 1;; ticks++) {
		slot::SnapshotState st = slot::snapshot_state(parent, p.parent_id);
		imported = st.imported;
		if (st.parent_finished || st.failed || (st.launch_complete && st.imported >= st.expected))
			break;
		slot::throw_if_cancelled(index);
		if (ticks % ping_every == 0) {
			std::exception_ptr lost;
			std::optional<core::Error> lost_session;
			try {
				keeper.ping("snapshot coordinator");
			} catch (const core::Error &e) {
				lost_session = e;
			} catch (...) {
				lost = std::current_exception();
			}
			if (lost || lost_session) {
				// Pool workers still waiting for the snapshot give up at once.
				slot::mark_snapshot_failed(parent, p.parent_id);
				if (lost)
					std::rethrow_exception(lost);
				// Whoever reads the job's error learns what it means for the clone:
				// the same advice as a worker that could not import the snapshot.
				throw core::Error("lost the exported snapshot \"" + id + "\": " + lost_session->what(),
				                  lost_session->sqlstate(), lost_session->detail(),
				                  "The exporting transaction has ended (its session was closed, killed, or dropped by a firewall), so the pool's connections cannot import it. pgclone.resume() continues with a new snapshot; or pass {\"consistent\": false} to clone without a shared snapshot.");
			}
		}
		wait_tick(tick_ms);
	}
	keeper.close();
	slot::set_result(index, "OK: snapshot " + id + " held until " +
	                      core::plural(imported, "connection", "connections") + " imported it");
}

} // namespace pgclone::jobs

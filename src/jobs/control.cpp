// pgclone.cancel(), pgclone.resume(), pgclone.clear_jobs().
#include <csignal>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/control.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/jobs/job_list.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::jobs {

namespace {

// The job, checked to be visible to the current role.
SlotState visible(const char *function_name, int job_id) {
	std::optional<SlotState> s = slot::find(function_name, job_id);
	if (!s || !may_see(s->owner_id))
		no_such_job(job_id);
	return *s;
}

bool finished(int job_id) {
	std::optional<SlotState> s = slot::find("pgclone.cancel", job_id);
	return !s || is_finished(s->status);
}

} // namespace

bool cancel_job(int job_id) {
	SlotState job = visible("pgclone.cancel", job_id);
	// A pool worker or the coordinator is part of its parent's clone: the
	// clone is cancelled as a whole.
	int target = job_id;
	if (job.parent_id > 0) {
		std::optional<SlotState> parent = slot::find("pgclone.cancel", job.parent_id);
		if (parent && !is_finished(parent->status)) {
			pg::notice("pgclone: job " + std::to_string(job_id) + " is a " + kind_name(job.kind) + " of job " +
			           std::to_string(job.parent_id) + "; cancelling job " + std::to_string(job.parent_id));
			target = job.parent_id;
		}
	}
	// SIGINT cancels the statement the worker runs: the job's transaction
	// aborts, nothing of the table in flight is kept, and the worker
	// reports "cancelled". Waited for, so that the job's status is final
	// when cancel() returns.
	if (!slot::request_cancel(target, SIGINT))
		return false;
	for (int i = 0; i < 100 && !finished(target); i++)
		wait_tick(100);
	if (!finished(target)) {
		// Not interruptible for 10 s: terminate the worker (its exit
		// callback still reports the job cancelled).
		slot::request_cancel(target, SIGTERM);
		for (int i = 0; i < 50 && !finished(target); i++)
			wait_tick(100);
		if (!finished(target))
			pg::warning("pgclone: job " + std::to_string(target) + " has not stopped yet",
			            "Its worker was asked to stop 15 seconds ago.");
	}
	return true;
}

int resume_job(int job_id) {
	SlotState b = visible("pgclone.resume", job_id);
	using core::sqlstate::object_not_in_prerequisite_state;
	if (b.kind != kind_table && b.kind != kind_schema)
		throw core::Error("job " + std::to_string(job_id) + " is a " + kind_name(b.kind) + " of job " +
		                      std::to_string(b.parent_id) + " and cannot be resumed on its own",
		                  core::sqlstate::invalid_parameter_value, "",
		                  "Resume job " + std::to_string(b.parent_id) + ".");
	if (b.status == status_completed)
		throw core::Error("job " + std::to_string(job_id) + " completed; there is nothing to resume",
		                  object_not_in_prerequisite_state);
	if (!is_finished(b.status))
		throw core::Error("job " + std::to_string(job_id) + " is still " + status_name(b.status),
		                  object_not_in_prerequisite_state, "", "Only a failed or cancelled job can be resumed.");

	// Everything the new job needs, including the private conninfo.
	std::unique_ptr<ResumableJob> p = slot::read_resumable(job_id);
	if (!p)
		no_such_job(job_id);
	// A resumed job runs where and as whom the job ran: another database
	// would get the tables the job skips as already done; another role would
	// run the job's source objects with that role's privileges.
	if (!p->same_database)
		throw core::Error("job " + std::to_string(job_id) + " ran in another database",
		                  object_not_in_prerequisite_state, "",
		                  "Connect to the database the job cloned into and resume it there.");
	if (!p->same_role)
		throw core::Error("job " + std::to_string(job_id) + " belongs to another role",
		                  core::sqlstate::insufficient_privilege, "A job is resumed as the role that started it.",
		                  "SET ROLE to the job's role (see pgclone.jobs_view) and resume it again.");
	if (p->state.restored)
		throw core::Error(
		    "job " + std::to_string(job_id) + " cannot be resumed: it ran before the server restarted",
		    object_not_in_prerequisite_state,
		    "The job table is kept across a restart without the jobs' connection strings and options, which are never written to disk.",
		    "Start the clone again with pgclone.schema_async() or pgclone.table_async(); for a schema, {\"conflict\": \"skip\"} keeps the tables that exist.");
	if (p->state.tables_overflow)
		throw core::Error("job " + std::to_string(job_id) +
		                      " cannot be resumed: it did not record which tables it completed",
		                  object_not_in_prerequisite_state, "Its table list did not fit in its shared-memory slot.",
		                  "Run the clone again with {\"conflict\": \"skip\"} to keep the tables that exist.");

	NewJob j;
	j.kind = p->state.kind;
	j.resumed_from = job_id;
	j.conninfo = std::move(p->conninfo);
	j.options = std::move(p->options);
	j.schema = p->state.schema_name;
	j.include_data = p->state.include_data;
	if (j.kind == kind_table) {
		j.table = p->state.table_name;
		j.target = p->state.target_name;
	} else {
		// The tables the job (or the job it resumed) committed.
		std::vector<core::JobTable> done;
		for (auto &e : core::unpack_job_tables(p->tables))
			if (e.state == core::job_table_state::done || e.state == core::job_table_state::earlier) {
				e.state = core::job_table_state::earlier;
				done.push_back(e);
			}
		j.tables = core::pack_job_tables(done, tables_capacity).value_or("");
	}
	return launch(j);
}

int clear_jobs() {
	// Which finished jobs the role may clear is decided outside the lock
	// (has_privs_of_role reads the catalog); a slot is cleared only if it
	// still holds the same finished job.
	std::vector<int> ids;
	for (const auto &j : read_jobs("pgclone.clear_jobs", 0))
		if (j.status == "completed" || j.status == "failed" || j.status == "cancelled")
			ids.push_back(j.job_id);
	return slot::clear_finished(ids);
}

} // namespace pgclone::jobs

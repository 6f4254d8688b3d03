// pgclone.cancel(), pgclone.resume(), pgclone.clear_jobs().
#include <csignal>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/jobs.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/jobs/report.hpp"
#include "pgclone/jobs/slot_access.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::jobs {

namespace {

struct Brief {
	bool found;
	int job_id, parent_id, pid;
	uint8_t kind, status;
	Oid owner;
};

Brief brief(JobTable *t, int job_id) {
	Brief b;
	std::memset(&b, 0, sizeof b);
	Brief *out = &b;
	pg::call([=] {
		LWLockAcquire(t->lock, LW_SHARED);
		int i = find_slot(t, job_id);
		if (i >= 0) {
			JobSlot *s = &t->slots[i];
			out->found = true;
			out->job_id = s->job_id;
			out->parent_id = s->parent_id;
			out->pid = s->pid;
			out->kind = s->kind;
			out->status = s->status;
			out->owner = s->owner_id;
		}
		LWLockRelease(t->lock);
	});
	return b;
}

[[noreturn]] void no_such_job(int job_id) {
	throw core::Error(
	    "job " + std::to_string(job_id) + " does not exist", "42704",
	    "There is no such job, or it belongs to a role whose privileges the current role does not "
	    "have.",
	    "pgclone.jobs() lists the jobs you can see.");
}

// The job, checked to be visible to the current role.
Brief visible(JobTable *t, int job_id) {
	Brief b = brief(t, job_id);
	if (!b.found || !may_see(b.owner))
		no_such_job(job_id);
	return b;
}

// Sets the cancel flag and sends `sig` to the worker. Returns false when
// the job had finished already.
bool signal_job(JobTable *t, int job_id, int sig) {
	bool running = false;
	bool *out = &running;
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		int i = find_slot(t, job_id);
		if (i >= 0 && !is_finished(t->slots[i].status)) {
			JobSlot *s = &t->slots[i];
			*out = true;
			s->cancel_requested = true;
			if (s->pid > 0)
				(void)kill(s->pid, sig);
		}
		LWLockRelease(t->lock);
	});
	return running;
}

bool finished(JobTable *t, int job_id) {
	Brief b = brief(t, job_id);
	return !b.found || is_finished(b.status);
}

} // namespace

bool cancel_job(int job_id) {
	JobTable *t = require_job_table("pgclone.cancel");
	Brief b = visible(t, job_id);
	// A pool worker or the coordinator is part of its parent's clone: the
	// clone is cancelled as a whole.
	if (b.parent_id > 0) {
		Brief parent = brief(t, b.parent_id);
		if (parent.found && !is_finished(parent.status)) {
			pg::notice("pgclone: job " + std::to_string(job_id) + " is a " + kind_name(b.kind) + " of job " +
			           std::to_string(b.parent_id) + "; cancelling job " + std::to_string(b.parent_id));
			b = parent;
		}
	}
	// SIGINT cancels the statement the worker runs: the job's transaction
	// aborts, nothing of the table in flight is kept, and the worker
	// reports "cancelled". Waited for, so that the job's status is final
	// when cancel() returns.
	if (!signal_job(t, b.job_id, SIGINT))
		return false;
	for (int i = 0; i < 100 && !finished(t, b.job_id); i++)
		wait_tick(100);
	if (!finished(t, b.job_id)) {
		// Not interruptible for 10 s: terminate the worker (its exit
		// callback still reports the job cancelled).
		signal_job(t, b.job_id, SIGTERM);
		for (int i = 0; i < 50 && !finished(t, b.job_id); i++)
			wait_tick(100);
		if (!finished(t, b.job_id))
			pg::warning("pgclone: job " + std::to_string(b.job_id) + " has not stopped yet",
			            "Its worker was asked to stop 15 seconds ago.");
	}
	return true;
}

int resume_job(int job_id) {
	JobTable *t = require_job_table("pgclone.resume");
	Brief b = visible(t, job_id);
	if (b.kind != kind_table && b.kind != kind_schema)
		throw core::Error("job " + std::to_string(job_id) + " is a " + kind_name(b.kind) + " of job " +
		                      std::to_string(b.parent_id) + " and cannot be resumed on its own",
		                  core::sqlstate::invalid_parameter_value, "",
		                  "Resume job " + std::to_string(b.parent_id) + ".");
	if (b.status == status_completed)
		throw core::Error("job " + std::to_string(job_id) + " completed; there is nothing to resume",
		                  "55000");
	if (!is_finished(b.status))
		throw core::Error("job " + std::to_string(job_id) + " is still " + status_name(b.status), "55000", "",
		                  "Only a failed or cancelled job can be resumed.");

	// Everything the new job needs, including the private conninfo, copied
	// under the lock.
	struct Plain {
		bool found, include_data, overflow, restored, same_database, same_role;
		uint8_t kind;
		char schema[NAMEDATALEN], table[NAMEDATALEN], target[NAMEDATALEN];
		char conninfo[conninfo_capacity];
		char options[options_capacity];
		int used;
		char tables[tables_capacity];
	};
	auto copy = std::make_unique<Plain>();
	Plain *p = copy.get();
	std::memset(static_cast<void *>(p), 0, sizeof *p);
	pg::call([=] {
		LWLockAcquire(t->lock, LW_SHARED);
		int i = find_slot(t, job_id);
		if (i >= 0) {
			JobSlot *s = &t->slots[i];
			p->found = true;
			p->include_data = s->include_data;
			p->overflow = s->tables_overflow;
			p->restored = s->restored;
			p->kind = s->kind;
			std::memcpy(p->schema, s->schema_name, NAMEDATALEN);
			std::memcpy(p->table, s->table_name, NAMEDATALEN);
			std::memcpy(p->target, s->target_name, NAMEDATALEN);
			std::memcpy(p->conninfo, s->conninfo, conninfo_capacity);
			std::memcpy(p->options, s->options, options_capacity);
			p->same_database = s->database_id == MyDatabaseId;
			p->same_role = s->owner_id == GetUserId();
			// A slot restored from disk after a restart is not trusted to be
			// whole: its table list is not copied (it cannot be resumed).
			int used = p->restored ? 0 : s->tables_used;
			p->used = used < 0 ? 0 : (used > (int)tables_capacity ? (int)tables_capacity : used);
			std::memcpy(p->tables, s->tables, p->used);
		}
		LWLockRelease(t->lock);
	});
	if (!p->found)
		no_such_job(job_id);
	// A resumed job runs where and as whom the job ran: another database
	// would get the tables the job skips as already done; another role would
	// run the job's source objects with that role's privileges.
	if (!p->same_database)
		throw core::Error("job " + std::to_string(job_id) + " ran in another database", "55000", "",
		                  "Connect to the database the job cloned into and resume it there.");
	if (!p->same_role)
		throw core::Error("job " + std::to_string(job_id) + " belongs to another role",
		                  core::sqlstate::insufficient_privilege,
		                  "A job is resumed as the role that started it.",
		                  "SET ROLE to the job's role (see pgclone.jobs_view) and resume it again.");
	if (p->restored)
		throw core::Error(
		    "job " + std::to_string(job_id) + " cannot be resumed: it ran before the server restarted",
		    "55000",
		    "The job table is kept across a restart without the jobs' connection strings and "
		    "options, which are never written to disk.",
		    "Start the clone again with pgclone.schema_async() or pgclone.table_async(); for a schema, "
		    "{\"conflict\": \"skip\"} keeps the tables that exist.");
	if (p->overflow)
		throw core::Error("job " + std::to_string(job_id) +
		                      " cannot be resumed: it did not record which tables it "
		                      "completed",
		                  "55000", "Its table list did not fit in its shared-memory slot.",
		                  "Run the clone again with {\"conflict\": \"skip\"} to keep the tables that exist.");

	NewJob j;
	j.kind = p->kind;
	j.resumed_from = job_id;
	j.conninfo = p->conninfo;
	j.options = p->options;
	j.schema = p->schema;
	j.include_data = p->include_data;
	if (p->kind == kind_table) {
		j.table = p->table;
		j.target = p->target;
	} else {
		// The tables the job (or the job it resumed) committed.
		std::vector<core::JobTable> done;
		for (auto &e : core::unpack_job_tables(std::string_view(p->tables, p->used)))
			if (e.state == core::job_table_state::done || e.state == core::job_table_state::earlier) {
				e.state = core::job_table_state::earlier;
				done.push_back(e);
			}
		j.tables = core::pack_job_tables(done, tables_capacity).value_or("");
	}
	std::memset(static_cast<void *>(p), 0, sizeof *p);

	return launch(j);
}

int clear_jobs() {
	JobTable *t = require_job_table("pgclone.clear_jobs");
	// Which finished jobs the role may clear is decided outside the lock
	// (has_privs_of_role reads the catalog); a slot is cleared only if it
	// still holds the same finished job.
	std::vector<core::JobRecord> jobs = read_jobs("pgclone.clear_jobs", 0);
	std::vector<int> ids;
	for (const auto &j : jobs)
		if (j.status == "completed" || j.status == "failed" || j.status == "cancelled")
			ids.push_back(j.job_id);
	int cleared = 0;
	int *count = &cleared;
	const int *list = ids.data();
	int n = static_cast<int>(ids.size());
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		for (int k = 0; k < n; k++) {
			int i = find_slot(t, list[k]);
			if (i >= 0 && is_finished(t->slots[i].status)) {
				clear_slot(&t->slots[i]);
				(*count)++;
			}
		}
		LWLockRelease(t->lock);
	});
	return cleared;
}

} // namespace pgclone::jobs

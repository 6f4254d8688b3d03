// Job slots and their background workers.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

constexpr const char *worker_function = "pgclone_job_main";

void check_fits(const std::string &value, int capacity, const char *what, const char *hint) {
	if (value.size() >= static_cast<std::size_t>(capacity))
		throw core::Error(std::string(what) + " is too long for an async job (" +
		                      std::to_string(value.size()) + " bytes; the limit is " +
		                      std::to_string(capacity - 1) + ")",
		                  "54000", "Async jobs keep it in a fixed-size slot of shared memory.", hint);
}

} // namespace

Launched create_job(const NewJob &job) {
	check_fits(job.conninfo, conninfo_capacity, "the connection string", "");
	check_fits(job.options, options_capacity, "the options text",
	           "Clone the tables that need long options with pgclone.schema() or pgclone.table().");
	if (job.tables.size() > static_cast<std::size_t>(tables_capacity))
		throw core::Error("the table list is too long for an async job", "54000");
	JobTable *t = job_table();
	Oid owner = pg::call([] { return GetUserId(); });
	Oid database = pg::call([] { return MyDatabaseId; });
	struct Plain {
		int index, job_id;
	} plain = {-1, 0};
	Plain *out = &plain;
	const NewJob *j = &job;
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		int i = take_free_slot(t);
		if (i >= 0) {
			JobSlot *s = &t->slots[i];
			clear_slot(s);
			s->job_id = t->next_job_id++;
			s->parent_id = j->parent_id;
			s->resumed_from = j->resumed_from;
			s->worker_number = j->worker_number;
			s->kind = j->kind;
			s->status = status_pending;
			s->include_data = j->include_data;
			s->tables_total = j->kind == kind_table ? 1 : 0;
			s->owner_id = owner;
			s->database_id = database;
			s->start_time = GetCurrentTimestamp();
			copy_text(s->schema_name, NAMEDATALEN, j->schema.c_str());
			copy_text(s->table_name, NAMEDATALEN, j->table.c_str());
			copy_text(s->target_name, NAMEDATALEN, j->target.c_str());
			copy_text(s->phase, phase_capacity, "waiting for a background worker");
			copy_text(s->conninfo, conninfo_capacity, j->conninfo.c_str());
			copy_text(s->options, options_capacity, j->options.c_str());
			std::memcpy(s->tables, j->tables.data(), j->tables.size());
			s->tables_used = static_cast<int>(j->tables.size());
			s->tables_overflow = j->tables_overflow;
			out->index = i;
			out->job_id = s->job_id;
		}
		LWLockRelease(t->lock);
	});
	if (plain.index < 0)
		throw core::Error(
		    "all " + std::to_string(t->nslots) + " pgclone job slots are in use", "53400",
		    "Every slot holds a pending or running job, or a failed or cancelled one kept for "
		    "pgclone.resume(). Completed jobs are recycled automatically.",
		    "Remove finished jobs with pgclone.clear_jobs(), or raise pgclone.max_jobs (needs a "
		    "restart).");
	return {plain.index, plain.job_id};
}

void drop_job(const Launched &job) {
	JobTable *t = job_table();
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		JobSlot *s = &t->slots[job.index];
		if (s->job_id == job.job_id)
			clear_slot(s);
		LWLockRelease(t->lock);
	});
}

namespace {

enum StartResult { start_ok, start_unregistered, start_not_started, start_postmaster_died };

// PG regime. Registers the worker (BGW_NEVER_RESTART: a job that fails is
// reported, not retried) and waits for the postmaster to start it.
StartResult register_and_wait(int index, int job_id, uint8_t kind, int worker_number, int parent_id) {
	BackgroundWorker w;
	std::memset(&w, 0, sizeof w);
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "pgclone");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "%s", worker_function);
	if (kind == kind_pool_worker)
		snprintf(w.bgw_name, BGW_MAXLEN, "pgclone job %d (pool worker %d of job %d)", job_id, worker_number,
		         parent_id);
	else if (kind == kind_coordinator)
		snprintf(w.bgw_name, BGW_MAXLEN, "pgclone job %d (snapshot coordinator of job %d)", job_id,
		         parent_id);
	else
		snprintf(w.bgw_name, BGW_MAXLEN, "pgclone job %d", job_id);
	snprintf(w.bgw_type, BGW_MAXLEN, "pgclone job");
	w.bgw_main_arg = Int32GetDatum(index);
	std::memcpy(w.bgw_extra, &job_id, sizeof job_id);
	w.bgw_notify_pid = MyProcPid;
	BackgroundWorkerHandle *handle = NULL;
	if (!RegisterDynamicBackgroundWorker(&w, &handle))
		return start_unregistered;
	pid_t pid = 0;
	BgwHandleStatus st = WaitForBackgroundWorkerStartup(handle, &pid);
	pfree(handle);
	if (st == BGWH_POSTMASTER_DIED)
		return start_postmaster_died;
	return st == BGWH_STARTED ? start_ok : start_not_started;
}

// The caller was interrupted (statement_timeout, a query cancel) while the
// worker was being registered or started: it gets an ERROR and no job id,
// so no job may run on. A worker that has not claimed the slot yet finds
// another job id there and exits without running; one that already runs is
// cancelled like pgclone.cancel() does.
void abandon_job(const Launched &job) {
	JobTable *t = job_table();
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		JobSlot *s = &t->slots[job.index];
		if (s->job_id == job.job_id) {
			if (s->status == status_pending) {
				clear_slot(s);
			} else if (!is_finished(s->status)) {
				s->cancel_requested = true;
				if (s->pid > 0)
					(void)kill(s->pid, SIGINT);
			}
		}
		LWLockRelease(t->lock);
	});
}

} // namespace

bool start_worker(const Launched &job, std::string *why) {
	JobTable *t = job_table();
	struct Plain {
		uint8_t kind, status;
		int worker_number, parent_id;
	} plain = {0, 0, 0, 0};
	Plain *p = &plain;
	pg::call([=] {
		LWLockAcquire(t->lock, LW_SHARED);
		JobSlot *s = &t->slots[job.index];
		p->kind = s->kind;
		p->worker_number = s->worker_number;
		p->parent_id = s->parent_id;
		LWLockRelease(t->lock);
	});
	// WaitForBackgroundWorkerStartup checks for interrupts: an ERROR there
	// comes after the worker was registered.
	StartResult r = start_ok;
	try {
		r = pg::call([=] {
			return register_and_wait(job.index, job.job_id, p->kind, p->worker_number, p->parent_id);
		});
	} catch (...) {
		abandon_job(job);
		throw;
	}
	// A worker that started may also have finished already; one that did
	// not start leaves the slot pending.
	pg::call([=] {
		LWLockAcquire(t->lock, LW_SHARED);
		JobSlot *s = &t->slots[job.index];
		p->status = s->job_id == job.job_id ? s->status : static_cast<uint8_t>(status_completed);
		LWLockRelease(t->lock);
	});
	if (r == start_ok || plain.status != status_pending)
		return true;
	std::string reason;
	if (r == start_unregistered) {
		int max_workers = pg::call([] { return max_worker_processes; });
		reason =
		    "no background worker slot is free (max_worker_processes = " + std::to_string(max_workers) + ")";
	} else if (r == start_postmaster_died) {
		reason = "the postmaster died";
	} else {
		reason = "the postmaster could not start the background worker (see the server log)";
	}
	const char *text = reason.c_str();
	pg::call([=] {
		LWLockAcquire(t->lock, LW_EXCLUSIVE);
		JobSlot *s = &t->slots[job.index];
		if (s->job_id == job.job_id && s->status == status_pending) {
			s->status = status_failed;
			s->end_time = GetCurrentTimestamp();
			copy_text(s->error_message, message_capacity, text);
			copy_text(s->phase, phase_capacity, "not started");
		}
		LWLockRelease(t->lock);
	});
	if (why)
		*why = reason;
	return false;
}

namespace {

// Jobs a SQL session started in its current transaction. A job belongs to
// the transaction that submitted it: if that transaction aborts (an error
// after pgclone.table_async() returned, a statement_timeout, a ROLLBACK),
// the caller never got a job id it could keep, so the job is withdrawn if it
// is still pending and cancelled if it already runs. Plain C data: read by
// the transaction callback.
struct SubmittedJob {
	int index;
	int job_id;
};
constexpr int max_submitted = 64;
SubmittedJob submitted[max_submitted];
int n_submitted = 0;
bool callback_registered = false;

// PG regime, transaction callback. May not throw or ereport.
void on_submitter_xact_end(XactEvent event, void *) {
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
		JobTable *t = job_table();
		if (t)
			for (int i = 0; i < n_submitted; i++) {
				LWLockAcquire(t->lock, LW_EXCLUSIVE);
				JobSlot *s = &t->slots[submitted[i].index];
				if (s->job_id == submitted[i].job_id) {
					if (s->status == status_pending) {
						clear_slot(s);
					} else if (!is_finished(s->status)) {
						s->cancel_requested = true;
						if (s->pid > 0)
							(void)kill(s->pid, SIGINT);
					}
				}
				LWLockRelease(t->lock);
			}
	}
	if (event != XACT_EVENT_PRE_COMMIT && event != XACT_EVENT_PARALLEL_PRE_COMMIT &&
	    event != XACT_EVENT_PRE_PREPARE)
		n_submitted = 0;
}

// Only SQL sessions: a job's own children (pool workers, the coordinator)
// are managed by the job itself.
void remember_submitted(const Launched &l) {
	bool regular = pg::call([] { return MyBackendType == B_BACKEND; });
	if (!regular)
		return;
	if (!callback_registered) {
		pg::call([] { RegisterXactCallback(on_submitter_xact_end, NULL); });
		callback_registered = true;
	}
	if (n_submitted < max_submitted)
		submitted[n_submitted++] = {l.index, l.job_id};
}

} // namespace

int launch(const NewJob &job) {
	Launched l = create_job(job);
	remember_submitted(l);
	std::string why;
	if (!start_worker(l, &why)) {
		drop_job(l);
		throw core::Error("could not start a background worker for the job: " + why, "53000", "",
		                  "Raise max_worker_processes (needs a restart), or wait until running jobs and "
		                  "parallel queries finish.");
	}
	return l.job_id;
}

} // namespace pgclone::jobs

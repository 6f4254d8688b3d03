// Starting the background worker of a job slot, and withdrawing the jobs
// of a submitting transaction that aborts.
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

constexpr const char *worker_function = "pgclone_job_main";

} // namespace

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

} // namespace

bool start_worker(const Launched &job, std::string *why) {
	std::optional<SlotState> s = slot::find("pgclone job", job.job_id);
	if (!s)
		return true; // withdrawn meanwhile: nothing to start
	uint8_t kind = s->kind;
	int worker_number = s->worker_number, parent_id = s->parent_id;
	// WaitForBackgroundWorkerStartup checks for interrupts: an ERROR there
	// comes after the worker was registered. The caller gets an ERROR and
	// no job id, so no job may run on: a worker that has not claimed the
	// slot yet finds it free and exits; one that runs is cancelled.
	StartResult r = start_ok;
	try {
		r = pg::call([=] { return register_and_wait(job.index, job.job_id, kind, worker_number, parent_id); });
	} catch (...) {
		slot::withdraw(job);
		throw;
	}
	// A worker that started may also have finished already; one that did
	// not start leaves the slot pending.
	if (r == start_ok || slot::status_of(job) != status_pending)
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
	if (!slot::not_started(job, reason))
		return true;
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
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		for (int i = 0; i < n_submitted; i++)
			slot::withdraw_pg(submitted[i].index, submitted[i].job_id);
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
	Launched l = slot::create(job);
	remember_submitted(l);
	std::string why;
	if (!start_worker(l, &why)) {
		slot::drop(l);
		throw core::Error("could not start a background worker for the job: " + why,
		                  core::sqlstate::insufficient_resources, "",
		                  "Raise max_worker_processes (needs a restart), or wait until running jobs and parallel queries finish.");
	}
	return l.job_id;
}

} // namespace pgclone::jobs

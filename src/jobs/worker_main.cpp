// The background worker of a job: the extern "C" main that the postmaster
// calls, and the before_shmem_exit callback that settles the job's slot
// whatever way the worker ends. PG regime throughout: only plain locals;
// the C++ work happens in run_job (src/jobs/runner.cpp), which never throws.
#include <csignal>
#include <cstring>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/runner.hpp"

namespace pgclone::jobs {

namespace {

// This worker's slot and job (set before the callback is registered).
int my_index = -1;
int my_job_id = 0;

// PG regime, lock held: a pool worker or coordinator that ends badly tells
// its parent (the parent may not find the child's slot any more once
// pgclone.clear_jobs() removed it).
void report_to_parent(JobTable *t, JobSlot *s) {
	if (s->parent_id <= 0 || s->status == status_completed)
		return;
	int p = find_slot(t, s->parent_id);
	if (p < 0)
		return;
	JobSlot *parent = &t->slots[p];
	// Workers that have not imported the snapshot yet must not wait for it.
	if (s->kind == kind_coordinator)
		parent->snapshot_failed = true;
	if (parent->failed_child_id == 0) {
		// Room for the whole text: copy_text then cuts it at a character
		// boundary.
		char text[message_capacity + 64];
		parent->failed_child_id = s->job_id;
		if (s->status == status_cancelled)
			snprintf(text, sizeof text, "%s job %d was cancelled", kind_name(s->kind), s->job_id);
		else
			snprintf(text, sizeof text, "%s job %d failed: %s", kind_name(s->kind), s->job_id,
			         s->error_message);
		copy_text(parent->child_error, message_capacity, text);
	}
}

// PG regime, lock held. The live counters fall back to what was committed.
void settle(JobSlot *s) {
	pg_atomic_write_u64(&s->rows_copied, s->rows_committed);
	pg_atomic_write_u64(&s->bytes_copied, s->bytes_committed);
	pg_atomic_write_u64(&s->current_rows, 0);
	s->end_time = GetCurrentTimestamp();
	s->pid = 0;
}

// PG regime, lock held: a schema job that ends stops its pool.
void stop_children(JobTable *t, JobSlot *parent) {
	for (int i = 0; i < t->nslots; i++) {
		JobSlot *c = &t->slots[i];
		if (c->job_id == 0 || c->parent_id != parent->job_id || is_finished(c->status))
			continue;
		c->cancel_requested = true;
		if (c->pid > 0)
			(void)kill(c->pid, SIGINT);
	}
}

// before_shmem_exit callback. Registered before the worker connects, so it
// runs after PostgreSQL's own (ShutdownPostgres): the job's open
// transaction has been rolled back by then. Settles a slot the worker did
// not get to settle: FATAL (SIGTERM from pgclone.cancel of a stuck worker,
// pg_terminate_backend, a server shutdown), or a failure to connect.
void on_worker_exit(int code, Datum arg) {
	JobTable *t = job_table();
	if (!t || my_index < 0)
		return;
	LWLockReleaseAll();
	LWLockAcquire(t->lock, LW_EXCLUSIVE);
	JobSlot *s = &t->slots[my_index];
	if (s->job_id == my_job_id && !is_finished(s->status)) {
		if (s->cancel_requested) {
			s->status = status_cancelled;
			copy_text(s->phase, phase_capacity, "cancelled");
		} else {
			s->status = status_failed;
			copy_text(s->error_message, message_capacity,
			          s->connecting
			              ? "the background worker could not connect to the target database (see the "
			                "server log)"
			              : "the background worker was terminated before the job finished "
			                "(pg_terminate_backend() or a server shutdown); its open transaction was "
			                "rolled back");
			copy_text(s->phase, phase_capacity, "terminated");
		}
		settle(s);
		report_to_parent(t, s);
		if (s->kind == kind_schema)
			stop_children(t, s);
	}
	LWLockRelease(t->lock);
}

// PG regime: the job's outcome into its slot. Returns the final status.
uint8_t finish(bool ok, const RunFailure *failure) {
	uint8_t status = status_failed;
	JobTable *t = job_table();
	LWLockAcquire(t->lock, LW_EXCLUSIVE);
	JobSlot *s = &t->slots[my_index];
	if (s->job_id == my_job_id && !is_finished(s->status)) {
		if (ok) {
			s->status = status_completed;
			copy_text(s->phase, phase_capacity, "done");
			s->current_table[0] = '\0';
		} else if (s->cancel_requested) {
			s->status = status_cancelled;
			copy_text(s->phase, phase_capacity, "cancelled");
		} else {
			s->status = status_failed;
			copy_text(s->phase, phase_capacity, "failed");
			char text[3 * message_capacity + 32];
			snprintf(text, sizeof text, "%s%s%s%s%s", failure->message,
			         failure->detail[0] ? "\nDETAIL:  " : "", failure->detail,
			         failure->hint[0] ? "\nHINT:  " : "", failure->hint);
			copy_text(s->error_message, message_capacity, text);
		}
		settle(s);
		report_to_parent(t, s);
		if (s->kind == kind_schema)
			stop_children(t, s);
		status = s->status;
	}
	LWLockRelease(t->lock);
	return status;
}

} // namespace

} // namespace pgclone::jobs

extern "C" {

PGDLLEXPORT void pgclone_job_main(Datum main_arg);

// The background worker's main. PG regime.
void pgclone_job_main(Datum main_arg) {
	using namespace pgclone::jobs;
	int index = DatumGetInt32(main_arg);
	int job_id = 0;
	std::memcpy(&job_id, MyBgworkerEntry->bgw_extra, sizeof job_id);

	// SIGTERM sets the die flag that the next CHECK_FOR_INTERRUPTS turns
	// into FATAL (the default bgworker handler exits from inside the signal
	// handler). SIGINT, pgclone.cancel()'s signal, cancels the current
	// statement: an ERROR that unwinds the job and aborts its transaction.
	pqsignal(SIGTERM, die);
	pqsignal(SIGINT, StatementCancelHandler);
	BackgroundWorkerUnblockSignals();

	JobTable *t = job_table();
	if (!t || index < 0 || index >= t->nslots)
		proc_exit(1);
	my_index = index;
	my_job_id = job_id;
	before_shmem_exit(on_worker_exit, 0);

	Oid database = InvalidOid, role = InvalidOid;
	bool run = false;
	LWLockAcquire(t->lock, LW_EXCLUSIVE);
	JobSlot *s = &t->slots[index];
	if (s->job_id == job_id && s->status == status_pending) {
		if (s->cancel_requested) {
			s->status = status_cancelled;
			copy_text(s->phase, phase_capacity, "cancelled");
			settle(s);
		} else {
			run = true;
			s->status = status_running;
			s->pid = MyProcPid;
			s->connecting = true;
			copy_text(s->phase, phase_capacity, "connecting");
			database = s->database_id;
			role = s->owner_id;
		}
	}
	LWLockRelease(t->lock);
	if (!run) {
		my_index = -1;
		proc_exit(0);
	}

	// As the role that started the job: its privileges, nothing more.
	BackgroundWorkerInitializeConnectionByOid(database, role, 0);
	LWLockAcquire(t->lock, LW_EXCLUSIVE);
	s->connecting = false;
	LWLockRelease(t->lock);

	static RunFailure failure;
	std::memset(&failure, 0, sizeof failure);
	bool ok = run_job(index, &failure);
	// The C++ frames are gone; the transaction the job was in (if any) is
	// rolled back here, which also releases its locks, SPI and snapshots,
	// and closes source connections left registered.
	if (!ok)
		AbortCurrentTransaction();
	uint8_t status = finish(ok, &failure);
	// The server log gets the reason (passwords were removed from it).
	if (status == status_failed)
		ereport(WARNING, (errmsg("pgclone: job %d failed: %s", job_id, failure.message),
		                  failure.detail[0] ? errdetail_internal("%s", failure.detail) : 0,
		                  failure.hint[0] ? errhint("%s", failure.hint) : 0));
	else if (status == status_cancelled)
		ereport(LOG, (errmsg("pgclone: job %d cancelled", job_id)));
	proc_exit(0);
}
}

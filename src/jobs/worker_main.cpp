// The background worker of a job: the extern "C" main that the postmaster
// calls, and the before_shmem_exit callback that settles the job's slot
// whatever way the worker ends. PG regime throughout: only plain locals;
// the C++ work happens in run_job (src/jobs/runner.cpp), which never throws.
#include <csignal>
#include <cstdio>
#include <cstring>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/runner.hpp"
#include "pgclone/jobs/slot.hpp"

namespace pgclone::jobs {

namespace {

// This worker's slot and job (set before the callback is registered).
int my_index = -1;
int my_job_id = 0;

// Whether this worker's WARNINGs are kept with its job.
bool keep_messages = false;
emit_log_hook_type prev_emit_log_hook = nullptr;

// emit_log_hook of a job's worker: a WARNING is also kept with the job
// (pgclone.job_messages()), its password removed.
void keep_warning(ErrorData *edata) {
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
	if (!keep_messages || my_index < 0 || edata->elevel != WARNING || !edata->message)
		return;
	char text[2 * message_capacity];
	snprintf(text, sizeof text, "%s%s%s", edata->message, edata->detail ? "\nDETAIL:  " : "",
	         edata->detail ? edata->detail : "");
	char clean[2 * message_capacity];
	if (scrub_job_text(text, clean, sizeof clean))
		slot::add_message_pg(my_index, my_job_id, "WARNING", clean);
}

// Every message of the worker names its job (a CONTEXT line in the server
// log), so that log lines can be told apart by job.
void job_context(void *) {
	errcontext("pgclone job %d", my_job_id);
}

// before_shmem_exit callback. Registered before the worker connects, so it
// runs after PostgreSQL's own (ShutdownPostgres): the job's open
// transaction has been rolled back by then. Settles a slot the worker did
// not get to settle: FATAL (SIGTERM from pgclone.cancel of a stuck worker,
// pg_terminate_backend, a server shutdown), or a failure to connect.
void on_worker_exit(int, Datum) {
	if (my_index < 0)
		return;
	LWLockReleaseAll();
	slot::exit_pg(my_index, my_job_id);
}

// The job's outcome into its slot. Returns the final status.
uint8_t finish(bool ok, const RunFailure *failure) {
	char text[3 * message_capacity + 32];
	text[0] = '\0';
	if (!ok)
		snprintf(text, sizeof text, "%s%s%s%s%s", failure->message, failure->detail[0] ? "\nDETAIL:  " : "",
		         failure->detail, failure->hint[0] ? "\nHINT:  " : "", failure->hint);
	return slot::finish_pg(my_index, my_job_id, ok, text);
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
	ErrorContextCallback context;
	context.callback = job_context;
	context.arg = NULL;
	context.previous = error_context_stack;
	error_context_stack = &context;
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = keep_warning;

	Oid database = InvalidOid, role = InvalidOid;
	if (slot::claim_pg(index, job_id, &database, &role) != slot::Claim::run) {
		my_index = -1;
		proc_exit(0);
	}

	// As the role that started the job: its privileges, nothing more.
	BackgroundWorkerInitializeConnectionByOid(database, role, 0);
	slot::connected_pg(index);

	static RunFailure failure;
	std::memset(&failure, 0, sizeof failure);
	keep_messages = true;
	bool ok = run_job(index, &failure);
	keep_messages = false;
	// The C++ frames are gone; the transaction the job was in (if any) is
	// rolled back here, which also releases its locks, SPI and snapshots,
	// and closes source connections left registered.
	if (!ok)
		AbortCurrentTransaction();
	uint8_t status = finish(ok, &failure);
	if (status != status_free)
		record_outcome(index, job_id);
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

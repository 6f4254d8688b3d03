// The C++ side of a job's background worker. The worker's extern "C" main
// (src/jobs/worker_main.cpp, PG regime) calls run_job once it is connected;
// run_job catches everything, so no exception ever reaches PostgreSQL.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include "pgclone/jobs/job_table.hpp"

namespace pgclone::jobs {

// Why a job failed, copied out of the exception (passwords removed) into
// plain buffers that outlive the aborted transaction.
struct RunFailure {
	char message[message_capacity];
	char detail[message_capacity];
	char hint[message_capacity];
	char sqlstate[6];
};

// C++ regime, never throws. Runs the job of slot `index`: true when it
// completed (every transaction it opened is committed); false with
// *failure filled, possibly inside a transaction that the caller must
// abort.
bool run_job(int index, RunFailure *failure) noexcept;

// After the slot is settled (finish_pg), outside any transaction: the job's
// durable record gets its final status, in a transaction of its own. Never
// throws; a failure is logged as a WARNING (the record then still says
// running, which the job list shows as failed once the worker is gone).
void record_outcome(int index, int job_id) noexcept;

// PG regime: text with the job's secrets (its source password) removed,
// into out (capacity bytes, NUL-terminated). False when that failed (out
// of memory): then the text must not be kept.
bool scrub_job_text(const char *text, char *out, int capacity) noexcept;

// Set while a job's COPY runs: the slot its progress goes to. PG regime
// hook for copy::progress_hook.
void copy_progress(uint64_t bytes_so_far);

} // namespace pgclone::jobs

// Starting a job's background worker. Used by the SQL functions (top-level
// jobs) and by a parallel schema job (its pool workers and snapshot
// coordinator). The slot itself is taken with slot::create.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

#include "pgclone/jobs/slot.hpp"

namespace pgclone::jobs {

// Registers the job's background worker and waits until it has started.
// On failure the slot is marked failed with the reason (and *why set) and
// false is returned. When the wait is interrupted (the ERROR is rethrown),
// the job is first withdrawn: a worker that has not started leaves the slot
// alone, one that runs is cancelled.
bool start_worker(const Launched &job, std::string *why);

// slot::create + start_worker for a job the caller asked for: returns its
// id, or frees the slot and throws core::Error (53000) naming the reason.
// The job belongs to the caller's transaction: if it aborts, the job is
// withdrawn.
int launch(const NewJob &job);

} // namespace pgclone::jobs

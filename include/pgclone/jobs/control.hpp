// Controlling async jobs: pgclone.cancel(), pgclone.resume(),
// pgclone.clear_jobs(). Visibility as in job_list.hpp (may_see).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pgclone::jobs {

// Requests the cancel of a pending or running job (a pool worker or the
// coordinator: of its parent, that is of the whole clone). Returns false
// when the job had already finished.
bool cancel_job(int job_id);

// Starts a new job that re-runs failed or cancelled job job_id, skipping
// the tables it committed, and returns the new job id. Without conninfo it
// takes the job's connection string from its slot (gone after a restart or
// clear_jobs()); with one, the job's record (also of a job from before a
// restart) gives everything else.
int resume_job(int job_id, const std::optional<std::string> &conninfo);

// Removes finished jobs visible to the current role, and the durable
// records of those that cannot be resumed any more (completed, or resumed
// by a later job). Returns how many jobs are listed no more.
int clear_jobs();
// Removes every finished job and record (visible to the current role) that
// ended at least older_than_ms ago, resumable or not.
int clear_jobs_older_than(int64_t older_than_ms);

} // namespace pgclone::jobs

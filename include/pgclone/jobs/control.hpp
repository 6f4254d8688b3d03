// Controlling async jobs: pgclone.cancel(), pgclone.resume(),
// pgclone.clear_jobs(). Visibility as in job_list.hpp (may_see).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

namespace pgclone::jobs {

// Requests the cancel of a pending or running job (a pool worker or the
// coordinator: of its parent, that is of the whole clone). Returns false
// when the job had already finished.
bool cancel_job(int job_id);

// Starts a new job that re-runs failed or cancelled job job_id, skipping
// the tables it committed. Returns the new job id.
int resume_job(int job_id);

// Removes finished jobs visible to the current role. Returns the count.
int clear_jobs();

} // namespace pgclone::jobs

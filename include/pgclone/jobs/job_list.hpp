// Reading the job table for the SQL functions (C++ regime).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <vector>

#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/slot.hpp"

namespace pgclone::jobs {

// Whether the current role may see and control jobs of role `owner`:
// superusers always; others when they have its privileges.
bool may_see(Oid owner);

// Jobs visible to the current role, in job id order; only_job_id > 0: just
// that one (if visible). function_name is named when pgclone is not
// preloaded.
std::vector<core::JobRecord> read_jobs(const char *function_name, int only_job_id);

// core::Error undefined_object: job_id is not a job the current role can see.
[[noreturn]] void no_such_job(int job_id);

// Jobs visible to the current role, in job id order.
std::vector<core::JobRecord> visible_jobs();
// One visible job; core::Error undefined_object when there is none.
core::JobRecord job_record(int job_id);

// pgclone.job_messages(): the WARNINGs kept with a visible job and its
// children.
std::vector<slot::JobMessage> job_messages(int job_id);

} // namespace pgclone::jobs

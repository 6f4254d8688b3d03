// Reading the job table for the SQL functions (C++ regime).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <vector>

#include "pgclone/core/job_format.hpp"

namespace pgclone::jobs {

// Whether the current role may see and control jobs of role `owner`:
// superusers always; others when they have its privileges.
bool may_see(Oid owner);

// Jobs visible to the current role, in job id order; only_job_id > 0: just
// that one (if visible). function_name is named when pgclone is not
// preloaded.
std::vector<core::JobRecord> read_jobs(const char *function_name, int only_job_id);

} // namespace pgclone::jobs

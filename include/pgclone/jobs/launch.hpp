// Creating a job slot and starting its background worker. Used by the SQL
// functions (top-level jobs) and by a parallel schema job (its pool
// workers and snapshot coordinator).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>

namespace pgclone::jobs {

struct NewJob {
	uint8_t kind = 0;
	int parent_id = 0, resumed_from = 0, worker_number = 0;
	// Private (top-level jobs only; children read their parent's).
	std::string conninfo, options;
	std::string schema, table, target;
	bool include_data = true;
	std::string tables; // packed list (pgclone.resume(): what the earlier job completed)
	bool tables_overflow = false;
};

struct Launched {
	int index = -1;
	int job_id = 0;
};

// Takes a slot (pending, owned by the current role, in the current
// database). Throws core::Error when every slot is taken.
Launched create_job(const NewJob &job);

// Registers the job's background worker and waits until it has started.
// On failure the slot is marked failed with the reason (and *why set) and
// false is returned. When the wait is interrupted (the ERROR is rethrown),
// the job is first withdrawn: a worker that has not started leaves the slot
// alone, one that runs is cancelled.
bool start_worker(const Launched &job, std::string *why);

// Frees a slot that never ran (its worker could not be started).
void drop_job(const Launched &job);

// create_job + start_worker for a job the caller asked for: returns its id,
// or frees the slot and throws core::Error (53000) naming the reason.
int launch(const NewJob &job);

} // namespace pgclone::jobs

// Shared memory of pgclone's parts (the async job table, the progress
// board): one pair of server hooks serves them all, so the chaining to the
// hooks of other libraries is written once. A library can only have shared
// memory when it is loaded at server start (shared_preload_libraries).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

namespace pgclone::pg {

struct SharedMemoryUser {
	// Asks for the part's space (RequestAddinShmemSpace) and locks
	// (RequestNamedLWLockTranche).
	void (*request)();
	// Finds or creates the part (ShmemInitStruct). Called with
	// AddinShmemInitLock held, in the postmaster and again in every
	// process that attaches (and after a crash restart).
	void (*startup)();
};

// From _PG_init. Returns false, and registers nothing, when pgclone is not
// being preloaded. PG regime; at most a few users.
bool use_shared_memory(SharedMemoryUser user);

} // namespace pgclone::pg

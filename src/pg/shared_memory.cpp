// The server's shared-memory hooks, installed once for every part of
// pgclone that asked (pgclone/pg/shared_memory.hpp). PG regime throughout.
#include "pgclone/pg/postgres.hpp"

#include "pgclone/pg/shared_memory.hpp"

namespace pgclone::pg {

namespace {

constexpr int max_users = 4;
SharedMemoryUser users[max_users];
int nusers = 0;

shmem_startup_hook_type prev_shmem_startup_hook = nullptr;
#if PG_VERSION_NUM >= 150000
shmem_request_hook_type prev_shmem_request_hook = nullptr;

void shmem_request() {
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	for (int i = 0; i < nusers; i++)
		users[i].request();
}
#endif

void shmem_startup() {
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	for (int i = 0; i < nusers; i++)
		users[i].startup();
	LWLockRelease(AddinShmemInitLock);
}

} // namespace

bool use_shared_memory(SharedMemoryUser user) {
	if (!process_shared_preload_libraries_in_progress)
		return false;
	if (nusers == max_users)
		elog(ERROR, "pgclone: too many users of shared memory");
	if (nusers == 0) {
#if PG_VERSION_NUM >= 150000
		prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = shmem_request;
#endif
		prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = shmem_startup;
	}
	users[nusers++] = user;
#if PG_VERSION_NUM < 150000
	// Before PostgreSQL 15 space is asked for while the library loads.
	user.request();
#endif
	return true;
}

} // namespace pgclone::pg

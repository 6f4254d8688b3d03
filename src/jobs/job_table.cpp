// The shared-memory job table: GUC, shared memory request and startup,
// slot helpers. Everything here is PG regime (plain C data, no exceptions)
// except require_job_table.
#include <cstring>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/jobs/job_table.hpp"

namespace pgclone::jobs {

int max_jobs_setting = 64;

namespace {

constexpr const char *tranche_name = "pgclone_jobs";

JobTable *table = nullptr;
shmem_startup_hook_type prev_shmem_startup_hook = nullptr;
#if PG_VERSION_NUM >= 150000
shmem_request_hook_type prev_shmem_request_hook = nullptr;
#endif

Size table_size() {
	return add_size(offsetof(JobTable, slots), mul_size(sizeof(JobSlot), max_jobs_setting));
}

void request_shmem() {
	RequestAddinShmemSpace(table_size());
	RequestNamedLWLockTranche(tranche_name, 1);
}

#if PG_VERSION_NUM >= 150000
void shmem_request() {
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	request_shmem();
}
#endif

// Runs in the postmaster (and again after a crash restart, when the
// shared memory is created anew: jobs do not survive a crash or restart).
void shmem_startup() {
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	bool found = false;
	table = static_cast<JobTable *>(ShmemInitStruct("pgclone job table", table_size(), &found));
	if (!found) {
		std::memset(static_cast<void *>(table), 0, table_size());
		table->lock = &(GetNamedLWLockTranche(tranche_name))->lock;
		table->nslots = max_jobs_setting;
		table->next_job_id = 1;
		for (int i = 0; i < table->nslots; i++) {
			pg_atomic_init_u64(&table->slots[i].rows_copied, 0);
			pg_atomic_init_u64(&table->slots[i].bytes_copied, 0);
			pg_atomic_init_u64(&table->slots[i].current_rows, 0);
		}
	}
	LWLockRelease(AddinShmemInitLock);
}

} // namespace

const char *status_name(uint8_t status) noexcept {
	switch (status) {
	case status_pending:
		return "pending";
	case status_running:
		return "running";
	case status_completed:
		return "completed";
	case status_failed:
		return "failed";
	case status_cancelled:
		return "cancelled";
	default:
		return "free";
	}
}

const char *kind_name(uint8_t kind) noexcept {
	switch (kind) {
	case kind_table:
		return "table";
	case kind_schema:
		return "schema";
	case kind_pool_worker:
		return "pool_worker";
	case kind_coordinator:
		return "snapshot_coordinator";
	default:
		return "unknown";
	}
}

void init_job_table() {
	DefineCustomIntVariable("pgclone.max_jobs", "Number of slots in the shared-memory table of async jobs.",
	                        "A parallel clone takes one slot for itself, one per pool worker and one for its "
	                        "snapshot coordinator. Needs pgclone in shared_preload_libraries.",
	                        &max_jobs_setting, 64, 4, 1024, PGC_POSTMASTER, 0, NULL, NULL, NULL);
	if (!process_shared_preload_libraries_in_progress)
		return;
#if PG_VERSION_NUM >= 150000
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = shmem_request;
#else
	request_shmem();
#endif
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = shmem_startup;
}

JobTable *job_table() noexcept {
	return table;
}

JobTable *require_job_table(const char *function_name) {
	if (!table)
		throw core::Error(std::string(function_name) + "() needs pgclone in shared_preload_libraries",
		                  "55000",
		                  "Async jobs run in background workers and keep their state in shared memory, which "
		                  "only a library loaded at server start can have.",
		                  "Add pgclone to shared_preload_libraries in postgresql.conf and restart the server.");
	return table;
}

int find_slot(JobTable *t, int job_id) noexcept {
	if (job_id <= 0)
		return -1;
	for (int i = 0; i < t->nslots; i++)
		if (t->slots[i].job_id == job_id)
			return i;
	return -1;
}

void clear_slot(JobSlot *slot) noexcept {
	// The atomics are set, not overwritten by memset (they may be emulated
	// with a spinlock on some platforms).
	pg_atomic_write_u64(&slot->rows_copied, 0);
	pg_atomic_write_u64(&slot->bytes_copied, 0);
	pg_atomic_write_u64(&slot->current_rows, 0);
	char *begin = reinterpret_cast<char *>(slot);
	auto zero = [&](void *from, void *to) {
		std::memset(from, 0, static_cast<char *>(to) - static_cast<char *>(from));
	};
	zero(begin, &slot->rows_copied);
	zero(&slot->rows_committed, &slot->current_rows);
	zero(&slot->current_estimate, begin + sizeof(JobSlot));
}

int take_free_slot(JobTable *t) noexcept {
	int oldest = -1;
	for (int i = 0; i < t->nslots; i++) {
		JobSlot *s = &t->slots[i];
		if (s->job_id == 0)
			return i;
		if (s->status == status_completed && (oldest < 0 || s->job_id < t->slots[oldest].job_id))
			oldest = i;
	}
	if (oldest >= 0)
		clear_slot(&t->slots[oldest]);
	return oldest;
}

void copy_text(char *dst, int capacity, const char *src) noexcept {
	int len = static_cast<int>(std::strlen(src));
	if (len >= capacity)
		len = pg_mbcliplen(src, len, capacity - 1);
	std::memcpy(dst, src, len);
	dst[len] = '\0';
}

} // namespace pgclone::jobs

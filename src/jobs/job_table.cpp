// The shared-memory job table: GUC, shared memory request and startup,
// slot helpers. Everything here is PG regime (plain C data, no exceptions)
// except require_job_table.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/pg/fixed_text.hpp"
#include "pgclone/pg/shared_memory.hpp"

namespace pgclone::jobs {

int max_jobs_setting = 64;

namespace {

constexpr const char *tranche_name = "pgclone_jobs";

JobTable *table = nullptr;

Size table_size() {
	return add_size(offsetof(JobTable, slots), mul_size(sizeof(JobSlot), max_jobs_setting));
}

void request_shmem() {
	RequestAddinShmemSpace(table_size());
	RequestNamedLWLockTranche(tranche_name, 1);
}


// --- keeping the table across a clean restart -----------------------------------

constexpr const char *state_file = "pg_stat/pgclone_jobs.stat";
constexpr const char *state_file_tmp = "pg_stat/pgclone_jobs.stat.tmp";
constexpr uint32 state_magic = 0x504a4231; // "PJB1"

struct StateHeader {
	uint32 magic;
	uint32 slot_size; // sizeof(JobSlot): a file of another build is ignored
	int32 count;
	int32 next_job_id;
};

// --- job ids that survive a crash -------------------------------------------------

// The bound below which job ids may have been handed out, as a decimal
// number. Written (and fsynced) before an id of a new block is used, and at
// a clean shutdown with the exact next id; read when the table is created,
// also after a crash restart, whose shared memory starts empty.
constexpr const char *ids_file = "pg_stat/pgclone_job_ids";
constexpr const char *ids_file_tmp = "pg_stat/pgclone_job_ids.tmp";
constexpr int id_block = 64;

// PG regime, never raises: false (and a LOG line) when the bound could not
// be made durable.
bool write_ids_bound(int bound) noexcept {
	char text[16];
	int len = snprintf(text, sizeof text, "%d\n", bound);
	int fd = OpenTransientFile(ids_file_tmp, O_WRONLY | O_CREAT | O_TRUNC | PG_BINARY);
	if (fd < 0) {
		ereport(LOG, (errcode_for_file_access(), errmsg("could not write file \"%s\": %m", ids_file_tmp)));
		return false;
	}
	bool ok = write(fd, text, len) == len && pg_fsync(fd) == 0;
	if (CloseTransientFile(fd) != 0)
		ok = false;
	if (!ok) {
		ereport(LOG, (errcode_for_file_access(), errmsg("could not write file \"%s\": %m", ids_file_tmp)));
		unlink(ids_file_tmp);
		return false;
	}
	return durable_rename(ids_file_tmp, ids_file, LOG) == 0;
}

// PG regime: the bound on disk, 0 when there is none (a new cluster).
int read_ids_bound() noexcept {
	FILE *f = AllocateFile(ids_file, "r");
	if (!f) {
		if (errno != ENOENT)
			ereport(LOG, (errcode_for_file_access(), errmsg("could not read file \"%s\": %m", ids_file)));
		return 0;
	}
	int bound = 0;
	if (fscanf(f, "%d", &bound) != 1 || bound < 0)
		bound = 0;
	FreeFile(f);
	return bound;
}

// on_shmem_exit of the postmaster (PG regime): every other process has
// exited, so every job is settled. Only after a clean shutdown (code 0).
void save_jobs(int code, Datum) {
	if (code != 0 || !table)
		return;
	// The exact next id: a clean restart goes on without a gap.
	(void)write_ids_bound(table->next_job_id);
	StateHeader h = {state_magic, static_cast<uint32>(sizeof(JobSlot)), 0, table->next_job_id};
	for (int i = 0; i < table->nslots; i++)
		if (table->slots[i].job_id != 0)
			h.count++;
	FILE *f = AllocateFile(state_file_tmp, PG_BINARY_W);
	if (!f) {
		ereport(LOG, (errcode_for_file_access(), errmsg("could not write file \"%s\": %m", state_file_tmp)));
		return;
	}
	bool ok = fwrite(&h, sizeof h, 1, f) == 1;
	JobSlot *copy = static_cast<JobSlot *>(palloc(sizeof(JobSlot)));
	for (int i = 0; ok && i < table->nslots; i++) {
		if (table->slots[i].job_id == 0)
			continue;
		std::memcpy(static_cast<void *>(copy), &table->slots[i], sizeof(JobSlot));
		// Nothing secret goes to disk: not the conninfo (its password), not
		// the options (a pseudonymization key).
		std::memset(copy->conninfo, 0, sizeof copy->conninfo);
		std::memset(copy->options, 0, sizeof copy->options);
		ok = fwrite(copy, sizeof(JobSlot), 1, f) == 1;
	}
	pfree(copy);
	if (FreeFile(f) != 0)
		ok = false;
	if (!ok) {
		ereport(LOG, (errcode_for_file_access(), errmsg("could not write file \"%s\": %m", state_file_tmp)));
		unlink(state_file_tmp);
		return;
	}
	(void)durable_rename(state_file_tmp, state_file, LOG);
}

// PG regime: a slot read back from the file made fit for use, or false
// when it cannot be a job. After an immediate stop the workers were killed
// without settling their slots (SIGQUIT runs no exit callbacks), possibly
// in the middle of a text copy: every text gets its terminating NUL, the
// table list its bounds, and a slot whose kind or status is not one this
// build knows is dropped.
bool sanitize_restored(JobSlot *s) {
	if (s->job_id <= 0 || s->kind < kind_table || s->kind > kind_coordinator || s->status < status_pending ||
	    s->status > status_cancelled)
		return false;
	s->schema_name[NAMEDATALEN - 1] = '\0';
	s->table_name[NAMEDATALEN - 1] = '\0';
	s->target_name[NAMEDATALEN - 1] = '\0';
	s->current_table[qualified_capacity - 1] = '\0';
	s->phase[phase_capacity - 1] = '\0';
	s->error_message[message_capacity - 1] = '\0';
	s->result[message_capacity - 1] = '\0';
	s->snapshot_id[snapshot_id_capacity - 1] = '\0';
	s->child_error[message_capacity - 1] = '\0';
	// Never written to the file; zero whatever is there.
	std::memset(s->conninfo, 0, sizeof s->conninfo);
	std::memset(s->options, 0, sizeof s->options);
	if (s->messages_used < 0 || s->messages_used > messages_capacity)
		s->messages_used = 0;
	if (s->tables_used < 0 || s->tables_used > tables_capacity) {
		s->tables_used = 0;
		s->tables_overflow = true; // no usable list: nothing to resume from
	}
	return true;
}

// In the postmaster, when the table is created (PG regime). The file is
// removed once read: after a crash, jobs are not brought back from an
// older shutdown.
void load_jobs() {
	FILE *f = AllocateFile(state_file, PG_BINARY_R);
	if (!f) {
		if (errno != ENOENT)
			ereport(LOG, (errcode_for_file_access(), errmsg("could not read file \"%s\": %m", state_file)));
		return;
	}
	StateHeader h;
	if (fread(&h, sizeof h, 1, f) == 1 && h.magic == state_magic && h.slot_size == sizeof(JobSlot)) {
		int max_id = 0;
		for (int n = 0, i = 0; n < h.count && i < table->nslots; n++) {
			JobSlot *s = &table->slots[i];
			uint64 rows, bytes;
			if (fread(static_cast<void *>(s), sizeof(JobSlot), 1, f) != 1) {
				std::memset(static_cast<void *>(s), 0, sizeof(JobSlot));
				break;
			}
			if (!sanitize_restored(s)) {
				std::memset(static_cast<void *>(s), 0, sizeof(JobSlot));
				continue; // the next slot of the file goes into this one
			}
			// The atomics hold the values written; initialize them as such.
			rows = s->rows_copied.value;
			bytes = s->bytes_copied.value;
			pg_atomic_init_u64(&s->rows_copied, rows);
			pg_atomic_init_u64(&s->bytes_copied, bytes);
			pg_atomic_init_u64(&s->current_rows, 0);
			s->restored = true;
			s->pid = 0;
			s->connecting = false;
			if (!is_finished(s->status)) {
				s->status = status_failed;
				copy_text(s->phase, phase_capacity, "terminated");
				copy_text(
				    s->error_message, message_capacity,
				    "the server stopped while the job was running; its open transaction was rolled back");
				s->end_time = GetCurrentTimestamp();
			}
			max_id = s->job_id > max_id ? s->job_id : max_id;
			i++;
		}
		table->next_job_id = h.next_job_id > max_id ? h.next_job_id : max_id + 1;
	}
	FreeFile(f);
	unlink(state_file);
}

// Runs in the postmaster (and again after a crash restart, when the
// shared memory is created anew), with AddinShmemInitLock held.
void startup_shmem() {
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
		if (!IsUnderPostmaster) {
			load_jobs();
			on_shmem_exit(save_jobs, 0);
		}
		// Also after a crash restart (the postmaster creates shared memory
		// anew, load_jobs finds no file): go on above every id handed out.
		int bound = read_ids_bound();
		if (table->next_job_id < bound)
			table->next_job_id = bound;
		table->ids_reserved_to = table->next_job_id;
	}
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

const char *op_type_name(uint8_t kind) noexcept {
	return kind == kind_pool_worker ? kind_name(kind_table) : kind_name(kind);
}

void init_job_table() {
	// A PGC_POSTMASTER setting can only be defined while the server starts:
	// loaded later (not preloaded), pgclone has no job table and no setting.
	if (!process_shared_preload_libraries_in_progress)
		return;
	DefineCustomIntVariable("pgclone.max_jobs", "Number of slots in the shared-memory table of async jobs.",
	                        "A parallel clone takes one slot for itself, one per pool worker and one for its snapshot coordinator. Needs pgclone in shared_preload_libraries.",
	                        &max_jobs_setting, 64, 4, 1024, PGC_POSTMASTER, 0, NULL, NULL, NULL);
	pg::use_shared_memory({request_shmem, startup_shmem});
}

JobTable *job_table() noexcept {
	return table;
}

JobTable *require_job_table(const char *function_name) {
	if (!table)
		throw core::Error(
		    std::string(function_name) + "() needs pgclone in shared_preload_libraries", core::sqlstate::object_not_in_prerequisite_state,
		    "Async jobs run in background workers and keep their state in shared memory, which only a library loaded at server start can have.",
		    "Add pgclone to shared_preload_libraries in postgresql.conf and restart the server.");
	return table;
}

int take_job_id(JobTable *t) noexcept {
	if (t->next_job_id >= t->ids_reserved_to) {
		// A bound that could not be written still leaves the job its id: the
		// durable record's highest id (slot.cpp) guards the database it runs
		// in, as before.
		int bound = t->next_job_id + id_block;
		if (write_ids_bound(bound))
			t->ids_reserved_to = bound;
	}
	return t->next_job_id++;
}

void copy_text(char *dst, int capacity, const char *src) noexcept {
	pg::copy_clipped(dst, capacity, src);
}

} // namespace pgclone::jobs

// Locked access to job slots from C++ regime. Every lambda below is PG
// regime: trivially destructible locals only, plain memory copies between
// LWLockAcquire and LWLockRelease (which holds off interrupts meanwhile).
#include <csignal>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/slot_access.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

// Runs f(table) under the lock (exclusive unless shared is set).
template <typename F>
void locked(F &&f, bool shared = false) {
	JobTable *t = job_table();
	if (!t)
		throw core::Error("pgclone job table is not available", core::sqlstate::internal_error);
	pg::call([&] {
		LWLockAcquire(t->lock, shared ? LW_SHARED : LW_EXCLUSIVE);
		f(t);
		LWLockRelease(t->lock);
	});
}

// A plain copy of a slot's text areas, filled under the lock and turned
// into std::string afterwards (no allocation while the lock is held).
struct ParamsCopy {
	int job_id, parent_id, parent_index, resumed_from, worker_number;
	uint8_t kind;
	bool include_data;
	char schema[NAMEDATALEN], table[NAMEDATALEN], target[NAMEDATALEN];
	char conninfo[conninfo_capacity];
	char options[options_capacity];
	int tables_used;
	char tables[tables_capacity];
};

} // namespace

JobParams read_params(int index) {
	auto copy = std::make_unique<ParamsCopy>();
	ParamsCopy *c = copy.get();
	std::memset(static_cast<void *>(c), 0, sizeof *c);
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    c->job_id = s->job_id;
		    c->parent_id = s->parent_id;
		    c->resumed_from = s->resumed_from;
		    c->worker_number = s->worker_number;
		    c->kind = s->kind;
		    c->include_data = s->include_data;
		    std::memcpy(c->schema, s->schema_name, NAMEDATALEN);
		    std::memcpy(c->table, s->table_name, NAMEDATALEN);
		    std::memcpy(c->target, s->target_name, NAMEDATALEN);
		    c->tables_used = s->tables_used;
		    std::memcpy(c->tables, s->tables, s->tables_used);
		    JobSlot *from = s;
		    c->parent_index = -1;
		    if (s->parent_id > 0) {
			    c->parent_index = find_slot(t, s->parent_id);
			    from = c->parent_index >= 0 ? &t->slots[c->parent_index] : nullptr;
		    }
		    if (from) {
			    std::memcpy(c->conninfo, from->conninfo, conninfo_capacity);
			    std::memcpy(c->options, from->options, options_capacity);
			    if (from != s) {
				    c->include_data = from->include_data;
				    std::memcpy(c->schema, from->schema_name, NAMEDATALEN);
			    }
		    }
	    },
	    true);
	if (c->parent_id > 0 && c->parent_index < 0)
		throw core::Error("parent job " + std::to_string(c->parent_id) + " no longer exists", "55000");
	JobParams p;
	p.index = index;
	p.job_id = c->job_id;
	p.parent_id = c->parent_id;
	p.parent_index = c->parent_index;
	p.resumed_from = c->resumed_from;
	p.worker_number = c->worker_number;
	p.kind = c->kind;
	p.include_data = c->include_data;
	p.conninfo = c->conninfo;
	p.options = c->options;
	p.schema = c->schema;
	p.table = c->table;
	p.target = c->target;
	p.tables = core::unpack_job_tables(std::string_view(c->tables, c->tables_used));
	// The private copy of the password is not kept in this process's heap
	// longer than needed: the ParamsCopy is zeroed before it is freed.
	std::memset(static_cast<void *>(c), 0, sizeof *c);
	return p;
}

void set_phase(int index, const std::string &phase) {
	const char *text = phase.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].phase, phase_capacity, text); });
}

void set_current_table(int index, const std::string &display, uint64_t estimate) {
	const char *text = display.c_str();
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		copy_text(s->current_table, qualified_capacity, text);
		s->current_estimate = estimate;
		pg_atomic_write_u64(&s->current_rows, 0);
	});
}

void set_table_name(int index, const std::string &name) {
	const char *text = name.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].table_name, NAMEDATALEN, text); });
}

void set_result(int index, const std::string &result) {
	const char *text = result.c_str();
	locked([=](JobTable *t) { copy_text(t->slots[index].result, message_capacity, text); });
}

bool store_tables(int index, const std::vector<core::JobTable> &tables) {
	auto packed = core::pack_job_tables(tables, tables_capacity);
	int count = static_cast<int>(tables.size());
	int done = 0;
	for (const auto &e : tables)
		if (e.state != core::job_table_state::pending)
			done++;
	const char *data = packed ? packed->data() : nullptr;
	int used = packed ? static_cast<int>(packed->size()) : 0;
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		s->tables_total = count;
		s->tables_completed = done;
		s->tables_used = used;
		s->tables_overflow = data == nullptr;
		if (data)
			std::memcpy(s->tables, data, used);
	});
	return packed.has_value();
}

namespace {

// PG regime: pointer to entry `ordinal` of a slot's list, or nullptr.
char *entry_at(JobSlot *s, int ordinal) {
	std::size_t off = 0, used = static_cast<std::size_t>(s->tables_used);
	for (int i = 0; off < used; i++) {
		std::size_t n = core::job_table_entry_size(s->tables + off, used - off);
		if (n == 0)
			return nullptr;
		if (i == ordinal)
			return s->tables + off;
		off += n;
	}
	return nullptr;
}

} // namespace

namespace {

// With the lock held: one more table committed in slot s.
void count_table_done(JobSlot *s, uint64_t rows, uint64_t bytes, int warnings) {
	s->tables_completed++;
	s->warnings += warnings;
	s->rows_committed += rows;
	s->bytes_committed += bytes;
	pg_atomic_write_u64(&s->rows_copied, s->rows_committed);
	pg_atomic_write_u64(&s->bytes_copied, s->bytes_committed);
}

} // namespace

void set_table_state(int index, int ordinal, char state) {
	locked([=](JobTable *t) {
		if (char *e = entry_at(&t->slots[index], ordinal))
			e[0] = state;
	});
}

void add_table_done(int index, uint64_t rows, uint64_t bytes, int warnings) {
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		count_table_done(s, rows, bytes, warnings);
		pg_atomic_write_u64(&s->current_rows, 0);
		s->current_estimate = 0;
	});
}

bool cancel_requested(int index) {
	bool cancel = false;
	bool *out = &cancel;
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    *out = s->cancel_requested;
		    if (!*out && s->parent_id > 0) {
			    int p = find_slot(t, s->parent_id);
			    *out = p < 0 || t->slots[p].cancel_requested || is_finished(t->slots[p].status);
		    }
	    },
	    true);
	return cancel;
}

void throw_if_cancelled(int index) {
	if (cancel_requested(index))
		throw core::Error("canceling the job on request (pgclone.cancel)", "57014");
}

namespace {

// PG regime, lock held: the parent's slot when it still holds the parent
// (pgclone.clear_jobs() may have freed it and a new job taken it since the
// index was looked up), else nullptr.
JobSlot *parent_slot(JobTable *t, int parent_index, int parent_id) {
	JobSlot *s = &t->slots[parent_index];
	return s->job_id == parent_id ? s : nullptr;
}

} // namespace

void publish_snapshot(int parent_index, int parent_id, const std::string &snapshot_id) {
	const char *id = snapshot_id.c_str();
	locked([=](JobTable *t) {
		JobSlot *s = parent_slot(t, parent_index, parent_id);
		if (!s)
			return;
		copy_text(s->snapshot_id, snapshot_id_capacity, id);
		s->snapshot_ready = true;
	});
}

void mark_snapshot_failed(int parent_index, int parent_id) {
	locked([=](JobTable *t) {
		if (JobSlot *s = parent_slot(t, parent_index, parent_id))
			s->snapshot_failed = true;
	});
}

void note_snapshot_imported(int parent_index, int parent_id) {
	locked([=](JobTable *t) {
		if (JobSlot *s = parent_slot(t, parent_index, parent_id))
			s->snapshot_imported++;
	});
}

SnapshotState snapshot_state(int parent_index, int parent_id) {
	struct Plain {
		bool ready, failed, finished, launch_complete;
		int expected, imported, coordinator_id;
		char id[snapshot_id_capacity];
	} plain;
	Plain *p = &plain;
	std::memset(p, 0, sizeof plain);
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = parent_slot(t, parent_index, parent_id);
		    if (!s) {
			    // The parent is gone: as if it had ended, its snapshot lost.
			    p->finished = true;
			    p->failed = true;
			    return;
		    }
		    p->ready = s->snapshot_ready;
		    p->failed = s->snapshot_failed;
		    p->finished = is_finished(s->status);
		    p->launch_complete = s->launch_complete;
		    p->expected = s->snapshot_expected;
		    p->imported = s->snapshot_imported;
		    p->coordinator_id = s->coordinator_id;
		    std::memcpy(p->id, s->snapshot_id, snapshot_id_capacity);
	    },
	    true);
	SnapshotState out;
	out.ready = plain.ready;
	out.failed = plain.failed;
	out.parent_finished = plain.finished;
	out.launch_complete = plain.launch_complete;
	out.expected = plain.expected;
	out.imported = plain.imported;
	out.coordinator_id = plain.coordinator_id;
	out.id = plain.id;
	return out;
}

void set_launch(int index, int expected_imports, bool complete) {
	locked([=](JobTable *t) {
		JobSlot *s = &t->slots[index];
		s->snapshot_expected = expected_imports;
		s->launch_complete = complete;
	});
}

void set_coordinator(int index, int coordinator_id) {
	locked([=](JobTable *t) { t->slots[index].coordinator_id = coordinator_id; });
}

std::optional<TakenTable> take_next_table(int parent_index, int parent_id) {
	struct Plain {
		bool found, parent_gone;
		int ordinal;
		char entry[3 + 2 * NAMEDATALEN + 2];
		std::size_t size;
	} plain;
	Plain *p = &plain;
	std::memset(p, 0, sizeof plain);
	locked([=](JobTable *t) {
		JobSlot *s = parent_slot(t, parent_index, parent_id);
		if (!s) {
			p->parent_gone = true;
			return;
		}
		std::size_t off = 0, used = static_cast<std::size_t>(s->tables_used);
		for (int i = 0; off < used; i++) {
			std::size_t n = core::job_table_entry_size(s->tables + off, used - off);
			if (n == 0 || n > sizeof p->entry)
				return;
			if (s->tables[off] == core::job_table_state::pending) {
				s->tables[off] = core::job_table_state::taken;
				std::memcpy(p->entry, s->tables + off, n);
				p->size = n;
				p->ordinal = i;
				p->found = true;
				return;
			}
			off += n;
		}
	});
	if (plain.parent_gone)
		throw core::Error("canceling the job: parent job " + std::to_string(parent_id) + " no longer exists",
		                  "57014");
	if (!plain.found)
		return std::nullopt;
	TakenTable taken;
	taken.ordinal = plain.ordinal;
	taken.table = core::unpack_job_tables(std::string_view(plain.entry, plain.size)).at(0);
	return taken;
}

void add_table_taken(int index) {
	locked([=](JobTable *t) { t->slots[index].tables_total++; });
}

void pool_table_done(int index, int parent_index, int parent_id, int ordinal, bool skipped, uint64_t rows,
                     uint64_t bytes, int warnings) {
	char state = skipped ? core::job_table_state::skipped : core::job_table_state::done;
	locked([=](JobTable *t) {
		if (JobSlot *parent = parent_slot(t, parent_index, parent_id)) {
			if (char *e = entry_at(parent, ordinal))
				e[0] = state;
			count_table_done(parent, rows, bytes, warnings);
		}
		JobSlot *s = &t->slots[index];
		count_table_done(s, rows, bytes, warnings);
		pg_atomic_write_u64(&s->current_rows, 0);
		s->current_estimate = 0;
	});
}

std::vector<core::JobTable> read_tables(int index) {
	struct Plain {
		int used;
		char tables[tables_capacity];
	};
	auto copy = std::make_unique<Plain>();
	Plain *p = copy.get();
	locked(
	    [=](JobTable *t) {
		    JobSlot *s = &t->slots[index];
		    p->used = s->tables_used;
		    std::memcpy(p->tables, s->tables, s->tables_used);
	    },
	    true);
	return core::unpack_job_tables(std::string_view(p->tables, p->used));
}

Committed committed_counts(int index) {
	Committed c;
	Committed *out = &c;
	locked(
	    [=](JobTable *t) {
		    out->rows = t->slots[index].rows_committed;
		    out->warnings = t->slots[index].warnings;
	    },
	    true);
	return c;
}

ChildSummary children(int parent_index) {
	struct Plain {
		int active, active_all, failed_child;
		char failure[message_capacity];
	} plain;
	Plain *p = &plain;
	std::memset(p, 0, sizeof plain);
	locked(
	    [=](JobTable *t) {
		    JobSlot *parent = &t->slots[parent_index];
		    for (int i = 0; i < t->nslots; i++) {
			    JobSlot *s = &t->slots[i];
			    if (s->job_id == 0 || s->parent_id != parent->job_id || is_finished(s->status))
				    continue;
			    p->active_all++;
			    if (s->kind == kind_pool_worker)
				    p->active++;
		    }
		    // Children report their failure into the parent's slot, so a
		    // failed child that was cleared meanwhile is still seen.
		    p->failed_child = parent->failed_child_id;
		    std::memcpy(p->failure, parent->child_error, message_capacity);
	    },
	    true);
	ChildSummary out;
	out.active = plain.active;
	out.active_all = plain.active_all;
	out.failed_child = plain.failed_child;
	out.failure = plain.failure;
	return out;
}

void cancel_children(int parent_index) {
	locked([=](JobTable *t) {
		int parent_id = t->slots[parent_index].job_id;
		for (int i = 0; i < t->nslots; i++) {
			JobSlot *s = &t->slots[i];
			if (s->job_id == 0 || s->parent_id != parent_id || is_finished(s->status))
				continue;
			s->cancel_requested = true;
			if (s->pid > 0)
				(void)kill(s->pid, SIGINT);
		}
	});
}

void wait_tick(long ms) {
	pg::call([=] {
		(void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	});
}

} // namespace pgclone::jobs

// C++-regime access to job slots: each function takes the job table's lock
// inside one pg::call, copies plain data in or out, and releases it. No
// PostgreSQL call happens while the lock is held except LWLockAcquire /
// LWLockRelease themselves.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"

namespace pgclone::jobs {

// What a worker reads from its slot when it starts. Pool workers and the
// snapshot coordinator take conninfo and options from their parent's slot.
struct JobParams {
	int index = -1, job_id = 0, parent_id = 0, parent_index = -1, resumed_from = 0, worker_number = 0;
	uint8_t kind = 0;
	bool include_data = true;
	std::string conninfo, options, schema, table, target;
	std::vector<core::JobTable> tables; // the slot's packed list
};

JobParams read_params(int index);

void set_phase(int index, const std::string &phase);
// The table being copied ("schema.table" for display) and the source's
// estimate of its rows.
void set_current_table(int index, const std::string &display, uint64_t estimate);
void set_table_name(int index, const std::string &name);
void set_result(int index, const std::string &result);

// Writes the packed table list and the table count of a schema job. Returns
// false when it does not fit (the slot then keeps no list: overflow).
bool store_tables(int index, const std::vector<core::JobTable> &tables);
// Sets the state of entry `ordinal` of the slot's list.
void set_table_state(int index, int ordinal, char state);

// A table was committed: tables_completed + 1, committed rows and bytes
// grow, the live counters are set to the committed ones.
void add_table_done(int index, uint64_t rows, uint64_t bytes, int warnings);

// Own cancel flag, or the parent's (pool workers, coordinator).
bool cancel_requested(int index);
// Throws core::Error 57014 when cancel_requested.
void throw_if_cancelled(int index);

// --- the parallel pool ------------------------------------------------------------

// The functions below that take the parent's slot index also take its job
// id: the slot may have been freed and reused since the index was looked
// up. A parent that is gone counts as ended: writes are dropped,
// snapshot_state says parent_finished and failed, take_next_table throws
// core::Error 57014.

// Coordinator: publishes the exported snapshot in the parent's slot.
void publish_snapshot(int parent_index, int parent_id, const std::string &snapshot_id);
// Marks the snapshot as lost (the coordinator's connection failed, or a
// worker could not import it): workers that have not imported it give up.
void mark_snapshot_failed(int parent_index, int parent_id);
void note_snapshot_imported(int parent_index, int parent_id);

struct SnapshotState {
	bool ready = false, failed = false, parent_finished = false, launch_complete = false;
	int expected = 0, imported = 0;
	std::string id;
	int coordinator_id = 0;
};
SnapshotState snapshot_state(int parent_index, int parent_id);

void set_launch(int index, int expected_imports, bool complete);
void set_coordinator(int index, int coordinator_id);

// Pool worker: takes the next pending table of the parent's list (state
// becomes "taken"). nullopt when none is left.
struct TakenTable {
	int ordinal = 0;
	core::JobTable table;
};
std::optional<TakenTable> take_next_table(int parent_index, int parent_id);
// Pool worker: one more table in its own count (tables_total).
void add_table_taken(int index);
// Pool worker: the table was committed (or skipped): its state in the
// parent's list, the parent's and the worker's counters.
void pool_table_done(int index, int parent_index, int parent_id, int ordinal, bool skipped, uint64_t rows,
                     uint64_t bytes, int warnings);

// The slot's packed table list with the current states.
std::vector<core::JobTable> read_tables(int index);

// Rows and warnings the slot's committed tables brought.
struct Committed {
	uint64_t rows = 0;
	int warnings = 0;
};
Committed committed_counts(int index);

struct ChildSummary {
	int active = 0;     // pool workers pending or running
	int active_all = 0; // children of any kind (the coordinator too)
	int failed_child = 0;
	std::string failure; // the first failed child's error
};
ChildSummary children(int parent_index);

// Sets the cancel flag of every unfinished child and interrupts its worker
// (SIGINT: the current statement fails, the transaction aborts).
void cancel_children(int parent_index);

// Waits (latch, interruptible) for up to ms milliseconds.
void wait_tick(long ms);

} // namespace pgclone::jobs

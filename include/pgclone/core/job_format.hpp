// Pure logic of async jobs: what a job row shows (percent, progress bar,
// elapsed time, JSON) and the packed table list a job keeps in shared
// memory (the work queue of a parallel pool and the "done" list that
// pgclone.resume() reads). No server headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgclone::core {

// One job as pgclone.progress(), pgclone.jobs() and pgclone.progress_detail()
// show it. Empty strings of optional fields are shown as NULL.
struct JobRecord {
	int job_id = 0;
	int parent_job_id = 0; // pool workers and the snapshot coordinator; 0: none
	int resumed_from = 0;  // the job pgclone.resume() re-ran; 0: none
	std::string status;    // pending, running, completed, failed, cancelled
	std::string op_type;   // table, schema, pool_worker, snapshot_coordinator
	std::string schema_name, table_name, target_table, current_phase;
	int tables_total = 0, tables_completed = 0;
	uint64_t rows_copied = 0, bytes_copied = 0;
	int64_t elapsed_ms = 0;
	std::string start_time, end_time; // timestamptz text; end_time empty while not finished
	double pct_complete = 0;
	std::string current_table; // "schema.table" being copied now; empty between tables
	std::string error_message, result, owner, database;
	int worker_pid = 0;
	int warnings = 0;
};

// Percent done, 0..100 with one decimal. Finished "completed" jobs are 100;
// otherwise tables completed plus the current table's share, estimated
// from its rows so far against the source's row estimate (capped below the
// next whole table, since an estimate can be wrong).
double job_percent(std::string_view status, int tables_total, int tables_completed, uint64_t current_rows,
                   uint64_t current_estimate);
// The same with several tables in flight (a parallel pool): (rows so far,
// estimate) of each.
double job_percent(std::string_view status, int tables_total, int tables_completed,
                   const std::vector<std::pair<uint64_t, uint64_t>> &in_flight);

// "[##########----------] 50%": 20 cells, whole percent.
std::string progress_bar(double pct);

// "01:02:03.456" (hours keep counting past 24): an interval input literal.
std::string elapsed_text(int64_t ms);

// {"job_id": 1, "status": "running", ...} and a JSON array of such objects.
std::string job_json(const JobRecord &job);
std::string jobs_json(const std::vector<JobRecord> &jobs);

// --- the packed table list ------------------------------------------------------
//
// Entries, back to back: state byte, relkind byte, flags byte, schema name,
// NUL, table name, NUL. Fixed-size shared memory holds it; the state byte
// of an entry is flipped in place by the pool (under the job table's lock).

namespace job_table_state {
inline constexpr char pending = 'p';
inline constexpr char taken = 't';   // a pool worker is cloning it
inline constexpr char done = 'd';    // cloned and committed by this job
inline constexpr char skipped = 's'; // existed; kept (conflict "skip")
inline constexpr char earlier = 'e'; // cloned by the job this one resumes
inline constexpr char held = 'h';    // left to the job itself, after the pool (its expressions call routines)
} // namespace job_table_state

inline constexpr unsigned char job_table_partition_flag = 1;

struct JobTable {
	std::string schema, name;
	char relkind = 'r';
	bool is_partition = false;
	char state = job_table_state::pending;
};

// The packed list, or nullopt when it needs more than capacity bytes.
std::optional<std::string> pack_job_tables(const std::vector<JobTable> &tables, std::size_t capacity);

// Reads a packed list of `used` bytes. Throws core::Error on a malformed one.
std::vector<JobTable> unpack_job_tables(std::string_view packed);

// Size of the entry starting at `entry` with `left` bytes remaining, or 0
// when it is cut short. No allocation, no exception: shared-memory code
// that holds a lock walks the list with it.
inline std::size_t job_table_entry_size(const char *entry, std::size_t left) noexcept {
	std::size_t i = 3;
	for (int names = 0; names < 2; names++) {
		while (i < left && entry[i] != '\0')
			i++;
		if (i >= left)
			return 0;
		i++;
	}
	return i;
}

} // namespace pgclone::core

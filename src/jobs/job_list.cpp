// What pgclone.jobs(), pgclone.progress() and pgclone.progress_detail()
// show: the public part of every slot, copied under a shared lock, then
// filtered by role and formatted outside it.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/job_list.hpp"
#include "pgclone/jobs/record.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

std::string timestamp_text(TimestampTz ts) {
	if (ts == 0)
		return "";
	const char *s = pg::call([=] { return timestamptz_to_str(ts); });
	return s;
}

std::string role_name(Oid oid) {
	const char *s = pg::call([=] { return (const char *)GetUserNameFromId(oid, true); });
	return s ? s : "";
}

std::string database_name(Oid oid) {
	const char *s = pg::call([=] { return (const char *)get_database_name(oid); });
	return s ? s : "";
}

} // namespace

bool may_see(Oid owner) {
	return pg::call([=] { return superuser() || has_privs_of_role(GetUserId(), owner); });
}

[[noreturn]] void no_such_job(int job_id) {
	throw core::Error(
	    "job " + std::to_string(job_id) + " does not exist", core::sqlstate::undefined_object,
	    "There is no such job, or it belongs to a role whose privileges the current role does not have.",
	    "pgclone.jobs() lists the jobs you can see.");
}

namespace {

// The jobs of this database's durable record that have no slot here any
// more (a restart emptied the job table, clear_jobs() freed the slot). A
// record still saying running belongs to a worker that is gone without
// settling it: the job failed (a crash restart, an immediate shutdown).
void add_recorded_jobs(const std::vector<SlotState> &slots, int only_job_id, std::vector<core::JobRecord> &jobs) {
	if (!record::available())
		return;
	Oid here = pg::call([] { return MyDatabaseId; });
	std::string database = database_name(here);
	// The record's counts of a job with a slot are not needed: the slot's are shown.
	std::vector<int> live_ids;
	for (const SlotState &slot : slots)
		if (slot.database_id == here)
			live_ids.push_back(slot.job_id);
	for (const record::Stored &s : record::read_all(only_job_id, false, live_ids)) {
		if (std::find(live_ids.begin(), live_ids.end(), s.job_id) != live_ids.end()) {
			// The slot keeps the first bytes of a long result (a dry run's
			// plan); the record has all of it.
			for (auto &r : jobs)
				if (r.job_id == s.job_id && s.result.size() > r.result.size())
					r.result = s.result;
			continue;
		}
		if (!may_see(s.role_id))
			continue;
		core::JobRecord r;
		r.job_id = s.job_id;
		r.resumed_from = s.resumed_from;
		r.op_type = s.is_schema ? "schema" : "table";
		r.status = s.status == "running" ? "failed" : s.status;
		r.current_phase = s.status == "running" ? "failed" : s.status == "completed" ? "done" : s.status;
		r.error_message = s.status == "running"
		                      ? "the job's worker ended without finishing the job: the server crashed or was stopped "
		                        "while it ran, and its open transaction was rolled back; the tables it committed are "
		                        "listed in pgclone.job_record_table and pgclone.resume(job_id, conninfo) continues it"
		                      : s.error;
		r.schema_name = s.schema;
		r.table_name = s.table;
		r.target_table = s.target;
		r.tables_completed = s.tables_committed;
		r.tables_total = std::max(s.tables_total, s.tables_committed);
		r.rows_copied = s.rows;
		r.bytes_copied = s.bytes;
		r.pct_complete = core::job_percent(r.status, r.tables_total, r.tables_completed, 0, 0);
		r.elapsed_ms = s.elapsed_ms;
		r.start_time = s.start_time;
		r.end_time = s.end_time;
		r.result = s.result;
		r.owner = s.role_name;
		r.database = database;
		r.warnings = s.warnings;
		jobs.push_back(std::move(r));
	}
	std::sort(jobs.begin(), jobs.end(),
	          [](const core::JobRecord &a, const core::JobRecord &b) { return a.job_id < b.job_id; });
}

} // namespace

std::vector<core::JobRecord> read_jobs(const char *function_name, int only_job_id) {
	std::vector<SlotState> slots = slot::read_all(function_name, only_job_id);
	std::sort(slots.begin(), slots.end(), [](const SlotState &a, const SlotState &b) { return a.job_id < b.job_id; });
	const SlotState *out = slots.data();
	int used = static_cast<int>(slots.size());

	TimestampTz now = pg::call([] { return GetCurrentTimestamp(); });
	std::vector<core::JobRecord> jobs;
	for (int i = 0; i < used; i++) {
		const SlotState &s = out[i];
		if (only_job_id > 0 && s.job_id != only_job_id)
			continue;
		if (!may_see(s.owner_id))
			continue;
		core::JobRecord r;
		r.job_id = s.job_id;
		r.parent_job_id = s.parent_id;
		r.resumed_from = s.resumed_from;
		r.status = status_name(s.status);
		r.op_type = op_type_name(s.kind);
		r.schema_name = s.schema_name;
		r.table_name = s.table_name;
		r.target_table = s.target_name;
		r.current_phase = s.phase;
		r.tables_total = s.tables_total;
		r.tables_completed = s.tables_completed;
		r.rows_copied = s.rows_copied;
		r.bytes_copied = s.bytes_copied;
		// A pool's parent counts the committed tables of its workers; the
		// rows they are copying now come from their own slots.
		std::vector<std::pair<uint64_t, uint64_t>> in_flight;
		if (s.status == status_running && s.current_estimate > 0)
			in_flight.emplace_back(s.current_rows, s.current_estimate);
		for (int c = 0; c < used; c++) {
			const SlotState &child = out[c];
			if (child.parent_id != s.job_id || child.kind != kind_pool_worker ||
			    child.status != status_running)
				continue;
			r.rows_copied += child.rows_copied - std::min(child.rows_copied, child.rows_committed);
			r.bytes_copied += child.bytes_copied - std::min(child.bytes_copied, child.bytes_committed);
			in_flight.emplace_back(child.current_rows, child.current_estimate);
		}
		r.pct_complete = core::job_percent(r.status, s.tables_total, s.tables_completed, in_flight);
		TimestampTz end = s.end_time != 0 ? s.end_time : now;
		r.elapsed_ms = s.start_time != 0 ? (end - s.start_time) / 1000 : 0;
		r.start_time = timestamp_text(s.start_time);
		r.end_time = timestamp_text(s.end_time);
		r.error_message = s.error_message;
		r.result = s.result;
		// The table being copied now: none once the job has ended (a failed
		// or cancelled job's slot still names the table it was on).
		if (s.status == status_running)
			r.current_table = s.current_table;
		r.owner = role_name(s.owner_id);
		r.database = database_name(s.database_id);
		r.worker_pid = s.pid;
		r.warnings = s.warnings;
		jobs.push_back(std::move(r));
	}
	add_recorded_jobs(slots, only_job_id, jobs);
	return jobs;
}

std::vector<core::JobRecord> visible_jobs() {
	return read_jobs("pgclone.jobs", 0);
}

core::JobRecord job_record(int job_id) {
	// Job ids start at 1; read_jobs() takes 0 and below for "every job", and
	// lists a job's children with it: only the job itself answers.
	std::vector<core::JobRecord> jobs;
	if (job_id > 0)
		for (auto &j : read_jobs("pgclone.progress", job_id))
			if (j.job_id == job_id)
				jobs.push_back(std::move(j));
	if (jobs.empty())
		no_such_job(job_id);
	return jobs.front();
}

std::vector<slot::JobMessage> job_messages(int job_id) {
	(void)job_record(job_id); // visible, or undefined_object
	return slot::read_messages("pgclone.job_messages", job_id);
}

} // namespace pgclone::jobs

// pgclone.cancel(), pgclone.resume() (from the job's slot or its durable
// record), pgclone.clear_jobs().
#include <csignal>
#include <cstdint>
#include <optional>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/control.hpp"
#include "pgclone/jobs/launch.hpp"
#include "pgclone/jobs/job_list.hpp"
#include "pgclone/jobs/record.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::jobs {

namespace {

// The job, checked to be visible to the current role.
SlotState visible(const char *function_name, int job_id) {
	std::optional<SlotState> s = slot::find(function_name, job_id);
	if (!s || !may_see(s->owner_id))
		no_such_job(job_id);
	return *s;
}

bool finished(int job_id) {
	std::optional<SlotState> s = slot::find("pgclone.cancel", job_id);
	return !s || is_finished(s->status);
}

} // namespace

bool cancel_job(int job_id) {
	// A job listed from its record only (its slot is gone) has finished.
	if (!slot::find("pgclone.cancel", job_id) && record::available()) {
		std::vector<record::Stored> stored = record::read_all(job_id, false);
		if (!stored.empty() && may_see(stored.front().role_id))
			return false;
	}
	SlotState job = visible("pgclone.cancel", job_id);
	// A pool worker or the coordinator is part of its parent's clone: the
	// clone is cancelled as a whole.
	int target = job_id;
	if (job.parent_id > 0) {
		std::optional<SlotState> parent = slot::find("pgclone.cancel", job.parent_id);
		if (parent && !is_finished(parent->status)) {
			pg::notice("pgclone: job " + std::to_string(job_id) + " is a " + kind_name(job.kind) + " of job " +
			           std::to_string(job.parent_id) + "; cancelling job " + std::to_string(job.parent_id));
			target = job.parent_id;
		}
	}
	// SIGINT cancels the statement the worker runs: the job's transaction
	// aborts, nothing of the table in flight is kept, and the worker
	// reports "cancelled". Waited for, so that the job's status is final
	// when cancel() returns.
	if (!slot::request_cancel(target, SIGINT))
		return false;
	for (int i = 0; i < 100 && !finished(target); i++)
		wait_tick(100);
	if (!finished(target)) {
		// Not interruptible for 10 s: terminate the worker (its exit
		// callback still reports the job cancelled).
		slot::request_cancel(target, SIGTERM);
		for (int i = 0; i < 50 && !finished(target); i++)
			wait_tick(100);
		if (!finished(target))
			pg::warning("pgclone: job " + std::to_string(target) + " has not stopped yet",
			            "Its worker was asked to stop 15 seconds ago.");
	}
	return true;
}

namespace {

using core::sqlstate::object_not_in_prerequisite_state;

// What a job is resumed from: its slot while it is there (the private
// connection string and options), else its durable record.
struct ResumeSource {
	uint8_t kind = 0;
	std::string conninfo, options, schema, table, target, recorded_source;
	bool include_data = true;
	bool from_slot = false; // the done list comes from the slot's packed list
	std::string tables;     // packed list (from_slot only)
};

void check_resumable_kind(int job_id, uint8_t kind, int parent_id) {
	if (kind != kind_table && kind != kind_schema)
		throw core::Error("job " + std::to_string(job_id) + " is a " + kind_name(kind) + " of job " +
		                      std::to_string(parent_id) + " and cannot be resumed on its own",
		                  core::sqlstate::invalid_parameter_value, "", "Resume job " + std::to_string(parent_id) + ".");
}

void check_same_role(int job_id, bool same_role) {
	if (!same_role)
		throw core::Error("job " + std::to_string(job_id) + " belongs to another role",
		                  core::sqlstate::insufficient_privilege, "A job is resumed as the role that started it.",
		                  "SET ROLE to the job's role (see pgclone.jobs_view) and resume it again.");
}

[[noreturn]] void refuse_completed(int job_id) {
	throw core::Error("job " + std::to_string(job_id) + " completed; there is nothing to resume",
	                  object_not_in_prerequisite_state);
}

// From the live slot. nullopt when the slot is there but has no connection
// string any more (a restart, clear_jobs()) and the record is to be used.
std::optional<ResumeSource> from_slot(int job_id, const SlotState &b, bool conninfo_given) {
	check_resumable_kind(job_id, b.kind, b.parent_id);
	if (b.status == status_completed)
		refuse_completed(job_id);
	if (!is_finished(b.status))
		throw core::Error("job " + std::to_string(job_id) + " is still " + status_name(b.status),
		                  object_not_in_prerequisite_state, "", "Only a failed or cancelled job can be resumed.");
	std::unique_ptr<ResumableJob> p = slot::read_resumable(job_id);
	if (!p)
		no_such_job(job_id);
	// A resumed job runs where and as whom the job ran: another database
	// would get the tables the job skips as already done; another role would
	// run the job's source objects with that role's privileges.
	if (!p->same_database)
		throw core::Error("job " + std::to_string(job_id) + " ran in another database",
		                  object_not_in_prerequisite_state, "",
		                  "Connect to the database the job cloned into and resume it there.");
	check_same_role(job_id, p->same_role);
	if (p->state.restored) {
		if (conninfo_given)
			return std::nullopt;
		throw core::Error(
		    "job " + std::to_string(job_id) + " cannot be resumed: it ran before the server restarted",
		    object_not_in_prerequisite_state,
		    "Its connection string is never written to disk.",
		    "Give it again: pgclone.resume(" + std::to_string(job_id) + ", 'host=... password=...').");
	}
	ResumeSource r;
	r.kind = p->state.kind;
	r.conninfo = std::move(p->conninfo);
	r.options = std::move(p->options);
	r.schema = p->state.schema_name;
	r.table = p->state.table_name;
	r.target = p->state.target_name;
	r.include_data = p->state.include_data;
	r.from_slot = true;
	r.tables = std::move(p->tables);
	if (r.conninfo.empty())
		return std::nullopt;
	// With a record the worker reads the done list from it; without one
	// the slot's list is all there is.
	if (p->state.tables_overflow && !record::available())
		throw core::Error("job " + std::to_string(job_id) +
		                      " cannot be resumed: it did not record which tables it completed",
		                  object_not_in_prerequisite_state, "Its table list did not fit in its shared-memory slot.",
		                  "Run the clone again with {\"conflict\": \"skip\"} to keep the tables that exist.");
	return r;
}

// From the durable record (the slot is gone: a crash restart, clear_jobs()).
ResumeSource from_record(int job_id, const record::Stored &s, const std::string &conninfo) {
	if (!may_see(s.role_id))
		no_such_job(job_id);
	check_same_role(job_id, s.role_id == pg::call([] { return GetUserId(); }));
	if (s.status == "completed")
		refuse_completed(job_id);
	if (conninfo.empty())
		throw core::Error("job " + std::to_string(job_id) + " cannot be resumed without its connection string",
		                  object_not_in_prerequisite_state,
		                  "Its record names the source without the password; the connection string is never written to disk.",
		                  "Give it again: pgclone.resume(" + std::to_string(job_id) + ", 'host=... password=...').");
	if (!s.options_complete)
		throw core::Error("job " + std::to_string(job_id) +
		                      " cannot be resumed from its record: its options had mask salts, which are not stored",
		                  object_not_in_prerequisite_state, "",
		                  "Run the clone again with the same options and {\"conflict\": \"skip\"} to keep the tables that exist.");
	ResumeSource r;
	r.kind = s.is_schema ? kind_schema : kind_table;
	r.conninfo = conninfo;
	r.options = s.options;
	r.schema = s.schema;
	r.table = s.table;
	r.target = s.target;
	r.include_data = s.include_data;
	r.recorded_source = s.source;
	return r;
}

} // namespace

int resume_job(int job_id, const std::optional<std::string> &conninfo) {
	bool given = conninfo.has_value();
	if (given)
		libpq::require_own_password(libpq::prepare_conninfo(*conninfo, ""));
	std::optional<SlotState> live = slot::find("pgclone.resume", job_id);
	if (live && !may_see(live->owner_id))
		no_such_job(job_id);
	std::optional<ResumeSource> src;
	if (live)
		src = from_slot(job_id, *live, given);
	bool recorded = record::available();
	std::vector<record::Stored> stored;
	if (recorded)
		stored = record::read_all(job_id, true);
	if (!src) {
		if (stored.empty()) {
			if (live) // a slot without its connection string and no record
				throw core::Error("job " + std::to_string(job_id) + " cannot be resumed: its connection string was removed",
				                  object_not_in_prerequisite_state, "", "");
			no_such_job(job_id);
		}
		src = from_record(job_id, stored.front(), conninfo.value_or(""));
	}
	if (given) {
		src->conninfo = *conninfo;
		std::string now = libpq::redacted_conninfo(*conninfo);
		if (!stored.empty() && stored.front().source != now)
			pg::warning("pgclone: job " + std::to_string(job_id) + " read from " + stored.front().source +
			                "; the connection string given now names " + now,
			            "The tables it committed come from the server it read; the rest comes from this one.");
	}

	NewJob j;
	j.kind = src->kind;
	j.resumed_from = job_id;
	j.conninfo = std::move(src->conninfo);
	j.options = std::move(src->options);
	j.schema = src->schema;
	j.include_data = src->include_data;
	if (j.kind == kind_table) {
		j.table = src->table;
		j.target = src->target;
	} else if (!recorded) {
		// The tables the job (or the job it resumed) committed, for a
		// database without the record tables; else the worker reads them
		// from the record.
		std::vector<core::JobTable> done;
		for (auto &e : core::unpack_job_tables(src->tables))
			if (e.state == core::job_table_state::done || e.state == core::job_table_state::earlier) {
				e.state = core::job_table_state::earlier;
				done.push_back(e);
			}
		j.tables = core::pack_job_tables(done, tables_capacity).value_or("");
	}
	int id = launch(j);
	pg::notice("pgclone: job " + std::to_string(id) + " resumes job " + std::to_string(job_id) +
	           (j.kind == kind_schema ? "; the tables job " + std::to_string(job_id) +
	                                        " committed are kept, the rest is read in a new snapshot of the source"
	                                  : "; the table is read again, in a new snapshot of the source"));
	return id;
}

namespace {

// Removes the finished jobs the caller may see: their slots (with the
// private texts) and their records. clear_jobs(): the records of jobs that
// cannot be resumed any more (completed, or resumed by a later job) go, the
// others are only taken off the list. older_than: every slot and record
// that ended at least that long ago goes, resumable or not. Returns how
// many jobs it cleared.
int clear(std::optional<int64_t> older_than_ms) {
	Oid database = pg::call([] { return MyDatabaseId; });
	TimestampTz now = pg::call([] { return GetCurrentTimestamp(); });
	// Which finished jobs the role may clear is decided outside the lock
	// (has_privs_of_role reads the catalog); a slot is cleared only if it
	// still holds the same finished job.
	std::vector<int> slots;
	for (const SlotState &s : slot::read_all("pgclone.clear_jobs", 0))
		if (is_finished(s.status) && may_see(s.owner_id) &&
		    (!older_than_ms || (now - s.end_time) / 1000 >= *older_than_ms))
			slots.push_back(s.job_id);
	std::set<int> cleared(slots.begin(), slots.end());
	cleared.erase(0);
	slot::clear_finished(slots);
	if (record::available()) {
		std::vector<record::Stored> all = record::read_all(0, true);
		std::set<int> resumed;
		for (const auto &r : all)
			if (r.resumed_from > 0)
				resumed.insert(r.resumed_from);
		std::vector<int> removed, unlisted;
		for (const auto &r : all) {
			std::optional<SlotState> live = slot::find("pgclone.clear_jobs", r.job_id);
			if ((live && live->database_id == database && !is_finished(live->status)) || !may_see(r.role_id))
				continue;
			bool resumable = r.status != "completed" && !resumed.count(r.job_id);
			if (older_than_ms ? r.ended_ms_ago >= *older_than_ms : !resumable)
				removed.push_back(r.job_id);
			else if (!older_than_ms && !r.cleared)
				unlisted.push_back(r.job_id);
		}
		record::remove(removed);
		record::mark_cleared(unlisted);
		cleared.insert(removed.begin(), removed.end());
		cleared.insert(unlisted.begin(), unlisted.end());
	}
	return static_cast<int>(cleared.size());
}

} // namespace

int clear_jobs() {
	return clear(std::nullopt);
}

int clear_jobs_older_than(int64_t older_than_ms) {
	return clear(older_than_ms);
}

} // namespace pgclone::jobs

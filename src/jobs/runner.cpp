// Job runners: the guard around them (run_job), the table job, and the
// helpers they share.
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/privileges.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/copy/copy_in.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/jobs/runner.hpp"
#include "pgclone/jobs/slot.hpp"
#include "pgclone/jobs/worker_util.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::jobs {

namespace {

// The slot the COPY progress goes to (PG regime data), -1 when none.
int progress_index = -1;

} // namespace

void copy_progress(uint64_t bytes_so_far) {
	if (progress_index < 0)
		return;
	// CopyFrom counts the rows it has processed in the backend's progress
	// parameters (pg_stat_progress_copy); this process is its only writer.
	uint64 rows = 0;
	if (MyBEEntry)
		rows = static_cast<uint64>(MyBEEntry->st_progress_param[PROGRESS_COPY_TUPLES_PROCESSED]);
	slot::copy_progress_pg(progress_index, rows, bytes_so_far);
}

CopyProgress::CopyProgress(int index) {
	progress_index = index;
	copy::progress_hook = copy_progress;
}

CopyProgress::~CopyProgress() {
	copy::progress_hook = nullptr;
	progress_index = -1;
}

namespace {
// Option run_as of this worker's job: every transaction of the job runs as
// that role (the worker itself is connected as the role that started it).
std::optional<std::string> job_run_as;
clone::RoleSwitch job_role;
} // namespace

void begin_xact(const std::string &activity) {
	const char *text = activity.c_str();
	pg::call([=] {
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, text);
	});
	// An error from here on aborts the transaction, which restores the
	// worker's own identity.
	job_role = clone::enter_role(job_run_as);
}

void set_activity(const std::string &activity) {
	const char *text = activity.c_str();
	pg::call([=] { pgstat_report_activity(STATE_RUNNING, text); });
}

void commit_xact() {
	clone::leave_role(job_role);
	job_role = {};
	pg::call([] {
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_activity(STATE_IDLE, NULL);
	});
}

std::vector<core::JobTable> read_task_list(int job_id, int list_index) {
	begin_xact("pgclone job " + std::to_string(job_id) + ": reading its task list");
	std::vector<core::JobTable> list = slot::read_tables(list_index);
	commit_xact();
	return list;
}

uint64_t source_row_estimate(libpq::Connection &src, const std::string &schema, const std::string &table) {
	auto r =
	    src.exec_params(R"sql(SELECT GREATEST(c.reltuples, 0)::pg_catalog.int8
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2)sql",
	                    {schema, table});
	return r.rows() > 0 ? static_cast<uint64_t>(r.get_int(0, 0)) : 0;
}

// A table job: one source transaction, one target transaction. Nothing of
// it is committed unless all of it is.
void run_table_job(Job &job) {
	const JobParams &p = job.params;
	clone::TableRequest req;
	req.schema = p.schema;
	req.table = p.table;
	req.target_table = p.target;
	req.include_data = p.include_data;
	req.options = core::parse_options(p.options);
	std::string display = core::display_name(p.schema, p.target.empty() ? p.table : p.target);

	if (req.options.dry_run) {
		// The plan pgclone.table() would show is the job's result; nothing
		// is created or copied.
		slot::set_phase(job.index(), "planning");
		begin_xact("pgclone job " + std::to_string(p.job_id) + ": planning table " + display);
		clone::TableRequest plan_req = req;
		plan_req.options.run_as.reset(); // begin_xact took the job's role already
		slot::set_result(job.index(), clone::dry_run_table(p.conninfo, plan_req));
		slot::record_completed(job.index());
		commit_xact();
		return;
	}
	slot::set_phase(job.index(), "connecting to the source");
	begin_xact("pgclone job " + std::to_string(p.job_id) + ": cloning table " + display);
	libpq::Connection src = libpq::open_source(p.conninfo, req.options.snapshot_id);
	slot::set_current_table(job.index(), display, source_row_estimate(src, p.schema, p.table));
	slot::set_phase(job.index(), "cloning table");
	clone::TableOutcome out;
	{
		CopyProgress progress(job.index());
		out = clone::clone_table_on(src, req);
	}
	if (!out.skipped)
		out.warnings += clone::clone_table_privileges(src, req.schema, req.table, req.target_table, req.options);
	libpq::close_source(src);
	slot::set_phase(job.index(), "committing");
	slot::add_table_done(job.index(), {req.schema, req.table, out.skipped, out.rows, out.bytes, out.warnings});
	slot::set_result(job.index(), clone::table_result_text(out));
	slot::record_completed(job.index());
	commit_xact();
}

namespace {

// The texts of a failure, kept as the exception is caught.
struct FailureText {
	std::string message, detail, hint, state = core::sqlstate::internal_error;
};

// Inside the catch block: the exception's texts, passwords removed. No
// PostgreSQL call.
void describe_current_exception(FailureText &f, const std::vector<std::string> &secrets) noexcept {
	try {
		try {
			throw;
		} catch (const pg::PgError &e) {
			ErrorData *d = e.data();
			f.message = d && d->message ? d->message : "error";
			f.detail = d && d->detail ? d->detail : "";
			f.hint = d && d->hint ? d->hint : "";
			if (d)
				f.state = unpack_sql_state(d->sqlerrcode);
		} catch (const core::Error &e) {
			f.message = e.what();
			f.detail = e.detail();
			f.hint = e.hint();
			f.state = e.sqlstate();
		} catch (const std::bad_alloc &) {
			f.message = "out of memory";
			f.state = core::sqlstate::out_of_memory;
		} catch (const std::exception &e) {
			f.message = std::string("pgclone internal error: ") + e.what();
		} catch (...) {
			f.message = "pgclone internal error: unknown exception";
		}
		f.message = libpq::scrub_secrets(f.message, secrets);
		f.detail = libpq::scrub_secrets(f.detail, secrets);
		f.hint = libpq::scrub_secrets(f.hint, secrets);
	} catch (...) {
		f.message.clear();
	}
}

// Copies text into a fixed buffer, cut at a character boundary of the
// database encoding (a cut character would make the text unreadable as
// text later).
void fill(char *dst, const std::string &src) {
	const char *text = src.c_str();
	int len = static_cast<int>(src.size());
	if (len >= message_capacity)
		len = pg::call([=] { return pg_mbcliplen(text, len, message_capacity - 1); });
	std::memcpy(dst, text, len);
	dst[len] = '\0';
}

} // namespace

namespace {
// The secrets of this worker's job (its connection string's password).
std::vector<std::string> job_secrets;
} // namespace

bool scrub_job_text(const char *text, char *out, int capacity) noexcept {
	try {
		std::string clean = libpq::scrub_secrets(text, job_secrets);
		int len = static_cast<int>(clean.size());
		if (len >= capacity)
			len = pg_mbcliplen(clean.c_str(), len, capacity - 1);
		std::memcpy(out, clean.data(), len);
		out[len] = '\0';
		return true;
	} catch (...) {
		return false;
	}
}

void record_outcome(int index, int job_id) noexcept {
	std::string error;
	try {
		begin_xact("pgclone job " + std::to_string(job_id) + ": recording its outcome");
		slot::settle_record(index, job_id);
		commit_xact();
		return;
	} catch (...) {
		FailureText f;
		describe_current_exception(f, job_secrets);
		error = f.message;
	}
	// Out of the catch block: the record keeps "running", which the job list
	// shows as failed once the worker is gone.
	pg::call([&] {
		AbortCurrentTransaction();
		ereport(WARNING, (errmsg("pgclone: could not record the outcome of job %d: %s", job_id, error.c_str())));
	});
}

bool run_job(int index, RunFailure *failure) noexcept {
	std::vector<std::string> &secrets = job_secrets;
	FailureText text;
	try {
		Job job;
		job.params = slot::read_params(index);
		job_run_as = core::parse_options(job.params.options).run_as;
		secrets = libpq::prepare_conninfo(job.params.conninfo, "").secrets;
		begin_xact("pgclone job " + std::to_string(job.params.job_id) + ": starting");
		slot::open_record(job.params);
		commit_xact();
		switch (job.params.kind) {
		case kind_table:
			run_table_job(job);
			break;
		case kind_schema:
			run_schema_job(job);
			break;
		case kind_pool_worker:
			run_pool_worker(job);
			break;
		case kind_coordinator:
			run_coordinator(job);
			break;
		default:
			throw core::Error("unknown job kind " + std::to_string(job.params.kind));
		}
		return true;
	} catch (...) {
		describe_current_exception(text, secrets);
	}
	// Out of the catch block: the buffers are filled here.
	try {
		if (text.message.empty())
			text.message = "out of memory while reporting the job's error";
		fill(failure->message, text.message);
		fill(failure->detail, text.detail);
		fill(failure->hint, text.hint);
		std::memcpy(failure->sqlstate, text.state.c_str(), std::min<std::size_t>(text.state.size(), 5));
	} catch (...) {
		std::strcpy(failure->message, "pgclone: could not record the job's error");
	}
	return false;
}

} // namespace pgclone::jobs

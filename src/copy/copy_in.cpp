// COPY from the source stream into a local table.
#include <chrono>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/copy/copy_in.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::copy {

ProgressHook progress_hook = nullptr;

namespace {

// Why the source stream failed, recorded by the PG-regime callback for the
// C++ side, which builds the user-facing error (naming the source server,
// mapping the SQLSTATE, scrubbing the password). Strings are palloc'd in
// the memory context that was current when copy_into started.
struct StreamFailure {
	bool failed;
	bool lost;      // the connection broke (else: the source reported an error)
	char *sqlstate; // the source's SQLSTATE, if it sent one
	char *primary;  // its message, or libpq's text for a broken connection
	char *detail;
	char *hint;
};

// State of the one COPY stream a backend reads at a time. The callback
// signature has no user-data argument, so it lives here (plain C data).
struct StreamState {
	PGconn *conn;
	char *buf;           // current PQgetCopyData buffer
	int len;             // its length
	int off;             // bytes of it already handed to COPY
	bool eof;            // the stream ended cleanly
	uint64 bytes;        // total bytes received
	MemoryContext outer; // where failure texts are kept
	StreamFailure failure;
};
StreamState stream;

// PG regime.
char *keep(const char *s) {
	return s ? MemoryContextStrdup(stream.outer, s) : NULL;
}

// PG regime: records a broken connection and raises. The ERROR is only the
// vehicle out of CopyFrom: copy_into replaces it with the full report.
[[noreturn]] void fail_lost(PGconn *conn) {
	stream.failure.failed = true;
	stream.failure.lost = true;
	stream.failure.primary = keep(PQerrorMessage(conn));
	ereport(ERROR, (errcode(ERRCODE_CONNECTION_FAILURE),
	                errmsg("lost the connection to the source server during COPY")));
	pg_unreachable();
}

// PG regime: wait for the source socket or the latch; ereports on cancel.
// When the source closed the connection, PQconsumeInput fails but libpq
// keeps what it had already read: the rest of the rows and, typically, the
// server's own FATAL message (e.g. "terminating connection due to
// administrator command"). So a failed read is not an error yet: the caller
// drains the buffer, and only a wait on a dead connection is.
void wait_readable(PGconn *conn) {
	if (PQstatus(conn) == CONNECTION_BAD)
		fail_lost(conn);
	int rc = WaitLatchOrSocket(MyLatch, WL_LATCH_SET | WL_SOCKET_READABLE | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
	                           PQsocket(conn), 1000L, PG_WAIT_EXTENSION);
	if (rc & WL_LATCH_SET)
		ResetLatch(MyLatch);
	CHECK_FOR_INTERRUPTS();
	(void)PQconsumeInput(conn);
}

// PG regime: the stream ended; the COPY's own result says whether the
// source finished it or failed half-way (e.g. its backend was terminated).
// Only that one result: after it come the next COPY's of a batch
// (libpq::Connection::send_copy_batch), or the end, which
// Connection::finish_copy_out reads.
void check_copy_result(PGconn *conn) {
	while (PQisBusy(conn))
		wait_readable(conn);
	PGresult *res = PQgetResult(conn);
	if (!res)
		return;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		stream.failure.failed = true;
		stream.failure.lost = primary == NULL;
		stream.failure.sqlstate = keep(PQresultErrorField(res, PG_DIAG_SQLSTATE));
		stream.failure.primary = keep(primary ? primary : PQresultErrorMessage(res));
		stream.failure.detail = keep(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		stream.failure.hint = keep(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
		PQclear(res);
		ereport(ERROR, (errcode(ERRCODE_CONNECTION_FAILURE), errmsg("COPY from the source server failed")));
	}
	PQclear(res);
}

// PG regime: copy_data_source_cb. Returns at least minread bytes unless the
// stream ended (then fewer, 0 at the end).
int read_source(void *outbuf, int minread, int maxread) {
	int got = 0;
	char *out = (char *)outbuf;
	while (maxread > 0 && got < minread) {
		if (stream.buf && stream.off < stream.len) {
			int n = stream.len - stream.off;
			if (n > maxread)
				n = maxread;
			memcpy(out + got, stream.buf + stream.off, n);
			stream.off += n;
			got += n;
			maxread -= n;
			continue;
		}
		if (stream.buf) {
			PQfreemem(stream.buf);
			stream.buf = NULL;
		}
		if (stream.eof)
			break;
		int r = PQgetCopyData(stream.conn, &stream.buf, 1);
		if (r > 0) {
			stream.len = r;
			stream.off = 0;
			stream.bytes += r;
			if (progress_hook)
				progress_hook(stream.bytes);
		} else if (r == 0) {
			wait_readable(stream.conn);
		} else if (r == -1) {
			check_copy_result(stream.conn);
			stream.eof = true;
		} else {
			fail_lost(stream.conn);
		}
	}
	return got;
}

struct CopyRun {
	uint64 rows;
	bool frozen;
};

// PG regime: PostgreSQL's own preconditions for COPY FREEZE, checked first
// so that FREEZE is only asked for when it cannot fail.
bool can_freeze(Relation rel) {
	// The catalog snapshot counts as a registered one; drop it (it is taken
	// again on demand) so that only the calling statement's snapshot is left,
	// which PostgreSQL's rule allows.
	if (rel->rd_rel->relkind != RELKIND_RELATION)
		return false; // COPY FREEZE does not route into partitions
	InvalidateCatalogSnapshot();
	return rel->rd_createSubid == GetCurrentSubTransactionId() && ThereAreNoPriorRegisteredSnapshots() &&
	       ThereAreNoReadyPortals();
}

// PG regime: the rows must arrive exactly as the source has them, whatever
// the calling session's settings. The binary receive functions of text types
// (textrecv, jsonb_recv, ...) convert from the session's client_encoding, not
// from COPY's "encoding" option, and the source sends in this database's
// encoding (pinned at connect): for the COPY, the session's client_encoding
// is this database's. The text input of dates, intervals and money reads
// DateStyle, IntervalStyle and lc_monetary: pinned to what the source session
// writes (libpq::Connection::open). Set like a function's SET clause, in a
// GUC nest level that the caller pops (AtEOXact_GUC) on success and error.
int pin_input_settings() {
	int nest = NewGUCNestLevel();
	auto pin = [](const char *name, const char *value) {
		(void)set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	};
	pin("client_encoding", GetDatabaseEncodingName());
	pin("DateStyle", "ISO");
	pin("IntervalStyle", "postgres");
	pin("lc_monetary", "C");
	return nest;
}

// PG regime. Memory: a private context, deleted before returning.
CopyRun run_copy_from(Oid relid, const char *const *cols, int ncols, bool binary, uint64 bytes_total) {
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "pgclone copy", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);

	Relation rel = table_open(relid, RowExclusiveLock);
	AclResult aclresult = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, get_relkind_objtype(rel->rd_rel->relkind), RelationGetRelationName(rel));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("cannot load rows into \"%s\" because it has row-level security enabled",
		                       RelationGetRelationName(rel))));

	List *attnames = NIL;
	for (int i = 0; i < ncols; i++)
		attnames = lappend(attnames, makeString(pstrdup(cols[i])));
	List *options = NIL;
	if (binary)
		options = lappend(options, makeDefElem(pstrdup("format"), (Node *)makeString(pstrdup("binary")), -1));
	else // the source sends text in this database's encoding (pinned at connect)
		options = lappend(options, makeDefElem(pstrdup("encoding"),
		                                       (Node *)makeString(pstrdup(GetDatabaseEncodingName())), -1));
	bool frozen = can_freeze(rel);
	if (frozen)
		options = lappend(options, makeDefElem(pstrdup("freeze"), (Node *)makeString(pstrdup("true")), -1));

	ParseState *pstate = make_parsestate(NULL);
	(void)addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock, NULL, false, false);
	uint64 rows;
	int nest = pin_input_settings();
	// What this clone did before (rows of tables cloned earlier, rows of an
	// extension it created) is visible to the expressions the load evaluates
	// (generated columns, defaults, checks, triggers, functions they call), as
	// if each step were a statement of its own: a new command and a fresh
	// snapshot for the COPY.
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	PG_TRY();
	{
		CopyFromState cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, read_source, attnames, options);
		// BeginCopyFrom started the COPY progress report; a callback source
		// has no size of its own, so the caller's estimate gives
		// pg_stat_progress_copy.bytes_total (0: unknown, as COPY leaves it).
		if (bytes_total > 0)
			pgstat_progress_update_param(PROGRESS_COPY_BYTES_TOTAL, (int64)bytes_total);
		rows = CopyFrom(cstate);
		EndCopyFrom(cstate);
	}
	PG_CATCH();
	{
		AtEOXact_GUC(false, nest);
		PG_RE_THROW();
	}
	PG_END_TRY();
	PopActiveSnapshot();
	AtEOXact_GUC(false, nest);
	table_close(rel, NoLock);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	CopyRun run = {rows, frozen};
	return run;
}

// libpq texts are multi-line ("server closed the connection unexpectedly\n\t
// This probably means ..."): one line of single spaces, no trailing period.
std::string one_line(const char *text) {
	std::string out;
	for (const char *p = text ? text : ""; *p; ++p) {
		bool space = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';
		if (!space)
			out += *p;
		else if (!out.empty() && out.back() != ' ')
			out += ' ';
	}
	while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
		out.pop_back();
	return out;
}

// C++ regime: the error for a source stream that failed mid-COPY. Names the
// source server and the target table, keeps the source's SQLSTATE in the
// detail, never shows the password.
[[noreturn]] void throw_stream_failure(const libpq::Connection &src, const StreamFailure &f,
                                       const std::string &target, uint64 bytes) {
	auto str = [](const char *s) { return std::string(s ? s : ""); };
	std::string where = "The source server is " + src.describe() + ".";
	std::string kept =
	    "No rows of " + target + " were kept (" + core::plural(bytes, "byte", "bytes") + " had arrived).";
	std::string message, detail;
	if (f.lost) {
		message = "lost the connection to the source server during COPY";
		detail = "libpq reported: " + one_line(f.primary) + ". " + where + " " + kept;
	} else {
		message = "COPY from the source server failed: " + str(f.primary);
		detail = str(f.detail);
		if (!detail.empty())
			detail += " ";
		detail += "The error was reported by the source server (" + src.describe() + ")" +
		          (f.sqlstate ? std::string(" with SQLSTATE ") + f.sqlstate : std::string()) + ". " + kept;
	}
	const std::vector<std::string> &pw = src.secrets();
	throw core::Error(libpq::scrub_secrets(message, pw),
	                  libpq::client_sqlstate_for_source_error(str(f.sqlstate)).c_str(),
	                  libpq::scrub_secrets(detail, pw), libpq::scrub_secrets(str(f.hint), pw));
}

} // namespace

CopyStats copy_into(libpq::Connection &src, const std::string &source_copy_sql, Oid relid,
                    const std::vector<std::string> &columns, CopyFormat format, uint64_t bytes_total_estimate,
                    bool sent_early) {
	auto start = std::chrono::steady_clock::now();
	if (sent_early)
		src.await_copy_out();
	else
		src.start_copy_out(source_copy_sql);

	std::vector<const char *> cols;
	for (const auto &c : columns)
		cols.push_back(c.c_str());
	const char *const *colv = cols.data();
	int ncols = static_cast<int>(cols.size());

	// Named before the COPY: once an error was caught, no catalog lookups.
	const char *rel = pg::call([=] { return (const char *)get_rel_name(relid); });
	const char *nsp = pg::call([=] { return (const char *)get_namespace_name(get_rel_namespace(relid)); });
	std::string target = "\"" + std::string(nsp ? nsp : "?") + "\".\"" + std::string(rel ? rel : "?") + "\"";

	MemoryContext outer = pg::call([] { return CurrentMemoryContext; });
	stream = StreamState{src.raw(), nullptr, 0, 0, false, 0, outer, StreamFailure{}};
	bool binary = format == CopyFormat::Binary;
	CopyRun run = {0, false};
	try {
		run = pg::call([=] { return run_copy_from(relid, colv, ncols, binary, bytes_total_estimate); });
	} catch (...) {
		StreamState failed = stream;
		if (stream.buf)
			PQfreemem(stream.buf);
		stream = StreamState{};
		if (failed.failure.failed)
			throw_stream_failure(src, failed.failure, target, failed.bytes);
		throw; // a cancel, or an error of the target (bad data, constraint, ...)
	}
	if (stream.buf)
		PQfreemem(stream.buf);
	CopyStats stats;
	stats.rows = run.rows;
	stats.frozen = run.frozen;
	stats.bytes = stream.bytes;
	stream = StreamState{};
	src.finish_copy_out();
	stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	return stats;
}

} // namespace pgclone::copy

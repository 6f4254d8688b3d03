// Source connections. C++ regime; PostgreSQL is reached only through
// pg::call (latch waits, interrupt checks, the abort callback).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::libpq {

namespace {

// Registry of open connections, so that an aborted transaction can close
// any a C++ destructor did not get to. Plain array: no non-trivial globals.
constexpr int max_connections = 256;
PGconn *registry[max_connections];

int register_conn(PGconn *c) noexcept {
	for (int i = 0; i < max_connections; i++)
		if (!registry[i]) {
			registry[i] = c;
			return i;
		}
	return -1;
}

std::string trim(std::string s) {
	while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
		s.pop_back();
	return s;
}

std::string field(const PGresult *res, int code) {
	const char *v = res ? PQresultErrorField(res, code) : nullptr;
	return v ? v : "";
}

} // namespace

void on_xact_event(XactEvent event, void *) noexcept {
	if (event != XACT_EVENT_ABORT && event != XACT_EVENT_PARALLEL_ABORT)
		return;
	for (int i = 0; i < max_connections; i++)
		if (registry[i]) {
			PQfinish(registry[i]);
			registry[i] = nullptr;
		}
}

std::string client_sqlstate_for_source_error(const std::string &state) {
	if (state.size() != 5 || state.compare(0, 2, "08") == 0 || state.compare(0, 2, "57") == 0)
		return core::sqlstate::connection_failure;
	return state;
}

long long Result::get_int(int r, int c) const {
	return std::strtoll(PQgetvalue(res_, r, c), nullptr, 10);
}

int Result::column(const char *name) const {
	return PQfnumber(res_, name);
}

Connection::Connection(PGconn *c, std::vector<std::string> secrets) noexcept
    : conn_(c), secrets_(std::move(secrets)) {
	slot_ = register_conn(c);
}

Connection::Connection(Connection &&o) noexcept
    : conn_(o.conn_), slot_(o.slot_), copies_waiting_(o.copies_waiting_), secrets_(std::move(o.secrets_)) {
	o.conn_ = nullptr;
	o.slot_ = -1;
	o.copies_waiting_ = 0;
}

Connection::~Connection() noexcept {
	if (!conn_)
		return;
	// If the abort callback already closed it, the registry slot is empty.
	if (slot_ >= 0 && registry[slot_] != conn_)
		return;
	if (slot_ >= 0)
		registry[slot_] = nullptr;
	PQfinish(conn_);
}

bool Connection::wait_socket(PGconn *conn, bool for_write, long timeout_ms) {
	return wait_events(conn, for_write ? WL_SOCKET_WRITEABLE : WL_SOCKET_READABLE, timeout_ms);
}

bool Connection::wait_events(PGconn *conn, int socket_events, long timeout_ms) {
	pgsocket sock = PQsocket(conn);
	if (sock == PGINVALID_SOCKET)
		throw core::Error("lost the connection to the source server", core::sqlstate::connection_failure);
	int events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | socket_events;
	// Wake up at least once a second even without events, so that a missed
	// latch wake-up can never delay a cancel by more than that.
	long wait = (timeout_ms < 0 || timeout_ms > 1000) ? 1000 : timeout_ms;
	int rc = pg::call([=] {
		int r = WaitLatchOrSocket(MyLatch, events | WL_TIMEOUT, sock, wait, PG_WAIT_EXTENSION);
		if (r & WL_LATCH_SET)
			ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		return r;
	});
	return (rc & (WL_SOCKET_READABLE | WL_SOCKET_WRITEABLE)) != 0;
}

namespace {

// A non-superuser must not reach a server with the target server's own
// identity (its OS user, its ~/.pgpass, trust or peer on its sockets): the
// password must come from the caller and the server must have used it, the
// rule dblink and postgres_fdw apply. Checked before connecting (a password
// is given) and after (the server asked for it).
bool caller_is_superuser() {
	return pg::call([] {
		if (IsTransactionState())
			return superuser();
		// A background job opens source connections between its
		// transactions, and superuser() may need the catalog (its cache
		// holds one role: after a run_as switch, the other one): a catalog
		// look-up outside a transaction crashes the process.
		StartTransactionCommand();
		bool is_superuser = superuser();
		CommitTransactionCommand();
		return is_superuser;
	});
}

constexpr const char *password_required_hint =
    "Put the password of the source role in the connection string (password=...) and use a source role that authenticates with a password (md5 or scram-sha-256 in the source's pg_hba.conf).";

} // namespace

void require_own_password(const ConnParams &p) {
	if (p.password.empty() && !caller_is_superuser())
		throw core::Error("password is required", core::sqlstate::password_required,
		                  "Non-superusers must provide a password in the connection string.",
		                  password_required_hint);
}

Connection Connection::open(const std::string &conninfo, const std::string &client_encoding) {
	ConnParams p = prepare_conninfo(conninfo, client_encoding);
	require_own_password(p);
	bool superuser_caller = caller_is_superuser();
	std::vector<const char *> keys, vals;
	for (size_t i = 0; i < p.keywords.size(); i++) {
		keys.push_back(p.keywords[i].c_str());
		vals.push_back(p.values[i].c_str());
	}
	keys.push_back(nullptr);
	vals.push_back(nullptr);

	PGconn *raw = PQconnectStartParams(keys.data(), vals.data(), 0);
	if (!raw)
		throw std::bad_alloc();
	Connection c(raw, p.secrets);
	if (PQstatus(raw) == CONNECTION_BAD && PQport(raw)[0] == '\0') {
		// libpq refused the options before choosing a server (no host and
		// port yet): an unknown service, a bad sslmode, ... There is no
		// server to name; name the service, which is where options the
		// caller did not write come from.
		std::string detail = scrub_secrets(trim(PQerrorMessage(raw)), p.secrets);
		if (!p.service.empty())
			throw core::Error("could not use service \"" + p.service + "\" to connect to the source server",
			                  core::sqlstate::connection_exception, detail,
			                  "Services are looked up in the service file of the target server's operating system user: PGSERVICEFILE, ~/.pg_service.conf, or pg_service.conf in PGSYSCONFDIR.");
		throw core::Error("invalid connection options for the source server",
		                  core::sqlstate::connection_exception, detail);
	}
	if (PQstatus(raw) == CONNECTION_BAD)
		c.fail("could not connect to the source server");

	using clock = std::chrono::steady_clock;
	auto deadline = clock::now() + std::chrono::seconds(p.connect_timeout);
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			c.fail("could not connect to the source server");
		long left = -1;
		if (p.connect_timeout > 0) {
			left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
			if (left <= 0)
				throw core::Error("could not connect to the source server at " + c.describe(),
				                  core::sqlstate::connection_failure,
				                  "Timed out after connect_timeout=" + std::to_string(p.connect_timeout) +
				                      " seconds.");
		}
		// PQconnectPoll may only be called once the socket is ready.
		if (wait_socket(raw, st == PGRES_POLLING_WRITING, left))
			st = PQconnectPoll(raw);
	}
	if (!superuser_caller && !PQconnectionUsedPassword(raw))
		throw core::Error("password is required", core::sqlstate::password_required,
		                  "Non-superusers may only connect to servers that ask for the password; " +
		                      c.describe() + " did not.",
		                  password_required_hint);
	if (PQsetnonblocking(raw, 1) != 0)
		c.fail("could not set the source connection to non-blocking mode");
	// Output that reads back exactly whatever the reading session's settings
	// (the settings pg_dump and postgres_fdw pin): rows in text COPY, and
	// constants in the definitions the catalog prints. The COPY on the target
	// reads with the same DateStyle, IntervalStyle and lc_monetary (copy_in.cpp).
	// jit = off: the catalog readers pass every table of a plan as one array,
	// which makes the planner's cost estimate cross jit_above_cost; compiling
	// such a query took longer than running it (1 s against 20 ms for 5,000
	// tables), and the COPY queries of small tables gain nothing from it.
	c.exec(
	    R"(SET search_path = pg_catalog; SET extra_float_digits = 3; SET standard_conforming_strings = on; SET DateStyle = ISO; SET IntervalStyle = postgres; SET lc_monetary = 'C'; SET bytea_output = hex; SET jit = off)");
	return c;
}

std::string Connection::describe() const {
	auto s = [](const char *v) { return std::string(v ? v : ""); };
	std::string host = s(PQhost(conn_));
	if (host.empty())
		host = "localhost";
	return "host \"" + host + "\", port " + s(PQport(conn_)) + ", database \"" + s(PQdb(conn_)) + "\"";
}

void Connection::fail(const std::string &what, const PGresult *res) const {
	std::string msg = res ? field(res, PG_DIAG_MESSAGE_PRIMARY) : "";
	std::string state = res ? field(res, PG_DIAG_SQLSTATE) : "";
	bool broken = PQstatus(conn_) == CONNECTION_BAD;
	if (msg.empty() || broken) {
		// Connection-level failure: name the server; as detail, the reason
		// the server gave before it closed the session (e.g. its backend
		// was terminated), else libpq's own text.
		std::string detail = trim(PQerrorMessage(conn_));
		if (!msg.empty())
			detail = "The source server ended the session: " + msg +
			         (state.empty() ? "" : " (SQLSTATE " + state + ")") + ".";
		throw core::Error(scrub_secrets(what + " at " + describe(), secrets_),
		                  core::sqlstate::connection_failure, scrub_secrets(detail, secrets_));
	}
	std::string detail = field(res, PG_DIAG_MESSAGE_DETAIL);
	std::string client_state = client_sqlstate_for_source_error(state);
	std::string where = "The error was raised by the source server (" + describe() + ")" +
	                    (client_state != state && !state.empty() ? " with SQLSTATE " + state : "") + ".";
	detail = detail.empty() ? where : detail + " " + where;
	throw core::Error(scrub_secrets(msg, secrets_), client_state.c_str(), scrub_secrets(detail, secrets_),
	                  scrub_secrets(field(res, PG_DIAG_MESSAGE_HINT), secrets_));
}

void Connection::send_and_flush() {
	for (;;) {
		int r = PQflush(conn_);
		if (r == 0)
			return;
		if (r < 0)
			fail("could not send a query to the source server");
		// r == 1: more to send; wait until writable or readable: the server
		// may be sending data we must consume to unblock it (replies to
		// queries queued before, in pipeline mode), and stops reading ours
		// until then.
		wait_events(conn_, WL_SOCKET_WRITEABLE | WL_SOCKET_READABLE, -1);
		if (!PQconsumeInput(conn_))
			fail("lost the connection to the source server");
	}
}

Result Connection::collect(const std::string &) {
	Result last, error;
	for (;;) {
		// A failed read usually means the server closed the connection;
		// libpq then keeps what it had read (often the server's FATAL
		// message) and, the connection being bad, is no longer busy:
		// PQgetResult below returns that as an error result without
		// blocking, so the reason is not lost. Never call PQgetResult while
		// still busy: it would block outside the latch (next_piece).
		PGresult *r = next_piece();
		if (!r)
			break;
		Result res(r);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COPY_OUT || st == PGRES_COPY_IN || st == PGRES_COPY_BOTH) {
			last = std::move(res);
			return last; // caller drives the COPY
		}
		if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR) {
			if (!error.raw())
				error = std::move(res);
		} else {
			last = std::move(res);
		}
	}
	if (error.raw())
		fail("query failed on the source server", error.raw());
	last_reply_ = std::chrono::steady_clock::now();
	return last;
}

// A programming error, not the source's: the source is still to send the
// rows of COPYs of a batch, which a new query would have to wait behind
// (and whose results it would take for its own).
void Connection::refuse_while_copies_wait() const {
	if (copies_waiting_ > 0)
		throw core::Error("a query was sent to the source server while " + std::to_string(copies_waiting_) +
		                      " COPY statements sent ahead were still to be read",
		                  core::sqlstate::internal_error);
}

Result Connection::exec(const std::string &sql) {
	refuse_while_copies_wait();
	if (!PQsendQuery(conn_, sql.c_str()))
		fail("could not send a query to the source server");
	send_and_flush();
	return collect(sql);
}

Result Connection::exec_params(const std::string &sql,
                               const std::vector<std::optional<std::string>> &params) {
	queue_params(sql, params);
	send_and_flush();
	return collect(sql);
}

void Connection::start_copy_out(const std::string &sql) {
	send_copy_out(sql);
	await_copy_out();
}

void Connection::send_copy_out(const std::string &sql) {
	send_copy_batch({sql});
}

void Connection::send_copy_batch(const std::vector<std::string> &copies) {
	refuse_while_copies_wait();
	std::string text;
	for (const auto &sql : copies)
		text += (text.empty() ? "" : "; ") + sql;
	if (!PQsendQuery(conn_, text.c_str()))
		fail("could not send a query to the source server");
	copies_waiting_ = static_cast<int>(copies.size());
	send_and_flush();
}

void Connection::await_copy_out() {
	// Those after this one; none while it starts, so that a source error
	// (which ends the batch: the source skips the statements after it)
	// leaves none waiting.
	const int left = copies_waiting_ > 0 ? copies_waiting_ - 1 : 0;
	copies_waiting_ = 0;
	Result r = collect("COPY");
	if (PQresultStatus(r.raw()) != PGRES_COPY_OUT)
		throw core::Error("source server did not start COPY OUT", core::sqlstate::internal_error);
	copies_waiting_ = left;
}

void Connection::finish_copy_out() {
	if (copies_waiting_ > 0) {
		// the COPY's own result was read with its stream (copy::copy_into)
		last_reply_ = std::chrono::steady_clock::now();
		return;
	}
	// Nothing follows the COPY's own result: another result would be a
	// statement the caller did not send (a source text that added one).
	Result r = collect("COPY");
	if (r.raw())
		throw core::Error("the source server answered a COPY with more results than the one statement sent",
		                  core::sqlstate::protocol_violation,
		                  "The source server is " + describe() + ".");
}

void Connection::discard_copy_out() {
	await_copy_out();
	for (;;) {
		char *buf = nullptr;
		int r = PQgetCopyData(conn_, &buf, 1);
		if (buf)
			PQfreemem(buf);
		if (r > 0)
			continue;
		if (r == 0) {
			wait_events(conn_, WL_SOCKET_READABLE, -1);
			if (!PQconsumeInput(conn_) && PQstatus(conn_) == CONNECTION_BAD)
				fail("lost the connection to the source server during COPY");
			continue;
		}
		if (r == -2)
			fail("lost the connection to the source server during COPY");
		break;
	}
	// The COPY's own result (an error the source raised half-way fails here).
	Result res(next_piece());
	if (!res.raw() || PQresultStatus(res.raw()) != PGRES_COMMAND_OK) {
		copies_waiting_ = 0;
		fail("query failed on the source server", res.raw());
	}
	finish_copy_out();
}

void Connection::begin_pipeline() {
	if (!PQenterPipelineMode(conn_))
		fail("could not enter pipeline mode on the source connection");
}

void Connection::queue_params(const std::string &sql, const std::vector<std::optional<std::string>> &params) {
	refuse_while_copies_wait();
	std::vector<const char *> vals;
	for (const auto &p : params)
		vals.push_back(p ? p->c_str() : nullptr);
	if (!PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(vals.size()), nullptr, vals.data(), nullptr,
	                       nullptr, 0))
		fail("could not send a query to the source server");
}

void Connection::send_pipeline() {
	if (!PQpipelineSync(conn_) || PQflush(conn_) < 0)
		fail("could not send a query to the source server");
}

void Connection::flush_pipeline() {
	if (!PQsendFlushRequest(conn_) || PQflush(conn_) < 0)
		fail("could not send a query to the source server");
}

bool Connection::result_ready() {
	pump();
	return !PQisBusy(conn_);
}

void Connection::pump() {
	if (PQflush(conn_) < 0 || !PQconsumeInput(conn_))
		fail("lost the connection to the source server");
}

PGresult *Connection::next_piece() {
	while (PQisBusy(conn_)) {
		// What is left of queued queries (send_pipeline) goes out as the
		// source reads it; otherwise there is nothing to send.
		int unsent = PQflush(conn_);
		if (unsent < 0)
			fail("could not send a query to the source server");
		wait_events(conn_, WL_SOCKET_READABLE | (unsent ? WL_SOCKET_WRITEABLE : 0), -1);
		if (!PQconsumeInput(conn_) && PQisBusy(conn_))
			fail("lost the connection to the source server");
	}
	return PQgetResult(conn_);
}

Result Connection::pipeline_result() {
	Result res(next_piece());
	if (!res.raw())
		fail("lost the connection to the source server");
	ExecStatusType st = PQresultStatus(res.raw());
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
		fail("query failed on the source server", st == PGRES_PIPELINE_ABORTED ? nullptr : res.raw());
	// In pipeline mode a null result ends each query's results.
	Result end(next_piece());
	if (end.raw())
		throw core::Error("the source server answered one catalog query with more than one result",
		                  core::sqlstate::internal_error);
	return res;
}

void Connection::end_pipeline() {
	Result sync(next_piece());
	if (!sync.raw() || PQresultStatus(sync.raw()) != PGRES_PIPELINE_SYNC || !PQexitPipelineMode(conn_))
		fail("could not leave pipeline mode on the source connection");
}

} // namespace pgclone::libpq

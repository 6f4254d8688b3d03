// Source connections (docs/ARCHITECTURE.md): RAII over PGconn/PGresult,
// used non-blocking; every wait is on the socket *and* the process latch so
// that pg_cancel_backend and statement_timeout stop a clone within a second.
//
// Include pgclone/pg/postgres.hpp before this header (C++ regime module that
// reaches PostgreSQL only through pg::call).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "pgclone/libpq/conninfo.hpp"

namespace pgclone::libpq {

class Result {
public:
	Result() noexcept = default;
	explicit Result(PGresult *r) noexcept : res_(r) {}
	~Result() noexcept {
		if (res_)
			PQclear(res_);
	}
	Result(Result &&o) noexcept : res_(o.res_) { o.res_ = nullptr; }
	Result &operator=(Result &&o) noexcept {
		if (this != &o) {
			if (res_)
				PQclear(res_);
			res_ = o.res_;
			o.res_ = nullptr;
		}
		return *this;
	}
	Result(const Result &) = delete;
	Result &operator=(const Result &) = delete;

	int rows() const noexcept { return res_ ? PQntuples(res_) : 0; }
	int cols() const noexcept { return res_ ? PQnfields(res_) : 0; }
	bool is_null(int r, int c) const noexcept { return PQgetisnull(res_, r, c); }
	// Text value; empty string for NULL.
	std::string get(int r, int c) const {
		return std::string(PQgetvalue(res_, r, c), PQgetlength(res_, r, c));
	}
	std::optional<std::string> get_opt(int r, int c) const {
		if (is_null(r, c))
			return std::nullopt;
		return get(r, c);
	}
	bool get_bool(int r, int c) const { return !is_null(r, c) && PQgetvalue(res_, r, c)[0] == 't'; }
	long long get_int(int r, int c) const;
	int column(const char *name) const;
	PGresult *raw() const noexcept { return res_; }

private:
	PGresult *res_ = nullptr;
};

class Connection {
public:
	// Connects (non-blocking, interruptible) and prepares the session:
	// search_path = pg_catalog, extra_float_digits = 3, client_encoding =
	// client_encoding (the target database's encoding).
	static Connection open(const std::string &conninfo, const std::string &client_encoding);

	Connection(Connection &&o) noexcept;
	Connection &operator=(Connection &&) = delete;
	Connection(const Connection &) = delete;
	Connection &operator=(const Connection &) = delete;
	~Connection() noexcept;

	// Runs sql (one or more statements) and returns the last result.
	// A source error becomes core::Error with the source's SQLSTATE.
	Result exec(const std::string &sql);
	// One statement with text parameters $1..$n.
	Result exec_params(const std::string &sql, const std::vector<std::optional<std::string>> &params);

	// Starts `COPY ... TO STDOUT`; afterwards read with the copy reader.
	void start_copy_out(const std::string &sql);
	// start_copy_out in two halves: send_copy_out sends the query and
	// returns at once, so that the source finds and sends the rows while the
	// caller works on the target; await_copy_out waits until the COPY has
	// started. Nothing else may run on the connection in between (a failure
	// in between aborts the target transaction, which closes the connection).
	void send_copy_out(const std::string &sql);
	void await_copy_out();
	// Reads the final result after a COPY OUT ended; throws on error. Of a
	// COPY of a batch with more to come, nothing more: the next COPY's
	// results follow.
	void finish_copy_out();
	// Several `COPY ... TO STDOUT` statements (each one statement that the
	// caller built) in one message: the source runs them one after the other
	// in the current transaction, so the rows of many small tables take one
	// round trip. Each is then read in turn as a COPY sent early is
	// (await_copy_out, the stream, finish_copy_out) or dropped
	// (discard_copy_out). Nothing else may run on the connection until the
	// last was read: a query sent meanwhile is refused with an error.
	void send_copy_batch(const std::vector<std::string> &copies);
	// The next COPY of a batch, its rows read and dropped.
	void discard_copy_out();
	// The COPYs sent whose stream has not started yet.
	int copies_waiting() const noexcept { return copies_waiting_; }

	// Pipeline mode (libpq 14+): queries queued and sent together, which the
	// source then works through while the caller does other work; their
	// results are read later, in the order queued. Nothing else may run on
	// the connection from begin_pipeline to end_pipeline.
	void begin_pipeline();
	// Queues one statement with text parameters $1..$n (outside pipeline
	// mode: the first half of exec_params).
	void queue_params(const std::string &sql, const std::vector<std::optional<std::string>> &params);
	// Ends what was queued with a sync point and sends what the socket
	// takes now, without waiting: the source reads the rest as it works
	// through the queue, and pump and pipeline_result send it then (waiting
	// here would wait for the source to run most of the queue).
	void send_pipeline();
	// Asks the source to send the replies of what was queued so far (no
	// sync point: more may be queued after them) and sends what the socket
	// takes now, as send_pipeline does.
	void flush_pipeline();
	// Whether the next queued query's result has arrived in full (reads
	// what the socket holds, never waits).
	bool result_ready();
	// Sends and reads what the socket allows, without waiting: a source
	// whose replies fill the socket stops working through the queue until
	// they are read.
	void pump();
	// The result of the next query queued (waits for it). A source error
	// fails as exec_params does.
	Result pipeline_result();
	// After the last result: reads the sync point and leaves pipeline mode.
	void end_pipeline();

	// When the source last answered a statement in full (a query's or a
	// COPY's end).
	std::chrono::steady_clock::time_point last_reply() const noexcept { return last_reply_; }

	// "host "h", port p, database "d"": how messages name this server.
	std::string describe() const;
	int server_version() const noexcept { return PQserverVersion(conn_); }
	PGconn *raw() const noexcept { return conn_; }
	// Values of the conninfo that must never be shown (password, sslpassword).
	const std::vector<std::string> &secrets() const noexcept { return secrets_; }

	// Waits until the socket is readable / writable, or the latch is set
	// (then checks interrupts). timeout_ms < 0 waits without a limit.
	// Returns false on timeout.
	static bool wait_socket(PGconn *conn, bool for_write, long timeout_ms);
	// The same for any of WL_SOCKET_READABLE / WL_SOCKET_WRITEABLE.
	static bool wait_events(PGconn *conn, int socket_events, long timeout_ms);

private:
	explicit Connection(PGconn *c, std::vector<std::string> secrets) noexcept;
	void send_and_flush();
	void refuse_while_copies_wait() const;
	Result collect(const std::string &sql);
	PGresult *next_piece(); // PQgetResult once it cannot block
	[[noreturn]] void fail(const std::string &what, const PGresult *res = nullptr) const;

	PGconn *conn_ = nullptr;
	int slot_ = -1;
	int copies_waiting_ = 0; // send_copy_batch
	std::chrono::steady_clock::time_point last_reply_;
	std::vector<std::string> secrets_;
};

// A caller who is not a superuser must put the password in the connection
// string (the rule of dblink and postgres_fdw): otherwise the target
// server's own identity (OS user, ~/.pgpass, trust/peer) would be lent to
// anyone granted EXECUTE. Throws core::Error 2F003. Connection::open
// checks it, and so do the async functions before a job is queued.
void require_own_password(const ConnParams &p);

// The SQLSTATE a client of the target gets for an error the source
// reported. Classes 08 (connection exception) and 57 (operator
// intervention: the source's admin_shutdown, query_canceled, ...) describe
// the *source* session; passed on unchanged they would tell the client that
// its own session was terminated or canceled (and a PL/pgSQL handler for
// query_canceled would take it for a cancel of its own). They become 08006
// connection_failure, with the source's code named in the detail; every
// other code (a data error in a where filter, a missing privilege) passes
// through. A missing or malformed code also becomes 08006.
std::string client_sqlstate_for_source_error(const std::string &source_sqlstate);

// Transaction callback (PG regime, registered by _PG_init): at abort,
// closes source connections a C++ destructor did not get to close (only
// possible if an error bypassed the boundary).
void on_xact_event(XactEvent event, void *arg) noexcept;

} // namespace pgclone::libpq

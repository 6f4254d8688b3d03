// The source side of a multi-table clone (docs/CONSISTENCY.md).
//
// A synchronous schema or database clone reads everything through one
// connection, in one REPEATABLE READ READ ONLY transaction: every table,
// view and function comes from the same snapshot, so parent and child rows
// always match. That connection is the snapshot keeper. It sits idle in its
// transaction while the target loads rows, builds indexes and fills
// materialized views, so the keeper turns the source's own timeouts off for
// its transaction (SET LOCAL idle_in_transaction_session_timeout = 0,
// statement_timeout = 0); keepalives are injected by libpq::Connection.
// Clones that use more connections export the keeper's snapshot and import
// it elsewhere with libpq::open_source(conninfo, id).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::snapshot {

class Keeper {
public:
	// Connects and begins the transaction. consistent = false: every unit of
	// work (next_unit) gets a fresh transaction instead of one for the whole
	// clone. import_id: start from a snapshot the caller exported.
	static Keeper open(const std::string &conninfo, bool consistent,
	                   const std::optional<std::string> &import_id);

	libpq::Connection &connection() noexcept { return conn_; }

	// pg_export_snapshot(), once; valid while the keeper's transaction is open.
	const std::string &export_snapshot();

	// A second session of the source that reads what the keeper reads: in a
	// REPEATABLE READ READ ONLY transaction under the keeper's exported
	// snapshot (consistent; otherwise a snapshot of its own, as each unit of
	// the keeper has), its timeouts off like the keeper's. Closed with
	// libpq::close_source. A schema clone reads the rest of its tables'
	// definitions on one while the target creates the first tables.
	libpq::Connection open_companion();

	// A cheap round trip before a phase: a keeper the source has dropped (a
	// firewall, a terminated backend) is reported by name before more work.
	void ping(const std::string &phase);
	// ping, unless the source answered the keeper less than a second ago:
	// a phase that follows another needs no round trip to learn the
	// session is there.
	void ping_before(const std::string &phase);

	// Between tables and phases. consistent: nothing. Otherwise rolls back and
	// begins a new transaction (each table reads its own snapshot).
	void next_unit();

	// Ends the read-only transaction with ROLLBACK (libpq::close_source).
	void close();

private:
	Keeper(libpq::Connection conn, bool consistent, std::string conninfo) noexcept
	    : conn_(std::move(conn)), consistent_(consistent), conninfo_(std::move(conninfo)) {}
	static void disable_timeouts(libpq::Connection &conn);

	libpq::Connection conn_;
	bool consistent_;
	std::string conninfo_;
	std::string snapshot_id_;
};

} // namespace pgclone::snapshot

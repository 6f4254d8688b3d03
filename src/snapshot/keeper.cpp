// The snapshot keeper. C++ regime; reaches the source through libpq only.
#include <chrono>
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/snapshot/keeper.hpp"

namespace pgclone::snapshot {

Keeper Keeper::open(const std::string &conninfo, bool consistent,
                    const std::optional<std::string> &import_id) {
	// open_source begins the transaction and imports the snapshot (SET
	// TRANSACTION SNAPSHOT must come first in it); the timeouts follow.
	Keeper k(libpq::open_source(conninfo, import_id), consistent, conninfo);
	disable_timeouts(k.conn_);
	return k;
}

void Keeper::disable_timeouts(libpq::Connection &conn) {
	// Both are PGC_USERSET: no privilege needed. SET LOCAL ends with the
	// transaction, so a pooled connection keeps its own settings.
	conn.exec("SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL statement_timeout = 0");
}

libpq::Connection Keeper::open_companion() {
	std::optional<std::string> id;
	if (consistent_)
		id = export_snapshot();
	libpq::Connection c = libpq::open_source(conninfo_, id);
	disable_timeouts(c);
	return c;
}

const std::string &Keeper::export_snapshot() {
	if (snapshot_id_.empty())
		snapshot_id_ = conn_.exec("SELECT pg_catalog.pg_export_snapshot()").get(0, 0);
	return snapshot_id_;
}

void Keeper::ping_before(const std::string &phase) {
	if (std::chrono::steady_clock::now() - conn_.last_reply() >= std::chrono::seconds(1))
		ping(phase);
}

void Keeper::ping(const std::string &phase) {
	try {
		conn_.exec("SELECT 1");
	} catch (const core::Error &e) {
		std::string detail = e.what();
		if (!e.detail().empty())
			detail += ": " + e.detail();
		throw core::Error(
		    "lost the snapshot keeper connection to the source server before phase \"" + phase + "\"",
		    core::sqlstate::connection_failure, detail,
		    "The source ended the clone's transaction: the backend was terminated, or a firewall dropped the idle connection. Nothing of the clone is kept; run it again.");
	}
}

void Keeper::next_unit() {
	if (consistent_)
		return;
	snapshot_id_.clear();
	// The search_path a schema move set (clone/target_schema.hpp) was set in
	// the transaction and would end with it: the next unit keeps it.
	const std::string path = libpq::search_path(conn_);
	conn_.exec("ROLLBACK"); // never COMMIT, as libpq::close_source
	conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	disable_timeouts(conn_);
	libpq::set_search_path(conn_, path);
}

void Keeper::close() {
	libpq::close_source(conn_);
}

} // namespace pgclone::snapshot

// Source session setup for clones.
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::libpq {

std::string target_encoding() {
	const char *enc = pg::call([] { return GetDatabaseEncodingName(); });
	return enc;
}

Connection open_source(const std::string &conninfo, const std::optional<std::string> &snapshot_id) {
	Connection src = Connection::open(conninfo, target_encoding());
	src.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (snapshot_id) {
		try {
			src.exec("SET TRANSACTION SNAPSHOT " + core::quote_literal(*snapshot_id));
		} catch (const core::Error &e) {
			// An unknown snapshot is undefined_object (42704) on PostgreSQL 17+ sources and
			// invalid_parameter_value (22023) on older ones; the id is a parameter the caller gave,
			// so report 22023 whatever the source version.
			const bool unknown = std::string(e.sqlstate()) == core::sqlstate::undefined_object;
			throw core::Error(
			    std::string("could not import snapshot \"") + *snapshot_id +
			        "\" on the source server: " + e.what(),
			    unknown ? core::sqlstate::invalid_parameter_value : e.sqlstate(), e.detail(),
			    "The exporting transaction has probably ended: its session was closed, killed by idle_in_transaction_session_timeout or statement_timeout, or dropped by a firewall. Export a new snapshot and keep its transaction open, or pass {\"consistent\": false} to clone without a shared snapshot.");
		}
	}
	return src;
}

std::string search_path(Connection &src) {
	return src.exec("SELECT pg_catalog.current_setting('search_path')").get(0, 0);
}

void set_search_path(Connection &src, const std::string &value) {
	src.exec_params("SELECT pg_catalog.set_config('search_path', $1, false)", {value});
}

void close_source(Connection &src) {
	// Never COMMIT: the transaction only read, and whatever an expression the
	// caller gave (a where filter) did on the source must not persist, even
	// what READ ONLY does not forbid (lo_import, pg_notify, ...).
	src.exec("ROLLBACK");
}

} // namespace pgclone::libpq

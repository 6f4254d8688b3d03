// Opening the source side of a clone: a connection inside a
// REPEATABLE READ READ ONLY transaction, optionally bound to an exported
// snapshot (docs/ARCHITECTURE.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::libpq {

// The target database's encoding name: the source sends text in it.
std::string target_encoding();

// Connects and begins the read-only transaction. With snapshot_id, imports
// it (SET TRANSACTION SNAPSHOT); a failed import carries a hint naming the
// likely causes and the {"consistent": false} opt-out.
Connection open_source(const std::string &conninfo,
                              const std::optional<std::string> &snapshot_id = {});

// The source session's search_path, and setting it with set_config(...,
// false): it lasts past the statement, and ends with the transaction if
// that rolls back (snapshot::Keeper::next_unit sets it again).
std::string search_path(Connection &src);
void set_search_path(Connection &src, const std::string &value);

// Ends the read-only transaction with ROLLBACK (never COMMIT: nothing done
// on the source persists) and so the snapshot.
void close_source(Connection &src);

} // namespace pgclone::libpq

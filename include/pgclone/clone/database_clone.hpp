// pgclone.database() and pgclone.database_create().
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

#include "pgclone/core/options.hpp"

namespace pgclone::clone {

// GUC pgclone.local_conninfo (PGC_SUSET, defined in _PG_init): how
// database_create reaches this server. NULL or empty: the first unix socket
// directory of this server, its port, the current user.
extern char *local_conninfo_setting;

// Every user schema of the source, the extensions it uses, in one snapshot.
std::string clone_database(const std::string &conninfo, bool include_data, const core::CloneOptions &options);

// CREATE DATABASE target_dbname through a loopback connection (CREATE
// DATABASE cannot run in the caller's transaction), then, connected to the
// new database, CREATE EXTENSION pgclone and pgclone.database(conninfo,
// include_data, options) with options_text forwarded verbatim. If the clone
// fails, the new database is dropped again.
std::string database_create(const std::string &conninfo, const std::string &target_dbname, bool include_data,
                            const std::optional<std::string> &options_text);

} // namespace pgclone::clone

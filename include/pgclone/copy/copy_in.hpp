// The COPY streamer (DESIGN.md §4): the source's `COPY ... TO STDOUT` feeds
// PostgreSQL's own BeginCopyFrom/CopyFrom on the local table through a
// data_source_cb, as logical replication's table sync does. No loopback.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::copy {

struct CopyStats {
	uint64_t rows = 0;
	uint64_t bytes = 0;
	double seconds = 0;
};

// Runs source_copy_sql (a `COPY ... TO STDOUT` in text format) on src and
// loads the stream into the local relation relid, columns in the given
// order. The target must accept the rows under the caller's privileges
// (INSERT privilege, no row-level security), as COPY FROM would require.
// A source error or lost connection mid-stream raises an ERROR: the rows
// loaded so far are never committed.
CopyStats copy_into(libpq::Connection &src, const std::string &source_copy_sql, Oid relid,
                    const std::vector<std::string> &columns);

} // namespace pgclone::copy

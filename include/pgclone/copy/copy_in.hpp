// The COPY streamer (docs/ARCHITECTURE.md): the source's `COPY ... TO STDOUT` feeds
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
	bool frozen = false; // rows were loaded with COPY FREEZE
};

enum class CopyFormat { Text, Binary };

// Called while a COPY streams, after each message from the source, with
// the bytes received so far. Async jobs set it to publish their progress.
// PG regime: it runs inside CopyFrom, so it must not raise an ERROR, throw,
// or take long. nullptr (the default): nobody is told.
using ProgressHook = void (*)(uint64_t bytes_so_far);
extern ProgressHook progress_hook;

// Runs source_copy_sql (a `COPY ... TO STDOUT` in `format`) on src and
// loads the stream into the local relation relid, columns in the given
// order. Binary is for columns whose types both servers share (same major
// version, built-in types): it skips the text parsing on the target. Rows
// are loaded frozen when PostgreSQL allows COPY FREEZE (the table was
// created in this transaction and no older snapshot can see it). The target must accept the rows under the
// caller's privileges (INSERT privilege, no row-level security), as COPY FROM would require. A source error
// or lost connection mid-stream raises an ERROR: the rows loaded so far are never committed.
// bytes_total_estimate (0: unknown) is shown as pg_stat_progress_copy.bytes_total, so that
// another session can see how far the copy is.
// sent_early: the caller already sent source_copy_sql (Connection::send_copy_out).
CopyStats copy_into(libpq::Connection &src, const std::string &source_copy_sql, Oid relid,
                    const std::vector<std::string> &columns, CopyFormat format = CopyFormat::Text,
                    uint64_t bytes_total_estimate = 0, bool sent_early = false);

} // namespace pgclone::copy

// The source's own estimate of a table's size: reltuples and
// pg_relation_size() of the table and its partitions (no row is read). The
// dry run shows it per table; the COPY sets pg_stat_progress_copy's
// bytes_total from it.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct SizeEstimate {
	uint64_t rows = 0;  // reltuples (0 for a table never vacuumed or analyzed)
	uint64_t bytes = 0; // main fork size on disk
};

SizeEstimate read_size_estimate(libpq::Connection &src, const std::string &table_oid);

} // namespace pgclone::catalog

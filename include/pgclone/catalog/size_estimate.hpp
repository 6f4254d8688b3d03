// The source's own estimate of a table's size: reltuples and
// pg_relation_size() of the table and of its partitions at any depth (no
// row is read). Read with the table's other pg_class facts (the relation
// reader of a table plan, so with one query for all tables); the dry run
// shows it per table, the COPY sets pg_stat_progress_copy's bytes_total
// from it.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <string>

namespace pgclone::catalog {

struct SizeEstimate {
	uint64_t rows = 0;  // reltuples (0 for a table never vacuumed or analyzed)
	uint64_t bytes = 0; // main fork size on disk
};

// Two columns over pg_class c: the row estimate and the bytes, as int8.
extern const char *const size_estimate_columns_sql;

// A count the source sent: digits only, else 0 (an estimate is never worth
// failing a clone over).
uint64_t estimate_count(const std::string &text);

} // namespace pgclone::catalog

// Where sequences stand (last_value, is_called), read for many sequences in
// few queries. Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

// Fills last_value and is_called of each sequence (schema, name). The
// state is not transactional: these are the values now, which can only be
// ahead of the rows the snapshot sees (the safe direction).
void read_sequence_positions(libpq::Connection &src, const std::vector<OwnedSequence *> &sequences);
// The same in two halves, for a session that queues its queries (the plan
// read ahead): the queries that read the positions of `sequences` (a chunk
// of them each), and the filing of the reply to query number `query`.
std::vector<std::string> sequence_position_queries(const std::vector<OwnedSequence *> &sequences);
void file_sequence_positions(const libpq::Result &r, const std::vector<OwnedSequence *> &sequences,
                             std::size_t query);

// `text` when it is an integer literal (sequence values and options are
// spliced into the target's DDL); anything else from the source is a
// malformed reply and an ERROR.
std::string checked_integer(const std::string &text);

// The options of a sequence from seven consecutive columns of a reply row,
// starting at `col`: format_type(seqtypid), seqstart, seqincrement, seqmin,
// seqmax, seqcache, seqcycle (the integers checked).
void read_sequence_options(const libpq::Result &r, int row, int col, OwnedSequence &s);

} // namespace pgclone::catalog

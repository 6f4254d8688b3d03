// Where sequences stand (last_value, is_called), read for many sequences in
// few queries. Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

// Fills last_value and is_called of each sequence (schema, name). The
// state is not transactional: these are the values now, which can only be
// ahead of the rows the snapshot sees (the safe direction).
void read_sequence_positions(libpq::Connection &src, const std::vector<OwnedSequence *> &sequences);

// `text` when it is an integer literal (sequence values and options are
// spliced into the target's DDL); anything else from the source is a
// malformed reply and an ERROR.
std::string checked_integer(const std::string &text);

// The options of a sequence from seven consecutive columns of a reply row,
// starting at `col`: format_type(seqtypid), seqstart, seqincrement, seqmin,
// seqmax, seqcache, seqcycle (the integers checked).
void read_sequence_options(const libpq::Result &r, int row, int col, OwnedSequence &s);

} // namespace pgclone::catalog

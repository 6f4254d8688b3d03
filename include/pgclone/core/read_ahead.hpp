// How a schema clone reads its tables' definitions ahead (catalog/
// plan_read_ahead.hpp): how many it reads before its first table, and the
// slices of the rest. Pure logic, no server headers.
#pragma once

#include <cstddef>
#include <vector>

namespace pgclone::core {

// Tables of the first slice read ahead: the first tables wait for it.
constexpr std::size_t read_ahead_first = 64;

// Whether a plan of n tables reads ahead: a second source session pays for
// itself when there are more than twice as many as the first slice.
inline bool reads_ahead(std::size_t n) { return n > 2 * read_ahead_first; }

// The sizes of the slices the n tables are read in: read_ahead_first, then
// each twice the one before, so that a slice reaches the target while the
// tables before it are created (a table costs the target over ten times what
// its definition costs the source), in about log2(n / 64) slices of seven
// queries. A rest smaller than half a slice joins the slice before (so
// seven queries less); slices grow to 4,096 tables at most, or one and a
// half times that with such a rest.
std::vector<std::size_t> read_ahead_slices(std::size_t n);

} // namespace pgclone::core

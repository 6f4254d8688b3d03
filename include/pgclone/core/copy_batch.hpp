// Which COPYs a synchronous schema clone sends to the source in one message
// (clone/copy_ahead.hpp). Pure logic, no server headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pgclone::core {

// A table is small enough to have its COPY sent with others when its size
// on the source is at most this: its round trip then costs more than its
// rows. A larger table's COPY goes alone (still sent before its table is
// created), as its rows dwarf one round trip.
constexpr uint64_t copy_batch_table_bytes = 1024 * 1024;
// At most this many COPYs in one message: the source's log shows one line
// per message, and a table's position in the batch is its wait.
constexpr std::size_t copy_batch_max = 100;

// How many of the next tables go into one batch: `bytes` holds the size
// on the source of each next table whose COPY may be sent ahead, in the
// order the clone reaches them. The batch takes those from the first up to
// the first one too large (which is not taken), at most copy_batch_max.
// 0 when the first is too large (or there is none): it sends its own.
std::size_t copy_batch_length(const std::vector<uint64_t> &bytes);

} // namespace pgclone::core

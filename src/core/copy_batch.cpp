// Which COPYs go to the source in one message (copy_batch.hpp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pgclone/core/copy_batch.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::size_t copy_batch_length(const std::vector<uint64_t> &bytes) {
	std::size_t n = 0;
	while (n < bytes.size() && n < copy_batch_max && bytes[n] <= copy_batch_table_bytes)
		n++;
	return n;
}

} // namespace pgclone::core

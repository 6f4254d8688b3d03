// Slices of a plan read ahead (read_ahead.hpp).
#include <algorithm>
#include <cstddef>
#include <vector>

#include "pgclone/core/read_ahead.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::vector<std::size_t> read_ahead_slices(std::size_t n) {
	constexpr std::size_t largest = 4096;
	std::vector<std::size_t> sizes;
	for (std::size_t size = read_ahead_first; n > 0; size = std::min(size * 2, largest)) {
		std::size_t take = n < size + size / 2 ? n : size;
		sizes.push_back(take);
		n -= take;
	}
	return sizes;
}

} // namespace pgclone::core

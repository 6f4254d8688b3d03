// Text into the fixed-size char arrays of shared memory (the job table, the
// progress board): cut at a character boundary so that a long name never
// leaves half a multibyte character behind. PG regime, cannot fail.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstring>

namespace pgclone::pg {

inline void copy_clipped(char *dst, int capacity, const char *src) noexcept {
	int len = static_cast<int>(std::strlen(src));
	if (len >= capacity)
		len = pg_mbcliplen(src, len, capacity - 1);
	std::memcpy(dst, src, len);
	dst[len] = '\0';
}

} // namespace pgclone::pg

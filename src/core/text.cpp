// Text formatting helpers.
#include <cstdio>

#include "pgclone/core/text.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::string format_fixed(double value, int decimals) {
	char buf[64];
	std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
	return buf;
}

std::string format_copy_progress(uint64_t rows, uint64_t bytes, double seconds) {
	return plural(rows, "row", "rows") + ", " + format_fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 2) +
	       " MB in " + format_fixed(seconds, 2) + " s";
}

std::string plural(uint64_t n, const char *singular, const char *plural_form) {
	return std::to_string(n) + " " + (n == 1 ? singular : plural_form);
}

} // namespace pgclone::core

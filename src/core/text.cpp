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
	return plural(rows, "row", "rows") + ", " +
	       format_fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 2) + " MB in " +
	       format_fixed(seconds, 2) + " s";
}

std::string plural(uint64_t n, const char *singular, const char *plural_form) {
	return std::to_string(n) + " " + (n == 1 ? singular : plural_form);
}

std::string without_json_last_read(const std::string &message) {
	const std::string marker = "; last read: '";
	const auto pos = message.find(marker);
	if (pos == std::string::npos)
		return message;
	// The quoted token may contain anything, even "'; expected "; the
	// parser's own "; expected ..." tail is the last one.
	const std::string tail = "'; expected ";
	const auto expected = message.rfind(tail);
	if (expected != std::string::npos && expected >= pos + marker.size())
		return message.substr(0, pos) + message.substr(expected + 1);
	return message.substr(0, pos);
}

} // namespace pgclone::core

// Text formatting helpers.
#include <cstdio>
#include <string_view>

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

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when the
// bytes there are not one (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
	const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
	const unsigned char lead = byte(i);
	if (lead < 0x80)
		return 1;
	std::size_t len = 0;
	unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
	if (lead >= 0xC2 && lead <= 0xDF) {
		len = 2;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		len = 3;
		lo = lead == 0xE0 ? 0xA0 : 0x80;
		hi = lead == 0xED ? 0x9F : 0xBF;
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		len = 4;
		lo = lead == 0xF0 ? 0x90 : 0x80;
		hi = lead == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi)
		return 0;
	for (std::size_t k = 2; k < len; ++k)
		if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
			return 0;
	return len;
}

} // namespace

// See text.hpp. Bytes that are not well-formed UTF-8 are shown as \xNN.
std::string printable(std::string_view s, std::size_t max_bytes) {
	static constexpr char hex[] = "0123456789abcdef";
	std::string out;
	std::size_t i = 0;
	while (i < s.size()) {
		if (out.size() >= max_bytes) {
			out += "...";
			break;
		}
		const auto c = static_cast<unsigned char>(s[i]);
		const std::size_t len = utf8_sequence_length(s, i);
		if (len == 0 || c < 0x20 || c == 0x7F) {
			out += "\\x";
			out += hex[c >> 4];
			out += hex[c & 0xF];
			++i;
		} else {
			out.append(s.substr(i, len));
			i += len;
		}
	}
	return out;
}

} // namespace pgclone::core

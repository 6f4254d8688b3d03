// Small text formatting helpers for messages and result texts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgclone::core {

// value with exactly `decimals` digits after the point ("1.50").
std::string format_fixed(double value, int decimals);

// "10 rows, 0.00 MB in 0.01 s"
std::string format_copy_progress(uint64_t rows, uint64_t bytes, double seconds);

// "1 warning" / "3 warnings"
std::string plural(uint64_t n, const char *singular, const char *plural_form);

// A JSON parser's message without its "; last read: '...'" part: that part
// quotes the input, which may hold a secret (a pseudonymization salt).
std::string without_json_last_read(const std::string &message);

// Text from a user or the source server echoed into an error message: the
// server must be able to send it whatever the client encoding, so invalid
// UTF-8 and control bytes become \xNN, and text longer than max_bytes is cut
// at a character boundary ("...").
std::string printable(std::string_view s, std::size_t max_bytes = 64);

} // namespace pgclone::core

// libFuzzer target for the options parser.
//
// core::Error is the only way these functions may fail. Anything else (another
// exception, a crash, a sanitizer report, or a broken invariant below) is a
// finding: the uncaught exception reaches std::terminate and aborts.

#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

using pgclone::core::CloneOptions;
using pgclone::core::Error;

void require(bool ok) {
	if (!ok)
		std::abort();
}

// Error texts go back to a PostgreSQL client, so they must be valid UTF-8
// without NUL bytes. Deliberately simpler than the parser's own check: any
// multi-byte sequence shape is accepted, only its structure is checked.
bool plausible_utf8(std::string_view s) {
	std::size_t i = 0;
	while (i < s.size()) {
		const auto c = static_cast<unsigned char>(s[i]);
		std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
		if (c == 0 || len == 0 || i + len > s.size())
			return false;
		for (std::size_t k = 1; k < len; ++k)
			if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2)
				return false;
		i += len;
	}
	return true;
}

void check_error(const Error &e) {
	require(std::strlen(e.sqlstate()) == 5);
	require(std::strlen(e.what()) > 0);
	require(plausible_utf8(e.what()) && plausible_utf8(e.detail()) && plausible_utf8(e.hint()));
}

// What a successful parse promises to the rest of pgclone.
void check_options(const CloneOptions &o) {
	require(o.parallel >= 1 && o.parallel <= 64);
	if (o.columns)
		require(!o.columns->empty());
	if (o.where) {
		require(!o.where->empty() && o.where->find('\0') == std::string::npos);
	}
	if (o.snapshot_id)
		require(!o.snapshot_id->empty() && o.snapshot_id->size() <= 63);
	if (o.mask)
		require(o.mask->is_object());
	if (o.masks)
		require(o.masks->is_object());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
	const std::string_view text(reinterpret_cast<const char *>(data), size);
	try {
		check_options(pgclone::core::parse_options(text));
	} catch (const Error &e) {
		check_error(e);
	}
	return 0;
}

// Textual test for pgclone secrets in SQL text (see secret_text.hpp).
#include <cstddef>
#include <cstring>
#include <initializer_list>

#include "pgclone/core/secret_text.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

char lower(char c) noexcept {
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// First occurrence of the lower-case needle in text, in any letter case.
const char *find_ci(const char *text, const char *needle) noexcept {
	std::size_t n = std::strlen(needle);
	for (const char *p = text; *p; ++p) {
		std::size_t i = 0;
		while (i < n && p[i] && lower(p[i]) == needle[i])
			i++;
		if (i == n)
			return p;
	}
	return nullptr;
}

} // namespace

bool may_carry_pgclone_secret(const char *text) noexcept {
	if (!text || !*text || !find_ci(text, "pgclone"))
		return false;
	for (const char *keyword : {"password", "secret", "salt"})
		if (find_ci(text, keyword))
			return true;
	const char *uri = std::strstr(text, "://");
	return uri && std::strchr(uri, '@');
}

} // namespace pgclone::core

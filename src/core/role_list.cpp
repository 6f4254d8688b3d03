// Parsing the role list of pgclone.clone_roles().
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/core/error.hpp"
#include "pgclone/core/role_list.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

bool is_space(char c) {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

[[noreturn]] void fail(const std::string &message, const std::string &detail = {}) {
	throw Error(
	    message, sqlstate::invalid_parameter_value, detail,
	    "Write role names separated by commas, e.g. 'test_reader, test_writer'; put a name that contains a comma in double quotes.");
}

} // namespace

std::vector<std::string> parse_role_list(std::string_view text) {
	std::vector<std::string> out;
	size_t i = 0, n = text.size(), element = 1;
	for (;;) {
		while (i < n && is_space(text[i]))
			i++;
		std::string name;
		if (i < n && text[i] == '"') {
			i++;
			bool closed = false;
			while (i < n) {
				if (text[i] == '"') {
					if (i + 1 < n && text[i + 1] == '"') {
						name += '"';
						i += 2;
						continue;
					}
					i++;
					closed = true;
					break;
				}
				name += text[i++];
			}
			if (!closed)
				fail("unterminated quoted role name in role list");
			while (i < n && is_space(text[i]))
				i++;
			if (i < n && text[i] != ',')
				fail("unexpected text after quoted role name \"" + name + "\" in role list");
		} else {
			while (i < n && text[i] != ',')
				name += text[i++];
			while (!name.empty() && is_space(name.back()))
				name.pop_back();
		}
		if (name.empty())
			fail(n == 0 || std::all_of(text.begin(), text.end(), is_space)
			         ? "role list is empty"
			         : "role list contains an empty name",
			     "Element " + std::to_string(element) + " is empty.");
		if (std::find(out.begin(), out.end(), name) == out.end())
			out.push_back(name);
		if (i >= n)
			break;
		i++; // the comma
		element++;
	}
	return out;
}

} // namespace pgclone::core

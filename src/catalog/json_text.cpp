// JSON name lists from catalog queries.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/catalog/json_text.hpp"

namespace pgclone::catalog {

std::vector<std::string> json_string_array(const std::string &text) {
	std::vector<std::string> out;
	if (text.empty())
		return out;
	auto j = nlohmann::json::parse(text);
	if (j.is_array())
		for (const auto &v : j)
			if (v.is_string())
				out.push_back(v.get<std::string>());
	return out;
}

} // namespace pgclone::catalog

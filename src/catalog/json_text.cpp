// JSON name lists from catalog queries.
#include <string>
#include <utility>
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

std::vector<std::pair<std::string, std::string>> json_name_pairs(const std::string &text) {
	std::vector<std::pair<std::string, std::string>> out;
	if (text.empty())
		return out;
	auto j = nlohmann::json::parse(text);
	if (!j.is_array())
		return out;
	for (const auto &v : j)
		if (v.is_array() && v.size() == 2 && v[0].is_string() && v[1].is_string())
			out.emplace_back(v[0].get<std::string>(), v[1].get<std::string>());
	return out;
}

} // namespace pgclone::catalog

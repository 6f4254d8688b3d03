// ALTER ROLE ... SET text (include/pgclone/core/role_settings.hpp).
#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/role_settings.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::string alter_role_set_sql(const std::string &role, const std::optional<std::string> &database,
                               const std::string &name, const std::vector<std::string> &values) {
	std::string quoted_name;
	std::size_t start = 0;
	for (;;) {
		const std::size_t dot = name.find('.', start);
		quoted_name +=
		    quote_ident(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
		if (dot == std::string::npos)
			break;
		quoted_name += ".";
		start = dot + 1;
	}
	std::string list;
	for (const auto &v : values)
		list += (list.empty() ? "" : ", ") + quote_literal(v);
	if (values.empty())
		list = "''";
	return "ALTER ROLE " + quote_ident(role) + (database ? " IN DATABASE " + quote_ident(*database) : "") +
	       " SET " + quoted_name + " = " + list;
}

} // namespace pgclone::core

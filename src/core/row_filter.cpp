// The `where` row filter's query texts and shape judgement (see row_filter.hpp).
#include <cctype>
#include <optional>
#include <string>

#include "pgclone/core/row_filter.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::string wrapped_filter_query(const std::string &filter) {
	return std::string("SELECT * FROM ") + filtered_rows_alias + " WHERE (" + filter + "\n)";
}

std::optional<std::string> filter_shape_problem(const FilterParse &p) {
	if (p.statements != 1)
		return "It ends the query and starts another statement.";
	if (!p.select)
		return "It turns the query into another kind of statement.";
	if (p.set_operation)
		return "It adds a set operation (UNION, INTERSECT or EXCEPT) to the query.";
	// Everything but the where clause is what wrapped_filter_query() wrote:
	// one target (*), one FROM item, no other clause.
	if (!p.where_clause || p.targets != 1 || p.from_items != 1 || p.other_clause)
		return "It closes the where clause and adds another clause to the query (GROUP BY, HAVING, WINDOW, ORDER BY, LIMIT, OFFSET, FOR UPDATE, ...).";
	return std::nullopt;
}

std::string filtered_rows_query(const std::string &select_list, const std::string &table_q,
                                const std::string &filter) {
	return "SELECT " + select_list + " FROM (SELECT * FROM " + table_q + " WHERE (" + filter + "\n)) AS " +
	       filtered_rows_alias;
}

std::optional<std::string> where_clause_condition(const std::string &clause) {
	auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; };
	std::size_t i = 0;
	while (i < clause.size() && space(clause[i]))
		i++;
	const std::string keyword = "where";
	if (clause.size() - i <= keyword.size())
		return std::nullopt;
	for (std::size_t k = 0; k < keyword.size(); k++)
		if (std::tolower(static_cast<unsigned char>(clause[i + k])) != keyword[k])
			return std::nullopt;
	const char after = clause[i + keyword.size()];
	if (!space(after) && after != '(')
		return std::nullopt;
	return clause.substr(i + keyword.size());
}

} // namespace pgclone::core

// Extension configuration rows (include/pgclone/clone/extension_config.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/extension_config.hpp"
#include "pgclone/clone/row_filter.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/copy/copy_in.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/row_filter.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

namespace {

// The expression of table t's configuration condition, or an ERROR that
// names the table and says why.
std::string checked_condition(const catalog::ExtensionConfigTable &t) {
	const std::string what = "the configuration condition of table " + core::display_name(t.schema, t.name) +
	                         " of extension \"" + t.extension + "\" on the source";
	const std::string hint = "pg_dump would run it as it is; fix it on the source (pg_extension_config_dump), or clone without the extension's rows.";
	std::optional<std::string> condition = core::where_clause_condition(t.condition);
	if (!condition)
		throw core::Error(what + " is not a WHERE clause", core::sqlstate::invalid_parameter_value,
		                  "It does not begin with WHERE.", hint);
	try {
		check_row_filter(*condition);
	} catch (const core::Error &e) {
		throw core::Error(what + " is not one WHERE clause of one condition", core::sqlstate::invalid_parameter_value,
		                  e.detail(), hint);
	}
	return *condition;
}

} // namespace

uint64_t copy_extension_config(libpq::Connection &src, const std::vector<catalog::ExtensionConfigTable> &tables) {
	uint64_t rows = 0;
	for (const auto &t : tables) {
		const std::string q = core::qualified_name(t.schema, t.name);
		if (t.relkind == 'S') {
			auto v = src.exec("SELECT last_value, is_called FROM " + q);
			pg::Spi spi;
			spi.query("SELECT pg_catalog.setval($1::pg_catalog.regclass, $2::bigint, $3::boolean)",
			          {q, v.get(0, 0), std::string(v.get_bool(0, 1) ? "true" : "false")});
			spi.finish();
			continue;
		}
		if (t.columns.empty())
			continue;
		std::string cols;
		for (const auto &c : t.columns)
			cols += (cols.empty() ? "" : ", ") + core::quote_ident(c);
		pg::Spi spi;
		unsigned int relid = relation_oid(t.schema, t.name);
		spi.finish();
		// The condition is the extension's own text, evaluated by the source in
		// its read-only transaction (pg_dump runs it too). It is the source's
		// text: one WHERE clause of one expression, checked with this backend's
		// parser as a row filter is, so that it cannot add a statement.
		std::string sql = "COPY (SELECT " + cols + " FROM " + q + ") TO STDOUT";
		if (!t.condition.empty())
			sql = "COPY (" + core::filtered_rows_query(cols, q, checked_condition(t)) + ") TO STDOUT";
		rows += copy::copy_into(src, sql, relid, t.columns).rows;
	}
	return rows;
}

} // namespace pgclone::clone

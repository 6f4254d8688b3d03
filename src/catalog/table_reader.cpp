// The one-table plan of pgclone.table: the table found by name, then read
// by the same per-kind readers as a schema's plan.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

std::string locate(libpq::Connection &src, const std::string &schema, const std::string &table) {
	auto r = src.exec_params("SELECT c.oid FROM pg_catalog.pg_namespace n "
	                         "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = $2 "
	                         "  AND c.relkind IN ('r', 'p') "
	                         "WHERE n.nspname = $1",
	                         Params{schema, table});
	if (r.rows() == 0)
		throw core::Error("schema \"" + schema + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	if (r.is_null(0, 0))
		throw core::Error("table \"" + schema + "\".\"" + table + "\" does not exist on the source server",
		                  core::sqlstate::undefined_table);
	return r.get(0, 0);
}

} // namespace

TablePlan read_one_table(libpq::Connection &src, const std::string &schema, const std::string &table,
                         const TablePlanScope &scope) {
	std::string oid = locate(src, schema, table);
	TablePlan plan = read_table_plan(src, {oid}, scope);
	if (!plan.find(oid))
		throw core::Error("table \"" + schema + "\".\"" + table + "\" does not exist on the source server",
		                  core::sqlstate::undefined_table);
	return plan;
}

std::string sequence_options_sql(const OwnedSequence &s) {
	return "AS " + s.type + " INCREMENT BY " + s.increment + " MINVALUE " + s.min + " MAXVALUE " + s.max +
	       " START WITH " + s.start + " CACHE " + s.cache + (s.cycle ? " CYCLE" : " NO CYCLE");
}

} // namespace pgclone::catalog

// The one-table plan of pgclone.table: the table found by name, then read
// by the same per-kind readers as a schema's plan.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

std::string locate(libpq::Connection &src, const std::string &schema, const std::string &table) {
	auto r = src.exec_params(R"sql(SELECT c.oid FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = $2
  AND c.relkind IN ('r', 'p')
WHERE n.nspname = $1)sql",
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

TablePlan read_named_tables(libpq::Connection &src,
                            const std::vector<std::pair<std::string, std::string>> &names,
                            const TablePlanScope &scope) {
	std::vector<std::string> schemas, tables;
	for (const auto &[schema, table] : names) {
		schemas.push_back(schema);
		tables.push_back(table);
	}
	auto r = src.exec_params(R"sql(SELECT c.oid FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]),
  pg_catalog.unnest($2::pg_catalog.text[])) AS w(nspname, relname)
JOIN pg_catalog.pg_namespace n ON n.nspname = w.nspname
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.relname
  AND c.relkind IN ('r', 'p'))sql",
	                         Params{core::text_array_literal(schemas), core::text_array_literal(tables)});
	std::vector<std::string> oids;
	for (int i = 0; i < r.rows(); i++)
		oids.push_back(r.get(i, 0));
	return read_table_plan(src, oids, scope);
}

std::string sequence_options_sql(const OwnedSequence &s) {
	return "AS " + s.type + " INCREMENT BY " + s.increment + " MINVALUE " + s.min + " MAXVALUE " + s.max +
	       " START WITH " + s.start + " CACHE " + s.cache + (s.cycle ? " CYCLE" : " NO CYCLE");
}

} // namespace pgclone::catalog

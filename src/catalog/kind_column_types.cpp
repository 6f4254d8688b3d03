// Object kind "column type": the user-defined types (enum, domain,
// composite, range) the columns of each table of a plan need, with every
// type they are built from, in any schema.
#include <set>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string column_types_sql(int) {
	// Every type reachable from the columns: arrays to their elements,
	// domains to their base, ranges to their subtype, multiranges to their
	// range, composites to their attributes. Built-in scalar types end a
	// branch at once; only user-definable kinds are returned.
	return R"sql(WITH RECURSIVE needed(rel, oid) AS (
 SELECT a.attrelid, a.atttypid FROM pg_catalog.pg_attribute a
 WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0
 AND NOT a.attisdropped
 UNION
 SELECT needed.rel, x.dep FROM needed
 JOIN pg_catalog.pg_type ty ON ty.oid = needed.oid
 CROSS JOIN LATERAL (
  SELECT ty.typelem WHERE ty.typelem OPERATOR(pg_catalog.<>) 0
  UNION ALL SELECT ty.typbasetype WHERE ty.typtype = 'd'
  UNION ALL SELECT rg.rngsubtype FROM pg_catalog.pg_range rg
   WHERE rg.rngtypid = ty.oid
  UNION ALL SELECT rg.rngtypid FROM pg_catalog.pg_range rg
   WHERE rg.rngmultitypid = ty.oid
  UNION ALL SELECT at.atttypid FROM pg_catalog.pg_attribute at
   WHERE ty.typtype = 'c' AND at.attrelid = ty.typrelid AND at.attnum > 0
   AND NOT at.attisdropped
 ) x(dep))
 SELECT needed.rel, needed.oid FROM needed
 JOIN pg_catalog.pg_type t ON t.oid = needed.oid
 WHERE t.typtype IN ('e', 'd', 'c', 'r') ORDER BY 1, 2)sql";
}

void file_column_types(const libpq::Result &r, TablePlan &plan) {
	for (int i = 0; i < r.rows(); i++)
		plan.row_table(r.get(i, 0)).type_oids.push_back(r.get(i, 1));
}

void read_missing_types(libpq::Connection &src, TablePlan &plan) {
	std::set<std::string> wanted;
	for (const auto &[oid, t] : plan.tables)
		for (const auto &type : t.type_oids)
			if (!plan.types.count(type))
				wanted.insert(type);
	if (wanted.empty())
		return;
	for (auto &t : read_types_by_oid(src, std::vector<std::string>(wanted.begin(), wanted.end()))) {
		std::string oid = t.oid;
		plan.types.emplace(oid, std::move(t));
	}
}

} // namespace pgclone::catalog::kinds

// Size estimates of source tables (include/pgclone/catalog/size_estimate.hpp).
#include <cstdint>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/size_estimate.hpp"

namespace pgclone::catalog {

// pg_partition_tree() lists nothing for a table that is not partitioned,
// hence the table's own row besides. Each relation's reltuples is looked up
// by oid (an index scan): a pg_class scan per table, which the planner chose
// for a join with the function's rows (or an OR of conditions), made the
// plan's relation query quadratic (33 s for 5,000 tables, 0.14 s now).
const char *const size_estimate_columns_sql = R"SQL(
(SELECT pg_catalog.sum(GREATEST((SELECT s.reltuples FROM pg_catalog.pg_class s WHERE s.oid = r.relid), 0))::pg_catalog.int8
 FROM (SELECT c.oid AS relid UNION SELECT t.relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree(c.oid::pg_catalog.regclass) t) r),
(SELECT pg_catalog.sum(GREATEST(pg_catalog.pg_relation_size(r.relid), 0))::pg_catalog.int8
 FROM (SELECT c.oid AS relid UNION SELECT t.relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree(c.oid::pg_catalog.regclass) t) r)
)SQL";

uint64_t estimate_count(const std::string &text) {
	if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
		return 0;
	return std::stoull(text);
}

} // namespace pgclone::catalog

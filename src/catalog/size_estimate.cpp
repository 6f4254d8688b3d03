// Size estimates of source tables (include/pgclone/catalog/size_estimate.hpp).
#include <cstdint>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/size_estimate.hpp"

namespace pgclone::catalog {

// pg_partition_tree() lists nothing for a table that is not partitioned,
// hence the table's own row besides.
const char *const size_estimate_columns_sql = R"SQL(
(SELECT pg_catalog.sum(GREATEST(s.reltuples, 0))::pg_catalog.int8 FROM pg_catalog.pg_class s
 WHERE s.oid = c.oid OR s.oid IN (SELECT t.relid FROM pg_catalog.pg_partition_tree(c.oid::pg_catalog.regclass) t)),
(SELECT pg_catalog.sum(GREATEST(pg_catalog.pg_relation_size(s.oid), 0))::pg_catalog.int8 FROM pg_catalog.pg_class s
 WHERE s.oid = c.oid OR s.oid IN (SELECT t.relid FROM pg_catalog.pg_partition_tree(c.oid::pg_catalog.regclass) t))
)SQL";

uint64_t estimate_count(const std::string &text) {
	if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
		return 0;
	return std::stoull(text);
}

} // namespace pgclone::catalog

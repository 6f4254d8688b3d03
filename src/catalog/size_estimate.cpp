// Size estimates of a source table (include/pgclone/catalog/size_estimate.hpp).
#include <cstdint>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/size_estimate.hpp"

namespace pgclone::catalog {

namespace {

// A count the source sent: digits only, else 0 (an estimate is never worth
// failing a clone over).
uint64_t count_of(const std::string &text) {
	if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
		return 0;
	return std::stoull(text);
}

// reltuples and on-disk size of the table and of its partitions at any depth.
constexpr const char *size_sql = R"SQL(
SELECT pg_catalog.sum(GREATEST(c.reltuples, 0))::pg_catalog.int8,
       pg_catalog.sum(GREATEST(pg_catalog.pg_relation_size(c.oid), 0))::pg_catalog.int8
FROM pg_catalog.pg_class c
WHERE c.oid = $1::pg_catalog.oid
   OR c.oid IN (SELECT t.relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.oid::pg_catalog.regclass) t)
)SQL";

} // namespace

SizeEstimate read_size_estimate(libpq::Connection &src, const std::string &table_oid) {
	// pg_partition_tree() lists nothing for a table that is not partitioned.
	auto r = src.exec_params(size_sql, {table_oid});
	SizeEstimate e;
	if (r.rows() > 0 && !r.is_null(0, 0)) {
		e.rows = count_of(r.get(0, 0));
		e.bytes = count_of(r.get(0, 1));
	}
	return e;
}

} // namespace pgclone::catalog

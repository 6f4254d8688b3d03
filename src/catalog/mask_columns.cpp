// Columns of many tables for the masking rules (see mask_columns.hpp).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/catalog/query.hpp"

namespace pgclone::catalog {

// pg_inherits holds both partitions and INHERITS children: a query of the
// parent shows a child's rows as well, so the parent's mask must reach them.
// Nearest first; of several parents (multiple inheritance), in their order.
const char *const ancestors_json_sql =
    R"sql((WITH RECURSIVE up(relid, depth, seq) AS (
    SELECT i.inhparent, 1, i.inhseqno FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid
    UNION ALL
    SELECT i.inhparent, up.depth + 1, i.inhseqno FROM up JOIN pg_catalog.pg_inherits i ON i.inhrelid = up.relid)
  SELECT pg_catalog.json_agg(pg_catalog.json_build_array(an.nspname, ac.relname) ORDER BY up.depth, up.seq)::text
  FROM up JOIN pg_catalog.pg_class ac ON ac.oid = up.relid
  JOIN pg_catalog.pg_namespace an ON an.oid = ac.relnamespace))sql";

std::vector<MaskTable> read_mask_tables(libpq::Connection &src, const std::vector<std::string> &oids) {
	return read_mask_tables(source_query(src), oids);
}

std::vector<MaskTable> read_mask_tables(const QueryFn &query, const std::vector<std::string> &oids) {
	std::vector<MaskTable> out;
	if (oids.empty())
		return out;
	std::string array = "{";
	for (const auto &oid : oids)
		array += (array.size() > 1 ? "," : "") + oid;
	array += "}";
	// Types and categories as the table clone reads them (table_reader.cpp),
	// so that the gate judges exactly what the clone will copy.
	Rows r = query(std::string("SELECT c.oid, n.nspname, c.relname, ") + ancestors_json_sql +
	                             R"sql(, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  COALESCE(bt.typcategory, t.typcategory), a.attnotnull, a.attgenerated <> ''
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
WHERE c.oid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.oid, a.attnum)sql",
	                         {array});
	std::map<std::string, MaskTable> by_oid;
	for (const pg::Row &row : r) {
		auto [it, fresh] = by_oid.try_emplace(cell(row, 0));
		MaskTable &t = it->second;
		if (fresh) {
			t.schema = cell(row, 1);
			t.name = cell(row, 2);
			if (row[3])
				t.ancestors = json_name_pairs(*row[3]);
		}
		core::MaskColumn c;
		c.name = cell(row, 4);
		c.type = cell(row, 5);
		c.type_category = cell(row, 6).empty() ? 'U' : cell(row, 6)[0];
		c.not_null = cell_bool(row, 7);
		c.generated = cell_bool(row, 8);
		t.columns.push_back(std::move(c));
	}
	for (const auto &oid : oids) {
		auto it = by_oid.find(oid);
		if (it != by_oid.end())
			out.push_back(std::move(it->second));
	}
	return out;
}

} // namespace pgclone::catalog

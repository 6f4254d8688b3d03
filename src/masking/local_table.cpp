// Local (target) table lookups for the masking functions. C++ regime; every
// server call goes through pg::Spi.
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/masking/local_table.hpp"

namespace pgclone::masking {

void require_local_schema(pg::Spi &spi, const std::string &schema) {
	if (!spi.query_value("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}))
		throw core::Error("schema \"" + schema + "\" does not exist", core::sqlstate::invalid_schema_name);
}

LocalTable read_local_table(pg::Spi &spi, const std::string &schema, const std::string &name) {
	require_local_schema(spi, schema);
	auto rel = spi.query(R"sql(SELECT c.oid, c.relowner, c.relkind FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))sql",
	                     {schema, name});
	if (rel.empty())
		throw core::Error("table " + core::qualified_name(schema, name) + " does not exist",
		                  core::sqlstate::undefined_table);
	LocalTable t;
	t.schema = schema;
	t.name = name;
	t.oid = *rel[0][0];
	t.owner_oid = *rel[0][1];
	t.relkind = (*rel[0][2])[0];
	// format_type() names types as the caller's search_path sees them, which
	// is how the masking statements run in this session will read them.
	auto cols = spi.query(R"sql(SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  COALESCE(bt.typcategory, t.typcategory), a.attnotnull, a.attgenerated <> ''
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
WHERE a.attrelid = $1::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum)sql",
	                      {t.oid});
	for (const auto &r : cols) {
		core::MaskColumn c;
		c.name = *r[0];
		c.type = *r[1];
		c.type_category = r[2] && !r[2]->empty() ? (*r[2])[0] : 'U';
		c.not_null = *r[3] == "t";
		c.generated = *r[4] == "t";
		t.columns.push_back(std::move(c));
	}
	return t;
}

void require_table_owner(pg::Spi &spi, const LocalTable &t) {
	auto owner = spi.query_value("SELECT pg_catalog.pg_has_role($1::pg_catalog.oid, 'USAGE')", {t.owner_oid});
	if (!owner || *owner != "t")
		throw core::Error("must be owner of table " + core::qualified_name(t.schema, t.name),
		                  core::sqlstate::insufficient_privilege);
}

void set_key_settings(pg::Spi &spi, const std::vector<std::pair<std::string, std::string>> &settings) {
	for (const auto &[name, value] : settings)
		spi.query("SELECT pg_catalog.set_config($1, $2, true)", {name, value});
}

void clear_key_settings(pg::Spi &spi, const std::vector<std::pair<std::string, std::string>> &settings) {
	for (const auto &[name, value] : settings) {
		(void)value;
		spi.query("SELECT pg_catalog.set_config($1, '', true)", {name});
	}
}

} // namespace pgclone::masking

// pgclone.discover_sensitive(): classify the columns of a source schema.
// C++ regime; talks to the source only (read-only transaction).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/source_session.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/sensitivity.hpp"
#include "pgclone/masking/masking.hpp"

namespace pgclone::masking {

std::string discover_sensitive(const std::string &conninfo, const std::string &schema) {
	libpq::Connection src = clone::open_source(conninfo);
	if (src.exec_params("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() == 0)
		throw core::Error("schema \"" + schema + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	// Tables and partitioned tables; partitions are cloned through their
	// parent, so their columns are the parent's. Types and categories as the
	// table clone reads them, so that the recommendations compile there.
	auto r = src.exec_params("SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
	                         "  COALESCE(bt.typcategory, t.typcategory), a.attnotnull, a.attgenerated <> '' "
	                         "FROM pg_catalog.pg_class c "
	                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                         "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
	                         "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	                         "LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
	                         "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
	                         "  AND a.attnum > 0 AND NOT a.attisdropped "
	                         "ORDER BY c.relname, a.attnum",
	                         {schema});
	std::vector<core::DiscoveryTable> tables;
	for (int i = 0; i < r.rows(); ++i) {
		if (tables.empty() || tables.back().name != r.get(i, 0))
			tables.push_back({r.get(i, 0), {}});
		core::MaskColumn c;
		c.name = r.get(i, 1);
		c.type = r.get(i, 2);
		c.type_category = r.get(i, 3).empty() ? 'U' : r.get(i, 3)[0];
		c.not_null = r.get_bool(i, 4);
		c.generated = r.get_bool(i, 5);
		tables.back().columns.push_back(std::move(c));
	}
	clone::close_source(src);
	return core::json_text(core::discover_masks(tables));
}

} // namespace pgclone::masking

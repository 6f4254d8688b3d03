// pgclone.discover_sensitive(): classify the columns of a source schema.
// C++ regime; talks to the source only (read-only transaction).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/sensitivity.hpp"
#include "pgclone/masking/discover.hpp"

namespace pgclone::masking {

std::string discover_sensitive(const std::string &conninfo, const std::string &schema) {
	libpq::Connection src = libpq::open_source(conninfo);
	if (src.exec_params("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() == 0)
		throw core::Error("schema \"" + schema + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	// Tables and partitioned tables; partitions take their parent's mask
	// (a mask keyed by the parent reaches them), so they are not listed.
	// Columns, types and categories as the clone's require_masks gate reads
	// them, so that the recommendations compile there.
	auto r = src.exec_params(R"sql(SELECT c.oid FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname)sql",
	                         {schema});
	std::vector<std::string> oids;
	for (int i = 0; i < r.rows(); ++i)
		oids.push_back(r.get(i, 0));
	std::vector<core::DiscoveryTable> tables;
	for (auto &t : catalog::read_mask_tables(src, oids))
		tables.push_back({t.name, std::move(t.columns)});
	libpq::close_source(src);
	return core::json_text(core::discover_masks(tables));
}

} // namespace pgclone::masking

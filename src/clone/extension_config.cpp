// Extension configuration rows (include/pgclone/clone/extension_config.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/extension_config.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/copy/copy_in.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

uint64_t copy_extension_config(libpq::Connection &src, const std::vector<catalog::ExtensionConfigTable> &tables) {
	uint64_t rows = 0;
	for (const auto &t : tables) {
		const std::string q = core::qualified_name(t.schema, t.name);
		if (t.relkind == 'S') {
			auto v = src.exec("SELECT last_value, is_called FROM " + q);
			pg::Spi spi;
			spi.query("SELECT pg_catalog.setval($1::pg_catalog.regclass, $2::bigint, $3::boolean)",
			          {q, v.get(0, 0), std::string(v.get_bool(0, 1) ? "true" : "false")});
			spi.finish();
			continue;
		}
		if (t.columns.empty())
			continue;
		std::string cols;
		for (const auto &c : t.columns)
			cols += (cols.empty() ? "" : ", ") + core::quote_ident(c);
		pg::Spi spi;
		unsigned int relid = relation_oid(t.schema, t.name);
		spi.finish();
		// The condition is the extension's own text (pg_dump runs it the same
		// way), evaluated by the source in its read-only transaction.
		rows += copy::copy_into(src, "COPY (SELECT " + cols + " FROM " + q + " " + t.condition + ") TO STDOUT",
		                        relid, t.columns)
		            .rows;
	}
	return rows;
}

} // namespace pgclone::clone

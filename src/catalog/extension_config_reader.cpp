// Source catalog reader for extension configuration tables
// (include/pgclone/catalog/extension_config_reader.hpp).
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/extension_config_reader.hpp"
#include "pgclone/catalog/json_text.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

constexpr const char *extension_config_sql = R"SQL(
SELECT e.extname, n.nspname, c.relname, c.relkind, COALESCE(x.cond, ''),
  (SELECT pg_catalog.json_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')::pg_catalog.text
FROM pg_catalog.pg_extension e
CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(e.extconfig), pg_catalog.unnest(e.extcondition)) AS x(cfg, cond)
JOIN pg_catalog.pg_class c ON c.oid = x.cfg
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE e.extname = ANY ($1::pg_catalog.text[]) AND c.relkind IN ('r', 'S')
ORDER BY 1, 2, 3
)SQL";

} // namespace

std::vector<ExtensionConfigTable> read_extension_config(libpq::Connection &src,
                                                        const std::vector<std::string> &extensions) {
	std::vector<ExtensionConfigTable> out;
	if (extensions.empty())
		return out;
	auto r = src.exec_params(extension_config_sql,
	                         std::vector<std::optional<std::string>>{core::text_array_literal(extensions)});
	for (int i = 0; i < r.rows(); i++) {
		ExtensionConfigTable t;
		t.extension = r.get(i, 0);
		t.schema = r.get(i, 1);
		t.name = r.get(i, 2);
		t.relkind = r.get(i, 3).empty() ? 'r' : r.get(i, 3)[0];
		t.condition = r.get(i, 4);
		t.columns = json_string_array(r.get(i, 5));
		out.push_back(std::move(t));
	}
	return out;
}

} // namespace pgclone::catalog

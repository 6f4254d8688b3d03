// pgclone.masking_report(): the sensitive columns of a local schema and
// whether a masking policy covers them. C++ regime; read-only SPI.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/masking.hpp"
#include "pgclone/core/sensitivity.hpp"
#include "pgclone/masking/local_table.hpp"
#include "pgclone/masking/masking.hpp"
#include "pgclone/masking/policy_record.hpp"

namespace pgclone::masking {

std::vector<ReportRow> masking_report(const std::string &schema) {
	pg::Spi spi;
	require_local_schema(spi, schema);
	// Partitions are covered by their parent's policy; generated columns are
	// computed from the others and cannot be masked themselves.
	auto columns = spi.query("SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
	                         "  COALESCE(bt.typcategory, t.typcategory), a.attnotnull "
	                         "FROM pg_catalog.pg_class c "
	                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                         "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
	                         "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	                         "LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
	                         "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
	                         "  AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
	                         "ORDER BY c.relname, a.attnum",
	                         {schema});
	const auto views = policy_views(spi, schema);
	spi.finish();

	std::vector<ReportRow> out;
	for (const auto &r : columns) {
		const core::SensitivityRule *rule = core::match_sensitivity(*r[1]);
		if (!rule)
			continue;
		ReportRow row{schema, *r[0], *r[1], std::string(rule->category), "UNMASKED", ""};
		const std::string view = policy_view_name(row.table_name);
		const auto v = views.find(view);
		// A pgclone policy masks the columns its record lists; the others
		// pass through its view unchanged. A *_masked view pgclone did not
		// create is taken at its word (the v3.6.0 rule).
		const bool masked =
		    v != views.end() && (!v->second || v->second->masked_columns.count(row.column_name) > 0);
		if (masked) {
			row.mask_status = "MASKED (view)";
			row.recommendation = "OK - masked via " + view + " view";
		} else {
			core::MaskColumn c;
			c.name = row.column_name;
			c.type = *r[2];
			c.type_category = r[3] && !r[3]->empty() ? (*r[3])[0] : 'U';
			c.not_null = *r[4] == "t";
			row.recommendation =
			    "Apply mask strategy: " + core::mask_spec_text(core::recommend_mask(*rule, c));
		}
		out.push_back(std::move(row));
	}
	return out;
}

} // namespace pgclone::masking

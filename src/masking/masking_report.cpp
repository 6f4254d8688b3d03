// pgclone.masking_report(): the sensitive columns of a local schema and
// whether a masking policy covers them. C++ regime; read-only SPI.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/catalog/query.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/sensitivity.hpp"
#include "pgclone/masking/local_table.hpp"
#include "pgclone/masking/masking_report.hpp"
#include "pgclone/masking/policy_record.hpp"

namespace pgclone::masking {

namespace {

// The report's row for one column, or nullopt when no sensitivity rule
// matches its name.
std::optional<ReportRow> report_row(const std::string &schema, const std::string &table, const core::MaskColumn &c,
                                    const std::map<std::string, std::optional<PolicyRecord>> &views) {
	const core::SensitivityRule *rule = core::match_sensitivity(c.name);
	if (!rule)
		return std::nullopt;
	ReportRow row{schema, table, c.name, std::string(rule->category), "UNMASKED", ""};
	const std::string view = policy_view_name(table);
	const auto v = views.find(view);
	// A pgclone policy masks the columns its record lists; the others pass
	// through its view unchanged. A *_masked view with no record is an
	// older policy and is taken at its word.
	const bool masked = v != views.end() && (!v->second || v->second->masked_columns.count(c.name) > 0);
	if (masked) {
		row.mask_status = "MASKED (view)";
		row.recommendation = "OK - masked via " + view + " view";
	} else {
		row.recommendation = "Apply mask strategy: " + core::mask_spec_text(core::recommend_mask(*rule, c));
	}
	return row;
}

} // namespace

std::vector<ReportRow> masking_report(const std::string &schema) {
	pg::Spi spi;
	require_local_schema(spi, schema);
	// Partitions are covered by their parent's policy; generated columns are
	// computed from the others and cannot be masked themselves. Columns are
	// read as the clone's require_masks gate reads them on the source.
	std::vector<std::string> oids;
	for (const auto &r : spi.query("SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname",
	                               {schema}))
		oids.push_back(catalog::cell(r, 0));
	const std::vector<catalog::MaskTable> tables = catalog::read_mask_tables(catalog::target_query(spi), oids);
	const auto views = policy_views(spi, schema);
	spi.finish();

	std::vector<ReportRow> out;
	for (const auto &table : tables)
		for (const core::MaskColumn &c : table.columns) {
			if (c.generated)
				continue;
			if (auto row = report_row(schema, table.name, c, views))
				out.push_back(std::move(*row));
		}
	return out;
}

} // namespace pgclone::masking

// pgclone.mask_in_place(): static masking of a local table in one UPDATE.
// C++ regime; SPI in the caller's transaction (the UPDATE takes the usual
// ROW EXCLUSIVE lock and fires the table's UPDATE triggers).
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/masking/local_table.hpp"
#include "pgclone/masking/in_place.hpp"

namespace pgclone::masking {

std::string mask_in_place(const std::string &schema, const std::string &table, const std::string &mask_json) {
	const nlohmann::json mask = core::parse_mask_text(mask_json, "mask_json");
	if (mask.empty())
		throw core::Error("mask_json must name at least one column", core::sqlstate::invalid_parameter_value,
		                  "", "Write it as {\"email\": \"email\", \"ssn\": \"null\"}.");
	pg::Spi spi;
	const LocalTable t = read_local_table(spi, schema, table);
	const std::string table_q = core::qualified_name(schema, table);
	// Keyed form: a pseudonymization key is a bind parameter of set_config,
	// never part of the UPDATE text (which error contexts and
	// auto_explain's nested statement logging would show).
	const core::CompiledMasks compiled = core::compile_masks_keyed(mask, t.columns, table_q);
	set_key_settings(spi, compiled.settings);
	std::string assignments;
	for (const auto &[column, expr] : compiled.expressions)
		assignments += (assignments.empty() ? "" : ", ") + core::quote_ident(column) + " = " + expr;
	const uint64_t rows = spi.exec("UPDATE " + table_q + " SET " + assignments);
	clear_key_settings(spi, compiled.settings);
	spi.finish();
	return "OK: masked " + core::plural(rows, "row", "rows") + " in " + core::display_name(schema, table) +
	       " (" + core::plural(compiled.expressions.size(), "column", "columns") + ")";
}

} // namespace pgclone::masking

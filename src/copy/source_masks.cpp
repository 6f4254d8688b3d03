// In-line masking for clones (see inline_mask.hpp). C++ regime: talks to the
// source through libpq only; never touches the target.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/sensitivity.hpp"
#include "pgclone/copy/source_masks.hpp"

namespace pgclone::copy {

namespace {

// Sets the key settings for the rest of the source transaction. The values
// travel as bind parameters: no query text (pg_stat_activity, statement
// and slow-query logs, pg_stat_statements) ever holds them. With
// log_statement = 'all' the server would still log bind parameters; a
// superuser session turns that off around these statements, and puts the
// setting back afterwards.
void set_source_keys(libpq::Connection &src,
                     const std::vector<std::pair<std::string, std::string>> &settings) {
	std::optional<std::string> restore;
	if (src.server_version() >= 130000) {
		auto r = src.exec(R"sql(SELECT pg_catalog.current_setting('is_superuser') = 'on', pg_catalog.current_setting('log_parameter_max_length'))sql");
		if (r.get_bool(0, 0)) {
			restore = r.get(0, 1);
			src.exec("SET LOCAL log_parameter_max_length = 0");
		}
	}
	for (const auto &[name, value] : settings)
		src.exec_params("SELECT pg_catalog.set_config($1, $2, true)", {name, value});
	if (restore)
		src.exec_params("SELECT pg_catalog.set_config('log_parameter_max_length', $1, true)", {*restore});
}

} // namespace

std::vector<core::MaskColumn> mask_columns(const core::TableDef &def) {
	std::vector<core::MaskColumn> out;
	out.reserve(def.columns.size());
	for (const auto &c : def.columns) {
		core::MaskColumn m;
		m.name = c.name;
		m.type = c.type;
		m.type_category = c.type_category;
		m.not_null = c.not_null;
		m.generated = c.generated != '\0';
		out.push_back(std::move(m));
	}
	return out;
}

void check_require_masks(const core::TableDef &def, const nlohmann::json *mask) {
	auto unmasked = core::unmasked_sensitive_columns(mask_columns(def), mask);
	if (!unmasked.empty())
		throw core::require_masks_error({{def.schema, def.name, std::move(unmasked)}});
}

void check_require_masks(libpq::Connection &src, const std::vector<std::string> &oids,
                         const nlohmann::json *masks) {
	std::vector<core::UnmaskedTable> refused;
	for (auto &t : catalog::read_mask_tables(src, oids)) {
		std::optional<nlohmann::json> mask;
		if (masks)
			mask = core::mask_for_table(*masks, t.schema, t.name, t.ancestors);
		auto unmasked = core::unmasked_sensitive_columns(t.columns, mask ? &*mask : nullptr);
		if (!unmasked.empty())
			refused.push_back({t.schema, t.name, std::move(unmasked)});
	}
	if (!refused.empty())
		throw core::require_masks_error(refused);
}

std::map<std::string, std::string> prepare_inline_masks(libpq::Connection &src, const core::TableDef &def,
                                                        const core::CloneOptions &options,
                                                        bool include_data) {
	const std::string table = core::qualified_name(def.schema, def.name);
	core::CompiledMasks compiled;
	if (options.mask) {
		try {
			compiled = core::compile_masks_keyed(*options.mask, mask_columns(def), table);
		} catch (const core::Error &e) {
			// def holds only the columns the "columns" option keeps: say so.
			if (!options.columns || std::string(e.sqlstate()) != core::sqlstate::undefined_column)
				throw;
			throw core::Error(e.what(), e.sqlstate(),
			                  "The mask names it, but the \"columns\" option leaves it out.",
			                  "Mask only columns that are cloned.");
		}
	}
	// Without rows nothing sensitive is copied: the gate has nothing to guard.
	if (options.require_masks && include_data)
		check_require_masks(def, options.mask ? &*options.mask : nullptr);
	if (compiled.expressions.empty())
		return {};

	if (!compiled.settings.empty())
		set_source_keys(src, compiled.settings);
	if (include_data) {
		// LIMIT 0 reads no row, but the planner still folds constants: a
		// "constant" that is no valid input for its column type fails here.
		std::string list;
		for (const auto &[column, expr] : compiled.expressions)
			list += (list.empty() ? "" : ", ") + expr;
		try {
			src.exec("SELECT " + list + " FROM " + table + " LIMIT 0");
		} catch (const core::Error &e) {
			throw core::Error(std::string("could not apply the mask of table ") + table +
			                      " on the source server: " + e.what(),
			                  e.sqlstate(), e.detail(), e.hint());
		}
	}
	return compiled.expressions;
}

} // namespace pgclone::copy

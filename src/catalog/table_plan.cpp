// The table plan: every object kind read once for all tables (see
// table_plan.hpp and table_kinds.hpp).
#include <algorithm>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_kinds.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

SourceTable &TablePlan::row_table(const std::string &oid) {
	auto it = tables.find(oid);
	if (it == tables.end())
		throw core::Error("the source server answered a catalog query with a row of relation " + oid +
		                      ", which the clone did not ask for",
		                  core::sqlstate::internal_error);
	return it->second;
}

const SourceTable *TablePlan::find(const std::string &oid) const {
	auto it = tables.find(oid);
	return it == tables.end() ? nullptr : &it->second;
}

std::vector<TypeDef> TablePlan::types_of(const SourceTable &t) const {
	// In (schema, name) order, as the type readers list them; only this
	// table's types are looked at, so a plan of n tables costs O(n).
	std::vector<const TypeDef *> found;
	for (const auto &oid : t.type_oids)
		if (auto it = types.find(oid); it != types.end())
			found.push_back(&it->second);
	std::sort(found.begin(), found.end(), [](const TypeDef *a, const TypeDef *b) {
		return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
	});
	std::vector<TypeDef> out;
	for (const auto *type : found)
		out.push_back(*type);
	return out;
}

void TablePlan::merge(TablePlan &&other) {
	tables.merge(other.tables);
	types.merge(other.types);
	oids_by_name.merge(other.oids_by_name);
}

std::string TablePlan::oid_of(const std::string &schema, const std::string &name) const {
	auto it = oids_by_name.find({schema, name});
	return it == oids_by_name.end() ? std::string() : it->second;
}

std::string oid_array(const std::vector<std::string> &oids) {
	return core::text_array_literal(oids);
}

TablePlan read_table_plan(libpq::Connection &src, const std::vector<std::string> &oids,
                          const TablePlanScope &scope) {
	TablePlan plan;
	if (oids.empty())
		return plan;
	kinds::read_relations(src, plan, oids);
	kinds::read_columns(src, plan, oids);
	kinds::read_constraints(src, plan, oids);
	kinds::read_indexes(src, plan, oids);
	kinds::read_owned_sequences(src, plan, oids);
	kinds::read_triggers(src, plan, oids);
	kinds::read_column_types(src, plan, oids);
	if (scope.partition_trees)
		kinds::read_partition_trees(src, plan, oids);
	return plan;
}

} // namespace pgclone::catalog

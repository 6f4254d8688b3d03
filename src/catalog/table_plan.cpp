// The table plan: every object kind read once for all tables (see
// table_plan.hpp and table_kinds.hpp).
#include <algorithm>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_kinds.hpp"
#include "pgclone/catalog/sequence_positions.hpp"
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
	after_rows_only.merge(other.after_rows_only);
}

std::string TablePlan::oid_of(const std::string &schema, const std::string &name) const {
	auto it = oids_by_name.find({schema, name});
	return it == oids_by_name.end() ? std::string() : it->second;
}

std::string oid_array(const std::vector<std::string> &oids) {
	return core::text_array_literal(oids);
}

const std::vector<kinds::Kind> &kinds::table_kinds() {
	static const std::vector<Kind> all = {
	    {relations_sql, file_relations, true},
	    {columns_sql, file_columns},
	    {constraints_sql, file_constraints, false, true},
	    {indexes_sql, file_indexes},
	    {owned_sequences_sql, file_owned_sequences},
	    {triggers_sql, file_triggers, false, true},
	    {column_types_sql, file_column_types, true},
	};
	return all;
}

std::vector<OwnedSequence *> unread_sequence_positions(TablePlan &plan) {
	std::vector<OwnedSequence *> unread;
	for (auto &[oid, t] : plan.tables)
		for (auto &s : t.sequences)
			if (s.last_value.empty())
				unread.push_back(&s);
	return unread;
}

void complete_table_plan(libpq::Connection &src, TablePlan &plan) {
	read_sequence_positions(src, unread_sequence_positions(plan));
	kinds::read_missing_types(src, plan);
}

namespace {

// The kinds `wanted` picks, one query each, then their second step.
template <typename Wanted>
void read_kinds(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids,
                Wanted wanted) {
	const std::string array = oid_array(oids);
	for (const auto &kind : kinds::table_kinds())
		if (wanted(kind))
			kind.file(src.exec_params(kind.sql(src.server_version()), {array}), plan);
	complete_table_plan(src, plan);
}

} // namespace

TablePlan read_table_plan(libpq::Connection &src, const std::vector<std::string> &oids,
                          const TablePlanScope &scope) {
	TablePlan plan;
	if (oids.empty())
		return plan;
	read_kinds(src, plan, oids, [&](const kinds::Kind &k) { return scope.whole || k.decides; });
	if (scope.partition_trees)
		kinds::read_partition_trees(src, plan, oids);
	return plan;
}

void read_other_kinds(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids) {
	if (!oids.empty())
		read_kinds(src, plan, oids, [](const kinds::Kind &k) { return !k.decides; });
}

void read_kinds_after_rows(libpq::Connection &src, TablePlan &plan, const std::vector<std::string> &oids) {
	if (oids.empty())
		return;
	read_kinds(src, plan, oids, [](const kinds::Kind &k) { return !k.decides && k.after_rows; });
	plan.after_rows_only.insert(oids.begin(), oids.end());
}

} // namespace pgclone::catalog

// Table settings, row-level security, policies and inheritance links on the
// target (include/pgclone/clone/table_settings.hpp).
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/table_settings_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/table_settings.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

namespace {

int apply_row_security(pg::Spi &spi, const core::TableSettings &s, const SettingsTarget &t,
                       const std::string &target_q) {
	int warnings = 0;
	for (const auto &sql : core::row_security_sql(s, target_q))
		spi.exec_one(sql);
	for (const auto &p : s.policies) {
		auto stmt = core::policy_sql(p, target_q, [&](const std::string &r) { return role_exists(spi, r); });
		const std::string what = "policy \"" + p.name + "\" on " + t.display;
		if (!stmt.note.empty()) {
			warnings++;
			pg::warning("pgclone: " + what + ": " + stmt.note,
			            "Policies are never made more permissive than on the source.",
			            "Create the roles first (pgclone.clone_roles()) to clone the policy as it is.");
		}
		if (!stmt.sql)
			continue;
		if (!p.permissive) {
			spi.exec_one(*stmt.sql); // without it the target would show more rows
			continue;
		}
		// A permissive policy that cannot be created grants less, never more.
		if (!try_ddl(spi, what, *stmt.sql, warnings))
			continue;
	}
	return warnings;
}

} // namespace

int apply_table_settings(pg::Spi &spi, const core::TableSettings &s, const SettingsTarget &t,
                         std::vector<DdlStatement> &settings) {
	const std::string target_q = core::qualified_name(t.schema, t.table);
	int warnings = apply_row_security(spi, s, t, target_q);
	auto index_name = [&](const std::string &n) { return core::derive_name(n, t.source_table, t.table); };
	// pg_get_ruledef names the rule's table with its schema whatever the
	// search_path, and a statistics object its own schema.
	const bool same_name = t.table == t.source_table && t.schema == t.source_schema;
	if (!same_name && (!s.rules.empty() || !s.statistics.empty())) {
		warnings++;
		pg::warning("pgclone: skipped the rules and statistics objects of " + t.display,
		            "Their definitions name the source table; a copy under another name or in another schema does not get them.");
	}
	for (auto &sql : core::table_settings_sql(s, t.schema, target_q, index_name, same_name))
		settings.push_back({"part of " + t.display, std::move(sql)});
	for (const auto &parent : s.parents) {
		// A parent of the source schema moves with it (target_schema), as the
		// tables do.
		const std::string parent_schema = parent.schema == t.source_schema ? t.schema : parent.schema;
		if (!relation_exists(parent_schema, parent.name)) {
			pg::notice("pgclone: " + t.display + " stays a table of its own: its inheritance parent " +
			           core::display_name(parent_schema, parent.name) + " is not on the target");
			continue;
		}
		const std::string parent_q = core::qualified_name(parent_schema, parent.name);
		// Created with INHERITS already (TableRequest::inherit_at_creation).
		if (spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_inherits
WHERE inhrelid = pg_catalog.to_regclass($1)::pg_catalog.oid AND inhparent = pg_catalog.to_regclass($2)::pg_catalog.oid)sql",
		                    {target_q, parent_q}))
			continue;
		// A query of the parent reads the child's rows with the parent's
		// privileges: a parent of another role (one that was on the target
		// before, made by someone who may create in its schema) would hand
		// it the rows.
		if (auto owner = foreign_owner(spi, "relation", parent_schema, parent.name, "", parent.owner)) {
			warnings++;
			pg::warning("pgclone: " + t.display + " stays a table of its own: its inheritance parent " +
			                core::display_name(parent_schema, parent.name) + " on the target belongs to role \"" +
			                *owner + "\"",
			            "On the source the parent belongs to \"" + parent.owner +
			                "\". A query of a parent reads its children's rows with the parent's privileges, so the link would show the rows of " +
			                t.display + " to that role.",
			            "Give the parent to the right role on the target, then ALTER TABLE ... INHERIT.");
			continue;
		}
		try_ddl(spi, "inheritance of " + t.display, "ALTER TABLE " + target_q + " INHERIT " + parent_q, warnings);
	}
	return warnings;
}

int clone_table_settings(libpq::Connection &src, pg::Spi &spi, const std::string &source_oid,
                         const SettingsTarget &t, const core::CreatedParts &created) {
	auto all = catalog::read_table_settings(src, {source_oid});
	auto it = all.find(source_oid);
	if (it == all.end())
		return 0;
	std::vector<DdlStatement> settings;
	int warnings = apply_table_settings(spi, core::settings_for(it->second, created), t, settings);
	try_ddl_all(spi, settings, warnings, table_settings_kinds);
	return warnings;
}

} // namespace pgclone::clone

// Dynamic masking policies: pgclone.create_masking_policy() and
// pgclone.drop_masking_policy(). C++ regime; SPI in the caller's transaction,
// so a failure at any step leaves nothing changed.
//
// A policy on "s"."t" is:
//   * the view "s"."t_masked": every column of t, the masked ones replaced by
//     their mask expression (evaluated when the view is read);
//   * REVOKE ALL ON "s"."t" FROM PUBLIC (table and column privileges);
//   * GRANT SELECT ON "s"."t_masked" TO PUBLIC;
//   * GRANT SELECT ON "s"."t" TO the privileged role, and USAGE on the schema
//     when the role could not use it yet (it needs it to read the table);
//   * a record of the above as the view's comment (policy_record.hpp), which
//     drop_masking_policy follows to restore exactly what was there before.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/masking/local_table.hpp"
#include "pgclone/masking/policy.hpp"
#include "pgclone/masking/policy_record.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::masking {

namespace {

using core::qualified_name;
using core::quote_ident;

// NAMEDATALEN - 1: longer names would be truncated by the server.

std::string join(const std::vector<std::string> &items, const char *separator = ", ") {
	std::string out;
	for (const auto &i : items)
		out += (out.empty() ? "" : separator) + i;
	return out;
}

std::vector<std::string> first_column(const std::vector<pg::Row> &rows) {
	std::vector<std::string> out;
	for (const auto &r : rows)
		out.push_back(*r[0]);
	return out;
}

// A view stores its expressions in the catalog, where pg_get_viewdef()
// shows them to every role: a pseudonymization key would be readable.
void refuse_pseudonymize(const nlohmann::json &mask) {
	for (const auto &[column, spec] : mask.items())
		if (core::mask_strategy_name(spec) == "pseudonymize")
			throw core::Error(
			    "mask strategy \"pseudonymize\" cannot be used in a masking policy",
			    core::sqlstate::feature_not_supported,
			    "A view keeps its expressions in the catalog, where every role can read them with pg_get_viewdef(); the key derived from the salt would be readable there.",
			    "Pseudonymize with pgclone.mask_in_place() or with the \"mask\" option of a clone, which never store the salt.");
}

std::string role_oid(pg::Spi &spi, const std::string &role) {
	auto oid = spi.query_value("SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1", {role});
	if (!oid)
		throw core::Error("role \"" + role + "\" does not exist", core::sqlstate::undefined_object);
	return *oid;
}

// Privileges granted directly to `grantee_oid` ("0" = PUBLIC) on the table.
std::vector<std::string> table_privileges(pg::Spi &spi, const std::string &table_oid,
                                          const std::string &grantee_oid) {
	return first_column(
	    spi.query(R"sql(SELECT a.privilege_type FROM pg_catalog.pg_class c,
  pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a
WHERE c.oid = $1::pg_catalog.oid AND a.grantee = $2::pg_catalog.oid ORDER BY 1)sql",
	              {table_oid, grantee_oid}));
}

std::map<std::string, std::vector<std::string>> public_column_privileges(pg::Spi &spi,
                                                                         const std::string &table_oid) {
	std::map<std::string, std::vector<std::string>> out;
	for (const auto &r : spi.query(R"sql(SELECT att.attname, a.privilege_type FROM pg_catalog.pg_attribute att,
  pg_catalog.aclexplode(att.attacl) a
WHERE att.attrelid = $1::pg_catalog.oid AND att.attnum > 0
  AND NOT att.attisdropped AND a.grantee OPERATOR(pg_catalog.=) 0 ORDER BY att.attnum, 2)sql",
	                               {table_oid}))
		out[*r[0]].push_back(*r[1]);
	return out;
}

// Every partition of a partitioned table, at any depth, with what PUBLIC
// may do on it now.
std::vector<PartitionPrivileges> partition_privileges(pg::Spi &spi, const std::string &table_oid) {
	std::vector<PartitionPrivileges> out;
	for (const auto &r : spi.query(R"sql(SELECT p.oid, n.nspname, p.relname
FROM pg_catalog.pg_partition_tree($1::pg_catalog.oid) t
JOIN pg_catalog.pg_class p ON p.oid = t.relid
JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
WHERE t.level > 0 ORDER BY t.level, n.nspname, p.relname)sql",
	                               {table_oid})) {
		PartitionPrivileges p;
		p.schema = *r[1];
		p.table = *r[2];
		p.public_table_privileges = table_privileges(spi, *r[0], "0");
		p.public_column_privileges = public_column_privileges(spi, *r[0]);
		out.push_back(std::move(p));
	}
	return out;
}

// Gives PUBLIC back what it had on a relation (table-level and per column).
void restore_public(pg::Spi &spi, const std::string &table_q, const std::vector<std::string> &table_privileges,
                    const std::map<std::string, std::vector<std::string>> &column_privileges) {
	if (!table_privileges.empty())
		spi.exec("GRANT " + join(table_privileges) + " ON TABLE " + table_q + " TO PUBLIC");
	for (const auto &[column, privileges] : column_privileges) {
		std::vector<std::string> each;
		for (const auto &p : privileges)
			each.push_back(p + " (" + quote_ident(column) + ")");
		spi.exec("GRANT " + join(each) + " ON TABLE " + table_q + " TO PUBLIC");
	}
}

bool role_can_use_schema(pg::Spi &spi, const std::string &role_oid, const std::string &schema) {
	return spi.query_value("SELECT pg_catalog.has_schema_privilege($1::pg_catalog.oid, $2, 'USAGE')",
	                       {role_oid, schema}) == pg::Value("t");
}

// NOTICEs for what the policy does not cover, so nobody mistakes it for
// more protection than it gives.
void notice_remaining_access(pg::Spi &spi, const LocalTable &t, const std::string &role_oid) {
	auto readers = spi.query_value(
	    R"sql(SELECT pg_catalog.string_agg(DISTINCT pg_catalog.quote_ident(r.rolname), ', ')
FROM pg_catalog.pg_class c,
  pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a
JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
WHERE c.oid = $1::pg_catalog.oid AND a.privilege_type = 'SELECT'
  AND a.grantee <> c.relowner AND a.grantee <> $2::pg_catalog.oid)sql",
	    {t.oid, role_oid});
	if (readers)
		pg::notice("pgclone: roles " + *readers + " can still read " + qualified_name(t.schema, t.name) +
		               " unmasked",
		           "The policy revokes the privileges of PUBLIC only; privileges granted to roles stay.");
	if (!spi.query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_namespace n,
  pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a
WHERE n.nspname = $1 AND a.grantee OPERATOR(pg_catalog.=) 0 AND a.privilege_type = 'USAGE')sql",
	        {t.schema}))
		pg::notice(
		    "pgclone: PUBLIC has no USAGE privilege on schema " + quote_ident(t.schema),
		    "Roles without USAGE on the schema cannot read the masked view either; grant it to the roles that should read the view.");
}

// A "<table>_masked" view without any record comment that reads the table:
// a policy made before policies recorded what they changed.
bool is_unrecorded_policy(pg::Spi &spi, const std::string &schema, const std::string &view,
                          const std::string &table_oid) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_class v JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
WHERE n.nspname = $1 AND v.relname = $2 AND v.relkind = 'v'
  AND COALESCE(pg_catalog.obj_description(v.oid, 'pg_class'), '') NOT LIKE 'pgclone masking policy %'
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d
    ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid AND d.objid = rw.oid
    WHERE rw.ev_class = v.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
      AND d.refobjid = $3::pg_catalog.oid))sql",
	        {schema, view, table_oid})
	    .has_value();
}

// Such a policy took SELECT from PUBLIC (what the manual promises back:
// "base table access restored to PUBLIC"); nothing else is known of it.
std::string drop_unrecorded_policy(pg::Spi &spi, const std::string &schema, const std::string &table,
                                   const std::string &view) {
	const std::string table_q = qualified_name(schema, table);
	spi.exec("DROP VIEW " + qualified_name(schema, view));
	spi.exec("GRANT SELECT ON TABLE " + table_q + " TO PUBLIC");
	pg::notice("pgclone: masking policy view " + qualified_name(schema, view) +
	               " had no record of the privileges it changed; SELECT on " + table_q +
	               " was granted to PUBLIC",
	           "Policies created by this version of pgclone record the privileges they revoke and restore exactly those.");
	spi.finish();
	return "OK: dropped masking policy on " + core::display_name(schema, table) + " (view " +
	       core::display_name(schema, view) + ")";
}

} // namespace

std::string create_masking_policy(const std::string &schema, const std::string &table,
                                  const std::string &mask_json, const std::string &privileged_role) {
	const nlohmann::json mask = core::parse_mask_text(mask_json, "mask_json");
	if (mask.empty())
		throw core::Error("mask_json must name at least one column", core::sqlstate::invalid_parameter_value,
		                  "", "Write it as {\"email\": \"email\", \"ssn\": \"null\"}.");
	refuse_pseudonymize(mask);

	pg::Spi spi;
	const LocalTable t = read_local_table(spi, schema, table);
	const std::string table_q = qualified_name(schema, table);
	require_table_owner(spi, t);
	const std::string role = role_oid(spi, privileged_role);
	const auto expressions = core::compile_masks(mask, t.columns, table_q);

	const std::string view = policy_view_name(table);
	if (view.size() > core::max_identifier_bytes)
		throw core::Error("masking policy view name \"" + view + "\" is too long", core::sqlstate::name_too_long,
		                  "Names are limited to " + std::to_string(core::max_identifier_bytes) + " bytes.");
	if (spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)sql",
	                    {schema, view}))
		throw core::Error(
		    "relation " + qualified_name(schema, view) + " already exists", core::sqlstate::duplicate_table,
		    "",
		    "A masking policy of a table is the view named after it with the suffix \"_masked\". If it is an older policy, drop it with pgclone.drop_masking_policy() first.");

	// What is there before: the record of what to restore.
	PolicyRecord rec;
	rec.table = table;
	for (const auto &[column, spec] : mask.items())
		rec.masked_columns[column] = core::mask_strategy_name(spec);
	rec.privileged_role = privileged_role;
	rec.public_table_privileges = table_privileges(spi, t.oid, "0");
	rec.public_column_privileges = public_column_privileges(spi, t.oid);
	const auto role_had = table_privileges(spi, t.oid, role);
	const bool role_is_owner = role == t.owner_oid;
	if (!role_is_owner && std::find(role_had.begin(), role_had.end(), "SELECT") == role_had.end())
		rec.granted_table_privileges.push_back("SELECT");
	rec.granted_schema_usage = !role_can_use_schema(spi, role, schema);
	// A partition can be read directly: PUBLIC loses its rights there too.
	if (t.relkind == 'p')
		rec.partitions = partition_privileges(spi, t.oid);

	std::vector<std::string> columns;
	for (const auto &c : t.columns)
		columns.push_back(c.name);
	const std::string view_q = qualified_name(schema, view);
	const std::string role_q = quote_ident(privileged_role);
	spi.exec("CREATE VIEW " + view_q + " AS SELECT " + core::masked_select_list(columns, expressions) +
	         " FROM " + table_q);
	spi.exec("COMMENT ON VIEW " + view_q + " IS " + core::quote_literal(policy_comment(rec)));
	spi.exec("REVOKE ALL ON TABLE " + table_q + " FROM PUBLIC");
	for (const auto &p : rec.partitions)
		spi.exec("REVOKE ALL ON TABLE " + qualified_name(p.schema, p.table) + " FROM PUBLIC");
	spi.exec("GRANT SELECT ON TABLE " + view_q + " TO PUBLIC");
	if (!rec.granted_table_privileges.empty())
		spi.exec("GRANT " + join(rec.granted_table_privileges) + " ON TABLE " + table_q + " TO " + role_q);
	if (rec.granted_schema_usage)
		spi.exec("GRANT USAGE ON SCHEMA " + quote_ident(schema) + " TO " + role_q);
	notice_remaining_access(spi, t, role);
	spi.finish();
	return "OK: created masking policy on " + core::display_name(schema, table) + " (view " +
	       core::display_name(schema, view) + ", " + std::to_string(expressions.size()) + " masked column" +
	       (expressions.size() == 1 ? "" : "s") + ", privileged role " + privileged_role + ")";
}

std::string drop_masking_policy(const std::string &schema, const std::string &table) {
	pg::Spi spi;
	const LocalTable t = read_local_table(spi, schema, table);
	const std::string table_q = qualified_name(schema, table);
	require_table_owner(spi, t);
	const std::string view = policy_view_name(table);
	const auto views = policy_views(spi, schema);
	const auto found = views.find(view);
	if (found == views.end())
		throw core::Error("no masking policy exists on table " + table_q, core::sqlstate::undefined_object, "",
		                  "pgclone.create_masking_policy() creates one.");
	if (!found->second && is_unrecorded_policy(spi, schema, view, t.oid))
		return drop_unrecorded_policy(spi, schema, table, view);
	if (!found->second || found->second->table != table)
		throw core::Error("view " + qualified_name(schema, view) + " is not a pgclone masking policy",
		                  core::sqlstate::invalid_parameter_value,
		                  "Its comment, which records what the policy changed, is missing or was changed.",
		                  "Drop the view and restore the privileges of " + table_q + " by hand.");
	const PolicyRecord &rec = *found->second;

	spi.exec("DROP VIEW " + qualified_name(schema, view));
	restore_public(spi, table_q, rec.public_table_privileges, rec.public_column_privileges);
	// Partitions detached or dropped since have nothing left to restore.
	for (const auto &p : rec.partitions)
		if (spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)sql",
		                    {p.schema, p.table}))
			restore_public(spi, qualified_name(p.schema, p.table), p.public_table_privileges,
			               p.public_column_privileges);
	// A role that no longer exists has no privileges left to revoke.
	if (spi.query_value("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", {rec.privileged_role})) {
		const std::string role_q = quote_ident(rec.privileged_role);
		if (!rec.granted_table_privileges.empty())
			spi.exec("REVOKE " + join(rec.granted_table_privileges) + " ON TABLE " + table_q + " FROM " +
			         role_q);
		if (rec.granted_schema_usage)
			spi.exec("REVOKE USAGE ON SCHEMA " + quote_ident(schema) + " FROM " + role_q);
	}
	spi.finish();
	return "OK: dropped masking policy on " + core::display_name(schema, table) + " (view " +
	       core::display_name(schema, view) + ")";
}

} // namespace pgclone::masking

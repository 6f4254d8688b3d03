// Target catalog look-ups: names through the syscache, the rest through SPI.
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/privileges.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

namespace {

// PG regime inside. The look-ups of names a clone asks about for every table
// it creates (schema, table, sequence, index names) read the syscache, as the
// parser resolves a qualified name: no query to parse, plan and run through
// SPI for each. They see the transaction's own DDL like a query would.
Oid find_schema(const std::string &schema) {
	const char *s = schema.c_str();
	return pg::call([=] { return get_namespace_oid(s, true); });
}

Oid find_relation(const std::string &schema, const std::string &name) {
	const char *s = schema.c_str(), *n = name.c_str();
	return pg::call([=] {
		Oid nsp = get_namespace_oid(s, true);
		return OidIsValid(nsp) ? get_relname_relid(n, nsp) : InvalidOid;
	});
}

} // namespace

bool schema_exists(const std::string &schema) {
	return OidIsValid(find_schema(schema));
}

namespace {

// PG regime inside: LockAcquire on the advisory tag, as pg_advisory_xact_lock(int4, int4) would.
void lock_key(const std::string &key) {
	const unsigned char *k = reinterpret_cast<const unsigned char *>(key.data());
	int len = static_cast<int>(key.size());
	pg::call([=] {
		uint32 h = DatumGetUInt32(hash_any(k, len));
		LOCKTAG tag;
		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32)advisory_key_space, h, 2);
		(void)LockAcquire(&tag, ExclusiveLock, false, false);
		// As LockRelationOid does: what a concurrent clone committed while we
		// waited reaches the syscache before the name is looked up again.
		AcceptInvalidationMessages();
	});
}

} // namespace

void lock_target_name(const std::string &schema, const std::string &name) {
	lock_key(core::qualified_name(schema, name));
}

bool ensure_schema(pg::Spi &spi, const std::string &schema) {
	if (schema_exists(schema))
		return false;
	lock_key(core::quote_ident(schema));
	if (schema_exists(schema)) // created, and committed, by a call that held the lock
		return false;
	spi.exec("CREATE SCHEMA " + core::quote_ident(schema));
	return true;
}

bool relation_exists(const std::string &schema, const std::string &name) {
	return OidIsValid(find_relation(schema, name));
}

std::string free_relation_name(const std::string &schema, const std::string &base) {
	std::string name = core::clip_identifier(base);
	for (int n = 2; relation_exists(schema, name); n++) {
		std::string suffix = "_" + std::to_string(n);
		name = core::clip_identifier(base, core::max_identifier_bytes - suffix.size()) + suffix;
	}
	return name;
}

namespace {

// The extension that created the schema, or pgclone when pgclone lives in it.
std::optional<std::string> schema_extension(pg::Spi &spi, const std::string &schema) {
	return spi.lookup(
	    R"sql(SELECT e.extname::pg_catalog.text FROM pg_catalog.pg_namespace n
JOIN pg_catalog.pg_extension e ON (e.extname = 'pgclone' AND e.extnamespace = n.oid)
  OR e.oid IN (SELECT d.refobjid FROM pg_catalog.pg_depend d
               WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid
                 AND d.objid = n.oid AND d.deptype = 'e')
WHERE n.nspname = $1 ORDER BY e.extname = 'pgclone' DESC LIMIT 1)sql",
	    {schema});
}

} // namespace

bool is_protected_schema(pg::Spi &spi, const std::string &schema) {
	return core::is_system_schema(schema) || schema_extension(spi, schema).has_value();
}

void refuse_protected_schema(pg::Spi &spi, const std::string &schema, const std::string &function_name) {
	if (core::is_system_schema(schema))
		throw core::Error(function_name + "() cannot clone into system schema \"" + schema + "\"",
		                  core::sqlstate::insufficient_privilege,
		                  "pg_catalog, information_schema and the pg_* schemas belong to the server; nothing in them is created, replaced or dropped by a clone.");
	if (auto ext = schema_extension(spi, schema))
		throw core::Error(function_name + "() cannot clone into schema \"" + schema +
		                      "\": it belongs to extension \"" + *ext + "\"",
		                  core::sqlstate::insufficient_privilege,
		                  "The objects of an extension's schema are the extension's; a clone never creates, replaces or drops them.",
		                  "Clone into another schema, or ALTER SCHEMA ... RENAME the source's schema.");
}

void refuse_extension_member(pg::Spi &spi, const char *kind, const std::string &schema,
                             const std::string &name, const std::string &identity_args) {
	const std::string what = kind;
	// A name no relation has (the common case: a clone into an empty
	// schema) is answered from the syscache, without a query.
	if (what == "relation" && !relation_exists(schema, name))
		return;
	std::optional<std::string> ext;
	if (what == "relation")
		ext = spi.lookup(
		    R"sql(SELECT e.extname::pg_catalog.text FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
WHERE n.nspname = $1 AND c.relname = $2)sql",
		    {schema, name});
	else if (what == "type")
		ext = spi.lookup(
		    R"sql(SELECT e.extname::pg_catalog.text FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
  AND d.objid = t.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
WHERE n.nspname = $1 AND t.typname = $2)sql",
		    {schema, name});
	else
		ext = spi.lookup(
		    R"sql(SELECT e.extname::pg_catalog.text FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid
  AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
WHERE n.nspname = $1 AND p.proname = $2
  AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3)sql",
		    {schema, name, identity_args});
	if (!ext)
		return;
	std::string object = what + " \"" + schema + "\".\"" + name + "\"" +
	                     (what == "function" ? "(" + identity_args + ")" : "");
	throw core::Error(object + " on the target belongs to extension \"" + *ext + "\"",
	                  core::sqlstate::insufficient_privilege,
	                  "A clone never replaces, renames or drops an object of an extension.",
	                  "Leave it out of the clone (option \"exclude_tables\"), or clone into another schema.");
}

unsigned int relation_oid(const std::string &schema, const std::string &name) {
	Oid oid = find_relation(schema, name);
	if (!OidIsValid(oid))
		throw core::Error("relation \"" + schema + "\".\"" + name + "\" was not found on the target",
		                  core::sqlstate::undefined_table);
	return oid;
}

bool role_exists(pg::Spi &spi, const std::string &role) {
	return spi.query_value("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", {role}).has_value();
}

std::optional<std::string> foreign_owner(pg::Spi &spi, const char *kind, const std::string &schema,
                                         const std::string &name, const std::string &identity_args,
                                         const std::string &source_owner) {
	return spi.query_value(
	    R"sql(SELECT r.rolname::pg_catalog.text FROM pg_catalog.pg_roles r
WHERE r.oid IN (
    SELECT c.relowner FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE $1 = 'relation' AND n.nspname = $2 AND c.relname = $3
    UNION ALL
    SELECT p.proowner FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE $1 = 'routine' AND n.nspname = $2 AND p.proname = $3
    AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $4)
AND NOT r.rolsuper AND r.rolname <> CURRENT_USER AND r.rolname <> $5)sql",
	    {kind, schema, name, identity_args, source_owner});
}

std::optional<std::string> target_tablespace(pg::Spi &spi, const std::optional<std::string> &tablespace,
                                              const std::string &what) {
	if (!tablespace || spi.query_value("SELECT 1 FROM pg_catalog.pg_tablespace WHERE spcname = $1", {*tablespace}))
		return tablespace;
	pg::notice("pgclone: " + what + " is created in the default tablespace: tablespace \"" + *tablespace +
	           "\" does not exist on the target");
	return std::nullopt;
}

} // namespace pgclone::clone

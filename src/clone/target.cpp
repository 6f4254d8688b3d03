// Target catalog look-ups through SPI.
#include <cstdlib>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

bool schema_exists(pg::Spi &spi, const std::string &schema) {
	return spi.query_value("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).has_value();
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
	});
}

} // namespace

void lock_target_name(const std::string &schema, const std::string &name) {
	lock_key(core::qualified_name(schema, name));
}

bool ensure_schema(pg::Spi &spi, const std::string &schema) {
	if (schema_exists(spi, schema))
		return false;
	lock_key(core::quote_ident(schema));
	if (schema_exists(spi, schema)) // created, and committed, by a call that held the lock
		return false;
	spi.exec("CREATE SCHEMA " + core::quote_ident(schema));
	return true;
}

bool relation_exists(pg::Spi &spi, const std::string &schema, const std::string &name) {
	return spi
	    .query_value(
	        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	        "WHERE n.nspname = $1 AND c.relname = $2",
	        {schema, name})
	    .has_value();
}

std::string free_relation_name(pg::Spi &spi, const std::string &schema, const std::string &base) {
	std::string name = core::clip_identifier(base);
	for (int n = 2; relation_exists(spi, schema, name); n++) {
		std::string suffix = "_" + std::to_string(n);
		name = core::clip_identifier(base, core::max_identifier_bytes - suffix.size()) + suffix;
	}
	return name;
}

unsigned int relation_oid(pg::Spi &spi, const std::string &schema, const std::string &name) {
	auto v = spi.query_value("SELECT c.oid FROM pg_catalog.pg_class c "
	                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                         "WHERE n.nspname = $1 AND c.relname = $2",
	                         {schema, name});
	if (!v)
		throw core::Error("relation \"" + schema + "\".\"" + name + "\" was not found on the target",
		                  core::sqlstate::undefined_table);
	return static_cast<unsigned int>(std::strtoul(v->c_str(), nullptr, 10));
}

} // namespace pgclone::clone

// Large objects on the target (include/pgclone/clone/large_objects.hpp).
#include <cstdint>
#include <set>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/large_object_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/large_objects.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/privileges.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

namespace {

// Bytes per round trip: large objects of any size travel in pieces.
constexpr int chunk_bytes = 1 << 20;

// Returns false when the existing object is kept.
bool make_room(pg::Spi &spi, const std::string &oid, core::ConflictStrategy strategy) {
	if (!spi.query_value("SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = $1::pg_catalog.oid", {oid}))
		return true;
	switch (strategy) {
	case core::ConflictStrategy::Error:
		throw core::Error("large object " + oid + " already exists on the target", core::sqlstate::duplicate_object,
		                  "pgclone.database() copies the source's large objects with their oids.",
		                  "Pass {\"conflict\": \"skip\"} or {\"conflict\": \"replace\"}, or {\"large_objects\": false}.");
	case core::ConflictStrategy::Replace:
		spi.query("SELECT pg_catalog.lo_unlink($1::pg_catalog.oid)", {oid});
		return true;
	default:
		pg::notice("pgclone: large object " + oid + " already exists on the target; kept it");
		return false;
	}
}

void copy_contents(libpq::Connection &src, pg::Spi &spi, const std::string &oid) {
	spi.query("SELECT pg_catalog.lo_create($1::pg_catalog.oid)", {oid});
	for (int64_t offset = 0;; offset += chunk_bytes) {
		pg::check_for_interrupts();
		std::string chunk = catalog::read_large_object_chunk(src, oid, offset, chunk_bytes);
		if (chunk.size() <= 2) // "\x": the end
			break;
		spi.query("SELECT pg_catalog.lo_put($1::pg_catalog.oid, $2::bigint, $3::pg_catalog.bytea)",
		          {oid, std::to_string(offset), chunk});
		if (chunk.size() < 2 + 2 * static_cast<std::size_t>(chunk_bytes))
			break;
	}
}

} // namespace

LargeObjectOutcome clone_large_objects(libpq::Connection &src, const core::CloneOptions &options) {
	LargeObjectOutcome out;
	auto objects = catalog::read_large_objects(src);
	if (objects.empty())
		return out;
	pg::notice("pgclone: database: copying " + core::plural(objects.size(), "large object", "large objects"));
	std::set<std::string> missing;
	pg::Spi spi;
	for (const auto &lo : objects) {
		if (!make_room(spi, lo.oid, options.conflict))
			continue;
		copy_contents(src, spi, lo.oid);
		out.copied++;
		const std::string what = "large object " + lo.oid;
		const std::string on = "LARGE OBJECT " + lo.oid;
		if (options.owners) {
			if (role_exists(spi, lo.owner))
				try_ddl(spi, what + " owner", "ALTER " + on + " OWNER TO " + core::quote_ident(lo.owner), out.warnings);
			else
				missing.insert(lo.owner);
		}
		if (options.privileges)
			for (const auto &e : lo.acl) {
				// The owner's own privileges come with ownership.
				if (e.grantee && *e.grantee == lo.owner)
					continue;
				// Pasted into SQL as a keyword: only the keywords aclexplode() produces.
				if (!core::is_known_privilege(e.privilege)) {
					out.warnings++;
					pg::warning("pgclone: unknown privilege \"" + e.privilege + "\" on the source not cloned",
					            "It is granted on " + what + ".");
					continue;
				}
				if (e.grantee && !role_exists(spi, *e.grantee)) {
					missing.insert(*e.grantee);
					continue;
				}
				try_ddl(spi, what + " privileges",
				        "GRANT " + e.privilege + " ON " + on + " TO " +
				            (e.grantee ? core::quote_ident(*e.grantee) : std::string("PUBLIC")) +
				            (e.grantable ? " WITH GRANT OPTION" : ""),
				        out.warnings);
			}
		if (lo.comment)
			try_ddl(spi, what + " comment", "COMMENT ON " + on + " IS " + core::quote_literal(*lo.comment), out.warnings);
	}
	spi.finish();
	if (!missing.empty()) {
		std::string names;
		for (const auto &m : missing)
			names += (names.empty() ? "\"" : ", \"") + m + "\"";
		pg::warning("pgclone: owners or grantees of large objects of the source do not exist on the target",
		            "Missing roles: " + names + ".", "Create the roles first (pgclone.clone_roles()).");
	}
	return out;
}

} // namespace pgclone::clone

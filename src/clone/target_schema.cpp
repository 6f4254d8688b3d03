// Option "target_schema": the two search_path settings that move a clone
// into another schema (include/pgclone/clone/target_schema.hpp).
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/pg/settings.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

SchemaMove schema_move(const std::string &source_schema, const core::CloneOptions &options) {
	return {source_schema, options.target_schema.value_or("")};
}

std::string follow_source_schema(libpq::Connection &src, const SchemaMove &move) {
	if (!move.active())
		return "";
	// pg_temp last: a temporary relation never stands for a name of the schema.
	auto r =
	    src.exec_params("SELECT pg_catalog.set_config('search_path', $1, false), pg_catalog.quote_ident($2)",
	                    {"pg_catalog, " + core::quote_ident(move.from) + ", pg_temp", move.from});
	return r.get(0, 1);
}

void with_catalog_source_path(libpq::Connection &src, const std::function<void()> &f) {
	const std::string path = libpq::search_path(src);
	libpq::set_search_path(src, "pg_catalog, pg_temp");
	f();
	libpq::set_search_path(src, path);
}

void outside_source_schema(libpq::Connection &src, const SchemaMove &move, const std::function<void()> &f) {
	if (move.active())
		with_catalog_source_path(src, f);
	else
		f();
}

std::map<std::string, std::string> source_column_types(libpq::Connection &src, const std::string &oid) {
	libpq::Result r = src.exec_params(
	    R"sql(SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
WHERE a.attrelid = $1::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped)sql",
	    {oid});
	std::map<std::string, std::string> types;
	for (int i = 0; i < r.rows(); i++)
		types[r.get(i, 0)] = r.get(i, 1);
	return types;
}

void with_search_path(const std::string &value, const std::function<void()> &f) {
	pg::with_local("search_path", value, f);
}

void with_target_path(const SchemaMove &move, const std::function<void()> &f) {
	// Never the caller's search_path: the source's code that the clone makes
	// the target run (CHECK and index expressions, generated columns, domain
	// checks, the function bodies they call) would look up its bare names in
	// schemas such as public, where any role with CREATE could put a better
	// matching function that then runs with the cloning role's rights.
	// pg_restore runs with an empty search_path for the same reason.
	with_search_path(move.active() ? "pg_catalog, " + core::quote_ident(move.to) + ", pg_temp" : "pg_catalog, pg_temp",
	                 f);
}

} // namespace pgclone::clone

// pgclone.diff(). C++ regime; PostgreSQL through pg::Spi and libpq only.
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/checks/diff.hpp"
#include "pgclone/catalog/query.hpp"
#include "pgclone/checks/schema_facts.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_diff.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::checks {

std::string diff(const std::string &conninfo, const std::string &schema) {
	libpq::Connection src = libpq::open_source(conninfo);
	core::SchemaFacts source = read_schema_facts(catalog::source_query(src), schema);
	libpq::close_source(src);

	pg::Spi spi;
	core::SchemaFacts target = read_schema_facts(catalog::target_query(spi), schema);
	spi.finish();

	if (!source.exists && !target.exists)
		throw core::Error("schema \"" + schema + "\" does not exist on the source server nor on the target",
		                  core::sqlstate::invalid_schema_name);
	return core::diff_schemas(schema, source, target)
	    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace pgclone::checks

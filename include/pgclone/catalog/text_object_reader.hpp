// Reads the collations and text search objects (parsers, templates,
// dictionaries, configurations) a clone needs, with one query for the whole
// plan: those in the plan's schemas, and those the plan's tables use in any
// schema (column collations, index and generated-column expressions naming
// a text search configuration, collations of the types the columns are
// built from), each with what it is built from. Objects of an extension and
// of pg_catalog are never listed.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/core/text_objects.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

// schemas: names of the plan's schemas (may be empty); table_oids: source
// oids of the plan's tables (may be empty). In creation order (parsers,
// templates, dictionaries, configurations, collations), then by name.
std::vector<core::TextObjectDef> read_text_objects(libpq::Connection &src, const std::vector<std::string> &schemas,
                                                   const std::vector<std::string> &table_oids);

} // namespace pgclone::catalog

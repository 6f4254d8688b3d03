// Reads the configuration tables and sequences that extensions registered
// with pg_extension_config_dump() (pg_extension.extconfig/extcondition),
// with one query for all the extensions of a clone. pg_dump dumps the rows
// of these tables that match the condition; a database clone copies them.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct ExtensionConfigTable {
	std::string extension, schema, name;
	char relkind = 'r';               // r table, S sequence
	std::string condition;            // "WHERE ..." or empty: which rows are the user's
	std::vector<std::string> columns; // the columns rows are copied by (no generated ones)
};

std::vector<ExtensionConfigTable> read_extension_config(libpq::Connection &src,
                                                        const std::vector<std::string> &extensions);

} // namespace pgclone::catalog

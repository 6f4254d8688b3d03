// The rows users added to the configuration tables of an extension that a
// database clone created (what pg_dump dumps for pg_extension_config_dump()
// tables: the rows matching the registered condition), and the positions of
// its configuration sequences.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <vector>

#include "pgclone/catalog/extension_config_reader.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::clone {

// Copies through COPY, like table rows; a failure (a row that clashes with
// one the extension created on the target) ends the clone, as a restore of
// pg_dump's output would fail. Returns the number of rows copied.
uint64_t copy_extension_config(libpq::Connection &src, const std::vector<catalog::ExtensionConfigTable> &tables);

} // namespace pgclone::clone

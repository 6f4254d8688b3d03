// pgclone.discover_sensitive(): the source schema's columns judged by the
// sensitivity rules of core/sensitivity.hpp.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::masking {

// JSON text {"table": {"column": mask}} for the sensitive columns of the
// source schema's tables.
std::string discover_sensitive(const std::string &conninfo, const std::string &schema);

} // namespace pgclone::masking

// pgclone.preflight(): can this schema be cloned from that source into this
// database? Sixteen read-only checks, one JSON document.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::checks {

// Never throws for a source that cannot be reached or a schema that does not
// exist: those are failed checks (ready = false). Errors of the target
// itself (and a cancel) still raise.
std::string preflight(const std::string &conninfo, const std::string &schema);

} // namespace pgclone::checks

// pgclone.diff(): schema drift between the source and the target.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::checks {

// The JSON report (see core::diff_schemas). Read-only on both sides: the
// source inside a REPEATABLE READ READ ONLY transaction, the target through
// SELECTs on its catalogs in the caller's transaction.
std::string diff(const std::string &conninfo, const std::string &schema);

} // namespace pgclone::checks

// Reads the user-defined aggregates of the plan's schemas with one query
// (pg_aggregate with its support functions, types and sort operator).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pgclone/core/aggregates.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

// Keyed by the aggregate's oid (FunctionDef::oid of kind 'a').
std::map<std::string, core::AggregateDef> read_aggregates(libpq::Connection &src,
                                                          const std::vector<std::string> &schemas);

} // namespace pgclone::catalog

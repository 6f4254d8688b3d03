// Reads what pgclone.diff() compares from one side's catalog.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

#include "pgclone/catalog/query.hpp"
#include "pgclone/core/schema_diff.hpp"

namespace pgclone::checks {

// Tables (with columns), indexes not backing a constraint, constraints,
// triggers, views, materialized views and sequences of one schema. Only
// SELECTs on the catalogs.
core::SchemaFacts read_schema_facts(const catalog::QueryFn &query, const std::string &schema);

} // namespace pgclone::checks

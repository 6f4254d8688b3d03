// Reads, with one query for all the plan's tables, what each table carries
// beside its columns, keys, indexes and triggers (core::TableSettings:
// storage parameters, column storage / statistics / options, replica
// identity, CLUSTER ON, trigger states, comments on its indexes,
// constraints, triggers, rules and policies, row-level security,
// inheritance parents), and with one more query every policy of them.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pgclone/core/table_settings.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

// Keyed by source table oid; every oid of table_oids has an entry.
std::map<std::string, core::TableSettings> read_table_settings(libpq::Connection &src,
                                                               const std::vector<std::string> &table_oids);

// The same in two steps, for a reader that queues the queries itself
// (PlanReadAhead): the settings query and the policies query, each taking
// the table oids as $1 (an oid array literal), in this order; and the
// settings their two replies give.
const std::vector<std::string> &table_settings_queries();
std::map<std::string, core::TableSettings> table_settings_from(const libpq::Result &settings,
                                                               const libpq::Result &policies);

} // namespace pgclone::catalog

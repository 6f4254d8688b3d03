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

} // namespace pgclone::catalog

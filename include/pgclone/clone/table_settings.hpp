// Gives cloned tables what they carry beside columns, keys, indexes and
// triggers (core::TableSettings), once their rows, indexes and triggers are
// in place: row-level security and its policies first (a privilege rule:
// never left out silently, never more permissive than on the source), then
// storage parameters, column settings, replica identity, CLUSTER ON,
// trigger states, comments, and inheritance links.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/core/table_settings.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

struct SettingsTarget {
	std::string schema, table;  // the cloned table on the target
	std::string source_table;   // its name on the source (index names derive from it)
	std::string display;        // for messages
	std::string source_schema;  // its schema on the source (option target_schema moves it)
};

// The statement kinds of the settings: rules and statistics objects are the
// source's pg_get_ruledef() and pg_get_statisticsobjdef(), the rest ALTER
// TABLE and COMMENT; anything else in their place is refused.
inline constexpr pg::StatementKinds table_settings_kinds = pg::alter_table_statement | pg::comment_statement |
                                                           pg::create_rule_statement | pg::create_statistics_statement;

// Applies `s` to the target table. ENABLE/FORCE ROW LEVEL SECURITY and
// RESTRICTIVE policies must succeed (an ERROR ends the clone: without them
// the clone would show rows the source hides); everything else that fails
// is a WARNING. Returns the number of warnings. The storage parameters,
// column settings, replica identity, CLUSTER ON, trigger states, rules,
// statistics objects and comments are appended to `settings`, for the
// caller to run with try_ddl_all and table_settings_kinds (one
// subtransaction for all the tables of a schema clone unless one fails).
int apply_table_settings(pg::Spi &spi, const core::TableSettings &s, const SettingsTarget &t,
                         std::vector<DdlStatement> &settings);

// pgclone.table(): reads the table's settings (a one-table plan) and
// applies those of the parts the clone created.
int clone_table_settings(libpq::Connection &src, pg::Spi &spi, const std::string &source_oid,
                         const SettingsTarget &t, const core::CreatedParts &created);

} // namespace pgclone::clone

// Settings of the target session (GUCs) read and set through the server's
// GUC API, as current_setting(name) and set_config(name, value, true) do,
// without an SPI statement each: a schema clone sets search_path (and,
// for some objects, check_function_bodies or default_tablespace) around
// every table, thousands of times.
//
// C++ regime: errors of the server come back as PgError (pg::call).
#pragma once

#include <functional>
#include <string>

namespace pgclone::pg {

// The current value of a setting, as current_setting(name) shows it.
std::string setting(const std::string &name);

// set_config(name, value, true): the value holds until the end of the
// current transaction (or subtransaction, which puts it back on abort), or
// until set again. An empty value is accepted as set_config accepts it.
void set_local(const std::string &name, const std::string &value);

// Runs f with setting `name` at `value` (set_local), then puts the value it
// had back. When f throws, the value stays until the transaction (or
// subtransaction) ends, which the error ends: set_local's value goes with it.
void with_local(const std::string &name, const std::string &value, const std::function<void()> &f);

} // namespace pgclone::pg

// Whether a piece of SQL text may carry a secret given to pgclone, for the
// server-log filter (pg::install_log_filter). Textual and cheap: it runs for
// every message the server emits. No server headers.
#pragma once

namespace pgclone::core {

// True when text names pgclone and has, in any letter case, a secret
// keyword of a connection string or of pgclone's options ("password",
// which also covers sslpassword; "secret", e.g. libpq's
// oauth_client_secret; "salt", the pseudonymize key) or a URI with
// user-info ("://" followed by an "@", where a URI carries its password).
// Null or empty text: false. Never allocates, never throws.
bool may_carry_pgclone_secret(const char *text) noexcept;

} // namespace pgclone::core

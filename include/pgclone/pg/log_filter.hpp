// The server-log filter: an emit_log_hook that keeps the secrets of a
// pgclone call (a password, a URI with user-info, a pseudonymize salt) out
// of the STATEMENT and CONTEXT lines of every message, including those
// raised outside pgclone's own code. Defined in src/pg/guard.cpp.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

namespace pgclone::pg {

// From _PG_init, once per process; chains to the hook installed before.
void install_log_filter();

} // namespace pgclone::pg

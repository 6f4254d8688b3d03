// Module load: PG_MODULE_MAGIC and _PG_init. PG regime throughout: each
// setup function called here is plain C-style code that registers settings,
// hooks and callbacks and cannot throw, so no guard is needed.
#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/database_clone.hpp"
#include "pgclone/jobs/job_table.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/log_filter.hpp"
#include "pgclone/progress/board.hpp"

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void);

// Defines the pgclone.* settings, reserves the GUC prefix, registers the
// abort callback that closes source connections left open by an aborted
// transaction, installs the server-log filter that hides statements
// carrying a secret, and (when preloaded) asks for the shared memory of the
// async job table and of the progress board.
void _PG_init(void) {
	// Superuser-only, and hidden from others: it may hold a password, and
	// whoever sets it decides how database_create reaches this server.
	DefineCustomStringVariable(
	    "pgclone.local_conninfo", "Connection string pgclone.database_create() uses to reach this server.",
	    "Empty: this server's first unix socket directory, its port and the current user. A dbname in it is replaced by the database being worked on.",
	    &pgclone::clone::local_conninfo_setting, "", PGC_SUSET, GUC_SUPERUSER_ONLY, NULL, NULL, NULL);
	pgclone::jobs::init_job_table();
	pgclone::progress::init_board();
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("pgclone");
#else
	EmitWarningsOnPlaceholders("pgclone");
#endif
	RegisterXactCallback(pgclone::libpq::on_xact_event, NULL);
	pgclone::pg::install_log_filter();
}
}

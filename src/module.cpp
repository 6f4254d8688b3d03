// Module load: PG_MODULE_MAGIC and _PG_init. PG regime shim; the C++ setup
// runs under the guard.
#include "pgclone/pg/postgres.hpp"

#include "pgclone/libpq/connection.hpp"

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void);

// Registers the pgclone.* GUC prefix and the abort callback that closes
// source connections left open by an aborted transaction.
void _PG_init(void) {
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("pgclone");
#else
	EmitWarningsOnPlaceholders("pgclone");
#endif
	RegisterXactCallback(pgclone::libpq::on_xact_event, NULL);
}
}

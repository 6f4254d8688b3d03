#!/usr/bin/env bash
# 614_inheritance_parent.sh -- a query of an INHERITS parent reads its children's rows with the
# parent's privileges only (docs/SECURITY.md "Privileges"). On the source, app.secret_events
# INHERITS shared.events; the clone of schema app links the child to the target's shared.events.
# mallory614 may create in schema shared on the target and made shared.events there first: linked,
# she would read app.secret_events through it. The link is made only to a parent that the caller,
# a superuser or the parent's owner on the source owns; otherwise the child stays a table of its
# own with a WARNING. The same with pgclone.table(), and a parent of the right owner is linked.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_614_inh
SDB=pgclone_614i_src
scratch_dbs $DB $SDB mallory614
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA shared;
CREATE TABLE shared.events (id int, payload text);
CREATE SCHEMA app;
CREATE TABLE app.secret_events () INHERITS (shared.events);
INSERT INTO app.secret_events VALUES (1, 'secret-1'), (2, 'secret-2');
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<'SQL'
CREATE ROLE mallory614 LOGIN;
CREATE SCHEMA shared;
GRANT USAGE, CREATE ON SCHEMA shared TO mallory614;
SET ROLE mallory614;
CREATE TABLE shared.events (id int, payload text);
RESET ROLE;
SQL
as_mallory() { "$PSQL" -X -q -At "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=$DB user=mallory614" "$@"; }

# --- schema(): the child is not linked to mallory614's parent -----------------------------------
out=$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>&1)
like "$out" 'app.secret_events stays a table of its own: its inheritance parent shared.events on the target belongs to role "mallory614"' \
    "schema(): a parent of another role is not linked, with a WARNING naming it"
like "$out" 'DONE WITH 1 WARNING: cloned schema app: 1 table \(2 rows\)' "... counted in the result"
is "$(as_mallory -c "SELECT count(*) FROM shared.events")" 0 "mallory614 reads none of the child's rows through her table"
is "$(T -c "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'app.secret_events'::regclass")" 0 "... there is no link"
T -c "DROP SCHEMA app CASCADE" >/dev/null

# --- table(): the same ------------------------------------------------------------------------
T -c "CREATE SCHEMA app" >/dev/null
like "$(T -c "SELECT pgclone.table($SRC, 'app', 'secret_events', true)" 2>&1)" \
    'stays a table of its own: its inheritance parent shared.events on the target belongs to role "mallory614"' \
    "table(): the same rule"
is "$(as_mallory -c "SELECT count(*) FROM shared.events")" 0 "... mallory614 reads nothing"
T -c "DROP SCHEMA app CASCADE" >/dev/null

# --- a parent the caller owns is linked ---------------------------------------------------------
T -c "DROP TABLE shared.events; CREATE TABLE shared.events (id int, payload text)" >/dev/null
like "$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>/dev/null)" '^OK: cloned schema app: 1 table \(2 rows\)' \
    "schema(): a parent of the caller is linked without a warning"
is "$(T -c "SELECT count(*) FROM shared.events")" 2 "... and shows the child's rows as on the source"

done_testing

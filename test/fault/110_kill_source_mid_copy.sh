#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 110_kill_source_mid_copy.sh -- the source backend dies in the middle of a clone's COPY
# (issue 2, item 5): the clone fails with a clear error naming the source and the COPY, and
# the target keeps no trace of the table (no table, no sequence, no schema). Then the same
# while the source's COPY still waits for a lock (the kill hits the query, not the stream).
#
# While the rows stream, the clone must be visible in the target's pg_stat_progress_copy as an
# in-process COPY FROM fed by a callback (type CALLBACK: no loopback connection).
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"

SCHEMA=fault_kill
ROWS=${FAULT_KILL_ROWS:-3000000}

fault_cleanup() {
    src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'pgclone' AND pid <> pg_backend_pid()" >/dev/null 2>&1
    src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
    tgt -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}

# ---- setup: a table big enough that its COPY takes a few seconds
T0=$(now_ms)
if ! src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" \
    -c "CREATE SCHEMA $SCHEMA" \
    -c "CREATE TABLE $SCHEMA.big (id bigserial PRIMARY KEY, n int NOT NULL, t text)" \
    -c "INSERT INTO $SCHEMA.big (n, t) SELECT g, 'row number ' || g FROM generate_series(1, $ROWS) g" \
    -c "ANALYZE $SCHEMA.big" >/dev/null; then
    not_ok "seed $ROWS rows on the source"
    finish
fi
diag "seeded $ROWS rows on the source in $(($(now_ms) - T0)) ms"
tgt -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" \
    -c "CREATE EXTENSION IF NOT EXISTS pgclone" >/dev/null

SRC_Q=$(printf '%s' "$PGCLONE_SRC_CONNINFO" | sed "s/'/''/g")
CLONE="SELECT pgclone.table('$SRC_Q', '$SCHEMA', 'big')"

# ---- the clone, in the background
bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
    "$PGCLONE_TGT_CONNINFO" -c "$CLONE"

progress() {
    tgt -c "SELECT p.command || ' ' || p.type || ' ' || (p.tuples_processed > 0)
              FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = 'fault_clone'"
}
copying() { [[ $(progress) == "COPY FROM CALLBACK true" ]]; }

if wait_for 20000 copying; then
    ok "the clone shows in pg_stat_progress_copy as COPY FROM, type CALLBACK, tuples_processed > 0"
    ROWS_SEEN=$(tgt -c "SELECT p.tuples_processed FROM pg_stat_progress_copy p
                          JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'fault_clone'")
    SRC_PIDS=$(src -c "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE application_name = 'pgclone'")
    check "the clone's source session is visible as application_name 'pgclone'" test -n "$SRC_PIDS"
    # kill it mid-stream
    src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone'" >/dev/null
    diag "terminated source backend(s) $SRC_PIDS after ${ROWS_SEEN:-?} of $ROWS rows"
    check "the rows had not all arrived when the source died (${ROWS_SEEN:-?} < $ROWS)" \
        test "${ROWS_SEEN:-0}" -lt "$ROWS"
    if bg_wait clone 10000; then
        ok "the clone ended within 10 s of the source backend's death"
    else
        not_ok "the clone ended within 10 s of the source backend's death"
        bg_wait clone 60000
    fi
else
    not_ok "the clone shows in pg_stat_progress_copy as COPY FROM, type CALLBACK, tuples_processed > 0"
    diag "progress: '$(progress)'" "$(bg_out clone)"
    bg_wait clone 60000
fi

OUT=$(bg_out clone)
diag "clone output:" "$OUT"
is "$(bg_rc clone)" 1 "the clone failed (psql exit status 1)"
contains "$OUT" "ERROR:" "the client gets an ERROR"
contains "$OUT" "COPY" "the error names the COPY"
contains "$OUT" "source server" "the error names the source server"
contains "$OUT" "port $PGCLONE_SRC_PORT" "the error names the source's port"
contains "$OUT" "database \"source\"" "the error names the source database"
# A backend terminated while it was blocked sending rows does not send its FATAL message (it
# would block again, and could break the protocol mid-message): then the clone only sees the
# connection close. Either way the error must say what happened.
if [[ $OUT == *"terminating connection due to administrator command"* ]]; then
    ok "the error carries the source's reason (the source sent its FATAL message)"
else
    contains "$OUT" "lost the connection to the source server during COPY" \
        "the error says the connection was lost during COPY (the source died without a message)"
fi
lacks "$OUT" "$PGCLONE_SRC_PASSWORD" "the error does not contain the source password"
# 57P01 (admin_shutdown) or 57014 would tell the *client* that its own session was
# terminated / canceled; a dead source is a connection failure of the clone.
contains "$OUT" "ERROR:  08006:" "the SQLSTATE is 08006 (connection_failure), not the source's 57P01"

# ---- nothing of it on the target
GOT=$(tgt -c "SELECT coalesce(to_regclass('$SCHEMA.big')::text, 'none') || ' ' ||
                     coalesce(to_regclass('$SCHEMA.big_id_seq')::text, 'none') || ' ' ||
                     (SELECT count(*) FROM pg_namespace WHERE nspname = '$SCHEMA') || ' ' ||
                     (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = '$SCHEMA')")
is "$GOT" "none none 0 0" "the target has no table, no sequence, no schema $SCHEMA left"
is "$(tgt -c "SELECT count(*) FROM pg_stat_progress_copy")" 0 "no COPY is still running on the target"

# ---- the source backend dies before the stream starts: its COPY waits for a lock there
bg locker env PGAPPNAME=fault_locker "$PSQL" -X -q -At "$PGCLONE_SRC_CONNINFO" \
    -c "BEGIN; LOCK TABLE $SCHEMA.big IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT"
holds_lock() {
    [[ $(src -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 'fault_locker' AND l.mode = 'AccessExclusiveLock'
                    AND l.granted AND l.relation = '$SCHEMA.big'::regclass") == 1 ]]
}
check "another source session holds ACCESS EXCLUSIVE on $SCHEMA.big" wait_for 10000 holds_lock
source_clone_waits_on_lock() {
    [[ $(src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone'
                  AND wait_event_type = 'Lock'") == 1 ]]
}
bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
    "$PGCLONE_TGT_CONNINFO" -c "$CLONE"
if wait_for 10000 source_clone_waits_on_lock; then
    src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone'" >/dev/null
    bg_wait clone 10000
    OUT=$(bg_out clone)
    diag "clone output:" "$OUT"
    contains "$OUT" "ERROR:  08006:" "killed while starting its COPY: SQLSTATE 08006"
    contains "$OUT" "terminating connection due to administrator command" "... with the source's reason"
    contains "$OUT" "port $PGCLONE_SRC_PORT, database \"source\"" "... naming the source server"
    lacks "$OUT" "$PGCLONE_SRC_PASSWORD" "... without the password"
else
    not_ok "the clone's source session waits for the lock"
    bg_wait clone 30000
fi
src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_locker'" >/dev/null
bg_wait locker 5000
is "$(tgt -c "SELECT coalesce(to_regclass('$SCHEMA.big')::text, 'none') || ' ' ||
                     (SELECT count(*) FROM pg_namespace WHERE nspname = '$SCHEMA')")" "none 0" \
    "... and the target has no trace of it"

# ---- the target and the source are fine: the same clone now succeeds
OUT=$(tgt -c "$CLONE" 2>"$WORK/final.err")
is "$OUT" "OK: cloned $SCHEMA.big ($ROWS rows)" "a second clone of the same table succeeds"
is "$(tgt -c "SELECT count(*) || ' ' || max(id) || ' ' || (SELECT last_value FROM $SCHEMA.big_id_seq)
                FROM $SCHEMA.big")" "$ROWS $ROWS $ROWS" "... with every row and the sequence position"

finish

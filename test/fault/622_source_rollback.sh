#!/usr/bin/env bash
# 622_source_rollback.sh -- every source session of pgclone ends its read-only transaction with
# ROLLBACK, never COMMIT, so nothing an expression did on the source persists (issue 9, item 12):
#  * a `where` filter calling lo_import() (allowed in a READ ONLY transaction) leaves no large
#    object behind, in a sync table clone and in a table_async job;
#  * with the source logging every statement, the sessions of pgclone (application_name pgclone)
#    of a table clone, a schema clone (keeper; with "consistent": false also between tables),
#    table_async, schema_async sequential and with a pool (coordinator, parent, pool workers),
#    verify, diff, preflight and discover_sensitive send ROLLBACK and never COMMIT or END.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_620_rb
fault_cleanup() {
    drop_db $DB
    src -c "ALTER SYSTEM RESET log_statement" -c "ALTER SYSTEM RESET log_line_prefix" \
        -c "SELECT pg_reload_conf()" >/dev/null 2>&1
    [[ -n ${LO_MAX:-} ]] && src -c "SELECT count(lo_unlink(oid)) FROM pg_largeobject_metadata WHERE oid::bigint > $LO_MAX" >/dev/null 2>&1
}
trap fault_cleanup EXIT
fault_cleanup
make_db $DB
T() { tgt $DB "$@"; }
T -c "SELECT pgclone.clear_jobs()" >/dev/null

los() { src -c "SELECT count(*) FROM pg_largeobject_metadata"; }
LO_BEFORE=$(los)
LO_MAX=$(src -c "SELECT coalesce(max(oid::bigint), 0) FROM pg_largeobject_metadata")

src -c "ALTER SYSTEM SET log_statement = 'all'" -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] app=%a '" \
    -c "SELECT pg_reload_conf()" >/dev/null
wait_until_src 10 "SELECT current_setting('log_statement') = 'all'" || not_ok "the source logs statements"
LOG_START=$(wc -c <"$PGCLONE_SRC_LOG")

FILTER=$(lit '{"where": "pg_catalog.lo_import('\''/etc/hostname'\'') > 0"}')

# --- a filter's side effect does not persist ---------------------------------------------------
is "$(T -c "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, 'rb_sync', $FILTER)")" \
    'OK: cloned test_schema.rb_sync (10 rows)' "sync table clone with a lo_import() filter"
is "$(los)" "$LO_BEFORE" "the sync clone's filter left no large object on the source"
j=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'rb_async', $FILTER)")
is "$(wait_job $DB "$j")" completed "table_async with a lo_import() filter completes"
is "$(los)" "$LO_BEFORE" "the async job's filter left no large object on the source"

# --- every kind of source session ends with ROLLBACK ------------------------------------------
is "$(T -c "SELECT pgclone.schema($SRC_LIT, 'test_schema', true, '{\"conflict\": \"replace\"}')" 2>/dev/null | head -c 2)" OK \
    "sync schema clone"
is "$(T -c "SELECT pgclone.schema($SRC_LIT, 'test_schema', true, '{\"conflict\": \"replace\", \"consistent\": false}')" 2>/dev/null | head -c 2)" OK \
    "sync schema clone, consistent false"
j=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"conflict\": \"replace\"}')")
is "$(wait_job $DB "$j")" completed "sequential schema_async completes"
j=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"conflict\": \"replace\", \"parallel\": 2}')")
is "$(wait_job $DB "$j")" completed "schema_async with a pool of 2 completes"
T -c "SELECT count(*) FROM pgclone.verify($SRC_LIT, 'test_schema', '{\"mode\": \"checksum\"}')" >/dev/null &&
    T -c "SELECT length(pgclone.diff($SRC_LIT, 'test_schema'))" >/dev/null &&
    T -c "SELECT length(pgclone.preflight($SRC_LIT, 'test_schema')::text)" >/dev/null &&
    T -c "SELECT length(pgclone.discover_sensitive($SRC_LIT, 'test_schema'))" >/dev/null
is "$?" 0 "verify, diff, preflight and discover_sensitive ran"

sleep 0.5 # the log is written by the source's backends; let the last lines land
LOG=$(tail -c +$((LOG_START + 1)) "$PGCLONE_SRC_LOG" | grep -a 'app=pgclone ')
n_rollback=$(grep -ac 'statement: ROLLBACK' <<<"$LOG")
n_commit=$(grep -aEc 'statement: (COMMIT|END)\b' <<<"$LOG")
n_begin=$(grep -ac 'statement: BEGIN' <<<"$LOG")
if ((n_rollback >= 12)); then ok "pgclone's source sessions sent ROLLBACK ($n_rollback times)"; else
    not_ok "pgclone's source sessions sent ROLLBACK (only $n_rollback times)"; fi
is "$n_commit" 0 "pgclone's source sessions never sent COMMIT or END"
is "$n_rollback" "$n_begin" "every BEGIN of a pgclone source session ended with ROLLBACK"
if [[ $n_commit != 0 ]]; then diag "$(grep -aE 'statement: (COMMIT|END)\b' <<<"$LOG" | head -5)"; fi

done_testing

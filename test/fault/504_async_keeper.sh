#!/usr/bin/env bash
# 504_async_keeper.sh -- v4.3.2 snapshot-keeper resilience on the background-worker path.
#  * A source role with idle_in_transaction_session_timeout = '1s' (and statement_timeout = '1s')
#    clones keeper_test (its materialized view keeps the keeper idle for 1.5 s) with a sequential
#    and a parallel schema_async: both complete. Control: a plain session of that role dies.
#  * With that role, the snapshot coordinator holds its snapshot idle for more than 1 s (the
#    parent's plan read waits 1.5 s for a table another source session has locked, then it
#    creates 3000 sequences before it starts the pool) and the clone completes.
#  * The coordinator's source backend terminated after the parent imported the snapshot: the
#    pool workers cannot import it; the job fails with the "invalid snapshot identifier" hint;
#    resume() (with a new coordinator) completes it.
#  * The parent's keeper terminated while the target creates the trigger (an event trigger of the
#    target database makes that take 1.5 s): the job fails naming the keeper and the next phase
#    that reads the source; the tables it committed stay; resume() completes it.
. "$(dirname "$0")/lib/async_common.bash"

ROLE=pgclone_ka_user
PASS=ka_pass_3
DB=pgclone_async_keeper
cleanup() {
    drop_db $DB
    src -c "DROP SCHEMA IF EXISTS ka_test CASCADE" -c "DROP OWNED BY $ROLE" -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
make_db $DB
T() { tgt $DB "$@"; }
src <<SQL >/dev/null
SET client_min_messages = warning;
CREATE SCHEMA ka_test;
CREATE TABLE ka_test.a (id integer PRIMARY KEY);
CREATE TABLE ka_test.b (id integer PRIMARY KEY, a_id integer REFERENCES ka_test.a (id));
CREATE TABLE ka_test.c (id integer PRIMARY KEY);
INSERT INTO ka_test.a SELECT generate_series(1, 100);
INSERT INTO ka_test.b SELECT g, g FROM generate_series(1, 100) g;
INSERT INTO ka_test.c SELECT generate_series(1, 100);
DO \$\$ BEGIN FOR i IN 1..3000 LOOP EXECUTE format('CREATE SEQUENCE ka_test.s%s', i); END LOOP; END \$\$;
CREATE ROLE $ROLE LOGIN PASSWORD '$PASS';
ALTER ROLE $ROLE SET idle_in_transaction_session_timeout = '1s';
ALTER ROLE $ROLE SET statement_timeout = '1s';
GRANT USAGE ON SCHEMA keeper_test, ka_test TO $ROLE;
GRANT SELECT ON ALL TABLES IN SCHEMA keeper_test, ka_test TO $ROLE;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA ka_test TO $ROLE;
SQL
ROLE_LIT=$(lit "${PGCLONE_SRC_CONNINFO/user=postgres password=srcpass/user=$ROLE password=$PASS}")

# Control: the role's own idle transaction is killed after 1 s.
out=$(printf 'BEGIN;\nSELECT 1;\n\\! sleep 2\nSELECT 2;\n' |
    PGPASSWORD=$PASS "$PSQL" -X -q -At "${PGCLONE_SRC_CONNINFO/user=postgres password=srcpass/user=$ROLE}" 2>&1)
like "$out" 'idle-in-transaction timeout' "control: a plain session of the role dies idle in transaction after 1 s"

# --- the keepers survive the role's timeouts --------------------------------------------------
id=$(T -c "SELECT pgclone.schema_async($ROLE_LIT, 'keeper_test', true)")
is "$(wait_job $DB "$id")" completed "sequential: the job completes despite the 1 s timeouts"
is "$(T -c "SELECT n FROM keeper_test.slow")" 3 "sequential: the materialized view (1.5 s to fill) is there"
ms=$(job_field $DB "$id" elapsed_ms)
if ((ms >= 1500)); then ok "sequential: the keeper was idle in its transaction for over 1 s ($ms ms job)"; else not_ok "job took $ms ms"; fi

T -c "DROP SCHEMA keeper_test CASCADE" >/dev/null 2>&1
id=$(T -c "SELECT pgclone.schema_async($ROLE_LIT, 'keeper_test', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id")" completed "parallel: the job completes despite the 1 s timeouts"
is "$(T -c "SELECT (SELECT n FROM keeper_test.slow) || ' ' || (SELECT count(*) FROM keeper_test.a)")" "3 3" \
    "parallel: data and materialized view are there"

# The parent's plan read waits 1.5 s for a lock a session of the source holds on one of the
# tables, while the coordinator holds the snapshot idle: longer than the role's 1 s timeouts
# however fast the rest of the clone is.
src -c "BEGIN" -c "LOCK TABLE ka_test.c IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null &
LOCKER=$!
sleep 0.3
id=$(T -c "SELECT pgclone.schema_async($ROLE_LIT, 'ka_test', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id")" completed "coordinator: the parallel job over 3000 sequences completes"
wait "$LOCKER"
coord=$(T -c "SELECT job_id FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'snapshot_coordinator'")
ms=$(job_field $DB "$coord" elapsed_ms)
if ((ms >= 1000)); then
    ok "coordinator: it held the snapshot idle for over 1 s ($ms ms) under the role's 1 s timeout"
else
    not_ok "coordinator: it held the snapshot idle for over 1 s ($ms ms)"
fi
like "$(job_field $DB "$coord" result)" 'held until 3 connections imported it' "coordinator: parent and 2 workers imported it"
is "$(T -c "SELECT count(*) FROM ka_test.b")" 100 "coordinator: the rows are there"

# --- the coordinator's backend terminated after the export ------------------------------------
T -c "DROP SCHEMA ka_test CASCADE" >/dev/null 2>&1
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'ka_test', true, '{\"parallel\": 2}')")
# Once the parent has imported the snapshot and creates the 3000 sequences (~2 s), before the
# pool workers import it.
wait_until 60 "SELECT current_phase = 'sequences' FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "coordinator killed: the parent is creating the sequences" ||
    not_ok "coordinator killed: the parent is creating the sequences" "$(T -c "SELECT * FROM pgclone.progress_detail()")"
# The coordinator's session sits idle in the transaction that exported the snapshot; the
# parent's keeper (which imported it) is idle in a transaction too, but began later. The last
# query text is no guide: the coordinator's keepalive pings replace it.
killed=$(src -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = (
                   SELECT pid FROM pg_stat_activity WHERE application_name = 'pgclone'
                      AND state = 'idle in transaction' ORDER BY xact_start LIMIT 1)")
is "$killed" 1 "coordinator killed: its source backend was terminated"
is "$(wait_job $DB "$id")" failed "coordinator killed: the job fails"
msg=$(job_field $DB "$id" error_message)
# Who notices first depends on timing: a pool worker importing the snapshot, or the
# coordinator's own keepalive ping (every ~5 s). Either way the parent says the snapshot is lost.
like "$msg" '^(pool_worker job [0-9]+ failed: could not import snapshot "[0-9A-F-]+" on the source server: invalid snapshot identifier|snapshot_coordinator job [0-9]+ failed: lost the exported snapshot "[0-9A-F-]+")' \
    "coordinator killed: the snapshot could not be imported or was lost, and the parent says so"
like "$msg" 'HINT:  The exporting transaction has (probably )?ended.*\{"consistent": false\}' \
    "coordinator killed: with the hint naming the causes and the opt-out"
is "$(T -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'ka_test'")" 0 \
    "coordinator killed: no table was cloned from a lost snapshot"
rid=$(T -c "SELECT pgclone.resume($id)")
is "$(wait_job $DB "$rid")" completed "coordinator killed: resume() with a new coordinator completes"
is "$(T -c "SELECT count(*) FILTER (WHERE match = '✓') FROM pgclone.verify($SRC_LIT, 'ka_test')")" 3 \
    "coordinator killed: after resume, verify shows ✓ for the 3 tables"

# --- the parent's keeper terminated in the last phase -----------------------------------------
T -c "DROP SCHEMA keeper_test CASCADE" >/dev/null 2>&1
T >/dev/null <<'SQL'
CREATE FUNCTION public.ka_slow_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(1.5); END $$;
CREATE EVENT TRIGGER ka_slow_trigger ON ddl_command_end WHEN TAG IN ('CREATE TRIGGER')
    EXECUTE FUNCTION public.ka_slow_trigger();
SQL
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'keeper_test', true)")
wait_until 60 "SELECT current_phase = 'triggers' FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "keeper killed: the job is in its last phase" ||
    not_ok "keeper killed: the job is in its last phase" "$(T -c "SELECT * FROM pgclone.progress_detail()")"
sleep 0.3
killed=$(src -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pgclone'")
is "$killed" 1 "keeper killed: the parent's keeper backend was terminated mid-phase"
is "$(wait_job $DB "$id")" failed "keeper killed: the job fails"
like "$(job_field $DB "$id" error_message)" '^lost the snapshot keeper connection to the source server before phase "table settings"' \
    "keeper killed: the error names the keeper and the phase"
T -c "DROP EVENT TRIGGER ka_slow_trigger" >/dev/null
is "$(T -c "SELECT (SELECT count(*) FROM keeper_test.a) || ' ' || (to_regclass('keeper_test.slow') IS NULL)")" "3 true" \
    "keeper killed: the committed tables stay, nothing of the last phase does"
rid=$(T -c "SELECT pgclone.resume($id)")
is "$(wait_job $DB "$rid")" completed "keeper killed: resume() completes"
is "$(T -c "SELECT (SELECT n FROM keeper_test.slow) || ' ' ||
            (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'keeper_test.c'::regclass AND NOT tgisinternal) || ' ' ||
            (SELECT count(*) FROM pg_constraint WHERE conrelid = 'keeper_test.b'::regclass AND contype = 'f')")" "3 1 1" \
    "keeper killed: after resume, materialized view, trigger and foreign key are there"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

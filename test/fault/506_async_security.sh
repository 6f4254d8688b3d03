#!/usr/bin/env bash
# 506_async_security.sh -- who a job runs as, who sees and controls it, and that no password
# shows anywhere:
#  * the worker connects as the calling role: its session user is that role, the table it
#    creates belongs to it, and it cannot do what the role may not (a schema without CREATE);
#  * a non-superuser sees and controls only its own jobs (and those of roles it is a member
#    of); another role gets "does not exist" from progress/cancel/resume and clears nothing;
#  * a role that cannot log in cannot start a job;
#  * no password in jobs(), progress(), progress_detail(), jobs_view, pg_stat_activity or the
#    server log.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_sec
ROLES="pgclone_alice pgclone_bob pgclone_carol pgclone_nologin"
LOG_START=$(wc -c <"$PGCLONE_TGT_LOG")
cleanup() {
    drop_db $DB
    local r
    for r in $ROLES; do tgt postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
    src -c "DROP SCHEMA IF EXISTS sec_locked CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
make_db $DB
T() { tgt $DB "$@"; }
as() { # ROLE ARGS...
    local role=$1
    shift
    "$PSQL" -X -q -At "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=$DB user=$role" "$@"
}
src -c "CREATE SCHEMA sec_locked; CREATE TABLE sec_locked.t AS SELECT 1 AS id" >/dev/null
T >/dev/null <<SQL
CREATE ROLE pgclone_alice LOGIN;
CREATE ROLE pgclone_bob LOGIN;
CREATE ROLE pgclone_carol LOGIN IN ROLE pgclone_alice;
CREATE ROLE pgclone_nologin NOLOGIN;
GRANT CREATE ON DATABASE $DB TO pgclone_alice, pgclone_bob;
GRANT USAGE ON SCHEMA pgclone TO pgclone_alice, pgclone_bob, pgclone_carol, pgclone_nologin;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_alice, pgclone_bob, pgclone_carol, pgclone_nologin;
GRANT SELECT ON pgclone.jobs_view TO pgclone_alice, pgclone_bob, pgclone_carol;
CREATE SCHEMA sec_locked;
SQL
T -c "SELECT pgclone.clear_jobs()" >/dev/null

# --- the worker runs as the calling role ------------------------------------------------------
a1=$(as pgclone_alice -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'alice_customers')")
is "$(wait_job $DB "$a1")" completed "alice's table job completes"
is "$(T -c "SELECT tableowner FROM pg_tables WHERE schemaname = 'test_schema' AND tablename = 'alice_customers'")" \
    pgclone_alice "the table belongs to alice: the worker connected as her"
is "$(T -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'test_schema'")" pgclone_alice \
    "the schema the job created belongs to alice"
a2=$(as pgclone_alice -c "SELECT pgclone.table_async($SRC_LIT, 'sec_locked', 't', true)")
is "$(wait_job $DB "$a2")" failed "alice cannot clone into a schema where she has no CREATE"
like "$(job_field $DB "$a2" error_message)" 'permission denied for schema sec_locked' \
    "the job fails with the role's own permission error (never as a superuser)"

a3=$(as pgclone_alice -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'big', true, NULL,
                           '{\"where\": \"pg_sleep(0.0005) IS NOT NULL\"}')")
wait_until 60 "SELECT rows_copied > 0 FROM pgclone.progress_detail() WHERE job_id = $a3" $DB
is "$(T -c "SELECT usename FROM pg_stat_activity WHERE backend_type = 'pgclone job'")" pgclone_alice \
    "pg_stat_activity: the worker's session user is alice"
activity=$(T -c "SELECT query FROM pg_stat_activity WHERE backend_type = 'pgclone job'")
like "$activity" "^pgclone job $a3: cloning table async_test.big$" "pg_stat_activity shows what the worker does"

# --- visibility and control -------------------------------------------------------------------
is "$(as pgclone_bob -c "SELECT count(*) FROM pgclone.jobs_view")" 0 "bob sees none of alice's jobs in jobs_view"
is "$(as pgclone_bob -c "SELECT json_array_length(pgclone.jobs()::json)")" 0 "bob's jobs() is empty"
for f in progress cancel resume; do
    like "$(as pgclone_bob -c "SELECT pgclone.$f($a3)" 2>&1)" "job $a3 does not exist" "bob: $f() of alice's job says it does not exist"
done
is "$(as pgclone_bob -c "SELECT pgclone.clear_jobs()")" 0 "bob's clear_jobs() clears none of alice's jobs"
is "$(as pgclone_alice -c "SELECT count(*) FROM pgclone.jobs_view")" 3 "alice sees her 3 jobs"
is "$(as pgclone_carol -c "SELECT count(*) FROM pgclone.jobs_view")" 3 "carol, a member of alice, sees them too"
is "$(T -c "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($a1, $a2, $a3)")" 3 "a superuser sees them"
b1=$(as pgclone_bob -c "SELECT pgclone.table_async($SRC_LIT, 'keeper_test', 'a', true, 'bob_a')")
is "$(wait_job $DB "$b1")" completed "bob's own job completes"
is "$(as pgclone_alice -c "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $b1")" 0 "alice does not see bob's job"
is "$(as pgclone_alice -c "SELECT pgclone.cancel($a3)")" t "alice cancels her own running job"
is "$(job_field $DB "$a3" status)" cancelled "her job is cancelled"
is "$(as pgclone_alice -c "SELECT pgclone.clear_jobs()")" 3 "alice clears her 3 finished jobs"
is "$(T -c "SELECT string_agg(job_id::text, ',') FROM pgclone.jobs_view")" "$b1" "bob's job remains"
is "$(T -c "SELECT string_agg(job_id::text, ',' ORDER BY job_id) FROM pgclone.job_record WHERE cleared_at IS NOT NULL")" \
    "$a2,$a3" "the records of alice's failed and cancelled jobs are kept (off the list) for resume()"

# --- a role that cannot log in ----------------------------------------------------------------
like "$(T -c "SET ROLE pgclone_nologin" -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers')" 2>&1)" \
    'role "pgclone_nologin" cannot run async jobs because it cannot log in' "a NOLOGIN role cannot start a job"

# --- no password anywhere ---------------------------------------------------------------------
all=$(T -c "SELECT pgclone.jobs()" -c "SELECT pgclone.progress($b1)" -c "SELECT * FROM pgclone.progress_detail()" \
    -c "SELECT * FROM pgclone.jobs_view")
unlike "$all" 'user=postgres|dbname=source|source_conninfo' "nothing of the connection string is shown"
if [[ $all == *"$PGCLONE_SRC_PASSWORD"* ]]; then not_ok "no password in jobs(), progress(), progress_detail(), jobs_view"; else
    ok "no password in jobs(), progress(), progress_detail(), jobs_view"
fi
if tail -c +"$LOG_START" "$PGCLONE_TGT_LOG" | grep -q "$PGCLONE_SRC_PASSWORD"; then
    not_ok "no password in the server log" "$(tail -c +"$LOG_START" "$PGCLONE_TGT_LOG" | grep "$PGCLONE_SRC_PASSWORD" | head -3)"
else
    ok "no password in the server log"
fi
if [[ $activity == *"$PGCLONE_SRC_PASSWORD"* ]]; then not_ok "no password in pg_stat_activity"; else ok "no password in pg_stat_activity"; fi

is "$(as pgclone_bob -c "SELECT pgclone.clear_jobs('0 seconds')")" 1 "bob's clear_jobs('0 seconds') removes only his own job"
is "$(as pgclone_alice -c "SELECT pgclone.clear_jobs('0 seconds')")" 2 "alice's removes her two kept records"
is "$(T -c "SELECT count(*) FROM pgclone.jobs_view") $(T -c "SELECT count(*) FROM pgclone.job_record")" "0 0" \
    "no job and no record is left"
done_testing

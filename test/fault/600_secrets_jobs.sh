#!/usr/bin/env bash
# 600_secrets_jobs.sh -- async jobs keep no secret where anyone can read it (issue 9, items 8
# and 10): a URI in dbname is expanded by the job as libpq would (its password connects), and
# when it is wrong the job's error, jobs_view, progress_detail(), progress() and jobs() never
# show it -- they show nothing of the connection string at all. jobs_view's current_table names
# the table a job is copying, and nothing once the job has ended.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_600_jobs
M="JobMark$$"
LOG_START=$(wc -c <"$PGCLONE_TGT_LOG")
HOLDING=
cleanup() {
    [[ -n $HOLDING ]] && release_source_lock pgclone600jobs >/dev/null 2>&1
    drop_db $DB
}
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
PORT=$PGCLONE_SRC_PORT
T -c "SELECT pgclone.clear_jobs()" >/dev/null

# --- a URI with a wrong password in dbname ----------------------------------------------------------
bad=$(lit "dbname='postgresql://postgres:$M@127.0.0.1:$PORT/source' connect_timeout=10")
j1=$(T -c "SELECT pgclone.table_async($bad, 'test_schema', 'customers')")
is "$(wait_job $DB "$j1")" failed "URI in dbname, wrong password: the job fails"
like "$(job_field $DB "$j1" error_message)" 'password authentication failed' \
    "its error says why (the URI was expanded: the server asked for the URI's password)"
like "$(job_field $DB "$j1" error_message)" 'database "source"' "its error names the URI's database"
all=$(T -c "SELECT * FROM pgclone.jobs_view" -c "SELECT * FROM pgclone.progress_detail()" \
    -c "SELECT pgclone.progress($j1)" -c "SELECT pgclone.jobs()")
unlike "$all" "$M" "the URI's password is in none of jobs_view, progress_detail(), progress(), jobs()"
unlike "$all" 'postgresql://|dbname=|user=postgres|source_conninfo' "nothing of the connection string is shown"

# --- the same URI with the right password: the worker expands it and connects ----------------------
good=$(lit "user=nobody password=wrong dbname='postgresql://postgres:$PGCLONE_SRC_PASSWORD@127.0.0.1:$PORT/source'")
j2=$(T -c "SELECT pgclone.table_async($good, 'test_schema', 'customers')")
is "$(wait_job $DB "$j2")" completed "URI in dbname, right password: the job connects with it and completes"
is "$(T -c "SELECT count(*) FROM test_schema.customers")" 10 "the job cloned the rows"
unlike "$(T -c "SELECT * FROM pgclone.jobs_view" -c "SELECT pgclone.jobs()")" "$PGCLONE_SRC_PASSWORD" \
    "the right password is not shown either"

# --- current_table -----------------------------------------------------------------------------------
HOLDING=1
hold_source_lock pgclone600jobs async_test.big
j3=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'big', true, 'big_600')")
if wait_until 60 "SELECT current_table = 'async_test.big_600' FROM pgclone.jobs_view WHERE job_id = $j3" $DB; then
    ok "jobs_view.current_table names the table the running job is copying"
else
    not_ok "jobs_view.current_table names the table the running job is copying" \
        "$(T -c "SELECT status, current_phase, current_table FROM pgclone.jobs_view WHERE job_id = $j3")"
fi
like "$(T -c "SELECT pgclone.progress($j3)")" '"current_table":"async_test.big_600"' "progress() has it as current_table"
is "$(T -c "SELECT current_table FROM pgclone.progress_detail() WHERE job_id = $j3")" async_test.big_600 \
    "progress_detail() has it too"
is "$(T -c "SELECT pgclone.cancel($j3)")" t "the job is cancelled"
release_source_lock pgclone600jobs
HOLDING=
is "$(T -c "SELECT status || ':' || coalesce(current_table, 'NULL') FROM pgclone.jobs_view WHERE job_id = $j3")" \
    "cancelled:NULL" "an ended job has no current table"
is "$(T -c "SELECT coalesce(current_table, 'NULL') FROM pgclone.jobs_view WHERE job_id = $j2")" NULL \
    "a completed job has no current table"

sleep 0.3
unlike "$(tail -c +"$((LOG_START + 1))" "$PGCLONE_TGT_LOG")" "$M|password=$PGCLONE_SRC_PASSWORD" \
    "no password in the target's log (the jobs' errors included)"
T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

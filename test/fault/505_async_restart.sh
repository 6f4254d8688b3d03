#!/usr/bin/env bash
# 505_async_restart.sh -- the target server restarts while jobs run.
#  * Fast shutdown with a table job mid-COPY: after the restart the job shows as failed (never as
#    running), nothing of its table is left, finished jobs are still listed, job ids go on.
#  * The job table written at shutdown holds no password and no options; resume() of a job from
#    before the restart is refused with a hint.
#  * Immediate shutdown (no worker gets to report): the job still shows as failed afterwards.
#  * Job ids are unique in the cluster across restarts: after a clean restart they go on without
#    a gap; after an immediate stop (shared memory lost, no state file) a job submitted in another
#    database, which has no job records, still gets an id above every earlier one (the bound kept
#    in pg_stat/pgclone_job_ids).
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_restart
DB2=pgclone_async_restart_other
STATE=$PGCLONE_TGT_DATADIR/pg_stat/pgclone_jobs.stat
cleanup() { drop_db $DB; drop_db $DB2; }
trap cleanup EXIT
make_db $DB
make_db $DB2
T() { tgt $DB "$@"; }
T -c "SELECT pgclone.clear_jobs()" >/dev/null

slow_job() {
    T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'big', true, NULL,
           '{\"where\": \"pg_sleep(0.0005) IS NOT NULL\"}')"
}

done_id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true)")
is "$(wait_job $DB "$done_id")" completed "a job that completed before the restart"
id=$(slow_job)
wait_until 60 "SELECT rows_copied > 100 FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "a table job is mid-COPY" || not_ok "a table job is mid-COPY"

# --- fast shutdown ----------------------------------------------------------------------------
pg_ctl_tgt stop -m fast -w >/dev/null 2>&1
if [[ -f $STATE ]]; then ok "shutdown wrote the job table to pg_stat/pgclone_jobs.stat"; else not_ok "no $STATE"; fi
if grep -qa "$PGCLONE_SRC_PASSWORD" "$STATE" 2>/dev/null || grep -qa "pg_sleep" "$STATE" 2>/dev/null; then
    not_ok "the file holds no password and no options"
else
    ok "the file holds no password and no options"
fi
start_tgt
[[ ! -f $STATE ]] && ok "the file is removed once read back" || not_ok "the file is removed once read back"
is "$(job_field $DB "$id" "status || ': ' || error_message")" \
    "failed: the background worker was terminated before the job finished (pg_terminate_backend() or a server shutdown); its open transaction was rolled back" \
    "fast shutdown: the running job shows as failed, with the reason"
is "$(job_field $DB "$done_id" "status || ' ' || rows_copied")" "completed 10" "fast shutdown: the finished job is still listed"
is "$(T -c "SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')")" 0 "fast shutdown: nothing shows as running"
is "$(T -c "SELECT to_regclass('async_test.big') IS NULL")" t "fast shutdown: no half table"
like "$(T -c "SELECT pgclone.resume($id)" 2>&1)" "job $id cannot be resumed: it ran before the server restarted" \
    "resume() of a job from before the restart: refused"
new=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'orders', true)")
is "$new" "$((id + 1))" "job ids go on after a clean restart, without a gap"

is "$(wait_job $DB "$new")" completed "a new job after the restart completes"

# --- immediate shutdown -----------------------------------------------------------------------
id=$(slow_job)
wait_until 60 "SELECT rows_copied > 100 FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "immediate: a table job is mid-COPY" || not_ok "immediate: a table job is mid-COPY"
pg_ctl_tgt stop -m immediate -w >/dev/null 2>&1
start_tgt
st=$(job_field $DB "$id" status)
if [[ -z $st || $st == failed ]]; then
    ok "immediate shutdown: the job is not shown as running (${st:-not listed})"
else
    not_ok "immediate shutdown: the job is not shown as running ($st)"
fi
is "$(T -c "SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')")" 0 "immediate: nothing shows as running"
is "$(T -c "SELECT to_regclass('async_test.big') IS NULL")" t "immediate: no half table"
is "$(T -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pgclone job'")" 0 "no worker process after the restart"
# Another database of the cluster has no record of any job: its first job's id must still be new.
other=$(tgt $DB2 -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true)")
if ((other > id)); then
    ok "after an immediate stop, a job of another database gets a new id ($other > $id)"
else
    not_ok "after an immediate stop, a job of another database gets a new id ($other after $id)"
fi
is "$(wait_job $DB2 "$other")" completed "the other database's job completes"
is "$(T -c "SELECT count(*) FROM pgclone.job_record WHERE job_id = $other")" 0 \
    "its id names no job of this database's record"
tgt $DB2 -c "SELECT pgclone.clear_jobs()" >/dev/null

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

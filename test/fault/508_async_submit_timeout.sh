#!/usr/bin/env bash
# 508_async_submit_timeout.sh -- a submit that is interrupted leaves no job behind.
# table_async() under statement_timeout = 1, 2 and 3 ms in turn (a submit takes about 2 ms: at
# 1 ms the timeout fires before the job exists, at 2 ms often while the call waits for its
# background worker to start, after the worker was registered; at 3 ms the call mostly
# succeeds). The caller then gets an
# ERROR and no job id, so no job of that call may run: every job that completes must be one
# whose id a call returned, and every table on the target must come from such a job.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_submit_timeout
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
T -c "SELECT pgclone.clear_jobs()" >/dev/null
T -c "CREATE SCHEMA async_test" >/dev/null

calls=30
ids=() names=() errors=0
submit() { T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'a_small', true, '$1')"; }
# Job ids are handed out in order: the ids between two plain submits are the jobs the calls
# in between created, whether or not the caller got the id.
first=$(submit copy_first)
ids+=("$first") names+=("'copy_first'")
for ((i = 1; i <= calls; i++)); do
    out=$(T -c "SET statement_timeout = '$((1 + i % 3))ms'" \
        -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'a_small', true, 'copy_$i')" 2>&1)
    if [[ $out =~ ^[0-9]+$ ]]; then
        ids+=("$out")
        names+=("'copy_$i'")
    else
        errors=$((errors + 1))
    fi
done
last=$(submit copy_last)
ids+=("$last") names+=("'copy_last'")
returned_in_loop=$((${#ids[@]} - 2))
withdrawn=$((last - first - 1 - returned_in_loop))
ok "submitted $calls times: $returned_in_loop job ids returned, $errors calls failed, $withdrawn of them after the job was created"
if ((withdrawn > 0)); then
    ok "some calls were interrupted after their job was created ($withdrawn)"
else
    ok "# SKIP no call was interrupted after its job was created on this machine"
fi

# Every job ends, whichever it is.
wait_until 120 "SELECT count(*) = 0 FROM pgclone.progress_detail() WHERE status IN ('pending', 'running')" $DB &&
    ok "every job has ended" ||
    not_ok "every job has ended" "$(T -c "SELECT job_id, status, current_phase FROM pgclone.progress_detail()")"

returned=$(IFS=,; echo "${ids[*]:-0}")
returned_names=$(IFS=,; echo "${names[*]:-''}")
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE status = 'completed' AND job_id NOT IN ($returned)")" 0 \
    "no job completed that the caller did not get an id for"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE job_id NOT IN ($returned) AND status <> 'cancelled'")" 0 \
    "a job of an interrupted call is gone or cancelled"
completed=$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE status = 'completed' AND job_id IN ($returned)")
tables=$(T -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'async_test'")
is "$tables" "$completed" "the target has one table per completed job with a returned id ($completed)"
# The tables of interrupted calls: none (copy_N of a call that failed).
is "$(T -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'async_test' AND tablename NOT IN ($returned_names)")" 0 \
    "no table of an interrupted call exists"
is "$(T -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pgclone job'")" 0 "no worker process left"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

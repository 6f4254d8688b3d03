#!/usr/bin/env bash
# 510_async_durable.sh -- durable job records (pgclone.job_record, pgclone.job_record_table) and
# pgclone.resume(job_id, conninfo) after the target dies mid-clone:
#  * kill -9 of a pool worker (the postmaster restarts every backend: a crash restart);
#  * pg_ctl stop -m immediate during a sequential schema job;
#  * kill -9 of an unrelated backend while a pool clones (crash restart again);
#  * a restart of the source while a table job copies (the job fails; resume() copies it again).
# In the first three, one table is in flight at the worst moment, all its rows inserted and its
# commit about to happen: the test holds, in an open target transaction, the record row that
# big2's transaction is about to insert, so that transaction waits on it. The tables before big2
# (sequential) or all others (a pool of 2) are committed. Afterwards the job shows as failed with
# the reason, its record lists
# exactly the committed tables, resume(job_id) without a connection string is refused with a
# hint, and resume(job_id, conninfo) copies only the rest: checksum verify of every table
# passes, the row counts equal the source's, and no table is recorded twice.
# Also: who may read and write the record tables, what the record keeps of secrets, and
# clear_jobs() / clear_jobs(older_than).
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_durable
BLOCKER=pgclone_test_blocker510
ROLE=pgclone_510_reader
cleanup() {
    release_blocker
    drop_db $DB
    tgt postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
release_blocker() {
    tgt postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '$BLOCKER'" \
        >/dev/null 2>&1
}
T -c "SELECT pgclone.clear_jobs('0 seconds')" >/dev/null

# Every table of async_test on the source and the target: name, row count, distinct ids.
counts() { # src|T
    "$1" -c "SELECT string_agg(t || '=' || n, ' ' ORDER BY t) FROM (
               SELECT 'a_small' t, count(*) n FROM async_test.a_small UNION ALL
               SELECT 'big', count(DISTINCT id) FROM async_test.big UNION ALL
               SELECT 'big_rows', count(*) FROM async_test.big UNION ALL
               SELECT 'big2', count(DISTINCT id) FROM async_test.big2 UNION ALL
               SELECT 'big2_rows', count(*) FROM async_test.big2 UNION ALL
               SELECT 'child', count(*) FROM async_test.child UNION ALL
               SELECT 'parent', count(*) FROM async_test.parent) s"
}
SRC_COUNTS=$(counts src)

# check_resumed NAME OLD_ID NEW_ID DONE [POOL]: the resumed job completed and the clone is whole;
# with POOL, its task list has the DONE tables as earlier and the others done.
check_resumed() {
    local name=$1 old=$2 new=$3 n=$4 pool=${5:-}
    is "$(wait_job $DB "$new")" completed "$name: resume(job_id, conninfo) completes"
    is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE match = '✓')
                FROM pgclone.verify($SRC_LIT, 'async_test', '{\"mode\": \"checksum\"}')")" "5 5" \
        "$name: checksum verify of every table passes"
    is "$(counts T)" "$SRC_COUNTS" "$name: row counts equal the source's, no row twice"
    is "$(T -c "SELECT count(*) FILTER (WHERE state = 'earlier') || ' ' || count(*) FILTER (WHERE state = 'done')
                || ' ' || count(DISTINCT (schema_name, table_name))
                FROM pgclone.job_record_table WHERE job_id = $new")" \
        "$n $((5 - n)) 5" \
        "$name: the new job took over the committed tables and copied only the others, each once"
    like "$(T -c "SELECT note FROM pgclone.job_record WHERE job_id = $new")" "resumes job $old: .*new snapshot" \
        "$name: the record says the resumed part reads a new snapshot"
    is "$(T -c "SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = 'async_test.child'::regclass AND contype = 'f')
                || ' ' || (to_regclass('async_test.parent_counts') IS NOT NULL)")" "1 true" \
        "$name: foreign key and view created"
    [[ -z $pool ]] && return
    is "$(T -c "SELECT count(*) FILTER (WHERE state = 'earlier') || ' ' || count(*) FILTER (WHERE state = 'done')
                FROM pgclone.job_task WHERE job_id = $new")" "$n $((5 - n))" \
        "$name: the new job's task list has the committed tables as earlier, the others done"
}

# The crash scenarios: the job is mid-clone with big2 in flight.
# start_mid_clone OPTIONS DONE: sets id to the job's once DONE tables are in its record.
start_mid_clone() {
    T -c "DROP SCHEMA IF EXISTS async_test CASCADE" >/dev/null 2>&1
    id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true, '$1')")
    wait_until 30 "SELECT count(*) = 1 FROM pgclone.job_record WHERE job_id = $id" $DB ||
        not_ok "the job has its record"
    PGAPPNAME=$BLOCKER T -c "BEGIN" \
        -c "INSERT INTO pgclone.job_record_table VALUES ($id, 'async_test', 'big2', 'done', 0, 0, now())" \
        -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
    wait_until 120 "SELECT count(*) = $2 FROM pgclone.job_record_table WHERE job_id = $id" $DB ||
        not_ok "$2 tables committed" "$(T -c "SELECT * FROM pgclone.progress_detail()")"
    wait_until 60 "SELECT count(*) = 1 FROM pgclone.progress_detail()
                   WHERE (job_id = $id OR parent_job_id = $id) AND current_table = 'async_test.big2'" $DB ||
        not_ok "big2 in flight"
    # The test clusters run with synchronous_commit = off: a commit is durable once its WAL is
    # flushed, which a checkpoint does now (else a crash may lose the last commits, tables and
    # their record rows together).
    T -c "CHECKPOINT"
}
# after_crash NAME ID DONE_TABLES: what the job and its record say once the target is back.
after_crash() {
    local name=$1 id=$2 done_tables=$3
    is "$(job_field $DB "$id" status)" failed "$name: the job shows as failed after the restart"
    like "$(job_field $DB "$id" error_message)" "crashed or was stopped|terminated before the job finished|server stopped while the job was running" \
        "$name: with the reason"
    is "$(T -c "SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')")" 0 \
        "$name: nothing shows as running"
    is "$(T -c "SELECT pgclone.progress($id)::json->>'status'") $(T -c "SELECT pgclone.cancel($id)")" "failed f" \
        "$name: progress() shows it, cancel() says it has finished"
    local n=$(($(tr -cd , <<<"$done_tables" | wc -c) + 1))
    is "$(job_field $DB "$id" "tables_completed || '/' || tables_total")" "$n/5" \
        "$name: it shows the tables it committed of the plan's 5"
    is "$(T -c "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM pgclone.job_record_table
                WHERE job_id = $id AND state = 'done'")" "$done_tables" \
        "$name: the record lists the committed tables"
    is "$(T -c "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
                WHERE c.relnamespace = 'async_test'::regnamespace AND c.relkind = 'r'")" "$done_tables" \
        "$name: the target has exactly them (nothing of big2)"
    like "$(T -c "SELECT pgclone.resume($id)" 2>&1)" "job $id cannot be resumed.*HINT: .*pgclone.resume\($id, " \
        "$name: resume(job_id) without a connection string is refused"
    release_blocker
}

# --- 1. kill -9 of a pool worker --------------------------------------------------------------
start_mid_clone '{"parallel": 2}' 4
pid=$(T -c "SELECT worker_pid FROM pgclone.progress_detail() WHERE parent_job_id = $id AND current_table = 'async_test.big2'")
[[ -n $pid ]] && ok "kill -9: the pool worker on big2 is pid $pid" || not_ok "kill -9: no pool worker on big2"
kill -9 "$pid"
sleep 1
wait_up $DB && ok "kill -9: the target is back after the crash restart" || not_ok "kill -9: the target is back"
after_crash "kill -9 pool worker" "$id" a_small,big,child,parent
is "$(T -c "SELECT string_agg(table_name || ':' || state, ',' ORDER BY table_name) FROM pgclone.job_task WHERE job_id = $id")" \
    "a_small:done,big:done,big2:pending,child:done,parent:done" \
    "kill -9: the task list says the same: the killed worker's task is still pending"
out=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>&1)
like "$out" "NOTICE: .*resumes job $id.*new snapshot" "kill -9: resume() says the rest is read in a new snapshot"
# resume() returns the new job's id; its record is written when its worker starts, maybe later.
rid=$(grep -E '^[0-9]+$' <<<"$out" | tail -1)
if ((rid > id)); then ok "kill -9: the new job's id ($rid) is above the recorded ones"; else not_ok "new id $rid after $id"; fi
check_resumed "kill -9 pool worker" "$id" "$rid" 4 pool

# --- 2. pg_ctl stop -m immediate during a sequential schema job -------------------------------
start_mid_clone '{}' 2
pg_ctl_tgt stop -m immediate -w >/dev/null 2>&1
start_tgt
wait_up $DB && ok "immediate: the target is back" || not_ok "immediate: the target is back"
after_crash "immediate stop" "$id" a_small,big
# clear_jobs() takes a failed job nobody resumed yet off the list, and keeps its record.
T -c "SELECT pgclone.clear_jobs()" >/dev/null
is "$(job_field $DB "$id" status)" "" "clear_jobs() takes the failed job off the list"
is "$(T -c "SELECT status || ' ' || (cleared_at IS NOT NULL) FROM pgclone.job_record WHERE job_id = $id")" \
    "running true" "and keeps its record for resume() (the record of a job whose worker died says running)"
is "$(T -c "SELECT count(*) FROM pgclone.job_record WHERE status = 'completed'")" 0 \
    "clear_jobs() removes the records of completed jobs"
rid=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>/dev/null)
check_resumed "immediate stop" "$id" "$rid" 2

# --- 3. kill -9 of another backend (crash restart) while a pool clones ------------------------
start_mid_clone '{"parallel": 2}' 4
T -c "SELECT pg_sleep(601)" >/dev/null 2>&1 &
wait_until 30 "SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(601)'" $DB
pid=$(T -c "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(601)'")
kill -9 "$pid"
sleep 1
wait_up $DB && ok "crash restart: the target is back" || not_ok "crash restart: the target is back"
after_crash "crash restart" "$id" a_small,big,child,parent
rid=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>/dev/null)
check_resumed "crash restart" "$id" "$rid" 4 pool

# --- 4. the source restarts while a table job copies --------------------------------------------
# The filter is always true; its pg_sleep on every 1000th row makes the COPY last ~20 s.
hash_big() { "$1" -c "SELECT count(*) || ' ' || md5(string_agg(id || ':' || payload, ',' ORDER BY id)) FROM $2"; }
slow='{"where": "id % 1000 <> 0 OR pg_sleep(0.05) IS NOT NULL"}'
id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'big', true, 'big_again', $(lit "$slow"))")
wait_until 60 "SELECT rows_copied > 1000 FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "source restart: the table job is mid-COPY" || not_ok "source restart: the table job is mid-COPY"
bash "$PGCLONE_HARNESS" restart source >/dev/null 2>&1
is "$(wait_job $DB "$id")" failed "source restart: the job fails"
is "$(T -c "SELECT status || ' ' || (to_regclass('async_test.big_again') IS NULL) FROM pgclone.job_record WHERE job_id = $id")" \
    "failed true" "source restart: its record says failed, and nothing of the table is there"
rid=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>/dev/null)
is "$(wait_job $DB "$rid" 180)" completed "source restart: resume(job_id, conninfo) completes"
is "$(hash_big T async_test.big_again)" "$(hash_big src async_test.big)" \
    "source restart: count and content hash equal the source's (no row twice)"
is "$(T -c "SELECT count(*) FROM pgclone.job_record_table WHERE job_id = $rid AND state = 'done'")" 1 \
    "source restart: the table is recorded once"

# --- what the record keeps, who may read it ---------------------------------------------------
is "$(T -c "SELECT count(*) FROM pgclone.job_record WHERE source LIKE '%password%' OR source LIKE '%' || $(lit "$PGCLONE_SRC_PASSWORD") || '%'")" 0 \
    "no record keeps the source password"
like "$(T -c "SELECT source FROM pgclone.job_record WHERE job_id = $rid")" "dbname='source'.*port='[0-9]+'" \
    "the record names the source (host, port, dbname, user)"
sid=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'a_small', true, 'masked_small',
             '{\"mask\": {\"name\": {\"type\": \"pseudonymize\", \"salt\": \"s3cret-salt-510\"}}}')")
is "$(wait_job $DB "$sid")" completed "a table job with a salted mask completes"
is "$(T -c "SELECT (options NOT LIKE '%s3cret-salt-510%' AND options NOT LIKE '%salt%') || ' ' || options_complete
            FROM pgclone.job_record WHERE job_id = $sid")" "true false" \
    "its record keeps the options without the salt, marked incomplete"

tgt postgres -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE" >/dev/null
T -c "GRANT USAGE ON SCHEMA pgclone TO $ROLE" >/dev/null
like "$(T -c "SET ROLE $ROLE" -c "SELECT count(*) FROM pgclone.job_record" 2>&1)" "permission denied" \
    "a role without grants cannot read the records"
T -c "GRANT SELECT ON pgclone.job_record, pgclone.job_record_table TO $ROLE" >/dev/null
is "$(T -c "SET ROLE $ROLE" -c "SELECT count(*) FROM pgclone.job_record")" 0 \
    "granted SELECT, it sees none of another role's records (row-level security)"
is "$(T -c "SET ROLE $ROLE" -c "SELECT count(*) FROM pgclone.job_record_table")" 0 "nor their tables"
like "$(T -c "SET ROLE $ROLE" -c "INSERT INTO pgclone.job_record_table VALUES ($sid, 'x', 'y', 'done', 0, 0, now())" 2>&1)" \
    "permission denied" "it cannot forge a table record"
like "$(T -c "SET ROLE $ROLE" -c "UPDATE pgclone.job_record SET status = 'completed'" 2>&1)" "permission denied" \
    "it cannot alter a record"
T -c "REVOKE ALL ON pgclone.job_record, pgclone.job_record_table FROM $ROLE" -c "REVOKE USAGE ON SCHEMA pgclone FROM $ROLE" >/dev/null

# --- names that would break a spliced statement reach the record exactly -----------------------
oid_=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'Odd Schema', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$oid_")" completed "a pool clone of \"Odd Schema\" completes"
is "$(T -c "SELECT r.schema_name || '|' || string_agg(t.table_name, '|' ORDER BY t.table_name COLLATE \"C\")
            FROM pgclone.job_record r JOIN pgclone.job_record_table t USING (job_id)
            WHERE r.job_id = $oid_ GROUP BY r.schema_name")" 'Odd Schema|Mixed "Quoted" tëst|kid "k"' \
    "its record names the schema and both tables exactly (quotes, spaces, non-ASCII)"

# --- clear_jobs ---------------------------------------------------------------------------------
n_before=$(T -c "SELECT count(*) FROM pgclone.job_record")
T -c "SELECT pgclone.clear_jobs()" >/dev/null
is "$(T -c "SELECT count(*) FROM pgclone.job_record")" 0 \
    "clear_jobs(): the records of completed and of resumed jobs go ($n_before before)"
like "$(T -c "SELECT pgclone.clear_jobs(NULL)" 2>&1)" "older_than must not be null" "clear_jobs(NULL) is refused"
start_mid_clone '{}' 2
T -c "SELECT pgclone.cancel($id)" >/dev/null
release_blocker
is "$(T -c "SELECT pgclone.clear_jobs('1 hour')")" 0 "clear_jobs('1 hour') keeps a job that just ended"
is "$(T -c "SELECT pgclone.clear_jobs('0 seconds')")" 1 "clear_jobs('0 seconds') removes it, resumable or not"
is "$(T -c "SELECT count(*) FROM pgclone.job_record") $(T -c "SELECT count(*) FROM pgclone.jobs_view")" "0 0" \
    "no record and no job is left"

done_testing

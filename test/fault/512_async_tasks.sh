#!/usr/bin/env bash
# 512_async_tasks.sh -- the task list of a parallel schema job is durable (pgclone.job_task), not
# in the job's shared-memory slot:
#  * a schema of 2,500 (empty) tables is accepted by schema_async with "parallel" 2 (the slot's
#    list held ~2,000 short names) and cloned whole; its task list has one row per table, each
#    done exactly once, by one of the two pool workers, each of which began with its own half;
#  * a task a pool worker holds is locked FOR UPDATE (SKIP LOCKED): while one worker copies a
#    table, the other takes the next one, and the task of the table in flight is still pending;
#  * names that would break a spliced statement reach the task list exactly;
#  * the task list is granted to no one, and row-level security hides other roles' tasks.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_tasks
ROLE=pgclone_512_reader
N=2500
cleanup() {
    release_blocker
    drop_db $DB
    src -c "DROP SCHEMA IF EXISTS many_512 CASCADE" >/dev/null 2>&1
    tgt postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
release_blocker() { :; }
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
started=$(date +%s)

# --- 2,500 tables, parallel 2 -------------------------------------------------------------------
# Names of 40 characters: the packed list of the old slot would have needed ~100 kB.
src -c "DROP SCHEMA IF EXISTS many_512 CASCADE" -c "CREATE SCHEMA many_512" >/dev/null
src -c "DO \$\$ BEGIN FOR i IN 1..$N LOOP
          EXECUTE format('CREATE TABLE many_512.%I (id int)', 'table_with_a_rather_long_name_' || lpad(i::text, 5, '0'));
        END LOOP; END \$\$" >/dev/null
src -c "INSERT INTO many_512.table_with_a_rather_long_name_00007 VALUES (1), (2), (3)" >/dev/null
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'many_512', true, '{\"parallel\": 2}')" 2>&1)
[[ $id =~ ^[0-9]+$ ]] && ok "schema_async of $N tables with parallel 2 is accepted" || not_ok "accepted" "$id"
is "$(wait_job $DB "$id" 300)" completed "the job completes" || T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id"
is "$(T -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'many_512'::regnamespace AND relkind = 'r'")" $N \
    "the target has all $N tables"
is "$(T -c "SELECT count(*) FROM many_512.table_with_a_rather_long_name_00007")" 3 "with their rows"
is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE state = 'done') || ' ' || count(DISTINCT ordinal)
            || ' ' || min(ordinal) || ' ' || max(ordinal) FROM pgclone.job_task WHERE job_id = $id")" \
    "$N $N $N 0 $((N - 1))" "its task list has one task per table, each done"
is "$(T -c "SELECT count(*) FROM pgclone.job_record_table WHERE job_id = $id AND state = 'done'")" $N \
    "and the record one committed row per table"
is "$(T -c "SELECT count(*) FROM pgclone.job_task t JOIN pgclone.job_record r ON r.job_id = t.job_id
            WHERE t.job_id = $id AND t.worker_job_id IS NOT NULL AND t.finished_at IS NOT NULL")" $N \
    "each task names the pool worker that did it"
is "$(T -c "SELECT count(DISTINCT worker_job_id) FROM pgclone.job_task WHERE job_id = $id")" 2 \
    "both pool workers took tasks"
# Each worker starts at its own part of the list (and reads the definitions of that part): the
# first task each finished is the first of its part, 0 and N/2.
is "$(T -c "SELECT string_agg(ordinal::text, ' ' ORDER BY ordinal) FROM (
              SELECT DISTINCT ON (worker_job_id) ordinal FROM pgclone.job_task WHERE job_id = $id
              ORDER BY worker_job_id, finished_at) s")" "0 $((N / 2))" \
    "each pool worker began with the first task of its half of the list (0 and $((N / 2)))"
is "$(T -c "SELECT tables_completed || '/' || tables_total FROM pgclone.jobs_view WHERE job_id = $id")" "$N/$N" \
    "jobs_view counts every table"
src -c "DROP SCHEMA many_512 CASCADE" >/dev/null
T -c "DROP SCHEMA many_512 CASCADE" >/dev/null

# --- a task in flight is locked, still pending, and skipped by the other worker ----------------------
# A session holds, in an open transaction, the record row big2's transaction is about to insert
# (as 510 does): that worker waits with big2 copied but not committed.
BLOCKER=pgclone_test_blocker512
release_blocker() {
    tgt postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '$BLOCKER'" \
        >/dev/null 2>&1
}
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true, '{\"parallel\": 2}')")
wait_until 30 "SELECT count(*) = 1 FROM pgclone.job_record WHERE job_id = $id" $DB || not_ok "the job has its record"
PGAPPNAME=$BLOCKER T -c "BEGIN" \
    -c "INSERT INTO pgclone.job_record_table VALUES ($id, 'async_test', 'big2', 'done', 0, 0, now())" \
    -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
wait_until 120 "SELECT count(*) = 4 FROM pgclone.job_task WHERE job_id = $id AND state = 'done'" $DB &&
    ok "while one worker holds big2, the other takes and finishes the four other tables" ||
    not_ok "the other tables" "$(T -c "SELECT ordinal, table_name, state FROM pgclone.job_task WHERE job_id = $id")"
is "$(T -c "SELECT state FROM pgclone.job_task WHERE job_id = $id AND table_name = 'big2'")" pending \
    "the task of the table in flight is still pending (its worker has not committed)"
is "$(T -c "SELECT count(*) FROM (SELECT FROM pgclone.job_task WHERE job_id = $id AND table_name = 'big2'
                                 FOR UPDATE SKIP LOCKED) s")" 0 \
    "and locked by its worker's transaction"
release_blocker
is "$(wait_job $DB "$id" 180)" completed "the job completes once the blocker is gone"
is "$(T -c "SELECT string_agg(state, ',') || ' ' || count(DISTINCT worker_job_id) FROM pgclone.job_task WHERE job_id = $id")" \
    "done,done,done,done,done 2" "every task is done, by the two workers"
T -c "DROP SCHEMA async_test CASCADE" >/dev/null

# --- names ----------------------------------------------------------------------------------------
oid_=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'Odd Schema', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$oid_")" completed "a pool clone of \"Odd Schema\" completes"
is "$(T -c "SELECT string_agg(schema_name || '.' || table_name || ':' || state, '|' ORDER BY table_name COLLATE \"C\")
            FROM pgclone.job_task WHERE job_id = $oid_")" 'Odd Schema.Mixed "Quoted" tëst:done|Odd Schema.kid "k":done' \
    "its task list names both tables exactly (quotes, spaces, non-ASCII)"

# --- who may read or write the task list -------------------------------------------------------------
tgt postgres -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE" >/dev/null
T -c "GRANT USAGE ON SCHEMA pgclone TO $ROLE" >/dev/null
like "$(T -c "SET ROLE $ROLE" -c "SELECT count(*) FROM pgclone.job_task" 2>&1)" "permission denied" \
    "a role without grants cannot read the task list"
T -c "GRANT SELECT ON pgclone.job_record, pgclone.job_task TO $ROLE" >/dev/null
is "$(T -c "SET ROLE $ROLE" -c "SELECT count(*) FROM pgclone.job_task")" 0 \
    "granted SELECT, it sees none of another role's tasks (row-level security)"
like "$(T -c "SET ROLE $ROLE" -c "UPDATE pgclone.job_task SET state = 'pending'" 2>&1)" "permission denied" \
    "it cannot reset a task"
like "$(T -c "SET ROLE $ROLE" -c "INSERT INTO pgclone.job_task VALUES ($oid_, 99, 'x', 'y', 'r', false, 'pending')" 2>&1)" \
    "permission denied" "nor add one"
T -c "REVOKE ALL ON pgclone.job_record, pgclone.job_task FROM $ROLE" -c "REVOKE USAGE ON SCHEMA pgclone FROM $ROLE" >/dev/null

# --- the tasks go with their record ------------------------------------------------------------------
T -c "SELECT pgclone.clear_jobs('0 seconds')" >/dev/null
is "$(T -c "SELECT count(*) FROM pgclone.job_task") $(T -c "SELECT count(*) FROM pgclone.job_record")" "0 0" \
    "clear_jobs('0 seconds') removes the records and their task lists"

echo "# 512 took $(($(date +%s) - started)) s"
done_testing

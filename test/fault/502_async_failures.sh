#!/usr/bin/env bash
# 502_async_failures.sh -- jobs that fail, and calls refused before a job starts:
#  * a missing table / schema / a wrong password: status failed, error_message says why (without
#    the password), the server log has a WARNING, nothing is left on the target;
#  * resume() of the failed table job once the table exists on the source;
#  * a pool worker that fails fails its parent (which names it), the rest of the pool stops;
#  * bad arguments and options are errors of the call itself: no job is created.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_fail
cleanup() {
    drop_db $DB
    src -c "DROP TABLE IF EXISTS test_schema.async_late" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
make_db $DB
T() { tgt $DB "$@"; }
T -c "SELECT pgclone.clear_jobs()" >/dev/null
err() { T -c "$1" 2>&1 | grep -E 'ERROR' | sed 's/^.*ERROR:  //'; }
jobs_count() { T -c "SELECT count(*) FROM pgclone.progress_detail()"; }

# --- a missing table --------------------------------------------------------------------------
id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'async_late', true)")
is "$(wait_job $DB "$id")" failed "missing table: the job fails"
is "$(job_field $DB "$id" error_message)" 'table "test_schema"."async_late" does not exist on the source server' \
    "missing table: error_message names the table"
is "$(T -c "SELECT (SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id) =
               (pgclone.progress($id)::json->>'error_message')")" t "missing table: progress() and jobs_view agree"
is "$(T -c "SELECT to_regnamespace('test_schema') IS NULL")" t "missing table: nothing created on the target"
like "$(grep "pgclone: job $id failed" "$PGCLONE_TGT_LOG")" 'WARNING:  pgclone: job [0-9]+ failed: table "test_schema"."async_late" does not exist' \
    "missing table: the server log has the reason"

# resume() re-runs a failed table job: now the table exists.
src -c "CREATE TABLE test_schema.async_late AS SELECT g AS id FROM generate_series(1, 7) g" >/dev/null
rid=$(T -c "SELECT pgclone.resume($id)")
is "$(wait_job $DB "$rid")" completed "resume of the failed table job completes"
is "$(T -c "SELECT count(*) FROM test_schema.async_late")" 7 "resume: the table has its 7 rows"

# --- a missing schema -------------------------------------------------------------------------
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'no_such_schema', true)")
is "$(wait_job $DB "$id")" failed "missing schema: the job fails"
is "$(job_field $DB "$id" error_message)" 'schema "no_such_schema" does not exist on the source server' \
    "missing schema: error_message names the schema"
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'no_such_schema', true, '{\"parallel\": 3}')")
is "$(wait_job $DB "$id")" failed "missing schema, parallel: the job fails"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'table'")" 0 \
    "missing schema, parallel: no pool was started"
is "$(T -c "SELECT string_agg(status, ',') FROM pgclone.progress_detail() WHERE parent_job_id = $id")" cancelled \
    "missing schema, parallel: its snapshot coordinator was stopped"

# --- a wrong password -------------------------------------------------------------------------
BAD="${PGCLONE_SRC_CONNINFO/password=srcpass/password=Wr0ngSecret77}"
id=$(T -c "SELECT pgclone.table_async($(lit "$BAD"), 'test_schema', 'customers', true)")
is "$(wait_job $DB "$id")" failed "wrong password: the job fails"
like "$(job_field $DB "$id" error_message)" '^could not connect to the source server at host .*password authentication failed' \
    "wrong password: error_message says the connection failed"
all=$(T -c "SELECT pgclone.jobs()" -c "SELECT pgclone.progress($id)" -c "SELECT * FROM pgclone.progress_detail()" \
    -c "SELECT * FROM pgclone.jobs_view")
lacks() { if [[ $1 == *"$2"* ]]; then not_ok "$3" "found '$2'"; else ok "$3"; fi; }
lacks "$all" "Wr0ngSecret77" "wrong password: not in jobs(), progress(), progress_detail(), jobs_view"
lacks "$all" "dbname=source" "nothing of the connection string is shown (4.6.0)"
lacks "$(cat "$PGCLONE_TGT_LOG")" "Wr0ngSecret77" "wrong password: not in the server log"

# --- a failing pool worker --------------------------------------------------------------------
# "email" cannot mask the bigint column big.id: the worker that takes big fails.
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true,
             '{\"parallel\": 2, \"masks\": {\"big\": {\"id\": \"email\"}}}')")
is "$(wait_job $DB "$id")" failed "pool worker failure: the parent job fails"
like "$(job_field $DB "$id" error_message)" '^pool_worker job [0-9]+ failed: mask strategy "email" .*' \
    "pool worker failure: the parent names the failed worker and why"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND status IN ('pending', 'running')")" 0 \
    "pool worker failure: nothing of the pool runs on"
is "$(T -c "SELECT to_regclass('async_test.big') IS NULL AND to_regclass('async_test.parent_counts') IS NULL")" t \
    "pool worker failure: no half table, no dependent objects"

# --- refused before a job starts --------------------------------------------------------------
before=$(jobs_count)
like "$(err "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'x', '{\"invalid json')")" \
    'invalid JSON' "invalid JSON options: error"
like "$(err "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'employees', true, 'x', '{\"mask\": {\"email\": \"nonexistent_strategy\"}}')")" \
    'unknown mask strategy "nonexistent_strategy"' "unknown mask strategy: error"
like "$(err "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'x', '{\"where\": \"1=1; DROP TABLE t\"}')")" \
    'where' "where filter with a semicolon: error"
like "$(err "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"parallel\": 2}')")" \
    'option "parallel" is not supported by pgclone.table_async\(\)' "parallel for a table job: error"
like "$(err "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"columns\": [\"id\"]}')")" \
    'option "columns" is not supported by pgclone.schema_async\(\)' "columns for a schema job: error"
like "$(err "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 65}')")" \
    'option "parallel" must be between 1 and 64' "parallel out of range: error"
like "$(err "SELECT pgclone.table_async('host=x password=Wr0ngSecret77 = =', 'test_schema', 'customers')")" \
    'invalid connection string' "unparsable conninfo: error"
lacks "$(err "SELECT pgclone.table_async('host=x password=Wr0ngSecret77 = =', 'test_schema', 'customers')")" "Wr0ngSecret77" \
    "unparsable conninfo: the error does not show the password"
like "$(err "SELECT pgclone.table_async(NULL, 'test_schema', 'customers')")" 'source_conninfo must not be null' "NULL conninfo: error"
like "$(err "SELECT pgclone.progress(NULL)")" 'job_id must not be null' "progress(NULL): error"
is "$(jobs_count)" "$before" "no job was created by the refused calls"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

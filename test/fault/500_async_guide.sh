#!/usr/bin/env bash
# 500_async_guide.sh -- manual testing guide tests 15 (async operations), 16 (parallel pool) and
# 17 (progress view), in a scratch target database. Deviation: 15.6 cancels a clone of
# async_test (two 400000-row tables) instead of test_schema, which a job finishes in ~0.1 s,
# before a cancel could reach it.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_guide
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB
tgt $DB -c "SELECT pgclone.clear_jobs()" >/dev/null
T() { tgt $DB "$@"; }

# --- 15.1 async table clone -------------------------------------------------------------------
id1=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true)")
like "$id1" '^[0-9]+$' "15.1 table_async returns a job id ($id1)"

# --- 15.2 progress ----------------------------------------------------------------------------
st=$(T -c "SELECT pgclone.progress($id1)::json->>'status'")
like "$st" '^(pending|running|completed)$' "15.2 progress() shows a status right away ($st)"
is "$(wait_job $DB "$id1")" completed "15.2 the table job completes"
is "$(T -c "SELECT rows_copied || ' ' || progress_bar || ' ' || (elapsed_time IS NOT NULL)
            FROM pgclone.jobs_view WHERE job_id = $id1")" "10 [####################] 100% true" \
    "15.2 jobs_view: rows_copied, progress_bar, elapsed_time"
is "$(T -c "SELECT (j->>'rows_copied') || ' ' || (j->>'pct_complete') || ' ' || (j->>'result')
            FROM (SELECT pgclone.progress($id1)::json j) s")" \
    "10 100.0 OK: cloned test_schema.customers (10 rows)" "15.2 progress() JSON: rows, percent, result"
is "$(T -c "SELECT count(*) FROM test_schema.customers")" 10 "15.1 the worker committed 10 rows"

# --- 15.3 async schema clone ------------------------------------------------------------------
T -c "DROP SCHEMA IF EXISTS test_schema CASCADE" >/dev/null 2>&1
id2=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true)")
like "$id2" '^[0-9]+$' "15.3 schema_async returns a job id ($id2)"
is "$(T -c "SELECT schema_name || ' ' || (progress_bar LIKE '[%] %\%') FROM pgclone.jobs_view WHERE job_id = $id2")" \
    "test_schema true" "15.3 jobs_view shows the schema job with a progress bar"
is "$(wait_job $DB "$id2")" completed "15.3 the schema job completes"
is "$(T -c "SELECT tables_total || '/' || tables_completed FROM pgclone.jobs_view WHERE job_id = $id2")" "4/4" \
    "15.3 table-level tracking: 4 of 4 tables"
is "$(T -c "SELECT (SELECT count(*) FROM test_schema.customers) || ' ' || (SELECT count(*) FROM test_schema.orders)
            || ' ' || (SELECT count(*) FROM test_schema.order_items) || ' ' || (SELECT count(*) FROM test_schema.employees)")" \
    "10 12 15 5" "15.3 every table has its rows"
is "$(T -c "SELECT (SELECT count(*) FROM pg_views WHERE schemaname = 'test_schema') || ' ' ||
                   (SELECT count(*) FROM pg_matviews WHERE schemaname = 'test_schema') || ' ' ||
                   (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'test_schema' AND NOT t.tgisinternal) || ' ' ||
                   (SELECT count(*) FROM pg_constraint WHERE connamespace = 'test_schema'::regnamespace AND contype = 'f')")" \
    "2 1 2 2" "15.3 views, materialized view, triggers and foreign keys after the tables"
is "$(T -c "SELECT result FROM pgclone.progress_detail() WHERE job_id = $id2" | sed 's/ in [0-9.]* s$//')" \
    "OK: cloned schema test_schema: 4 tables (42 rows), 2 views, 1 materialized view, 3 functions, 5 sequences, 2 triggers, 0 types" \
    "15.3 the job's result is the schema clone's result text"

# --- 15.4 list all jobs -----------------------------------------------------------------------
is "$(T -c "SELECT json_typeof(pgclone.jobs()::json) || ' ' ||
            (SELECT count(*) FROM json_array_elements(pgclone.jobs()::json) e
             WHERE (e->>'job_id')::int IN ($id1, $id2))")" "array 2" "15.4 jobs() is a JSON array with both jobs"

# --- 15.5 async with conflict strategy --------------------------------------------------------
before=$(T -c "SELECT 'test_schema.customers'::regclass::oid")
id3=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'customers', '{\"conflict\": \"replace\"}')")
is "$(wait_job $DB "$id3")" completed "15.5 table_async with conflict replace completes"
after=$(T -c "SELECT 'test_schema.customers'::regclass::oid || ' ' || (SELECT count(*) FROM test_schema.customers)")
if [[ ${after% *} != "$before" && ${after#* } == 10 ]]; then
    ok "15.5 the existing table was replaced (new oid, 10 rows)"
else
    not_ok "15.5 the existing table was replaced (new oid, 10 rows)" "before oid $before, after: $after"
fi

# --- 15.6 cancel a job ------------------------------------------------------------------------
id4=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true, '{\"conflict\": \"replace\"}')")
wait_until 60 "SELECT rows_copied > 0 AND table_name LIKE 'big%' FROM pgclone.progress_detail() WHERE job_id = $id4" $DB ||
    not_ok "15.6 the job reached a big table" "$(T -c "SELECT * FROM pgclone.progress_detail() WHERE job_id = $id4")"
is "$(T -c "SELECT pgclone.cancel($id4)")" t "15.6 cancel() returns true for a running job"
is "$(T -c "SELECT status FROM pgclone.jobs_view WHERE job_id = $id4")" cancelled "15.6 status = 'cancelled'"
is "$(T -c "SELECT pgclone.cancel($id4)")" f "15.6 cancel() of a finished job returns false"

# --- 15.7 clear completed jobs ----------------------------------------------------------------
n=$(T -c "SELECT pgclone.clear_jobs()")
if ((n >= 4)); then ok "15.7 clear_jobs() returns the count of cleared jobs ($n)"; else not_ok "15.7 clear_jobs() count ($n)"; fi
is "$(T -c "SELECT count(*) FROM pgclone.jobs_view WHERE status NOT IN ('pending', 'running')")" 0 \
    "15.7 only running/pending jobs remain"

# --- 16.1 parallel schema clone ---------------------------------------------------------------
T -c "DROP SCHEMA IF EXISTS test_schema CASCADE" >/dev/null 2>&1
id5=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 4}')")
is "$(wait_job $DB "$id5")" completed "16.1 the parallel schema job completes"
rows=$(T -c "SELECT string_agg(op_type || ':' || status, ' ' ORDER BY job_id) FROM pgclone.progress_detail()
             WHERE job_id = $id5 OR parent_job_id = $id5")
like "$rows" '^schema:completed snapshot_coordinator:completed( table:completed){1,4}$' \
    "16.1 parent job + snapshot coordinator + up to 4 pool worker jobs ($rows)"
is "$(T -c "SELECT j.table_name FROM pgclone.jobs_view j JOIN pgclone.progress_detail() d USING (job_id)
            WHERE d.parent_job_id = $id5 AND j.op_type = 'snapshot_coordinator'")" \
    "pgclone: snapshot coordinator (parent $id5)" "16.1 the coordinator is named after its parent"
# As the original pgclone's users count them: op_type 'table' jobs newer than the parent.
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE op_type = 'table' AND job_id > $id5")" \
    "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id5 AND op_type <> 'snapshot_coordinator'")" \
    "16.1 pool workers are counted as op_type 'table' jobs newer than the parent"
is "$(T -c "SELECT sum(tables_completed) FROM pgclone.progress_detail() WHERE parent_job_id = $id5 AND op_type = 'table'")" \
    4 "16.1 the pool workers cloned the 4 tables between them"
is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE match = '✓') FROM pgclone.verify($SRC_LIT, 'test_schema')")" \
    "4 4" "16.1 verify: every table shows ✓"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE connamespace = 'test_schema'::regnamespace AND contype = 'f'")" 2 \
    "16.1 foreign keys created after the pool"

# --- 16.2 parallel with combined options ------------------------------------------------------
T -c "DROP SCHEMA IF EXISTS test_schema CASCADE" >/dev/null 2>&1
id6=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 4, \"conflict\": \"replace\", \"triggers\": false}')")
is "$(wait_job $DB "$id6")" completed "16.2 parallel clone with replace and triggers false completes"
is "$(T -c "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'test_schema'::regnamespace AND NOT t.tgisinternal")" 0 "16.2 no triggers"
is "$(T -c "SELECT count(*) FILTER (WHERE match = '✓') FROM pgclone.verify($SRC_LIT, 'test_schema')")" 4 \
    "16.2 verify: every table shows ✓"
# Re-run over the existing tables: "replace" drops and re-creates each one.
id7=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 4, \"conflict\": \"replace\", \"triggers\": false}')")
is "$(wait_job $DB "$id7")" completed "16.2 again over the existing schema: replace works in the pool"

# --- 17 progress tracking view ----------------------------------------------------------------
id8=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"conflict\": \"replace\"}')")
cols=$(T -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
             WHERE attrelid = 'pgclone.jobs_view'::regclass AND attnum > 0")
is "$cols" "job_id,status,op_type,schema_name,table_name,current_phase,current_table,tables_total,tables_completed,rows_copied,bytes_copied,elapsed_ms,start_time,end_time,error_message,pct_complete,progress_bar,elapsed_time,warnings" \
    "17 jobs_view has the guide's columns, error_message and current_table, in the original's order, then warnings"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE job_id = $id8")" 1 "17 progress_detail() lists the job"
out=$(T -c "SELECT job_id, status, schema_name, table_name, pct_complete, progress_bar, elapsed_time FROM pgclone.jobs_view" 2>&1)
like "$out" "(^|"$'\n'")$id8\\|(pending|running|completed)\\|test_schema\\|" "17 the convenience query shows the job"
T -c "SELECT job_id, status, elapsed_time FROM pgclone.jobs_view WHERE status = 'running'" >/dev/null &&
    ok "17 filter by status = running" || not_ok "17 filter by status = running"
T -c "SELECT job_id, error_message FROM pgclone.jobs_view WHERE status = 'failed'" >/dev/null &&
    ok "17 filter by status = failed" || not_ok "17 filter by status = failed"
is "$(wait_job $DB "$id8")" completed "17 the job completes"
is "$(T -c "SELECT (start_time <= end_time) || ' ' || (elapsed_ms >= 0) || ' ' ||
            (elapsed_time = make_interval(secs => elapsed_ms / 1000.0)) || ' ' || pct_complete
            FROM pgclone.jobs_view WHERE job_id = $id8")" "true true true 100.0" \
    "17 start/end times, elapsed_ms = elapsed_time, 100 percent"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

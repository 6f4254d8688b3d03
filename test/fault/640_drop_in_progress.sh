#!/usr/bin/env bash
# 640_drop_in_progress.sh -- the original pgclone's users read jobs with progress_detail() and
# jobs_view (issue "Drop-in for users of the original pgclone"): the columns come in the
# original's order, pool workers are op_type 'table' jobs, and the library fills
# progress_detail() by column name, so a database whose extension is still at 4.5.0 (a
# different column list) gets correct rows until ALTER EXTENSION UPDATE has run there.
. "$(dirname "$0")/lib/async_common.bash"

OLD=pgclone_640_old
NEW=pgclone_640_new
cleanup() { drop_db $OLD; drop_db $NEW; }
trap cleanup EXIT
drop_db $OLD
tgt postgres -c "CREATE DATABASE $OLD" >/dev/null && tgt $OLD -c "CREATE EXTENSION pgclone VERSION '4.5.0'" >/dev/null
make_db $NEW
tgt $OLD -c "SELECT pgclone.clear_jobs()" >/dev/null

# --- 4.5.0 declaration, 4.6.0 library ------------------------------------------------------------
id=$(tgt $OLD -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers')")
is "$(wait_job $OLD "$id")" completed "4.5.0 declaration: the job completes"
is "$(tgt $OLD -c "SELECT status || '|' || op_type || '|' || coalesce(parent_job_id::text, 'null') || '|' ||
                          coalesce(source_conninfo, 'null') || '|' || result
                   FROM pgclone.progress_detail() WHERE job_id = $id")" \
    "completed|table|null|null|OK: cloned test_schema.customers (10 rows)" \
    "4.5.0 declaration: every column holds its own value (matched by name; no connection string)"
is "$(tgt $OLD -c "SELECT rows_copied || '/' || tables_completed FROM pgclone.jobs_view WHERE job_id = $id")" "10/1" \
    "4.5.0 declaration: jobs_view reads right too"
tgt $OLD -c "ALTER EXTENSION pgclone UPDATE" >/dev/null
is "$(tgt $OLD -c "SELECT status || '|' || rows_copied || '|' || coalesce(current_table, 'null') FROM pgclone.jobs_view WHERE job_id = $id")" \
    "completed|10|null" "after ALTER EXTENSION UPDATE: the 4.6.0 columns"
tgt $OLD -c "SELECT pgclone.clear_jobs()" >/dev/null

# --- the original's column order, and pool workers counted its way --------------------------------
is "$(tgt $NEW -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'pgclone.jobs_view'::regclass AND attnum > 0")" \
    "job_id,status,op_type,schema_name,table_name,current_phase,current_table,tables_total,tables_completed,rows_copied,bytes_copied,elapsed_ms,start_time,end_time,error_message,pct_complete,progress_bar,elapsed_time,warnings" \
    "jobs_view: the original's columns in its order, then warnings"
id=$(tgt $NEW -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true, '{\"parallel\": 2}')")
is "$(wait_job $NEW "$id")" completed "a pool job completes"
is "$(tgt $NEW -c "SELECT count(*) FROM pgclone.jobs_view WHERE op_type = 'table' AND job_id > $id")" 2 \
    "its 2 pool workers are op_type 'table' jobs newer than the parent"
is "$(tgt $NEW -c "SELECT EXISTS (SELECT job_id, status, op_type, schema_name, table_name, current_phase, current_table,
                                  tables_total, tables_completed, rows_copied, bytes_copied, elapsed_ms, start_time,
                                  end_time, error_message, pct_complete, progress_bar, elapsed_time
                           FROM pgclone.progress_detail() WHERE job_id = $id)")" t \
    "progress_detail(): every original column can be selected by name"
# progress() answers for the job asked, never for another one, while the table holds jobs
is "$(tgt $NEW -c "SELECT (pgclone.progress($id)::json)->>'op_type'")" schema \
    "progress(parent) describes the parent, not one of its workers"
for bad in -1 0; do
    like "$(tgt $NEW -c "SELECT pgclone.progress($bad)" 2>&1)" "job $bad does not exist" \
        "progress($bad) is an unknown job although the job table holds jobs"
done
tgt $NEW -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

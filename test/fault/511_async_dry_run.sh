#!/usr/bin/env bash
# 511_async_dry_run.sh -- {"dry_run": true} on schema_async and table_async: the job plans in its
# worker and its result is the plan, the same JSON as the synchronous dry run (pgclone.schema(),
# pgclone.table()) gives; nothing is created on the target, no pool or snapshot coordinator is
# started (with "parallel"), and the whole plan, longer than a job slot's 1 kB result, is in
# progress_detail() and in the job's record. A conflict is shown with the action the "conflict"
# option would take, as in the synchronous plan.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_511_dry
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
objects() { T -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgclone') AND n.nspname NOT LIKE 'pg_toast%'"; }
before=$(objects)

# --- schema_async, with a pool asked for ------------------------------------------------------
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"dry_run\": true, \"parallel\": 3}')")
like "$id" '^[0-9]+$' "schema_async with dry_run returns a job id ($id)"
is "$(wait_job $DB "$id")" completed "the dry-run job completes"
sync=$(T -c "SELECT pgclone.schema($SRC_LIT, 'test_schema', true, '{\"dry_run\": true}')")
is "$(T -c "SELECT (result::jsonb = $(lit "$sync")::jsonb) FROM pgclone.progress_detail() WHERE job_id = $id")" t \
    "its result is the plan pgclone.schema() shows, whole ($(printf '%s' "$sync" | wc -c) bytes)"
is "$(T -c "SELECT result::jsonb->>'dry_run' FROM pgclone.job_record WHERE job_id = $id")" true \
    "the job's record has the plan too"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id")" 0 \
    "no pool worker or coordinator was started"
is "$(objects)" "$before" "nothing was created on the target"

# --- table_async, with a conflict -------------------------------------------------------------
T -c "CREATE SCHEMA test_schema; CREATE TABLE test_schema.customers (x int)" >/dev/null
id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"dry_run\": true, \"conflict\": \"replace\"}')")
is "$(wait_job $DB "$id")" completed "table_async with dry_run completes"
sync=$(T -c "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"dry_run\": true, \"conflict\": \"replace\"}')")
is "$(T -c "SELECT (result::jsonb = $(lit "$sync")::jsonb) FROM pgclone.progress_detail() WHERE job_id = $id")" t \
    "its result is the plan pgclone.table() shows"
like "$(T -c "SELECT result FROM pgclone.progress_detail() WHERE job_id = $id")" '"action": ?"replace"' \
    "the existing table is shown with the action \"replace\" would take"
is "$(T -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'test_schema' AND table_name = 'customers'")" 1 \
    "the existing table is untouched (one column)"

done_testing

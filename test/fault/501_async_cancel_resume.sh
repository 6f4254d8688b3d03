#!/usr/bin/env bash
# 501_async_cancel_resume.sh -- pgclone.cancel() of long jobs and pgclone.resume():
#  * a table job cancelled mid-COPY: status cancelled at once, nothing of the table (nor the
#    schema it created) is left, no worker and no source connection remain;
#  * a sequential schema job cancelled in its third table: the first two tables are committed
#    and complete, nothing of the table in flight nor of the later phases exists; resume() clones
#    the rest and creates the foreign key, view and trigger;
#  * a parallel schema job cancelled through one of its pool workers: the whole clone stops
#    (parent, pool, coordinator); resume() completes it with a pool again;
#  * what resume() refuses.
# The schema jobs are cancelled while the target creates the table in flight, which an event
# trigger of the test's database holds in pg_sleep (the cancel interrupts it): the cancel always
# lands on that table, however slow or loaded the machine is. (A lock held on the source would
# stop the job before its first table: reading the plan takes ACCESS SHARE locks on every table,
# as pg_dump does.)
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_cancel
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<'SQL'
CREATE TABLE public.blocked_tables (identity text PRIMARY KEY);
CREATE FUNCTION public.block_creation() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE o record;
BEGIN
    FOR o IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
        IF EXISTS (SELECT FROM public.blocked_tables b WHERE b.identity = o.object_identity) THEN
            PERFORM pg_sleep(120);
        END IF;
    END LOOP;
END $$;
CREATE EVENT TRIGGER block_creation ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
    EXECUTE FUNCTION public.block_creation();
SQL
# block TABLE... : the creation of these tables (schema-qualified) waits; unblock: none does.
block() {
    local t
    T -c "TRUNCATE public.blocked_tables" >/dev/null
    for t in "$@"; do T -c "INSERT INTO public.blocked_tables VALUES ('$t')" >/dev/null; done
}
unblock() { T -c "TRUNCATE public.blocked_tables" >/dev/null; }
# Job workers of the job (or of its pool) sleeping in the trigger.
blocked_sql() {
    echo "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pgclone job' AND wait_event = 'PgSleep')"
}
T -c "SELECT pgclone.clear_jobs()" >/dev/null
no_workers() { [[ $(T -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pgclone job'") == 0 ]]; }
src_sessions() { src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone'"; }
counts() {
    T -c "SELECT string_agg(c.relname || '=' || c.reltuples::bigint, ' ' ORDER BY c.relname) FROM pg_class c
          WHERE c.relnamespace = 'async_test'::regnamespace AND c.relkind = 'r'" 2>/dev/null
}

# --- a table job cancelled mid-COPY -----------------------------------------------------------
# The filter makes the source produce about 2000 rows a second: the COPY is in flight for minutes.
id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'async_test', 'big', true, NULL,
             '{\"where\": \"pg_sleep(0.0005) IS NOT NULL\"}')")
if wait_until 60 "SELECT rows_copied > 200 FROM pgclone.progress_detail() WHERE job_id = $id" $DB; then
    ok "table job: rows are streaming ($(job_field $DB "$id" rows_copied) so far, phase $(job_field $DB "$id" current_phase))"
else
    not_ok "table job: rows are streaming" "$(T -c "SELECT * FROM pgclone.progress_detail() WHERE job_id = $id")"
fi
t0=$(date +%s%3N)
is "$(T -c "SELECT pgclone.cancel($id)")" t "table job: cancel() returns true"
t1=$(date +%s%3N)
if ((t1 - t0 < 5000)); then ok "table job: cancel() returned within 5 s ($((t1 - t0)) ms)"; else not_ok "cancel took $((t1 - t0)) ms"; fi
is "$(job_field $DB "$id" "status || ' ' || current_phase || ' ' || rows_copied || ' ' || coalesce(error_message, '-')")" \
    "cancelled cancelled 0 -" "table job: status cancelled, no rows counted as copied"
is "$(T -c "SELECT to_regclass('async_test.big') IS NULL AND to_regnamespace('async_test') IS NULL")" t \
    "table job: no half table (and not the schema it created) on the target"
no_workers && ok "table job: no worker process left" || not_ok "table job: no worker process left"
# The source backend ends once it notices the closed connection: wait for it, bounded.
wait_until_src 30 "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'pgclone'" &&
    ok "table job: no source connection left" || not_ok "table job: no source connection left" "$(src_sessions) left"

# --- a sequential schema job cancelled in its third table -------------------------------------
# big2's creation waits: the job copies a_small and big, then blocks in big2.
block async_test.big2
is "$(T -c "SELECT string_agg(identity, ',') FROM public.blocked_tables")" async_test.big2 "schema job: big2 will block"
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true)")
wait_until 120 "SELECT table_name = 'big2' AND $(blocked_sql) = 1 FROM pgclone.progress_detail() WHERE job_id = $id" $DB &&
    ok "schema job: on async_test.big2" || not_ok "schema job: on async_test.big2" "$(T -c "SELECT * FROM pgclone.progress_detail() WHERE job_id = $id")"
is "$(T -c "SELECT pgclone.cancel($id)")" t "schema job: cancel() returns true"
is "$(job_field $DB "$id" "status || ' ' || tables_completed || '/' || tables_total || ' ' || rows_copied")" "cancelled 2/5 400010" \
    "schema job: cancelled after 2 of 5 tables, their 400010 rows kept"
unblock
wait_until_src 30 "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'pgclone'" &&
    ok "schema job: no source connection left" || not_ok "schema job: no source connection left" "$(src_sessions) left"
is "$(counts)" "a_small=10 big=400000" "schema job: the committed tables are complete; nothing of big2 (in flight) or the later tables"
is "$(T -c "SELECT count(*) FROM async_test.a_small") $(T -c "SELECT count(*) FROM async_test.big")" "10 400000" \
    "schema job: a_small and big have all their rows"
is "$(T -c "SELECT to_regclass('async_test.parent_counts') IS NULL AND to_regclass('async_test.ticket_seq') IS NOT NULL")" t \
    "schema job: the sequence (created before the tables) exists, the view (after them) does not"

rid=$(T -c "SELECT pgclone.resume($id)")
like "$rid" '^[0-9]+$' "resume: returns a new job id ($rid)"
is "$(wait_job $DB "$rid")" completed "resume: the resumed job completes"
is "$(job_field $DB "$rid" "resumed_from || ' ' || tables_completed || '/' || tables_total")" "$id 5/5" \
    "resume: it names the job it resumed and counts all 5 tables as done"
is "$(T -c "SELECT (SELECT count(*) FROM async_test.a_small) || ' ' || (SELECT count(*) FROM async_test.big) || ' ' ||
            (SELECT count(*) FROM async_test.big2) || ' ' || (SELECT count(*) FROM async_test.parent) || ' ' ||
            (SELECT count(*) FROM async_test.child)")" "10 400000 400000 100 300" "resume: every table has all its rows"
is "$(T -c "SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = 'async_test.child'::regclass AND contype = 'f')
            || ' ' || (to_regclass('async_test.parent_counts') IS NOT NULL)
            || ' ' || (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'async_test.child'::regclass AND NOT tgisinternal)")" \
    "1 true 1" "resume: foreign key, view and trigger created"
like "$(job_field $DB "$rid" result)" '^OK: cloned schema async_test: 3 tables \(400400 rows\)' \
    "resume: its result counts the 3 tables it cloned itself"

# --- a parallel schema job, cancelled through a pool worker -----------------------------------
T -c "DROP SCHEMA async_test CASCADE" >/dev/null 2>&1
# The creation of both big tables waits: each pool worker blocks in one of them.
block async_test.big async_test.big2
is "$(T -c "SELECT string_agg(identity, ',' ORDER BY identity) FROM public.blocked_tables")" async_test.big,async_test.big2 \
    "pool: big and big2 will block"
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'async_test', true, '{\"parallel\": 2}')")
wait_until 120 "SELECT count(DISTINCT table_name) = 2 AND $(blocked_sql) = 2 FROM pgclone.progress_detail() WHERE parent_job_id = $id
                  AND op_type = 'table' AND table_name IN ('big', 'big2')" $DB &&
    ok "pool: both workers are on a big table" ||
    not_ok "pool: both workers are on a big table" "$(T -c "SELECT * FROM pgclone.progress_detail()")"
worker=$(T -c "SELECT min(job_id) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'table'")
out=$(T -c "SELECT pgclone.cancel($worker)" 2>&1)
like "$out" "cancelling job $id" "pool: cancelling a pool worker cancels its parent (NOTICE)"
is "$(job_field $DB "$id" status)" cancelled "pool: the parent job is cancelled"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND status IN ('pending', 'running')")" 0 \
    "pool: no pool worker or coordinator is still running"
no_workers && ok "pool: no worker process left" || not_ok "pool: no worker process left"
is "$(T -c "SELECT to_regclass('async_test.big') IS NULL AND to_regclass('async_test.big2') IS NULL")" t \
    "pool: nothing of the two tables in flight"
unblock
wait_until_src 30 "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'pgclone'" &&
    ok "pool: no source connection left" || not_ok "pool: no source connection left" "$(src_sessions) left"

rid=$(T -c "SELECT pgclone.resume($id)")
is "$(wait_job $DB "$rid")" completed "pool resume: completes"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $rid AND op_type = 'table'")" 2 \
    "pool resume: runs with a pool of 2 again"
is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE match = '✓') FROM pgclone.verify($SRC_LIT, 'async_test')")" \
    "5 5" "pool resume: verify shows ✓ for all 5 tables"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'async_test.child'::regclass AND contype = 'f'")" 1 \
    "pool resume: the foreign key exists"

# --- what resume() refuses --------------------------------------------------------------------
err() { T -c "$1" 2>&1 | grep -E '^(ERROR|psql:.*ERROR)' | sed 's/^psql:[^E]*//'; }
like "$(err "SELECT pgclone.resume($rid)")" "job $rid completed; there is nothing to resume" "resume of a completed job: error"
like "$(err "SELECT pgclone.resume($worker)")" "job $worker is a pool_worker of job $id and cannot be resumed on its own" \
    "resume of a pool worker: error naming the parent"
like "$(err "SELECT pgclone.resume(999999)")" "job 999999 does not exist" "resume of an unknown job: error"
like "$(err "SELECT pgclone.cancel(999999)")" "job 999999 does not exist" "cancel of an unknown job: error"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

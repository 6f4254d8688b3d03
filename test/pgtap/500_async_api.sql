-- 500_async_api.sql -- the SQL surface of async jobs: functions, the jobs view's columns, argument
-- errors, and one table job from start to finish (guide 15.1/15.2) polled from this transaction.
-- A job commits in its own transaction, which ROLLBACK does not undo: what it creates is removed
-- after the ROLLBACK. Without pgclone in shared_preload_libraries (harness --no-preload) the
-- functions must say so; the other job tests are skipped then.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(39);

SELECT has_function('pgclone', 'table_async', ARRAY['text', 'text', 'text', 'boolean', 'text', 'text'],
                    'pgclone.table_async(conninfo, schema, table, include_data, target, options)');
SELECT function_returns('pgclone', 'table_async', ARRAY['text', 'text', 'text', 'boolean', 'text', 'text'],
                        'integer', 'table_async returns the job id');
SELECT has_function('pgclone', 'schema_async', ARRAY['text', 'text', 'boolean', 'text'],
                    'pgclone.schema_async(conninfo, schema, include_data, options)');
SELECT function_returns('pgclone', 'schema_async', ARRAY['text', 'text', 'boolean', 'text'], 'integer',
                        'schema_async returns the job id');
SELECT function_returns('pgclone', 'progress', ARRAY['integer'], 'text', 'progress(job_id) returns text (JSON)');
SELECT function_returns('pgclone', 'jobs', ARRAY[]::text[], 'text', 'jobs() returns text (JSON array)');
SELECT function_returns('pgclone', 'cancel', ARRAY['integer'], 'boolean', 'cancel(job_id) returns boolean');
SELECT function_returns('pgclone', 'resume', ARRAY['integer'], 'integer', 'resume(job_id) returns the new job id');
SELECT function_returns('pgclone', 'clear_jobs', ARRAY[]::text[], 'integer', 'clear_jobs() returns the count');
SELECT function_returns('pgclone', 'progress_detail', ARRAY[]::text[], 'setof record',
                        'progress_detail() returns a table');
SELECT has_view('pgclone', 'jobs_view', 'pgclone.jobs_view exists');
SELECT columns_are('pgclone', 'jobs_view',
                   ARRAY['job_id', 'status', 'op_type', 'schema_name', 'table_name', 'current_phase',
                         'tables_total', 'tables_completed', 'rows_copied', 'bytes_copied', 'elapsed_ms',
                         'start_time', 'end_time', 'pct_complete', 'progress_bar', 'elapsed_time',
                         'error_message', 'current_table', 'warnings'],
                   'jobs_view: the columns of guide test 17, error_message, current_table and warnings (no conninfo)');
SELECT col_type_is('pgclone', 'jobs_view', 'elapsed_time', 'interval', 'elapsed_time is an interval');
SELECT col_type_is('pgclone', 'jobs_view', 'start_time', 'timestamp with time zone', 'start_time is a timestamptz');
SELECT ok(NOT has_function_privilege('public', 'pgclone.table_async(text, text, text, boolean, text, text)', 'EXECUTE'),
          'EXECUTE on table_async is not granted to PUBLIC');

-- Waits for a job to finish (each statement of the loop sees what the job committed).
CREATE FUNCTION pg_temp.wait_job(id integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    FOR i IN 1..1200 LOOP
        st := pgclone.progress(id)::json->>'status';
        EXIT WHEN st IN ('completed', 'failed', 'cancelled');
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN st;
END;
$$;

CREATE FUNCTION pg_temp.job_tests() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    src text := current_setting('pgclone_test.source');
    id integer;
    j json;
BEGIN
    IF current_setting('pgclone_test.preload', true) = 'off' THEN
        RETURN NEXT throws_ok(format('SELECT pgclone.table_async(%L, %L, %L)', src, 'async_test', 'a_small'),
                              '55000', 'pgclone.table_async() needs pgclone in shared_preload_libraries',
                              'not preloaded: table_async says what it needs');
        RETURN NEXT skip('pgclone is not in shared_preload_libraries', 20);
        RETURN;
    END IF;

    -- Argument errors: no job is started.
    RETURN NEXT throws_ok('SELECT pgclone.table_async(NULL, ''s'', ''t'')', '22004',
                          'source_conninfo must not be null', 'NULL conninfo');
    RETURN NEXT throws_ok(format('SELECT pgclone.table_async(%L, %L, %L, true, NULL, %L)', src, 'async_test',
                                 'a_small', '{"parallel": 2}'),
                          '0A000', 'option "parallel" is not supported by pgclone.table_async()',
                          'table_async refuses "parallel"');
    RETURN NEXT throws_ok(format('SELECT pgclone.schema_async(%L, %L, true, %L)', src, 'async_test',
                                 '{"where": "id > 1"}'),
                          '22023', 'option "where" of pgclone.schema_async() must be an object mapping tables to filters',
                          'schema_async refuses "where"');
    RETURN NEXT throws_ok(format('SELECT pgclone.schema_async(%L, %L, true, %L)', src, 'async_test',
                                 '{"masks": {"big": {"payload": "bogus"}}}'),
                          '22023', NULL, 'schema_async checks mask strategies at once');
    RETURN NEXT throws_ok('SELECT pgclone.progress(-1)', '42704', 'job -1 does not exist', 'progress of an unknown job');
    RETURN NEXT throws_ok('SELECT pgclone.cancel(-1)', '42704', 'job -1 does not exist', 'cancel of an unknown job');
    RETURN NEXT throws_ok('SELECT pgclone.resume(-1)', '42704', 'job -1 does not exist', 'resume of an unknown job');
    RETURN NEXT throws_ok('SELECT pgclone.cancel(NULL)', '22004', 'job_id must not be null', 'cancel(NULL)');

    -- Guide 15.1 / 15.2: a table job, followed to its end.
    id := pgclone.table_async(src, 'async_test', 'a_small', true, 'a_small_pgtap');
    RETURN NEXT ok(id > 0, 'table_async returned job id ' || id);
    RETURN NEXT ok((pgclone.progress(id)::json->>'status') IN ('pending', 'running', 'completed'),
                   'progress() shows the job at once');
    RETURN NEXT is(pg_temp.wait_job(id), 'completed', 'the job completes');
    j := pgclone.progress(id)::json;
    RETURN NEXT is(j->>'result', 'OK: cloned async_test.a_small_pgtap (10 rows)', 'progress() has the result text');
    RETURN NEXT is((j->>'rows_copied')::int, 10, 'progress() counts the 10 rows');
    RETURN NEXT is(j->>'progress_bar', '[####################] 100%', 'progress bar at 100%');
    RETURN NEXT is((SELECT count(*)::int FROM async_test.a_small_pgtap), 10, 'the rows were committed by the worker');
    RETURN NEXT ok(position('password' IN pgclone.jobs()) = 0 AND position('srcpass' IN pgclone.jobs()) = 0,
                   'jobs() shows no password');
    RETURN NEXT is((SELECT status || ' ' || op_type || ' ' || tables_completed || '/' || tables_total
                    FROM pgclone.jobs_view WHERE job_id = id), 'completed table 1/1', 'jobs_view row of the job');

    -- Guide 16.1: a parallel schema job (the cross-version suite runs this against 14-18 sources).
    id := pgclone.schema_async(src, 'async_test', true, '{"parallel": 2}');
    RETURN NEXT is(pg_temp.wait_job(id), 'completed', 'a parallel schema job completes');
    RETURN NEXT is((SELECT string_agg(op_type || ':' || status, ' ' ORDER BY job_id) FROM pgclone.progress_detail()
                    WHERE parent_job_id = id),
                   'snapshot_coordinator:completed table:completed table:completed',
                   'its coordinator and 2 pool workers completed');
    RETURN NEXT is((SELECT count(*)::int FROM pgclone.verify(src, 'async_test') WHERE match = '✓'
                    AND table_name IN ('a_small', 'big', 'big2', 'parent', 'child')), 5,
                   'verify: every table of the pool shows ✓');
    RETURN NEXT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'async_test.child'::regclass
                    AND contype = 'f'), 1, 'the foreign key was created after the pool');

    -- Every secret option is hidden, not only password=: libpq also marks sslpassword secret.
    id := pgclone.table_async(src || ' sslpassword=TopSecretKeyPass', 'async_test', 'no_such_table', true);
    RETURN NEXT is(pg_temp.wait_job(id), 'failed', 'a job with sslpassword in its conninfo (fails: no such table)');
    RETURN NEXT ok(position('TopSecretKeyPass' IN pgclone.jobs()) = 0
                   AND position('TopSecretKeyPass' IN pgclone.progress(id)) = 0,
                   'jobs() and progress() do not show the sslpassword');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM pgclone.progress_detail() d
                               WHERE d::text LIKE '%TopSecretKeyPass%'),
                   'progress_detail() does not show the sslpassword');
END;
$$;
SELECT * FROM pg_temp.job_tests();

SELECT * FROM finish();
ROLLBACK;

-- What the job committed (outside the rolled-back transaction).
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS async_test CASCADE;
DO $$ BEGIN IF current_setting('pgclone_test.preload', true) IS DISTINCT FROM 'off'
    AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgclone') THEN PERFORM pgclone.clear_jobs(); END IF; END $$;

-- 100_boundary.sql -- the C++/PostgreSQL error boundary against a real server (issue 2, item 2).
--
-- Uses the TEST-ONLY extension pgclone_test (test/boundary_ext, built and installed by
-- test/run_all.sh; the product does not ship it). Its entry points are the same
-- pg::invoke shims the product uses, around C++ code that throws, raises PostgreSQL
-- errors under pg::call with C++ objects alive, and waits interruptibly.
-- Every C++ object under test counts its destructor runs (pgclone_test.destructor_runs()),
-- so the file can prove that an error unwound the C++ frames instead of jumping past them.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS pgclone_test;
SELECT plan(39);

-- All fields of the error raised by sql, or NULLs if it succeeded.
CREATE FUNCTION pg_temp.error_of(sql text, OUT state text, OUT msg text, OUT det text, OUT hnt text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
END $$;

-- Runs sql, catching only a cancel (WHEN OTHERS does not catch query_canceled, and neither
-- does throws_ok); reports its SQLSTATE, message and how long sql ran.
CREATE FUNCTION pg_temp.canceled(sql text, OUT state text, OUT msg text, OUT seconds float8)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    BEGIN
        EXECUTE sql;
        state := '00000';
    EXCEPTION WHEN query_canceled THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    seconds := extract(epoch FROM clock_timestamp() - t0);
END $$;

-- destructor_runs() since the last mark
CREATE TEMP TABLE dtor_mark (n bigint);
INSERT INTO dtor_mark SELECT pgclone_test.destructor_runs();
CREATE FUNCTION pg_temp.dtors_since_mark() RETURNS bigint LANGUAGE sql AS $$
    WITH m AS (SELECT n FROM dtor_mark), u AS (UPDATE dtor_mark SET n = pgclone_test.destructor_runs())
    SELECT pgclone_test.destructor_runs() - n FROM m $$;

-- ---------------------------------------------------------------------------------------
-- 1. C++ exceptions inside pg::invoke become ordinary ERRORs

SELECT throws_ok($$SELECT pgclone_test.throw_std('kaboom from C++')$$,
                 'XX000', 'pgclone internal error: kaboom from C++',
                 'std::runtime_error becomes ERROR XX000 with its what() text');
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, 'the object alive at the throw was destroyed');

SELECT throws_ok($$SELECT pgclone_test.throw_core('relation "s"."t" is gone', '42P01',
                                                  'The detail sentence.', 'The hint sentence.')$$,
                 '42P01', 'relation "s"."t" is gone',
                 'core::Error becomes ERROR with its own SQLSTATE and message');
SELECT results_eq(
    $$SELECT state, msg, det, hnt FROM pg_temp.error_of(
        'SELECT pgclone_test.throw_core(''relation "s"."t" is gone'', ''42P01'', ''The detail sentence.'', ''The hint sentence.'')')$$,
    $$VALUES ('42P01', 'relation "s"."t" is gone', 'The detail sentence.', 'The hint sentence.')$$,
    'core::Error keeps its detail and hint');
SELECT is(pg_temp.dtors_since_mark(), 2::bigint, 'both throwing calls destroyed their objects');

SELECT throws_ok($$SELECT pgclone_test.throw_unknown()$$,
                 'XX000', 'pgclone internal error: unknown exception',
                 'a thrown non-std::exception value becomes ERROR XX000');
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, '... and its frame was unwound too');

SELECT throws_ok($$SELECT pgclone_test.throw_core('bad state', 'nope!')$$,
                 '22023', 'invalid SQLSTATE "nope!"', 'a malformed SQLSTATE argument is a clean 22023 error');

-- the session is usable after all of that: reads, writes, SPI, and the product itself
SELECT is((SELECT sum(g)::int FROM generate_series(1, 10) g), 55, 'plain queries work after C++ exceptions');
CREATE TEMP TABLE after_cpp_errors (i int);
INSERT INTO after_cpp_errors SELECT generate_series(1, 3);
SELECT is((SELECT count(*)::int FROM after_cpp_errors), 3, 'writes work after C++ exceptions');
SELECT matches(pgclone.version(), '^pgclone \d+\.\d+\.\d+', 'pgclone.version() works after C++ exceptions');

-- ---------------------------------------------------------------------------------------
-- 2. PostgreSQL ERRORs under pg::call unwind C++ and reach the client unchanged

SELECT pg_temp.dtors_since_mark() IS NOT NULL AS reset_mark \gset
SELECT throws_ok($$SELECT pgclone_test.pg_error_under_call('22003', 'value 42 is out of range for the test',
                                                           'Raised by ereport inside pg::call.', 'Nothing to fix.')$$,
                 '22003', 'value 42 is out of range for the test',
                 'ereport(ERROR) under pg::call reaches the client with its SQLSTATE and message');
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, 'the C++ object alive during the ereport was destroyed');
SELECT is(pgclone_test.last_caught_sqlstate(), '22003', 'the error passed a C++ catch block as pg::PgError 22003');
SELECT results_eq(
    $$SELECT state, msg, det, hnt FROM pg_temp.error_of(
        'SELECT pgclone_test.pg_error_under_call(''22003'', ''value 42 is out of range for the test'', ''Raised by ereport inside pg::call.'', ''Nothing to fix.'')')$$,
    $$VALUES ('22003', 'value 42 is out of range for the test', 'Raised by ereport inside pg::call.', 'Nothing to fix.')$$,
    'detail and hint of the PostgreSQL error survive the round trip through C++');
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, '... again with its destructor run');

-- an error raised deep in the executor, reached through pg::Spi
SELECT throws_ok($$SELECT pgclone_test.error_via_spi('SELECT 1/0')$$, '22012', 'division by zero',
                 'an executor error under pg::Spi reaches the client unchanged');
SELECT is(pgclone_test.last_caught_sqlstate(), '22012', '... after passing C++ as pg::PgError 22012');
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, '... and destroying the C++ object');

-- both directions in one call: C++ -> ERROR (inner shim) -> pg::Spi -> PgError -> C++ -> ERROR
SELECT results_eq(
    $$SELECT state, msg, det, hnt FROM pg_temp.error_of(
        'SELECT pgclone_test.error_via_spi(''SELECT pgclone_test.throw_core(''''duplicate key "k"'''', ''''23505'''', ''''Key (k)=(1) exists.'''', ''''Pick another key.'''')'')')$$,
    $$VALUES ('23505', 'duplicate key "k"', 'Key (k)=(1) exists.', 'Pick another key.')$$,
    'a C++ error nested inside SPI inside C++ keeps SQLSTATE, message, detail and hint');
SELECT is(pgclone_test.last_caught_sqlstate(), '23505', 'the outer C++ frame saw the inner error as PgError 23505');
SELECT is(pg_temp.dtors_since_mark(), 2::bigint, 'inner and outer C++ objects were both destroyed');

-- SPI left connected by an exception is cleaned up by the abort; SPI works afterwards
SELECT throws_ok($$SELECT pgclone_test.throw_inside_spi('thrown with SPI connected')$$, 'XX000',
                 'thrown with SPI connected', 'a C++ exception with an unfinished SPI connection is an ERROR');
SELECT is(pgclone_test.error_via_spi('SELECT generate_series(1, 7)'), 7::bigint,
          'SPI works again after the abort cleaned up the unfinished connection');

-- subtransactions: ordinary errors are swallowed and reported, the work goes on
SELECT is(pgclone_test.try_in_subtransaction('SELECT 1/0'), 'division by zero',
          'exec_in_subtransaction returns the swallowed error text');
SELECT is(pgclone_test.try_in_subtransaction('CREATE TEMP TABLE made_in_subxact (i int)'), NULL,
          'exec_in_subtransaction returns NULL on success');
SELECT ok(to_regclass('pg_temp.made_in_subxact') IS NOT NULL, '... and its work is kept');

-- ---------------------------------------------------------------------------------------
-- 3. statement_timeout stops waiting C++ code within a second (and unwinds it)

SELECT pg_temp.dtors_since_mark() IS NOT NULL AS reset_mark \gset
-- The latch wait uses 10 s slices: only the latch wake-up can stop it in time.
SET LOCAL statement_timeout = '500ms';
CREATE TEMP TABLE wait_result AS SELECT * FROM pg_temp.canceled('SELECT pgclone_test.wait_latch(30, 10000)');
SET LOCAL statement_timeout = 0;
SELECT is(state, '57014', 'statement_timeout cancels a 30 s latch wait (57014)') FROM wait_result;
SELECT is(msg, 'canceling statement due to statement timeout', '... with PostgreSQL''s own message') FROM wait_result;
SELECT cmp_ok(seconds, '<', 1.0::float8, format('... within a second (took %s s)', round(seconds::numeric, 3)))
  FROM wait_result;
SELECT cmp_ok(seconds, '>=', 0.3::float8, '... and not before the timeout was due') FROM wait_result;
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, 'the canceled wait unwound its C++ object');

SET LOCAL statement_timeout = '500ms';
CREATE TEMP TABLE spin_result AS SELECT * FROM pg_temp.canceled('SELECT pgclone_test.spin(30)');
SET LOCAL statement_timeout = 0;
SELECT is(state, '57014', 'statement_timeout cancels a busy C++ loop that calls pg::check_for_interrupts')
  FROM spin_result;
SELECT cmp_ok(seconds, '<', 1.0::float8, format('... within a second (took %s s)', round(seconds::numeric, 3)))
  FROM spin_result;
SELECT is(pg_temp.dtors_since_mark(), 1::bigint, 'the canceled loop unwound its C++ object');

-- a cancel inside exec_in_subtransaction is never swallowed as a mere warning
SET LOCAL statement_timeout = '500ms';
CREATE TEMP TABLE subxact_result AS
    SELECT * FROM pg_temp.canceled($$SELECT pgclone_test.try_in_subtransaction('SELECT pg_sleep(30)')$$);
SET LOCAL statement_timeout = 0;
SELECT is(state, '57014', 'a timeout inside exec_in_subtransaction propagates as 57014') FROM subxact_result;
SELECT cmp_ok(seconds, '<', 1.0::float8, format('... within a second (took %s s)', round(seconds::numeric, 3)))
  FROM subxact_result;

-- the session is still fine: interrupt-aware code runs to completion when nobody cancels it
SELECT cmp_ok(pgclone_test.wait_latch(0.2, 50), '>=', 0.2::float8, 'an uncanceled latch wait runs its full time');
SELECT cmp_ok(pgclone_test.spin(0.1), '>=', 0.1::float8, 'an uncanceled busy loop runs its full time');

SELECT * FROM finish();
ROLLBACK;

-- 201_functions_guide.sql -- manual testing guide, test 6 (function cloning), and how functions
-- behave in schema clones: LANGUAGE sql bodies validated after the tables exist, functions that
-- column defaults / domains / indexes need created before the tables, procedures, aggregates
-- (cloned with their options, after the routines they are built from).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(20);

-- ---------------------------------------------------------------------------------------------
-- Test 6: into an existing, empty schema
DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE SCHEMA test_schema;
CREATE TEMP TABLE r6 AS SELECT pgclone.functions(current_setting('pgclone_test.source'), 'test_schema') AS res;
SELECT is((SELECT array_agg(routine_name || ' ' || routine_type ORDER BY routine_name) FROM information_schema.routines
           WHERE routine_schema = 'test_schema'),
    ARRAY['get_customer_orders FUNCTION', 'log_order_change FUNCTION', 'update_timestamp FUNCTION']::text[],
    '6 functions: get_customer_orders, log_order_change, update_timestamp');
-- get_customer_orders is LANGUAGE sql and reads test_schema.orders, which this target lacks: it is
-- created without body validation, and the result text says there was a warning.
SELECT matches((SELECT res FROM r6), '^DONE WITH 1 WARNING: cloned 3 functions of schema test_schema in [0-9.]+ s$',
    '6 result text counts the unvalidated body as a warning');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'test_schema'::regnamespace), 0::bigint,
    '6 functions() creates no tables');
SELECT is(obj_description('test_schema.update_timestamp()'::regprocedure, 'pg_proc'),
    'BEFORE UPDATE trigger: sets updated_at', '6 function comment cloned');
-- Run again: same signatures are replaced, not duplicated.
SELECT matches(pgclone.functions(current_setting('pgclone_test.source'), 'test_schema'),
    'cloned 3 functions of schema test_schema', '6 functions() can run again');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'test_schema'::regnamespace), 3::bigint,
    '6 still three functions after the second run');
SELECT throws_ok($$SELECT pgclone.functions(current_setting('pgclone_test.source'), 'no_such_schema')$$,
    '3F000', 'schema "no_such_schema" does not exist on the source server', '6 missing schema');

-- functions() creates the schema when it is missing
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.functions(current_setting('pgclone_test.source'), 'test_schema'),
    'cloned 3 functions', '6 functions() into a missing schema');
SELECT has_schema('test_schema', '6 schema created');

-- ---------------------------------------------------------------------------------------------
-- In a schema clone the sql function validates cleanly (functions come after tables).
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true), '^OK: ',
    'schema clone: functions after tables, no warning');

-- view_test: a view calling a function, a sql function reading that view, a matview on the view,
-- a view on the matview, a procedure, an INSTEAD OF trigger, view options and comments.
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'view_test', true),
    '^OK: cloned schema view_test: 1 table \(5 rows\), 3 views, 1 materialized view, 4 functions, 0 sequences, 1 trigger, 0 types in ',
    'view_test result text');
SELECT is(view_test.count_doubled(), 5::bigint, 'sql function reading a view works');
SELECT is((SELECT total FROM view_test.v_on_mv), 24::bigint, 'view on materialized view (3+4+5)*2');
SELECT is((SELECT indexname::text FROM pg_indexes WHERE schemaname = 'view_test' AND tablename = 'mv_big'), 'mv_big_x',
    'materialized view index cloned');
SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'view_test.v_checked'::regclass),
    ARRAY['security_barrier=true', 'check_option=cascaded'], 'view options (check option, security barrier)');
SELECT is(col_description('view_test.v_doubled'::regclass, 2), 'twice x', 'view column comment');
CALL view_test.add_num(6);
INSERT INTO view_test.v_checked VALUES (7);
SELECT is((SELECT array_agg(x ORDER BY x) FROM view_test.nums), ARRAY[1, 2, 3, 4, 5, 6, 7],
    'procedure and INSTEAD OF trigger work');

-- agg_test: the aggregate is cloned with its state function, type and initial state.
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'agg_test', true),
    '^OK: cloned schema agg_test: 1 table \(2 rows\), 0 views, 0 materialized views, 1 function,', 'aggregate: cloned, no warning');
SELECT is((SELECT agg_test.my_sum(x) FROM (VALUES (1), (2), (3)) v(x)), 6, 'aggregate created, and it sums');

-- types_test: is_even() is needed by the domain even_int, before the table.
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'types_test', true),
    '^OK: cloned schema types_test: 1 table \(3 rows\), 0 views, 0 materialized views, 1 function, 1 sequence, 0 triggers, 5 types in ',
    'types_test: function used by a domain created early');

SELECT * FROM finish();
ROLLBACK;

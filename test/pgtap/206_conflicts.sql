-- 206_conflicts.sql -- the "conflict" option in schema clones applies to every relation the clone
-- creates (tables, sequences, views, materialized views) and to functions of the same signature:
-- error (default; found before anything changes), skip, replace, rename.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(20);

DROP SCHEMA IF EXISTS test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema'), '^OK: ', 'first clone');
DELETE FROM test_schema.order_items WHERE id > 10;

-- error: refused before any change
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema')$$, '42P07',
    'relation "test_schema"."customers" already exists on the target', 'error: the first clash is named');
SELECT is((SELECT count(*) FROM test_schema.order_items), 10::bigint, 'error: existing data untouched');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'test_schema'::regnamespace AND relname LIKE '%\_old'),
    0::bigint, 'error: nothing renamed');
-- only the functions are left: they clash too
CREATE SCHEMA keep_fn;
ALTER FUNCTION test_schema.get_customer_orders(integer) SET SCHEMA keep_fn;
DROP SCHEMA test_schema CASCADE;
CREATE SCHEMA test_schema;
ALTER FUNCTION keep_fn.get_customer_orders(integer) SET SCHEMA test_schema;
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema')$$, '42723',
    'function "test_schema"."get_customer_orders"(p_customer_id integer) already exists on the target',
    'error: a function of the same signature clashes');
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema'), '^OK: ', 'clone again');
DELETE FROM test_schema.order_items WHERE id > 10;

-- skip: everything that exists is kept
SELECT is(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"conflict": "skip"}')
    ~ '^OK: cloned schema test_schema: 0 tables \(0 rows\), 4 tables skipped \(already on the target\), 0 views \(2 kept\), 0 materialized views \(1 kept\), 0 functions \(3 kept\), 0 sequences \(1 kept\), 0 triggers, 0 types in ',
    true, 'skip: result text');
SELECT is((SELECT count(*) FROM test_schema.order_items), 10::bigint, 'skip: existing data kept');

-- replace: fresh copies
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"conflict": "replace"}'),
    '^OK: cloned schema test_schema: 4 tables \(42 rows\), 2 views, 1 materialized view, 3 functions, 5 sequences, 2 triggers, ',
    'replace: result text, no warnings');
SELECT is((SELECT count(*) FROM test_schema.order_items), 15::bigint, 'replace: rows back');
SELECT is((SELECT count(*) FROM test_schema.top_active_customers), 5::bigint, 'replace: views recreated');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'test_schema'::regnamespace), 20::bigint,
    'replace: no leftovers (4 tables, 5 sequences, 8 indexes, 2 views, 1 materialized view)');

-- rename: old objects move to *_old
DELETE FROM test_schema.order_items WHERE id > 10;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"conflict": "rename"}'),
    '^OK: cloned schema test_schema: 4 tables \(42 rows\), 2 views, 1 materialized view, 3 functions, 5 sequences, 2 triggers, ',
    'rename: result text, no warnings');
SELECT is((SELECT count(*)::text || '/' || (SELECT count(*) FROM test_schema.order_items_old)
           FROM test_schema.order_items), '15/10', 'rename: new and old tables');
SELECT is((SELECT array_agg(relname::text ORDER BY relname) FROM pg_class
           WHERE relnamespace = 'test_schema'::regnamespace AND relkind IN ('v', 'm') AND relname LIKE '%\_old'),
    ARRAY['active_customers_old', 'customer_order_summary_old', 'top_active_customers_old'], 'rename: old views');
SELECT ok(to_regclass('test_schema.idx_customer_order_summary_customer_old') IS NOT NULL,
    'rename: the old materialized view''s index moved too');
SELECT is((SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
           WHERE pronamespace = 'test_schema'::regnamespace AND proname LIKE '%\_old'),
    ARRAY['get_customer_orders_old', 'log_order_change_old', 'update_timestamp_old'], 'rename: old functions');

-- rename again: *_old is taken, the existing function moves to *_old_2 and is never overwritten
CREATE OR REPLACE FUNCTION test_schema.update_timestamp() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; /* local edit */ END $$;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"conflict": "rename"}'),
    '^OK: cloned schema test_schema: ', 'rename twice: result text, no warnings');
SELECT ok((SELECT prosrc FROM pg_proc WHERE oid = 'test_schema.update_timestamp_old_2()'::regprocedure)
          LIKE '%local edit%', 'rename twice: the local function moved to update_timestamp_old_2 with its body');
SELECT ok((SELECT prosrc FROM pg_proc WHERE oid = 'test_schema.update_timestamp()'::regprocedure)
          NOT LIKE '%local edit%', 'rename twice: the source''s function took the name');

SELECT * FROM finish();
ROLLBACK;

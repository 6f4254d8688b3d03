-- 200_schema_guide.sql -- manual testing guide, test 5 (schema cloning), with the expected results
-- spelled out, plus the errors of pgclone.schema(): missing schema, unreachable source, a data
-- error half-way (nothing of the clone remains).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(51);

-- Error text of a statement ('' when it succeeds), for checks on messages.
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN '';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- 5.1 full schema clone with data
DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE TEMP TABLE r51 AS
    SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true) AS res;

SELECT matches((SELECT res FROM r51),
    '^OK: cloned schema test_schema: 4 tables \(42 rows\), 2 views, 1 materialized view, 3 functions, 5 sequences, 2 triggers, 0 types in [0-9]+\.[0-9]{2} s$',
    '5.1 result text counts every object kind');
SELECT is((SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables WHERE schemaname = 'test_schema'),
    ARRAY['customers', 'employees', 'order_items', 'orders'], '5.1 tables');
SELECT results_eq($$
    SELECT 'customers' AS tbl, COUNT(*) FROM test_schema.customers
    UNION ALL SELECT 'orders', COUNT(*) FROM test_schema.orders
    UNION ALL SELECT 'order_items', COUNT(*) FROM test_schema.order_items
    UNION ALL SELECT 'employees', COUNT(*) FROM test_schema.employees $$,
    $$ VALUES ('customers', 10::bigint), ('orders', 12), ('order_items', 15), ('employees', 5) $$,
    '5.1 row counts');
SELECT is((SELECT array_agg(viewname::text ORDER BY viewname) FROM pg_views WHERE schemaname = 'test_schema'),
    ARRAY['active_customers', 'top_active_customers'], '5.1 views');
SELECT is((SELECT array_agg(matviewname::text) FROM pg_matviews WHERE schemaname = 'test_schema'),
    ARRAY['customer_order_summary'], '5.1 materialized view');
SELECT ok((SELECT ispopulated FROM pg_matviews WHERE schemaname = 'test_schema'), '5.1 materialized view is populated');
SELECT is((SELECT count(*) FROM test_schema.customer_order_summary), 10::bigint, '5.1 materialized view rows');
SELECT is((SELECT array_agg(routine_name::text ORDER BY routine_name) FROM information_schema.routines
           WHERE routine_schema = 'test_schema'),
    ARRAY['get_customer_orders', 'log_order_change', 'update_timestamp'], '5.1 functions');
SELECT is((SELECT array_agg(sequencename::text ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'test_schema'),
    ARRAY['customers_id_seq', 'employees_id_seq', 'invoice_seq', 'order_items_id_seq', 'orders_id_seq'],
    '5.1 sequences');
SELECT is((SELECT last_value FROM test_schema.invoice_seq), 1002::bigint, '5.1 free sequence keeps last_value');
SELECT ok((SELECT is_called FROM test_schema.invoice_seq), '5.1 free sequence keeps is_called');
SELECT is(nextval('test_schema.customers_id_seq'), 11::bigint, '5.1 serial sequence continues after the rows');
SELECT is((SELECT array_agg(tgname::text ORDER BY tgname) FROM pg_trigger t
           JOIN pg_class c ON t.tgrelid = c.oid JOIN pg_namespace n ON c.relnamespace = n.oid
           WHERE n.nspname = 'test_schema' AND NOT t.tgisinternal),
    ARRAY['orders_log_change', 'orders_update_timestamp'], '5.1 triggers');
SELECT is((SELECT array_agg(indexname::text ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'test_schema'),
    ARRAY['customers_pkey', 'employees_pkey', 'idx_customer_order_summary_customer', 'idx_customers_name_lower',
          'idx_customers_status', 'idx_orders_customer_id', 'order_items_pkey', 'orders_pkey'], '5.1 indexes');
SELECT is((SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint
           WHERE connamespace = 'test_schema'::regnamespace AND contype IN ('f', 'c')),
    ARRAY['customers_status_check', 'order_items_order_id_fkey', 'order_items_quantity_check',
          'orders_amount_check', 'orders_customer_id_fkey'], '5.1 foreign keys and checks');
SELECT is(obj_description('test_schema'::regnamespace, 'pg_namespace'), 'pgclone test schema', '5.1 schema comment');
SELECT is(obj_description('test_schema.customers'::regclass, 'pg_class'), 'Customers (10 rows, 7 active)',
    '5.1 table comment');
SELECT is(obj_description('test_schema.get_customer_orders(integer)'::regprocedure, 'pg_proc'),
    'Orders of one customer', '5.1 function comment');
SELECT is((SELECT count(*) FROM test_schema.top_active_customers), 5::bigint, '5.1 view on a view answers');
SELECT is((SELECT count(*) FROM test_schema.get_customer_orders(1)), 2::bigint, '5.1 sql function answers');
UPDATE test_schema.orders SET status = 'shipped' WHERE id = 3;
SELECT isnt((SELECT updated_at FROM test_schema.orders WHERE id = 3), NULL, '5.1 BEFORE UPDATE trigger fires');
SELECT throws_ok($$INSERT INTO test_schema.orders (customer_id, amount) VALUES (999, 1)$$, '23503', NULL,
    '5.1 foreign key is enforced');
SELECT cmp_ok((SELECT count(*) FROM pg_statistic WHERE starelid = 'test_schema.customers'::regclass), '>', 0::bigint,
    '5.1 tables are analyzed after loading (pg_statistic has rows)');

-- ---------------------------------------------------------------------------------------------
-- 5.2 structure only
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', false),
    '^OK: cloned schema test_schema: 4 tables \(0 rows\), 2 views, 1 materialized view, 3 functions, 5 sequences, 2 triggers, 0 types in ',
    '5.2 result text');
SELECT results_eq($$
    SELECT 'customers' AS tbl, COUNT(*) FROM test_schema.customers
    UNION ALL SELECT 'orders', COUNT(*) FROM test_schema.orders $$,
    $$ VALUES ('customers', 0::bigint), ('orders', 0) $$, '5.2 all counts are 0');
SELECT ok(NOT (SELECT ispopulated FROM pg_matviews WHERE schemaname = 'test_schema'),
    '5.2 materialized view is created WITH NO DATA');
SELECT is((SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relnamespace = 'test_schema'::regnamespace AND NOT t.tgisinternal), 2::bigint,
    '5.2 triggers are there');

-- ---------------------------------------------------------------------------------------------
-- 5.3 JSON options
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true,
    '{"triggers": false, "indexes": false}'), '^OK: .* 0 triggers, ', '5.3 result text');
SELECT is((SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON t.tgrelid = c.oid
           JOIN pg_namespace n ON c.relnamespace = n.oid
           WHERE n.nspname = 'test_schema' AND NOT t.tgisinternal), 0::bigint, '5.3 trigger count = 0');
SELECT is((SELECT array_agg(indexname::text ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'test_schema'),
    ARRAY['customers_pkey', 'employees_pkey', 'order_items_pkey', 'orders_pkey'], '5.3 only PK indexes');
SELECT is((SELECT count(*) FROM test_schema.orders), 12::bigint, '5.3 data still cloned');

-- ---------------------------------------------------------------------------------------------
-- 5.4 schema_ex with booleans
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema_ex(current_setting('pgclone_test.source'), 'test_schema', true, true, false, true),
    '^OK: cloned schema test_schema: 4 tables \(42 rows\)', '5.4 result text');
SELECT is((SELECT count(*) FROM pg_indexes WHERE schemaname = 'test_schema'), 8::bigint, '5.4 indexes present');
SELECT is((SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relnamespace = 'test_schema'::regnamespace AND NOT t.tgisinternal), 2::bigint,
    '5.4 triggers present');
SELECT is((SELECT array_agg(contype::text ORDER BY conname) FROM pg_constraint
           WHERE connamespace = 'test_schema'::regnamespace),
    ARRAY['p', 'p', 'p', 'p'], '5.4 only primary keys, no FK/CHECK');

-- analyze = false leaves the new tables unanalyzed
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"analyze": false}'),
    '^OK: ', 'analyze false clones');
SELECT is((SELECT count(*) FROM pg_statistic WHERE starelid = 'test_schema.customers'::regclass), 0::bigint,
    'analyze false: customers never analyzed (no pg_statistic rows)');

-- matviews = false skips materialized views, keeps the rest
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"matviews": false}'),
    '^OK: .* 2 views, 0 materialized views, ', 'matviews false: result text');
SELECT is((SELECT count(*) FROM pg_matviews WHERE schemaname = 'test_schema'), 0::bigint,
    'matviews false: no materialized view');

-- consistent = false still clones everything (each table in its own snapshot)
DROP SCHEMA test_schema CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"consistent": false}'),
    '^OK: cloned schema test_schema: 4 tables \(42 rows\)', 'consistent false clones all rows');

-- ---------------------------------------------------------------------------------------------
-- errors
DROP SCHEMA test_schema CASCADE;
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'nonexistent_schema', true)$$,
    '3F000', 'schema "nonexistent_schema" does not exist on the source server', '18.3 missing schema');
SELECT is(pg_temp.error_of($$SELECT pgclone.schema('host=/nonexistent port=1 dbname=x user=u password=s3cr3t',
    'test_schema', true)$$),
    '08006 could not connect to the source server at host "/nonexistent", port 1, database "x"',
    'unreachable source: connection_failure, no password in the message');
SELECT hasnt_schema('test_schema', 'unreachable source: nothing was created');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true,
    '{"where": "id > 1"}')$$, '22023', 'option "where" of pgclone.schema() must be an object mapping tables to filters',
    'table-only option rejected');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true,
    '{"parallel": 4}')$$, '0A000', 'option "parallel" is not supported by pgclone.schema()',
    'parallel rejected by the synchronous clone');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true,
    '{"snapshot_id": "00000003-00000002-1"}')$$, '22023', NULL, 'unknown snapshot id fails');
SELECT alike(pg_temp.error_of($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true,
    '{"snapshot_id": "00000003-00000002-1"}')$$), '%could not import snapshot "00000003-00000002-1"%',
    'unknown snapshot id names the snapshot');
SELECT hasnt_schema('test_schema', 'bad options: nothing was created');

-- A data error half-way (the target's own posint domain rejects age 30 of types_test.people):
-- the clone fails with the data error and nothing of it remains.
CREATE SCHEMA types_test;
CREATE DOMAIN types_test.posint AS integer CHECK (VALUE > 100);
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'types_test', true)$$,
    '23514', NULL, 'a data error aborts the clone');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'types_test'::regnamespace), 0::bigint,
    'after the data error no relation of the clone remains');
SELECT is((SELECT array_agg(typname::text) FROM pg_type WHERE typnamespace = 'types_test'::regnamespace
           AND typtype <> 'b'), ARRAY['posint'], 'after the data error no type of the clone remains');

SELECT * FROM finish();
ROLLBACK;

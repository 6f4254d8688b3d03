-- 010_table_guide.sql -- manual testing guide, tests 2 (table cloning), 3 (indexes, constraints,
-- triggers control) and 4 (conflict strategies), in the guide's order and with its expected
-- results.  Needs test/fixtures/seed.sql on the source (facts listed at its top).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SET LOCAL client_min_messages = warning;
SELECT plan(47);

\ir lib/table_helpers.sql

SELECT hasnt_schema('test_schema', 'precondition: test_schema does not exist on the target');

-- ---------------------------------------------------------------------------------------------
-- Test 2: synchronous table cloning

-- 2.1 Clone table with data
SELECT is(pg_temp.clone('test_schema', 'customers', true),
          'OK: cloned test_schema.customers (10 rows)', '2.1 result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '10', '2.1 customers has 10 rows');

-- 2.2 Clone structure only.  Its two triggers call functions that do not exist on the target:
-- the clone brings them along (a table clone creates the routines its triggers call).
SELECT is(pg_temp.clone('test_schema', 'orders', false),
          'OK: cloned test_schema.orders (0 rows)',
          '2.2 structure-only clone says 0 rows (its trigger functions come along)');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.orders$$), '0', '2.2 orders exists and is empty');

-- 2.3 Clone with a different target name
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'customers_backup'),
          'OK: cloned test_schema.customers_backup (10 rows)', '2.3 result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers_backup$$), '10',
          '2.3 customers_backup has 10 rows');
SELECT is(pg_temp.run($$SELECT pg_get_serial_sequence('test_schema.customers_backup', 'id')$$),
          'test_schema.customers_backup_id_seq',
          '2.3 customers_backup.id owns its own sequence, not the one of customers');

-- 2.4 Selective column cloning
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'customers_lite',
                        '{"columns": ["id", "name", "email"]}'),
          'OK: cloned test_schema.customers_lite (10 rows)', '2.4 result text');
SELECT results_eq(
    $$SELECT column_name::name FROM information_schema.columns
      WHERE table_schema = 'test_schema' AND table_name = 'customers_lite'
      ORDER BY ordinal_position$$,
    $$VALUES ('id'::name), ('name'), ('email')$$,
    '2.4 customers_lite has exactly id, name, email');
SELECT is(pg_temp.run($$SELECT string_agg(c::text, ' ' ORDER BY id) FROM test_schema.customers_lite c
                         WHERE id IN (5, 6)$$),
          '(5,"Liam O''Brien",liam.obrien@example.com) (6,"José Álvarez",jose.alvarez@example.com)',
          '2.4 customers_lite values are the source values');

-- 2.5 Clone with WHERE filter
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'active_customers_copy',
                        '{"where": "status = ''active''"}'),
          'OK: cloned test_schema.active_customers_copy (7 rows)', '2.5 result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.active_customers_copy$$), '7',
          '2.5 active_customers_copy has 7 rows');
SELECT is(pg_temp.run($$SELECT string_agg(DISTINCT status, ',') FROM test_schema.active_customers_copy$$),
          'active', '2.5 all rows have status = active');

-- 2.6 Columns + WHERE combined
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'high_scorers',
                        '{"columns": ["id", "name", "score"], "where": "score >= 80"}'),
          'OK: cloned test_schema.high_scorers (5 rows)', '2.6 result text');
SELECT is(pg_temp.run($$SELECT string_agg(h::text, ' ' ORDER BY score DESC) FROM test_schema.high_scorers h$$),
          '(5,"Liam O''Brien",99) (2,"Maria Garcia",92) (10,"Kenji Tanaka",88) (1,"John Smith",85) '
          '(7,"Anna Kowalski",80)',
          '2.6 only rows with score >= 80, only id, name, score');

-- ---------------------------------------------------------------------------------------------
-- Test 3: indexes, constraints and triggers control

-- 3.1 Clone without indexes
DROP TABLE IF EXISTS test_schema.customers CASCADE;
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'customers',
                        '{"indexes": false}'),
          'OK: cloned test_schema.customers (10 rows)', '3.1 result text');
SELECT results_eq(
    $$SELECT indexname FROM pg_indexes
      WHERE schemaname = 'test_schema' AND tablename = 'customers' ORDER BY 1$$,
    $$VALUES ('customers_pkey'::name)$$,
    '3.1 only the PK index (no idx_customers_status, no idx_customers_name_lower)');
SELECT results_eq(
    $$SELECT conname, contype::text FROM pg_constraint
      WHERE conrelid = to_regclass('test_schema.customers') ORDER BY 1$$,
    $$VALUES ('customers_pkey'::name, 'p'), ('customers_status_check', 'c')$$,
    '3.1 constraints are still cloned');

-- 3.2 Clone without constraints
DROP TABLE IF EXISTS test_schema.order_items CASCADE;
DROP TABLE IF EXISTS test_schema.orders CASCADE;
SELECT is(pg_temp.clone('test_schema', 'orders', true, 'orders',
                        '{"constraints": false}'),
          'OK: cloned test_schema.orders (12 rows)',
          '3.2 result text (the trigger functions came with 2.2)');
SELECT results_eq(
    $$SELECT conname, contype::text FROM pg_constraint
      WHERE conrelid = to_regclass('test_schema.orders') ORDER BY 1$$,
    $$VALUES ('orders_pkey'::name, 'p')$$,
    '3.2 no FK or CHECK constraints, only the PK');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.orders$$), '12', '3.2 orders has 12 rows');

-- 3.3 Clone without triggers
DROP TABLE IF EXISTS test_schema.orders CASCADE;
SELECT is(pg_temp.clone('test_schema', 'orders', true, 'orders',
                        '{"triggers": false}'),
          'OK: cloned test_schema.orders (12 rows)', '3.3 result text (no trigger, no warning)');
SELECT is_empty(
    $$SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('test_schema.orders') AND NOT tgisinternal$$,
    '3.3 no triggers');
SELECT results_eq(
    $$SELECT conname, contype::text FROM pg_constraint
      WHERE conrelid = to_regclass('test_schema.orders') ORDER BY 1$$,
    $$VALUES ('orders_amount_check'::name, 'c'), ('orders_customer_id_fkey', 'f'), ('orders_pkey', 'p')$$,
    '3.3 PK, CHECK and FK (customers exists on the target)');

-- 3.4 table_ex() with boolean parameters
DROP TABLE IF EXISTS test_schema.orders CASCADE;
SELECT is(pg_temp.run(format('SELECT pgclone.table_ex(%L, %L, %L, true, %L, false, true, false)',
                             pg_temp.src(), 'test_schema', 'orders', 'orders')),
          'OK: cloned test_schema.orders (12 rows)', '3.4 table_ex result text');
SELECT results_eq(
    $$SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('test_schema.orders') ORDER BY 1$$,
    $$VALUES ('orders_amount_check'::name), ('orders_customer_id_fkey'), ('orders_pkey')$$,
    '3.4 constraints present (PK + FK + CHECK)');
SELECT results_eq(
    $$SELECT indexname FROM pg_indexes
      WHERE schemaname = 'test_schema' AND tablename = 'orders' ORDER BY 1$$,
    $$VALUES ('orders_pkey'::name)$$,
    '3.4 only the PK index');
SELECT is_empty(
    $$SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('test_schema.orders') AND NOT tgisinternal$$,
    '3.4 no triggers');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.orders$$), '12', '3.4 orders has 12 rows');

-- ---------------------------------------------------------------------------------------------
-- Test 4: conflict strategies (customers exists from 3.1)

-- 4.1 Default (error)
CREATE TEMP TABLE err41 AS
    SELECT pg_temp.caught(format('SELECT pgclone.table(%L, %L, %L, true)',
                                 pg_temp.src(), 'test_schema', 'customers')) AS e;
SELECT is((SELECT e[1] FROM err41), '42P07', '4.1 duplicate_table');
SELECT matches((SELECT e[2] FROM err41), '"test_schema"\."customers"',
               '4.1 the message names the existing table');
SELECT matches((SELECT e[4] FROM err41), '"conflict"',
               '4.1 the hint names the conflict option');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '10',
          '4.1 the existing table is untouched');

-- 4.2 Skip.  Make the existing table recognisable first: skip must leave it alone.
SELECT FROM pg_temp.run($$DELETE FROM test_schema.customers WHERE id = 9 RETURNING 1$$);  -- has no orders
SELECT matches(pg_temp.clone('test_schema', 'customers', true, 'customers',
                             '{"conflict": "skip"}'),
               '(?i)skip.*test_schema\.customers|test_schema\.customers.*skip',
               '4.2 the result says test_schema.customers was skipped');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '9',
          '4.2 the existing table was not touched (still 9 rows)');

-- 4.3 Replace
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'customers',
                        '{"conflict": "replace"}'),
          'OK: cloned test_schema.customers (10 rows)', '4.3 result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '10',
          '4.3 fresh clone after drop + re-create: 10 rows');
SELECT results_eq(
    $$SELECT indexname FROM pg_indexes
      WHERE schemaname = 'test_schema' AND tablename = 'customers' ORDER BY 1$$,
    $$VALUES ('customers_pkey'::name), ('idx_customers_name_lower'), ('idx_customers_status')$$,
    '4.3 the replaced table has all its indexes again');

-- 4.4 Rename
SELECT FROM pg_temp.run($$DELETE FROM test_schema.customers WHERE id = 9 RETURNING 1$$);  -- has no orders
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'customers',
                        '{"conflict": "rename"}'),
          'OK: cloned test_schema.customers (10 rows)', '4.4 result text');
SELECT results_eq(
    $$SELECT tablename FROM pg_tables
      WHERE schemaname = 'test_schema' AND tablename LIKE 'customers%' ORDER BY tablename$$,
    $$VALUES ('customers'::name), ('customers_backup'), ('customers_lite'), ('customers_old')$$,
    '4.4 customers (new) and customers_old (renamed original), next to 2.3''s and 2.4''s copies');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers_old$$), '9',
          '4.4 customers_old is the original (9 rows)');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '10',
          '4.4 customers is the fresh clone (10 rows)');
SELECT results_eq(
    $$SELECT indexname FROM pg_indexes
      WHERE schemaname = 'test_schema' AND tablename = 'customers' ORDER BY 1$$,
    $$VALUES ('customers_pkey'::name), ('idx_customers_name_lower'), ('idx_customers_status')$$,
    '4.4 the new customers has the original index names');
SELECT is(pg_temp.run($$SELECT pg_get_serial_sequence('test_schema.customers', 'id')$$),
          'test_schema.customers_id_seq', '4.4 the new customers owns customers_id_seq');
SELECT matches(pg_temp.run($$SELECT pg_get_serial_sequence('test_schema.customers_old', 'id')$$),
               '^test_schema\.(?!customers_id_seq$)',
               '4.4 customers_old keeps its own (renamed) sequence');
SELECT is((SELECT count(*) FROM pg_indexes
           WHERE schemaname = 'test_schema' AND tablename = 'customers_old'), 3::bigint,
          '4.4 customers_old keeps its 3 indexes');

SELECT * FROM finish();
ROLLBACK;

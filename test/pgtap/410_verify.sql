-- 410_verify.sql -- manual testing guide test 13 (clone verification) and the verify modes of
-- 4.5.0: fast (statistics), exact (count(*) under one source snapshot) and checksum (an
-- order-independent hash of every row, which catches a changed value when counts match).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(31);

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('pgclone_test.source') $$;
-- (table, source_rows, target_rows, match) of one schema in one mode.
CREATE FUNCTION pg_temp.v(mode text, schema text DEFAULT 'test_schema')
RETURNS TABLE(t text, s bigint, d bigint, m text) LANGUAGE sql AS $$
    SELECT table_name, source_rows, target_rows, match
    FROM pgclone.verify(pg_temp.src(), schema, format('{"mode": "%s"}', mode)) ORDER BY 1
$$;

-- A partitioned table on the source (committed there; dropped at the end of this file).
SELECT dblink_exec(pg_temp.src(), $$
DROP SCHEMA IF EXISTS checks_part CASCADE;
CREATE SCHEMA checks_part;
CREATE TABLE checks_part.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE checks_part.events_2023 PARTITION OF checks_part.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE checks_part.events_2024 PARTITION OF checks_part.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO checks_part.events SELECT g, date '2023-10-01' + g * 30 FROM generate_series(1, 6) g;
ANALYZE checks_part.events;
$$);

-- 13.1 Prepare (pgclone.table per table; the target starts without test_schema)
DROP SCHEMA IF EXISTS test_schema CASCADE;
DROP TABLE IF EXISTS public.simple_test;
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'customers', true), 'OK: cloned test_schema.customers (10 rows)',
          '13.1 clone customers');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'orders', true, NULL, '{"triggers": false}'),
          'OK: cloned test_schema.orders (12 rows)', '13.1 clone orders');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'order_items', true),
          'OK: cloned test_schema.order_items (15 rows)', '13.1 clone order_items');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'employees', true),
          'OK: cloned test_schema.employees (5 rows)', '13.1 clone employees');

-- 13.2 Verify specific schema
SELECT results_eq(
    $$SELECT schema_name, table_name, source_rows, target_rows, match FROM pgclone.verify(pg_temp.src(), 'test_schema')$$,
    $$VALUES ('test_schema', 'customers', 10::bigint, 10::bigint, '✓'), ('test_schema', 'employees', 5, 5, '✓'),
             ('test_schema', 'order_items', 15, 15, '✓'), ('test_schema', 'orders', 12, 12, '✓')$$,
    '13.2 every test_schema table shows ✓ with the seed row counts');

-- 13.3 Verify all schemas: one row per top-level table of every user schema of the source
SELECT results_eq(
    $$SELECT schema_name, table_name FROM pgclone.verify(pg_temp.src())$$,
    $$SELECT nspname, relname FROM dblink(pg_temp.src(),
        'SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN (''r'', ''p'') AND NOT c.relispartition
           AND n.nspname !~ ''^pg_'' AND n.nspname <> ''information_schema'' ORDER BY 1, 2')
        AS t(nspname text, relname text)$$,
    '13.3 verify(conninfo) lists every table of every user schema');
SELECT results_eq(
    $$SELECT source_rows, target_rows, match FROM pgclone.verify(pg_temp.src()) WHERE schema_name = 'public'
      AND table_name = 'simple_test'$$,
    $$VALUES (3::bigint, 0::bigint, '✗ (missing)')$$,
    '13.3 a table missing on the target shows ✗ (missing) with target_rows 0');

-- Checksum mode agrees on unchanged data even when the session prints values differently
SET LOCAL TimeZone = 'Asia/Kolkata';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL extra_float_digits = 0;
SET LOCAL search_path = test_schema, public;
SELECT is((SELECT array_agg(m) FROM pg_temp.v('checksum')), ARRAY['✓', '✓', '✓', '✓'],
          'checksum: all four tables match despite other TimeZone / DateStyle / extra_float_digits');
SELECT is((SELECT array_agg(m) FROM pg_temp.v('exact')), ARRAY['✓', '✓', '✓', '✓'], 'exact: all four tables match');

-- A changed value with equal row counts
UPDATE test_schema.employees SET salary = salary + 1 WHERE id = 1;
SELECT results_eq($$SELECT * FROM pg_temp.v('exact') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 5::bigint, '✓')$$, 'exact: counts still equal after an UPDATE');
SELECT results_eq($$SELECT * FROM pg_temp.v('checksum') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 5::bigint, '✗')$$,
                  'checksum: the UPDATEd value is caught with equal counts');
SELECT is((SELECT array_agg(m) FROM pg_temp.v('checksum') WHERE t <> 'employees'), ARRAY['✓', '✓', '✓'],
          'checksum: the other tables still match');
UPDATE test_schema.employees SET salary = salary - 1 WHERE id = 1;
SELECT results_eq($$SELECT * FROM pg_temp.v('checksum') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 5::bigint, '✓')$$, 'checksum: matches again once the value is back');
-- Rows with the same multiset of values in a different physical order still match
UPDATE test_schema.employees SET notes = notes WHERE id IN (1, 3);
SELECT results_eq($$SELECT * FROM pg_temp.v('checksum') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 5::bigint, '✓')$$, 'checksum: row order does not matter');
-- A NULL that becomes an empty string is a change
UPDATE test_schema.employees SET notes = '' WHERE id = 2;
SELECT results_eq($$SELECT m FROM pg_temp.v('checksum') WHERE t = 'employees'$$, $$VALUES ('✗')$$,
                  'checksum: NULL -> empty string is caught');
UPDATE test_schema.employees SET notes = NULL WHERE id = 2;
RESET TimeZone;
RESET DateStyle;
RESET extra_float_digits;
RESET search_path;

-- Fast mode reads statistics: a DELETE is invisible to it until ANALYZE, exact mode sees it
DELETE FROM test_schema.employees WHERE id = 5;
SELECT results_eq($$SELECT * FROM pg_temp.v('fast') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 5::bigint, '✓')$$, 'fast: stale statistics still say 5 rows');
SELECT results_eq($$SELECT * FROM pg_temp.v('exact') WHERE t = 'employees'$$,
                  $$VALUES ('employees', 5::bigint, 4::bigint, '✗')$$, 'exact: the deleted row is counted');

-- 13.4 Verify with intentional mismatch (orders references customers 7, 8 and 10: drop that FK first)
ALTER TABLE test_schema.orders DROP CONSTRAINT orders_customer_id_fkey;
DELETE FROM test_schema.customers WHERE id > 5;
ANALYZE test_schema.customers;
SELECT results_eq(
    $$SELECT source_rows, target_rows, match FROM pgclone.verify(pg_temp.src(), 'test_schema') WHERE table_name = 'customers'$$,
    $$VALUES (10::bigint, 5::bigint, '✗')$$,
    '13.4 customers shows ✗ with source_rows=10, target_rows=5');

-- A table never analyzed (reltuples = -1) is counted, not reported as -1
DROP TABLE test_schema.orders CASCADE;
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'orders', false, NULL, '{"triggers": false}'),
          'OK: cloned test_schema.orders (0 rows)', 'clone orders without data (no ANALYZE)');
SELECT is((SELECT reltuples FROM pg_class WHERE oid = 'test_schema.orders'::regclass), -1::real,
          'the structure-only clone has no statistics');
SELECT results_eq($$SELECT * FROM pg_temp.v('fast') WHERE t = 'orders'$$,
                  $$VALUES ('orders', 12::bigint, 0::bigint, '✗')$$, 'fast: a never-analyzed table is counted');

-- Missing table
DROP TABLE test_schema.order_items;
SELECT results_eq($$SELECT * FROM pg_temp.v('checksum') WHERE t = 'order_items'$$,
                  $$VALUES ('order_items', 15::bigint, 0::bigint, '✗ (missing)')$$,
                  'checksum: a missing table shows ✗ (missing)');

-- Partitioned tables: one row, the sum of the partitions
CREATE SCHEMA checks_part;
CREATE TABLE checks_part.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE checks_part.events_2023 PARTITION OF checks_part.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE checks_part.events_2024 PARTITION OF checks_part.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO checks_part.events SELECT g, date '2023-10-01' + g * 30 FROM generate_series(1, 6) g;
ANALYZE checks_part.events;
SELECT results_eq($$SELECT * FROM pg_temp.v('fast', 'checks_part')$$,
                  $$VALUES ('events', 6::bigint, 6::bigint, '✓')$$,
                  'fast: a partitioned table is one row with the sum of its partitions');
SELECT results_eq($$SELECT * FROM pg_temp.v('checksum', 'checks_part')$$,
                  $$VALUES ('events', 6::bigint, 6::bigint, '✓')$$, 'checksum: partitioned table matches');
UPDATE checks_part.events SET id = 60 WHERE id = 6;
SELECT results_eq($$SELECT m FROM pg_temp.v('checksum', 'checks_part')$$, $$VALUES ('✗')$$,
                  'checksum: a change in one partition is caught');

-- Errors
SELECT throws_ok($$SELECT * FROM pgclone.verify(pg_temp.src(), 'no_such_schema')$$, '3F000',
                 'schema "no_such_schema" does not exist on the source server', 'unknown schema');
SELECT throws_ok($$SELECT * FROM pgclone.verify(pg_temp.src(), 'test_schema', '{"mode": "slow"}')$$, '22023',
                 'unknown verify mode "slow"; valid modes are: fast, exact, checksum', 'unknown mode');
SELECT throws_ok($$SELECT * FROM pgclone.verify(pg_temp.src(), 'test_schema', '{"mode": "exact", "rows": 1}')$$,
                 '22023', 'unknown verify option "rows"; valid options are "mode" and "subset"', 'unknown option key');
SELECT throws_like($$SELECT * FROM pgclone.verify(pg_temp.src(), 'test_schema', '{"mode": ')$$,
                   'invalid JSON in verify options:%', 'invalid JSON');
SELECT throws_ok($$SELECT * FROM pgclone.verify(NULL)$$, '22004', 'source_conninfo must not be null', 'NULL conninfo');

SELECT is(dblink_exec(pg_temp.src(), 'DROP SCHEMA checks_part CASCADE'), 'DROP SCHEMA',
          'source schema of this file dropped');

SELECT * FROM finish();
ROLLBACK;

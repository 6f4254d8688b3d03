-- 621_small_ones.sql -- careless arguments get a clear error and change nothing (issue 9, small
-- ones): target_table_name = '' is no name (as the async functions already say), and
-- {"tables": []} selects no table instead of meaning "all tables".
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(8);
\ir lib/table_helpers.sql

DROP SCHEMA IF EXISTS test_schema CASCADE;

SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true, '')$$,
                 '42602', 'invalid target table name ""', 'table(): target_table_name '''' is an error');
SELECT throws_ok($$SELECT pgclone.table_ex(current_setting('pgclone_test.source'), 'test_schema', 'customers', true, '', true, true, true)$$,
                 '42602', 'invalid target table name ""', 'table_ex(): target_table_name '''' is an error');
SELECT is(to_regnamespace('test_schema'), NULL, 'nothing was created');
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL), 'OK: cloned test_schema.customers (10 rows)',
          'NULL target_table_name still means the source name');

SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"tables": [], "conflict": "replace"}')$$,
                 '22023', 'option "tables" must not be empty', 'schema(): "tables": [] is an error');
SELECT throws_ok($$SELECT pgclone.database(current_setting('pgclone_test.source'), true, '{"tables": []}')$$,
                 '22023', 'option "tables" must not be empty', 'database(): "tables": [] is an error');
SELECT is((SELECT count(*) FROM pg_tables WHERE schemaname = 'test_schema'), 1::bigint,
          'the refused schema clone touched nothing');
SELECT alike(pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"exclude_tables": [], "conflict": "replace"}'),
            'OK: cloned schema test_schema: 4 tables%', '"exclude_tables": [] still excludes nothing');

SELECT * FROM finish();
ROLLBACK;

-- 610_system_targets.sql -- system schemas, pgclone's own schema and objects of an extension are
-- never a clone's target (docs/SECURITY.md "Privileges"): each call is refused with SQLSTATE 42501
-- before anything is touched, and what was there is still there.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(20);

CREATE TEMP TABLE before_funcs AS
    SELECT p.oid, p.prosrc FROM pg_proc p WHERE p.pronamespace = 'pgclone'::regnamespace;

-- pgclone's own schema
SELECT throws_ok($$SELECT pgclone.functions(current_setting('pgclone_test.source'), 'pgclone')$$,
    '42501', 'pgclone.functions() cannot clone into schema "pgclone": it belongs to extension "pgclone"',
    'functions() into pgclone''s own schema is refused');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'pgclone', false, '{"conflict": "replace"}')$$,
    '42501', 'pgclone.schema() cannot clone into schema "pgclone": it belongs to extension "pgclone"',
    'schema() into pgclone''s own schema is refused');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'pgclone', 'customers', false)$$,
    '42501', 'pgclone.table() cannot clone into schema "pgclone": it belongs to extension "pgclone"', 'table() into pgclone''s own schema is refused');
SELECT is((SELECT count(*) FROM pg_proc p JOIN before_funcs b USING (oid) WHERE p.prosrc = b.prosrc),
          (SELECT count(*) FROM before_funcs), 'every pgclone function is unchanged');

-- system schemas
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'information_schema', false, '{"conflict": "replace"}')$$,
    '42501', 'pgclone.schema() cannot clone into system schema "information_schema"',
    'schema() into information_schema is refused');
SELECT isnt(to_regclass('information_schema.tables'), NULL, 'information_schema is still there');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'pg_catalog', false, '{"conflict": "replace"}')$$,
    '42501', 'pgclone.schema() cannot clone into system schema "pg_catalog"', 'schema() into pg_catalog is refused');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'pg_toast')$$,
    '42501', 'pgclone.schema() cannot clone into system schema "pg_toast"', 'schema() into pg_toast is refused');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'pg_catalog', 'pg_class', false, 'stolen')$$,
    '42501', 'pgclone.table() cannot clone into system schema "pg_catalog"', 'table() into pg_catalog is refused');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'pg_temp_1', 't', false)$$,
    '42501', 'pgclone.table() cannot clone into system schema "pg_temp_1"', 'table() into a pg_temp schema is refused');
SELECT throws_ok($$SELECT pgclone.table_async(current_setting('pgclone_test.source'), 'information_schema', 'tables', false)$$,
    '42501', 'pgclone.table_async() cannot clone into system schema "information_schema"',
    'table_async() into information_schema is refused when it is called');
SELECT throws_ok($$SELECT pgclone.schema_async(current_setting('pgclone_test.source'), 'pgclone', false)$$,
    '42501', 'pgclone.schema_async() cannot clone into schema "pgclone": it belongs to extension "pgclone"',
    'schema_async() into pgclone''s schema is refused when it is called');

-- objects of an extension: a table, a function and a schema made members of pgtap
SELECT lives_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true)$$,
    'a plain clone of customers');
CREATE FUNCTION test_schema.get_customer_orders(p_customer_id integer) RETURNS integer LANGUAGE sql AS 'SELECT 42';
ALTER EXTENSION pgtap ADD TABLE test_schema.customers;
ALTER EXTENSION pgtap ADD FUNCTION test_schema.get_customer_orders(integer);
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true, NULL, '{"conflict": "replace"}')$$,
    '42501', 'relation "test_schema"."customers" on the target belongs to extension "pgtap"',
    'table() with "replace" does not drop a table of an extension');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true, NULL, '{"conflict": "rename"}')$$,
    '42501', 'relation "test_schema"."customers" on the target belongs to extension "pgtap"',
    'table() with "rename" does not rename a table of an extension');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'test_schema', true, '{"conflict": "replace"}')$$,
    '42501', 'relation "test_schema"."customers" on the target belongs to extension "pgtap"',
    'schema() with "replace" does not drop a table of an extension');
ALTER EXTENSION pgtap DROP TABLE test_schema.customers;
SELECT throws_ok($$SELECT pgclone.functions(current_setting('pgclone_test.source'), 'test_schema')$$,
    '42501', 'function "test_schema"."get_customer_orders"(p_customer_id integer) on the target belongs to extension "pgtap"',
    'functions() does not replace a function of an extension');
SELECT is(test_schema.get_customer_orders(1), 42, 'the extension''s function is unchanged');
ALTER EXTENSION pgtap DROP FUNCTION test_schema.get_customer_orders(integer);
CREATE SCHEMA ext_owned;
ALTER EXTENSION pgtap ADD SCHEMA ext_owned;
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'ext_owned')$$,
    '42501', 'pgclone.schema() cannot clone into schema "ext_owned": it belongs to extension "pgtap"',
    'schema() into a schema an extension created is refused');
ALTER EXTENSION pgtap DROP SCHEMA ext_owned;
SELECT is((SELECT count(*) FROM test_schema.customers), 10::bigint, 'the refused clones left the table as it was');

SELECT * FROM finish();
ROLLBACK;

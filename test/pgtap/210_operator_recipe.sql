-- 210_operator_recipe.sql -- the non-superuser recipe of the operator docs, exactly as written
-- there: with these grants a role that is no superuser clones a table and a schema, sees a dry
-- run, and reads pgclone.jobs_view; without USAGE on the schema it gets PostgreSQL's
-- "permission denied for schema pgclone", and without EXECUTE "permission denied for function".
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(8);
\ir lib/table_helpers.sql

DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE ROLE pgclone_210_cloner LOGIN NOSUPERUSER;
-- The recipe (docs/USAGE.md "Running it as a role that is no superuser"):
GRANT USAGE ON SCHEMA pgclone TO pgclone_210_cloner;
GRANT EXECUTE ON FUNCTION pgclone.table(text, text, text, boolean, text, text),
                          pgclone.schema(text, text, boolean, text)
    TO pgclone_210_cloner;
GRANT CREATE ON DATABASE target TO pgclone_210_cloner;
GRANT EXECUTE ON FUNCTION pgclone.table_async(text, text, text, boolean, text, text),
                          pgclone.schema_async(text, text, boolean, text),
                          pgclone.progress(integer), pgclone.progress_detail(),
                          pgclone.cancel(integer), pgclone.clear_jobs()
    TO pgclone_210_cloner;
GRANT SELECT ON pgclone.jobs_view TO pgclone_210_cloner;

-- The test reads the source conninfo (with its password) before switching roles.
SELECT set_config('pgclone_test.src210', pg_temp.src(), true);
SET ROLE pgclone_210_cloner;
SELECT is(pgclone.table(current_setting('pgclone_test.src210'), 'test_schema', 'customers', true, NULL, '{"owners": false, "privileges": false}'),
    'OK: cloned test_schema.customers (10 rows)', 'the role clones a table');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'test_schema.customers'::regclass), 'pgclone_210_cloner',
    'it owns what it cloned');
SELECT matches(pgclone.schema(current_setting('pgclone_test.src210'), 'test_schema', true, '{"conflict": "skip", "owners": false, "privileges": false}'),
    '^OK: cloned schema test_schema: 3 tables', 'it clones a schema');
SELECT is((pgclone.table(current_setting('pgclone_test.src210'), 'test_schema', 'orders', true, NULL, '{"dry_run": true}')::jsonb->>'dry_run'),
    'true', 'it sees a dry run');
SELECT lives_ok($$SELECT count(*) FROM pgclone.jobs_view$$, 'it reads jobs_view');
SELECT throws_ok($$SELECT pgclone.diff(current_setting('pgclone_test.src210'), 'test_schema')$$, '42501',
    'permission denied for function diff', 'a function it was not granted: permission denied for function');
RESET ROLE;
REVOKE USAGE ON SCHEMA pgclone FROM pgclone_210_cloner;
SET ROLE pgclone_210_cloner;
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.src210'), 'test_schema', 'orders')$$, '42501',
    'permission denied for schema pgclone', 'without USAGE on the schema: permission denied for schema pgclone');
RESET ROLE;
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'test_schema'::regnamespace AND relkind = 'r'), 4::bigint,
    'the tables it cloned are there');

SELECT * FROM finish();
ROLLBACK;

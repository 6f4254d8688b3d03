-- 202_database_guide.sql -- manual testing guide, test 7.1 and 7.2 (database cloning into the
-- current database). 7.3 (database_create) cannot run inside a transaction: see
-- test/fault/203_database_create.sh.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(15);

-- ---------------------------------------------------------------------------------------------
-- 7.1 clone into the current database
DROP SCHEMA IF EXISTS test_schema CASCADE;
DROP TABLE IF EXISTS public.simple_test CASCADE;
-- What exists before 7.1, so that 7.2 can remove exactly what 7.1 created (other test areas
-- load fixture schemas of their own into the source).
CREATE TEMP TABLE pre_schemas AS SELECT nspname FROM pg_namespace;
CREATE TEMP TABLE pre_extensions AS SELECT extname FROM pg_extension;
CREATE TEMP TABLE pre_public AS SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace;
CREATE TEMP TABLE r71 AS SELECT pgclone.database(current_setting('pgclone_test.source'), true) AS res;

-- The source may hold more schemas than this suite's fixtures (other areas load theirs), so the
-- counts are checked per schema, not in the result text.
SELECT matches((SELECT res FROM r71),
    '^(OK|DONE WITH [0-9]+ WARNINGS?): cloned database \([0-9]+ schemas, [0-9]+ extensions?\): [0-9]+ tables \([0-9]+ rows\), ',
    '7.1 result text');
SELECT is((SELECT count(*) FROM test_schema.customers), 10::bigint, '7.1 test_schema.customers rows');
SELECT is((SELECT count(*) FROM test_schema.order_items), 15::bigint, '7.1 test_schema.order_items rows');
SELECT is((SELECT count(*) FROM public.simple_test), 3::bigint, '7.1 public.simple_test rows');
SELECT is((SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables WHERE schemaname = 'test_schema'),
    ARRAY['customers', 'employees', 'order_items', 'orders'], '7.1 test_schema tables');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname IN ('dep_test', 'types_test', 'filter_test', 'part_test',
    'view_test', 'agg_test', 'ext_test', 'keeper_test')), 8::bigint, '7.1 every user schema cloned');
SELECT is((SELECT count(*) FROM part_test.measurements), 5::bigint, '7.1 partitioned table rows through partitions');
-- Extensions: citext is installed on the target (in its schema), and its objects are not cloned as
-- plain objects of ext_test.
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'citext'), 'ext_test',
    '7.1 extension citext created in its schema');
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
           WHERE attrelid = 'ext_test.users'::regclass AND attname = 'email'), 'ext_test.citext',
    '7.1 column of an extension type');
SELECT is((SELECT count(*) FROM ext_test.users WHERE email OPERATOR(ext_test.=) 'ANN@EXAMPLE.COM'::ext_test.citext),
    1::bigint, '7.1 citext semantics on the target');
SELECT is((SELECT count(*) FROM pg_proc p WHERE pronamespace = 'ext_test'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                           AND d.deptype = 'e')), 0::bigint, '7.1 extension functions are not cloned as functions');

-- ---------------------------------------------------------------------------------------------
-- 7.2 with options: no triggers on any table
DO $$
DECLARE
    x text;
BEGIN
    FOR x IN SELECT extname FROM pg_extension WHERE extname NOT IN (SELECT extname FROM pre_extensions) LOOP
        EXECUTE format('DROP EXTENSION %I CASCADE', x);
    END LOOP;
    FOR x IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN (SELECT nspname FROM pre_schemas) LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', x);
    END LOOP;
    FOR x IN SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm')
             AND relname NOT IN (SELECT relname FROM pre_public) LOOP
        EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', x);
    END LOOP;
END $$;
SELECT matches(pgclone.database(current_setting('pgclone_test.source'), true, '{"triggers": false}'),
    ' 0 triggers, ', '7.2 result text: 0 triggers');
SELECT is((SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('test_schema', 'dep_test', 'part_test', 'view_test') AND NOT t.tgisinternal), 0::bigint,
    '7.2 no triggers on any table');
SELECT is((SELECT count(*) FROM test_schema.orders), 12::bigint, '7.2 all data cloned');

-- A second database clone over the first fails before changing anything (conflict "error").
SELECT throws_ok($$SELECT pgclone.database(current_setting('pgclone_test.source'), true)$$, '42P07', NULL,
    'second database clone: relation already exists');

SELECT * FROM finish();
ROLLBACK;

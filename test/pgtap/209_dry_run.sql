-- 209_dry_run.sql -- {"dry_run": true} on table(), schema() and database(): the plan as JSON text
-- (every object in creation order, what the conflict strategy would do to each object on the
-- target, including what a "replace" would drop by cascade, row and size estimates per table,
-- the mask expression per column, the filters) and a summary line that counts every kind the
-- JSON lists; nothing changes on either server (catalog fingerprints before and after). Async
-- variants refuse the option and point at the synchronous function.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(21);
\ir lib/table_helpers.sql

-- What a clone could change: relations, columns, defaults, constraints, triggers, routines, types,
-- schemas, comments, ACLs, sequence states. The same text runs on both servers.
CREATE FUNCTION pg_temp.fp_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $q$ SELECT $t$
SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', oid, relname, relnamespace, relkind, relacl::text, relowner), ';' ORDER BY oid) FROM pg_class WHERE relpersistence <> 't'),
  (SELECT string_agg(concat_ws(',', attrelid, attname, atttypid), ';' ORDER BY attrelid, attnum) FROM pg_attribute WHERE attrelid IN (SELECT oid FROM pg_class WHERE relpersistence <> 't')),
  (SELECT string_agg(concat_ws(',', oid, conname, conrelid), ';' ORDER BY oid) FROM pg_constraint),
  (SELECT string_agg(concat_ws(',', oid, tgname), ';' ORDER BY oid) FROM pg_trigger),
  (SELECT string_agg(concat_ws(',', oid, proname, pronamespace), ';' ORDER BY oid) FROM pg_proc),
  (SELECT string_agg(concat_ws(',', oid, typname), ';' ORDER BY oid) FROM pg_type WHERE typnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_')),
  (SELECT string_agg(concat_ws(',', oid, nspname, nspacl::text), ';' ORDER BY oid) FROM pg_namespace WHERE nspname !~ '^pg_(toast_)?temp_'),
  (SELECT string_agg(concat_ws(',', objoid, description), ';' ORDER BY objoid, objsubid) FROM pg_description),
  (SELECT string_agg(concat_ws(',', schemaname, sequencename, last_value), ';' ORDER BY 1, 2) FROM pg_sequences WHERE schemaname !~ '^pg_temp_')))
$t$ $q$;
CREATE FUNCTION pg_temp.fp_target() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; BEGIN EXECUTE pg_temp.fp_sql() INTO r; RETURN r; END $$;
CREATE FUNCTION pg_temp.fp_source() RETURNS text LANGUAGE sql AS $$
SELECT x FROM dblink(current_setting('pgclone_test.source'), pg_temp.fp_sql()) AS t(x text) $$;

DROP SCHEMA IF EXISTS test_schema CASCADE;
-- Plans and fingerprints are kept in psql variables: nothing is created between two fingerprints.
SELECT pg_temp.fp_target() || pg_temp.fp_source() || current_setting('search_path') AS fp \gset

-- A table: the schema it would create, the owned sequence, the table with estimates, filter and
-- mask, then its constraints, indexes and triggers, in that order.
SELECT pgclone.table(pg_temp.src(), 'test_schema', 'orders', true, NULL,
    '{"dry_run": true, "where": "amount > 0", "mask": {"status": "hash"}}') AS plan1 \gset
SELECT is((:'plan1'::jsonb->>'dry_run'), 'true', 'table: the answer is the plan');
SELECT is((SELECT string_agg(s->>'kind', ',' ORDER BY (s->>'step')::int) FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s),
    'schema,sequence,table,constraint,constraint,foreign key,index,trigger,trigger',
    'table: every object in the order the clone creates it');
SELECT is((SELECT s->>'name' FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table'), 'test_schema.orders', 'table: its name');
SELECT is((SELECT (s->>'rows_estimate')::int FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table'),
    12, 'table: the source''s row estimate');
SELECT ok((SELECT (s->>'bytes_estimate')::int FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table') > 0,
    'table: the source''s size estimate');
SELECT is((SELECT s->>'where' FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table'), 'amount > 0', 'table: the filter');
SELECT ok((SELECT s->'masks'->>'status' FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table') <> '',
    'table: the mask expression of the masked column');
SELECT is((:'plan1'::jsonb->>'summary'),
    'DRY RUN: table test_schema.orders: would create 1 schema, 1 sequence, 1 table (~12 rows, '
    || (SELECT to_char((s->>'bytes_estimate')::numeric / 1e6, 'FM0.00') FROM jsonb_array_elements(:'plan1'::jsonb->'steps') s WHERE s->>'kind' = 'table')
    || ' MB), 2 constraints, 1 foreign key, 1 index, 2 triggers; nothing was changed',
    'table: the summary counts every kind');
SELECT ok(to_regnamespace('test_schema') IS NULL, 'table: nothing was created');
SELECT is(pg_temp.fp_target() || pg_temp.fp_source() || current_setting('search_path'), :'fp',
    'table: both catalogs and the caller''s search_path are as they were');

-- Conflicts: replace names what the CASCADE would drop; error says the clone would fail.
SELECT is(pg_temp.clone('test_schema', 'customers'), 'OK: cloned test_schema.customers (10 rows)', 'customers cloned');
CREATE VIEW test_schema."odd ""v""; --" AS SELECT id FROM test_schema.customers;
CREATE FUNCTION test_schema.n() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM test_schema.customers; END;
SELECT pg_temp.fp_target() || pg_temp.fp_source() || current_setting('search_path') AS fp \gset
SELECT pgclone.table(pg_temp.src(), 'test_schema', 'customers', true, NULL,
    '{"dry_run": true, "conflict": "replace"}') AS plan2 \gset
SELECT is((SELECT s->'drops' FROM jsonb_array_elements(:'plan2'::jsonb->'steps') s WHERE s->>'kind' = 'table'),
    '["view test_schema.odd \"v\"; --", "function test_schema.n() (not recreated)"]'::jsonb,
    'replace: what the cascade would drop, and what could not be recreated');
SELECT is(jsonb_array_length(:'plan2'::jsonb->'conflicts'), 1, 'replace: one object on the target');
SELECT ok((:'plan2'::jsonb->>'summary') LIKE '%; 1 object on the target (1 replace); nothing was changed', 'replace: counted in the summary');
SELECT is((SELECT s->>'action' FROM jsonb_array_elements(pgclone.table(pg_temp.src(), 'test_schema', 'customers', true, NULL,
    '{"dry_run": true}')::jsonb->'steps') s WHERE s->>'kind' = 'table'), 'fail', 'error: the clone would fail');
SELECT ok(to_regclass('test_schema."odd ""v""; --"') IS NOT NULL AND pg_temp.rows_in('test_schema.customers') = 10,
    'the view and the rows are still there');

-- A schema: every kind of the plan, the skip strategy keeps what exists.
SELECT pgclone.schema(pg_temp.src(), 'test_schema', true, '{"dry_run": true, "conflict": "skip"}') AS plan3 \gset
SELECT is((SELECT string_agg(DISTINCT s->>'kind', ',') FROM jsonb_array_elements(:'plan3'::jsonb->'steps') s),
    'constraint,foreign key,function,index,materialized view,schema,sequence,table,trigger,view', 'schema: every kind');
SELECT is((SELECT string_agg(s->>'name' || ':' || (s->>'action'), ',' ORDER BY (s->>'step')::int) FROM jsonb_array_elements(:'plan3'::jsonb->'steps') s
           WHERE s->>'kind' IN ('schema', 'table')),
    'test_schema:keep,test_schema.customers:keep,test_schema.employees:create,test_schema.order_items:create,test_schema.orders:create',
    'schema: the existing table is kept, the others created');
SELECT ok((:'plan3'::jsonb->>'summary') ~ '^DRY RUN: schema test_schema: would create 0 schemas, 4 sequences, 3 tables \(~32 rows, [0-9]+\.[0-9]{2} MB\), 5 constraints, 1 index, 2 foreign keys, 2 views, 1 materialized view, 3 functions, 2 triggers; 2 objects on the target \(2 keep\); nothing was changed$',
    'schema: the summary counts every kind: the free and the owned sequences, constraints, indexes, foreign keys, views, materialized views, functions, triggers');
SELECT ok(pgclone.database(pg_temp.src(), true, '{"dry_run": true}')::jsonb->>'summary' LIKE 'DRY RUN: database: would create %',
    'database: a plan too');

SELECT is(pg_temp.fp_target() || pg_temp.fp_source() || current_setting('search_path'), :'fp',
    'replace, schema and database dry runs: both catalogs are as they were');


SELECT * FROM finish();
ROLLBACK;

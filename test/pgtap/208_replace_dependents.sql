-- 208_replace_dependents.sql -- "conflict": "replace" never destroys silently. Before the
-- DROP ... CASCADE, pgclone reads from the target catalog the views and materialized views that
-- read the replaced table (and the views on those), with their options, indexes, comments,
-- owners and grants, and the foreign keys of other tables that reference it; after the
-- replacement it creates them again. What cannot be created again is a WARNING, counted in the
-- result text; what the CASCADE drops and pgclone cannot recreate (here a function whose
-- SQL-standard body reads the table) is named in a WARNING. "rename" says which foreign keys now
-- reference the renamed table.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(18);
\ir lib/table_helpers.sql

DROP SCHEMA IF EXISTS test_schema CASCADE;
SELECT is(pg_temp.clone('test_schema', 'customers'), 'OK: cloned test_schema.customers (10 rows)', 'customers cloned');
SELECT is(pg_temp.clone('test_schema', 'orders'), 'OK: cloned test_schema.orders (12 rows)', 'orders cloned (its trigger functions come along)');
CREATE ROLE pgclone_208_reader NOLOGIN;
CREATE SCHEMA "rep ""v""; --";
CREATE VIEW "rep ""v""; --"."active ""c""" WITH (security_barrier = true) AS
    SELECT id, name FROM test_schema.customers WHERE status = 'active';
CREATE VIEW "rep ""v""; --".top AS SELECT id FROM "rep ""v""; --"."active ""c""" WHERE id < 5;
CREATE MATERIALIZED VIEW test_schema.by_status AS SELECT status, count(*) AS n FROM test_schema.customers GROUP BY status;
CREATE UNIQUE INDEX by_status_status ON test_schema.by_status (status);
COMMENT ON MATERIALIZED VIEW test_schema.by_status IS 'per status; don''t drop';
GRANT SELECT ON "rep ""v""; --".top TO pgclone_208_reader;
CREATE FUNCTION test_schema.n_customers() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM test_schema.customers; END;
DELETE FROM test_schema.orders WHERE customer_id > 8;
DELETE FROM test_schema.customers WHERE id > 8;

SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "replace"}'),
    'OK: cloned test_schema.customers (10 rows, 1 warning)', 'replace: the lost function is the one warning');
SELECT is(pg_temp.run($$SELECT count(*) FROM "rep ""v""; --".top$$), '3', 'the view on the view is back and reads the new table');
SELECT ok((SELECT reloptions FROM pg_class WHERE oid = '"rep ""v""; --"."active ""c"""'::regclass) = '{security_barrier=true}',
    'the view keeps its options');
SELECT ok(has_table_privilege('pgclone_208_reader', '"rep ""v""; --".top', 'SELECT'), 'the view keeps its grant');
SELECT is(pg_temp.run($$SELECT sum(n) FROM test_schema.by_status$$), '10', 'the materialized view is back, populated from the new rows');
SELECT ok(to_regclass('test_schema.by_status_status') IS NOT NULL, 'the materialized view keeps its index');
SELECT is(obj_description('test_schema.by_status'::regclass, 'pg_class'), 'per status; don''t drop', 'and its comment');
SELECT is((SELECT confrelid FROM pg_constraint WHERE conrelid = 'test_schema.orders'::regclass AND contype = 'f'),
    'test_schema.customers'::regclass::oid, 'the foreign key of orders references the new table');
SELECT ok(to_regprocedure('test_schema.n_customers()') IS NULL, 'the function the CASCADE dropped stays dropped (named in the warning)');

-- A dependent that cannot be created again is a warning, not an error, and not silent.
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "replace", "columns": ["id", "email", "status"]}'),
    'OK: cloned test_schema.customers (10 rows, 2 warnings)', 'replace without a column the views need: two warnings');
SELECT ok(to_regclass('"rep ""v""; --"."active ""c"""') IS NULL AND to_regclass('"rep ""v""; --".top') IS NULL,
    'the views that need the missing column are not there');
SELECT ok(to_regclass('test_schema.by_status') IS NOT NULL, 'the materialized view that does not is back');

-- A foreign key whose rows the new table does not satisfy is a warning too.
DELETE FROM test_schema.orders;
INSERT INTO test_schema.orders (customer_id, amount, status) VALUES (1, 1, 'x');
ALTER TABLE test_schema.orders DROP CONSTRAINT orders_customer_id_fkey;
ALTER TABLE test_schema.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES test_schema.customers (id) NOT VALID;
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "replace", "where": "id > 5"}'),
    'OK: cloned test_schema.customers (5 rows)', 'a NOT VALID foreign key comes back as it was');
SELECT is((SELECT convalidated FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'), false, '... still NOT VALID');

-- rename: the foreign keys stay with the renamed table, and a NOTICE says so.
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "rename"}'),
    'OK: cloned test_schema.customers (10 rows)', 'rename');
SELECT is((SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'),
    'test_schema.customers_old', 'the foreign key references the renamed table');

SELECT * FROM finish();
ROLLBACK;

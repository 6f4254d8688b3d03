-- 420_diff.sql -- pgclone.diff(): a target built to match the source is in sync; then drift of
-- every kind (column type, nullability, default, dropped column, missing index, extra index,
-- changed constraint, trigger, view, materialized view, sequence, extra table) is reported with
-- both definitions, and the summary counts it.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(37);

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('pgclone_test.source') $$;
CREATE FUNCTION pg_temp.d() RETURNS jsonb LANGUAGE sql AS $$ SELECT pgclone.diff(pg_temp.src(), 'test_schema')::jsonb $$;
-- The entry named n in report section path (e.g. '{indexes,only_in_source}').
-- The full entries live under each section's "detail"; the section's own lists hold names.
CREATE FUNCTION pg_temp.entry(doc jsonb, path text[], n text) RETURNS jsonb LANGUAGE sql AS $$
    SELECT e FROM jsonb_array_elements(doc #> (path[1:1] || 'detail'::text || path[2:])) e WHERE e->>'name' = n
$$;
-- The element named n of the array at path inside an entry (a table's columns).
CREATE FUNCTION pg_temp.member(doc jsonb, path text[], n text) RETURNS jsonb LANGUAGE sql AS $$
    SELECT e FROM jsonb_array_elements(doc #> path) e WHERE e->>'name' = n
$$;

-- A target that matches the source: the seed's functions, tables (pgclone.table), views,
-- materialized view and the extra sequence.
DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE SCHEMA test_schema;
CREATE FUNCTION test_schema.update_timestamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION test_schema.log_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RETURN NULL; END $$;
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'customers', true), 'OK: cloned test_schema.customers (10 rows)',
          'clone customers');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'orders', true), 'OK: cloned test_schema.orders (12 rows)',
          'clone orders (with its triggers)');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'order_items', true),
          'OK: cloned test_schema.order_items (15 rows)', 'clone order_items');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'employees', true), 'OK: cloned test_schema.employees (5 rows)',
          'clone employees');
CREATE VIEW test_schema.active_customers AS
    SELECT id, name, email, score FROM test_schema.customers WHERE status = 'active';
CREATE VIEW test_schema.top_active_customers AS
    SELECT id, name, score FROM test_schema.active_customers WHERE score >= 80;
CREATE MATERIALIZED VIEW test_schema.customer_order_summary AS
    SELECT c.id AS customer_id, c.name, count(o.id) AS order_count,
           coalesce(sum(o.amount), 0)::numeric(12,2) AS total_amount
    FROM test_schema.customers c LEFT JOIN test_schema.orders o ON o.customer_id = c.id
    GROUP BY c.id, c.name;
CREATE UNIQUE INDEX idx_customer_order_summary_customer ON test_schema.customer_order_summary (customer_id);
CREATE SEQUENCE test_schema.invoice_seq START WITH 1000;

CREATE TEMP TABLE before_drift AS SELECT pg_temp.d() AS doc;
SELECT is((SELECT doc->'summary' FROM before_drift),
          '{"only_in_source": 0, "only_in_target": 0, "modified": 0, "in_sync": true}'::jsonb,
          'a target built like the source is in sync');
SELECT is((SELECT doc->'in_sync' FROM before_drift), 'true'::jsonb, 'top-level in_sync is true');
SELECT is((SELECT array_agg(k ORDER BY k) FROM before_drift, jsonb_object_keys(doc) k),
          ARRAY['constraints', 'diff_count', 'in_sync', 'indexes', 'materialized_views', 'schema', 'sequences',
                'source_schema_exists', 'summary', 'tables', 'target_schema_exists', 'triggers', 'views'],
          'report keys');
SELECT ok((SELECT bool_and(doc->k ?& ARRAY['only_in_source', 'only_in_target', 'modified', 'detail']
                           AND jsonb_typeof(doc->k->'modified') = 'array')
           FROM before_drift, unnest(ARRAY['tables', 'indexes', 'constraints', 'triggers', 'views',
                                            'materialized_views', 'sequences']) k),
          'every object kind has only_in_source, only_in_target and modified arrays');

-- Drift of every kind
ALTER TABLE test_schema.employees ALTER COLUMN salary TYPE bigint;
ALTER TABLE test_schema.employees DROP COLUMN notes;
ALTER TABLE test_schema.customers ALTER COLUMN email SET NOT NULL;
ALTER TABLE test_schema.orders ALTER COLUMN status SET DEFAULT 'new';
DROP INDEX test_schema.idx_customers_status;
CREATE INDEX idx_extra_employees_email ON test_schema.employees (email);
ALTER TABLE test_schema.order_items DROP CONSTRAINT order_items_quantity_check,
    ADD CONSTRAINT order_items_quantity_check CHECK (quantity >= 0);
DROP TRIGGER orders_update_timestamp ON test_schema.orders;
CREATE TRIGGER orders_update_timestamp BEFORE INSERT OR UPDATE ON test_schema.orders
    FOR EACH ROW EXECUTE FUNCTION test_schema.update_timestamp();
CREATE OR REPLACE VIEW test_schema.active_customers AS
    SELECT id, name, email, score FROM test_schema.customers WHERE status = 'active' AND score > 0;
DROP MATERIALIZED VIEW test_schema.customer_order_summary;
CREATE MATERIALIZED VIEW test_schema.customer_order_summary AS
    SELECT c.id AS customer_id, c.name, 0::bigint AS order_count, 0::numeric(12,2) AS total_amount
    FROM test_schema.customers c;
CREATE UNIQUE INDEX idx_customer_order_summary_customer ON test_schema.customer_order_summary (customer_id);
ALTER SEQUENCE test_schema.invoice_seq INCREMENT BY 5;
CREATE TABLE test_schema.checks_extra (id int);

CREATE TEMP TABLE drift AS SELECT pg_temp.d() AS doc;

SELECT is((SELECT doc->'in_sync' FROM drift), 'false'::jsonb, 'drift: in_sync is false');
SELECT is((SELECT doc->'summary' FROM drift),
          '{"only_in_source": 1, "only_in_target": 2, "modified": 8, "in_sync": false}'::jsonb,
          'drift: summary counts 1 only in source, 2 only in target, 8 modified');

-- tables
SELECT is((SELECT pg_temp.member(pg_temp.entry(doc, '{tables,modified}', 'employees'), '{columns,modified}', 'salary')
           FROM drift),
          '{"name": "salary", "changes": ["type"], "source": {"type": "integer", "nullable": true, "default": null},
            "target": {"type": "bigint", "nullable": true, "default": null}}'::jsonb,
          'column type drift, with both definitions');
SELECT is((SELECT pg_temp.member(pg_temp.entry(doc, '{tables,modified}', 'employees'), '{columns,only_in_source}', 'notes')
           FROM drift),
          '{"name": "notes", "type": "text", "nullable": true, "default": null}'::jsonb,
          'a column dropped on the target is only in the source');
SELECT is((SELECT pg_temp.member(pg_temp.entry(doc, '{tables,modified}', 'customers'), '{columns,modified}', 'email')
           #> '{changes}' FROM drift),
          '["nullable"]'::jsonb, 'nullability drift');
SELECT is((SELECT pg_temp.member(pg_temp.entry(doc, '{tables,modified}', 'customers'), '{columns,modified}', 'email')
           #>> '{target,nullable}' FROM drift),
          'false', 'nullability drift: NOT NULL on the target');
SELECT is((SELECT pg_temp.member(pg_temp.entry(doc, '{tables,modified}', 'orders'), '{columns,modified}', 'status')
           - 'name' FROM drift),
          '{"changes": ["default"], "source": {"type": "text", "nullable": true, "default": "''pending''::text"},
            "target": {"type": "text", "nullable": true, "default": "''new''::text"}}'::jsonb,
          'default drift, with both defaults');
SELECT is((SELECT pg_temp.entry(doc, '{tables,only_in_target}', 'checks_extra') FROM drift),
          '{"name": "checks_extra", "kind": "table", "columns": 1}'::jsonb, 'an extra table is only in the target');
SELECT is((SELECT jsonb_array_length(doc #> '{tables,detail,modified}') FROM drift), 3,
          'three tables are modified (employees, customers, orders)');

-- The original pgclone's shape, as its users' scripts read it: name lists and diff_count.
SELECT ok((SELECT (doc #> '{tables,only_in_target}') ? 'checks_extra' FROM drift),
          'original shape: (doc #> ''{tables,only_in_target}'') ? ''checks_extra''');
SELECT ok((SELECT (doc #> '{indexes,only_in_source}') ? 'idx_customers_status' FROM drift),
          'original shape: a missing index by name');
SELECT ok((SELECT (doc #> '{tables,modified}') ? 'employees' FROM drift), 'original shape: a modified table by name');
SELECT is((SELECT (doc->>'diff_count')::int FROM drift),
          (SELECT (doc #>> '{summary,only_in_source}')::int + (doc #>> '{summary,only_in_target}')::int
                  + (doc #>> '{summary,modified}')::int FROM drift),
          'diff_count is the number of drifted objects');
SELECT is((SELECT doc->'diff_count' FROM before_drift), '0'::jsonb, 'diff_count is 0 in sync');

-- indexes
SELECT is((SELECT pg_temp.entry(doc, '{indexes,only_in_source}', 'idx_customers_status') FROM drift),
          '{"name": "idx_customers_status", "table": "customers",
            "definition": "CREATE INDEX idx_customers_status ON test_schema.customers USING btree (status)"}'::jsonb,
          'a missing index is only in the source, with its definition');
SELECT is((SELECT pg_temp.entry(doc, '{indexes,only_in_target}', 'idx_extra_employees_email')->>'table' FROM drift),
          'employees', 'an extra index is only in the target');

-- constraints
SELECT is((SELECT pg_temp.entry(doc, '{constraints,modified}', 'order_items_quantity_check') FROM drift),
          '{"name": "order_items_quantity_check", "table": "order_items",
            "source": "CHECK ((quantity > 0))", "target": "CHECK ((quantity >= 0))"}'::jsonb,
          'a changed CHECK constraint, with both definitions');

-- triggers
SELECT matches((SELECT pg_temp.entry(doc, '{triggers,modified}', 'orders_update_timestamp')->>'source' FROM drift),
               '^CREATE TRIGGER orders_update_timestamp BEFORE UPDATE ON test_schema\.orders ',
               'a changed trigger: source definition');
SELECT matches((SELECT pg_temp.entry(doc, '{triggers,modified}', 'orders_update_timestamp')->>'target' FROM drift),
               '^CREATE TRIGGER orders_update_timestamp BEFORE INSERT OR UPDATE ON test_schema\.orders ',
               'a changed trigger: target definition');

-- views, materialized views, sequences
SELECT matches((SELECT pg_temp.entry(doc, '{views,modified}', 'active_customers')->>'target' FROM drift),
               'score > 0', 'a changed view: the target definition has the new condition');
SELECT doesnt_match((SELECT pg_temp.entry(doc, '{views,modified}', 'active_customers')->>'source' FROM drift),
                    'score > 0', 'a changed view: the source definition does not');
SELECT is((SELECT jsonb_array_length(doc #> '{views,detail,modified}') FROM drift), 1,
          'the dependent view top_active_customers is unchanged');
SELECT matches((SELECT pg_temp.entry(doc, '{materialized_views,modified}', 'customer_order_summary')->>'source'
                FROM drift), 'LEFT JOIN test_schema\.orders', 'a changed materialized view, with both definitions');
SELECT is((SELECT pg_temp.entry(doc, '{sequences,modified}', 'invoice_seq') - 'name' FROM drift),
          jsonb_build_object(
              'source', 'CREATE SEQUENCE "test_schema"."invoice_seq" AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1 NO CYCLE',
              'target', 'CREATE SEQUENCE "test_schema"."invoice_seq" AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1 NO CYCLE'),
          'a changed sequence, with both definitions');

-- Definitions print the same whatever the caller's search_path
SET LOCAL search_path = test_schema, public;
SELECT is(pg_temp.d(), (SELECT doc FROM drift), 'the report does not depend on the caller''s search_path');
RESET search_path;

-- A schema that exists on one side only, or on neither
CREATE SCHEMA checks_only_target;
CREATE TABLE checks_only_target.t (id int PRIMARY KEY);
CREATE TEMP TABLE one_side AS SELECT pgclone.diff(pg_temp.src(), 'checks_only_target')::jsonb AS doc;
SELECT is((SELECT jsonb_build_array(doc->'source_schema_exists', doc->'target_schema_exists', doc->'in_sync') FROM one_side),
          '[false, true, false]'::jsonb, 'a schema only on the target is reported, not in sync');
SELECT is((SELECT doc #> '{constraints,only_in_target,0}' FROM one_side), '"t_pkey"'::jsonb,
          'its objects are only in the target');
SELECT throws_ok($$SELECT pgclone.diff(pg_temp.src(), 'no_such_schema')$$, '3F000',
                 'schema "no_such_schema" does not exist on the source server nor on the target',
                 'a schema on neither side is an error');
SELECT is(pgclone.diff(pg_temp.src(), NULL), NULL, 'STRICT: NULL schema gives NULL');

SELECT * FROM finish();
ROLLBACK;

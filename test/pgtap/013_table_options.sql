-- 013_table_options.sql -- pgclone.table() options and table_ex(): columns (order kept, unknown
-- column refused before anything is created), where, conflict (skip/replace/rename, rename twice),
-- indexes/constraints/triggers = false, structure-only clones, target_table_name (no clash with
-- the original's constraint/index/sequence/partition names), and a foreign key whose table is
-- missing on the target (WARNING, clone succeeds).
-- Needs test/fixtures/seed.sql and test/fixtures/fidelity.sql on the source.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SET LOCAL client_min_messages = warning;
SET LOCAL search_path = pg_catalog, public;
SELECT plan(82);

\ir lib/table_helpers.sql

-- DDL started on the target bumps a sequence; its value survives the rollback of a failed call.
CREATE TEMP SEQUENCE ddl_seen;
CREATE FUNCTION pg_temp.count_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('ddl_seen'); END $$;
CREATE FUNCTION pg_temp.ddl_count() RETURNS bigint LANGUAGE sql
AS $$ SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ddl_seen $$;

-- {sqlstate, message, detail, hint, number of DDL commands started} of a call.
CREATE FUNCTION pg_temp.try(sql text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    d0 bigint := pg_temp.ddl_count();
    e text[] := pg_temp.caught(sql);
BEGIN
    RETURN coalesce(e, ARRAY[NULL, NULL, NULL, NULL]::text[]) || (pg_temp.ddl_count() - d0)::text;
END
$$;

CREATE FUNCTION pg_temp.clone_sql(sch text, tbl text, target text, options text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)', pg_temp.src(), sch, tbl, target, options)
$$;

-- Index definitions of a table with the table name replaced, to compare a copy with the original.
CREATE FUNCTION pg_temp.indexdefs(rel text, name_from text, name_to text) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT replace(pg_get_indexdef(i.indexrelid), name_from, name_to) COLLATE "default"
    FROM pg_index i WHERE i.indrelid = to_regclass(rel) ORDER BY 1
$$;

-- Trigger functions the fidelity tables use (the fidelity_src_only one comes with the first clone).
CREATE SCHEMA fidelity;
CREATE FUNCTION fidelity.touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.note := coalesce(NEW.note, '') || ' (touched)';
    RETURN NEW;
END;
$$;
CREATE FUNCTION fidelity.big_qty() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$;

-- ---------------------------------------------------------------------------------------------
-- columns: refused before anything is created
CREATE EVENT TRIGGER tabletests_013_ddl ON ddl_command_start EXECUTE FUNCTION pg_temp.count_ddl();
CREATE TEMP TABLE errs AS
    SELECT 'unknown' AS k,
           pg_temp.try(pg_temp.clone_sql('test_schema', 'customers', 'cust_bad', '{"columns": ["id", "nope"]}')) AS e
    UNION ALL
    SELECT 'generated',
           pg_temp.try(pg_temp.clone_sql('fidelity', 'everything', 'ev_bad', '{"columns": ["id", "total"]}'));
DROP EVENT TRIGGER tabletests_013_ddl;

SELECT is((SELECT e[1] FROM errs WHERE k = 'unknown'), '42703', 'columns: unknown column is undefined_column');
SELECT matches((SELECT e[2] FROM errs WHERE k = 'unknown'), '"nope"', 'columns: the message names the column');
SELECT is((SELECT e[5] FROM errs WHERE k = 'unknown'), '0', 'columns: unknown column: no DDL ran on the target');
SELECT hasnt_schema('test_schema', 'columns: unknown column: the schema was not created either');
SELECT isnt((SELECT e[1] FROM errs WHERE k = 'generated'), NULL,
            'columns: a generated column without the columns it is computed from is an error');
SELECT is((SELECT e[5] FROM errs WHERE k = 'generated'), '0', 'columns: ... raised before any DDL');
SELECT hasnt_table('fidelity', 'ev_bad', 'columns: ... and no table was created');

-- columns: the given order is kept, and what needs a dropped column is dropped
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'cust_reordered',
                        '{"columns": ["email", "id", "name"]}'),
          'OK: cloned test_schema.cust_reordered (10 rows)', 'columns: result text');
SELECT results_eq(
    $$SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('test_schema.cust_reordered') AND attnum > 0
      ORDER BY attnum$$,
    $$VALUES ('email'::name), ('id'), ('name')$$, 'columns: in the order given, not the source order');
SELECT is(pg_temp.run($$SELECT c::text FROM test_schema.cust_reordered c WHERE id = 5$$),
          '(liam.obrien@example.com,5,"Liam O''Brien")', 'columns: values land in the right columns');
SELECT results_eq(
    $$SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass('test_schema.cust_reordered') ORDER BY 1$$,
    $$VALUES ('cust_reordered_pkey'::name), ('idx_customers_name_lower_cust_reordered')$$,
    'columns: indexes on kept columns only, with names that do not clash');
SELECT is_empty($$SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('test_schema.cust_reordered') AND contype = 'c'$$,
                'columns: the CHECK on the left-out status column is not cloned');

-- ---------------------------------------------------------------------------------------------
-- where
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_not_updated',
                        '{"where": "updated_at IS NULL"}'),
          'OK: cloned test_schema.w_not_updated (6 rows)',
          'where: a column name containing a keyword (updated_at) is fine: whole words only');
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_literal',
                        '{"where": "status <> ''drop table x; --''"}'),
          'OK: cloned test_schema.w_literal (10 rows)', 'where: keywords and ; inside a string literal are fine');
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_with_orders',
                        '{"where": "id IN (SELECT customer_id FROM test_schema.orders)"}'),
          'OK: cloned test_schema.w_with_orders (8 rows)',
          'where: evaluated on the source (orders does not exist on the target)');
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_cols',
                        '{"columns": ["id", "name"], "where": "score >= 80 AND status = ''active''"}'),
          'OK: cloned test_schema.w_cols (5 rows)', 'where: may use columns left out by "columns"');
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_none',
                        '{"where": "score > 1000"}'),
          'OK: cloned test_schema.w_none (0 rows)', 'where: no matching row gives an empty table');
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'w_comment', '{"where": "id > 0 -- comment"}'),
          'OK: cloned test_schema.w_comment (10 rows)', 'where: a -- comment cannot hide anything and is accepted');
SELECT is((pg_temp.caught(pg_temp.clone_sql('test_schema', 'customers', 'w_bad2',
                                            '{"where": "id > 0 OR tRuNcAtE"}')))[1],
          '42703', 'where: a statement keyword is only a name the source does not know');

-- ---------------------------------------------------------------------------------------------
-- conflict
SELECT is(pg_temp.clone('test_schema', 'customers'),
          'OK: cloned test_schema.customers (10 rows)', 'conflict: first clone of customers');
SELECT FROM pg_temp.run($$DELETE FROM test_schema.customers WHERE id IN (6, 9) RETURNING 1$$);
SELECT matches(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "skip"}'),
               '(?i)skip', 'conflict skip: the result says it skipped');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '8', 'conflict skip: the existing table is untouched');
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "replace"}'),
          'OK: cloned test_schema.customers (10 rows)', 'conflict replace: result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM test_schema.customers$$), '10', 'conflict replace: a fresh copy');
SELECT FROM pg_temp.run($$DELETE FROM test_schema.customers WHERE id = 9 RETURNING 1$$);
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "rename"}'),
          'OK: cloned test_schema.customers (10 rows)', 'conflict rename: result text');
SELECT FROM pg_temp.run($$DELETE FROM test_schema.customers WHERE id IN (6, 9) RETURNING 1$$);
SELECT is(pg_temp.clone('test_schema', 'customers', true, NULL, '{"conflict": "rename"}'),
          'OK: cloned test_schema.customers (10 rows)', 'conflict rename again: result text');
SELECT results_eq(
    $$SELECT c.relname, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', c.oid::regclass),
                                                             false, true, '')))[1]::text
      FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'test_schema') AND c.relkind = 'r'
        AND c.relname LIKE 'customers%' ORDER BY 1$$,
    $$VALUES ('customers'::name, '10'), ('customers_old', '9'), ('customers_old_2', '8')$$,
    'conflict rename when customers_old exists: customers_old_2, each with its own rows');
SELECT results_eq(
    $$SELECT t, CASE WHEN to_regclass('test_schema.' || quote_ident(t)) IS NOT NULL
                     THEN pg_get_serial_sequence('test_schema.' || quote_ident(t), 'id') END
      FROM unnest(ARRAY['customers', 'customers_old', 'customers_old_2']) AS t ORDER BY t$$,
    $$VALUES ('customers', 'test_schema.customers_id_seq'), ('customers_old', 'test_schema.customers_id_seq_old'),
             ('customers_old_2', 'test_schema.customers_id_seq_old_2')$$,
    'conflict rename: each table owns its own sequence');
SELECT results_eq(
    $$SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass('test_schema.customers') ORDER BY 1$$,
    $$VALUES ('customers_pkey'::name), ('idx_customers_name_lower'), ('idx_customers_status')$$,
    'conflict rename: the new table has the original index names');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('test_schema.customers_old_2')), 3::bigint,
          'conflict rename: customers_old_2 keeps its 3 indexes');
SELECT is(pg_temp.run($$INSERT INTO test_schema.customers (name) VALUES ('new') RETURNING id$$), '11',
          'conflict rename: the new table''s serial continues after the source''s value');

-- ---------------------------------------------------------------------------------------------
-- A foreign key whose referenced table is not on the target: WARNING, clone succeeds
SELECT is(pg_temp.clone('fidelity', 'child'),
          'OK: cloned fidelity.child (3 rows, 1 warning)', 'missing FK target: the clone succeeds with 1 warning');
SELECT results_eq($$SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('fidelity.child') ORDER BY 1$$,
                  $$VALUES ('child_pkey'::name)$$, 'missing FK target: the FK is skipped, the rest is there');
SELECT is(pg_temp.run($$SELECT count(*) FROM fidelity.child$$), '3', 'missing FK target: the rows are there');

-- ---------------------------------------------------------------------------------------------
-- indexes / constraints / triggers = false, table_ex, structure only
SELECT is(pg_temp.clone('fidelity', 'parent'), 'OK: cloned fidelity.parent (3 rows)', 'parent');
SELECT is(pg_temp.clone('fidelity', 'everything', true, NULL, '{"triggers": false}'),
          'OK: cloned fidelity.everything (4 rows)', 'triggers false: no trigger, so no warning');
SELECT is_empty($$SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('fidelity.everything') AND NOT tgisinternal$$,
                'triggers false: no user trigger');

SELECT is(pg_temp.clone('fidelity', 'everything', true, 'ev_noidx', '{"indexes": false}'),
          'OK: cloned fidelity.ev_noidx (4 rows)', 'indexes false: result text');
SELECT results_eq(
    $$SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass('fidelity.ev_noidx') ORDER BY 1$$,
    $$VALUES ('ev_noidx_code_key'::name), ('ev_noidx_during_excl'), ('ev_noidx_ext_id_key'), ('ev_noidx_pkey')$$,
    'indexes false: only the indexes of PK/UNIQUE/EXCLUDE constraints');

SELECT is(pg_temp.clone('fidelity', 'everything', true, 'ev_nocon', '{"constraints": false}'),
          'OK: cloned fidelity.ev_nocon (4 rows)', 'constraints false: result text');
SELECT results_eq($$SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('fidelity.ev_nocon') ORDER BY 1$$,
                  $$VALUES ('ev_nocon_pkey'::name)$$, 'constraints false: only the PK');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('fidelity.ev_nocon')), 13::bigint,
          'constraints false: the 12 plain indexes and the PK index');
SELECT is((SELECT array_agg(attname ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = to_regclass('fidelity.ev_nocon') AND attnum > 0 AND attnotnull),
          ARRAY['id', 'ext_id', 'ser', 'bser', 'tags', 'code', 'price', 'qty']::name[],
          'constraints false: NOT NULL columns keep NOT NULL');

SELECT is(pg_temp.run(format('SELECT pgclone.table_ex(%L, %L, %L, true, %L, false, false, true)',
                             pg_temp.src(), 'fidelity', 'everything', 'ev_ex')),
          'OK: cloned fidelity.ev_ex (4 rows)', 'table_ex: result text');
SELECT results_eq($$SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('fidelity.ev_ex') ORDER BY 1$$,
                  $$VALUES ('ev_ex_pkey'::name)$$, 'table_ex: include_constraints = false');
SELECT results_eq(
    $$SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass('fidelity.ev_ex') ORDER BY 1$$,
    $$VALUES ('ev_ex_pkey'::name)$$, 'table_ex: include_indexes = false');
SELECT results_eq(
    $$SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('fidelity.ev_ex') AND NOT tgisinternal ORDER BY 1$$,
    $$VALUES ('everything_audit'::name), ('everything_big_qty'), ('everything_touch')$$, 'table_ex: include_triggers = true');

SELECT is(pg_temp.clone('fidelity', 'everything', false, 'ev_empty'),
          'OK: cloned fidelity.ev_empty (0 rows)', 'structure only: says 0 rows');
SELECT is(pg_temp.run($$SELECT count(*) FROM fidelity.ev_empty$$), '0', 'structure only: empty');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass('fidelity.ev_empty')), 9::bigint,
          'structure only: all 9 constraints');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('fidelity.ev_empty')), 16::bigint,
          'structure only: all 16 indexes');
SELECT is(pg_temp.run($$INSERT INTO fidelity.ev_empty (code, during) VALUES ('E-5', '[100,200)')
                        RETURNING row(id, ext_id, ser, bser)::text$$),
          '(130,19,41,5000000000)', 'structure only: the sequences still continue after the source''s values');

-- ---------------------------------------------------------------------------------------------
-- a generated column with the columns it is computed from
SELECT is(pg_temp.run(pg_temp.clone_sql('fidelity', 'everything', 'ev_slim',
                                         '{"columns": ["code", "price", "qty", "total"], "triggers": false}')),
          'OK: cloned fidelity.ev_slim (4 rows)', 'columns with a generated column and its inputs');
SELECT CASE WHEN to_regclass('fidelity.ev_slim') IS NULL
            THEN fail('the generated column is computed on the target') || E'\n# fidelity.ev_slim was not created'
            ELSE results_eq($$SELECT (code COLLATE "default")::text, total FROM fidelity.ev_slim ORDER BY code COLLATE "C"$$,
                            $$VALUES ('A-1', 21.000), ('B-2', 0.000), ('c-3', 14999.850), ('d-4', 1.250)$$,
                            'the generated column is computed on the target')
       END;

-- ---------------------------------------------------------------------------------------------
-- target_table_name next to the original: nothing clashes, the self FK points at the copy
SELECT is(pg_temp.clone('fidelity', 'everything', true, 'everything_copy'),
          'OK: cloned fidelity.everything_copy (4 rows)', 'target name: result text');
SELECT results_eq(
    $$SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
      WHERE conrelid = to_regclass('fidelity.everything_copy') ORDER BY conname$$,
    $$VALUES
      ('everything_copy_code_key'::name, 'UNIQUE (code)'),
      ('everything_copy_during_excl', 'EXCLUDE USING gist (during WITH &&)'),
      ('everything_copy_ext_id_key', 'UNIQUE (ext_id) DEFERRABLE'),
      ('everything_copy_pkey', 'PRIMARY KEY (id)'),
      ('everything_legacy_fk', 'FOREIGN KEY (legacy_parent) REFERENCES fidelity.parent(id) NOT VALID'),
      ('everything_note_check', 'CHECK ((note IS DISTINCT FROM ''legacy''::text)) NOT VALID'),
      ('everything_parent_fk',
       'FOREIGN KEY (parent_id) REFERENCES fidelity.parent(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED'),
      ('everything_price_check', 'CHECK ((price >= (0)::numeric))'),
      ('everything_self_fk', 'FOREIGN KEY (self_ref) REFERENCES fidelity.everything_copy(id)')$$,
    'target name: constraints, index-backed ones renamed, self FK retargeted to the copy');
SELECT results_eq(
    $$SELECT * FROM pg_temp.indexdefs('fidelity.everything_copy', 'everything_copy', 'everything')$$,
    $$SELECT * FROM pg_temp.indexdefs('fidelity.everything', 'everything', 'everything')$$,
    'target name: the same 16 indexes as the original, named after the copy');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('fidelity.everything_copy')), 16::bigint,
          'target name: 16 indexes');
SELECT results_eq(
    $$SELECT CASE WHEN to_regclass('fidelity.everything_copy') IS NOT NULL
                  THEN pg_get_serial_sequence('fidelity.everything_copy', c) END
      FROM unnest(ARRAY['id', 'ext_id', 'ser', 'bser']) WITH ORDINALITY AS u(c, n) ORDER BY n$$,
    $$VALUES ('fidelity.everything_copy_id_seq'), ('fidelity.everything_copy_ext_id_seq'),
             ('fidelity.everything_copy_ser_seq'), ('fidelity.everything_copy_bser_seq')$$,
    'target name: the copy owns its own sequences');
SELECT results_eq(
    $$SELECT pg_get_triggerdef(oid) FROM pg_trigger
      WHERE tgrelid = to_regclass('fidelity.everything_copy') AND NOT tgisinternal ORDER BY tgname$$,
    $$VALUES
      ('CREATE TRIGGER everything_audit AFTER DELETE ON fidelity.everything_copy FOR EACH STATEMENT EXECUTE FUNCTION fidelity_src_only.audit()'),
      ('CREATE TRIGGER everything_big_qty AFTER INSERT ON fidelity.everything_copy FOR EACH ROW WHEN ((new.qty > 100)) EXECUTE FUNCTION fidelity.big_qty()'),
      ('CREATE TRIGGER everything_touch BEFORE UPDATE ON fidelity.everything_copy FOR EACH ROW EXECUTE FUNCTION fidelity.touch()')$$,
    'target name: triggers on the copy');
SELECT is(pg_temp.run($$SELECT string_agg(format('%s/%s', id, self_ref), ' ' ORDER BY id) FROM fidelity.everything_copy$$),
          '100/ 105/100 110/105 115/', 'target name: rows (with their self references)');
SELECT throws_ok($$UPDATE fidelity.everything_copy SET self_ref = 999 WHERE id = 100$$, '23503', NULL,
                 'target name: the self FK is enforced against the copy');

-- partitioned table under another name, next to the original
SELECT is(pg_temp.clone('fidelity', 'measurements'), 'OK: cloned fidelity.measurements (10 rows)',
          'partitioned: original');
SELECT is(pg_temp.clone('fidelity', 'measurements', true, 'meas_copy'),
          'OK: cloned fidelity.meas_copy (10 rows)', 'partitioned: copy under another name');
SELECT results_eq(
    $$SELECT c.relname, p.relname, pg_get_expr(c.relpartbound, c.oid) COLLATE "default",
             pg_temp.rows_in(c.oid)
      FROM pg_partition_tree(to_regclass('fidelity.meas_copy')) t
      JOIN pg_class c ON c.oid = t.relid LEFT JOIN pg_class p ON p.oid = t.parentrelid
      ORDER BY c.relname$$,
    $$VALUES
      ('meas_copy'::name, NULL::name, NULL::text, 0::bigint),
      ('meas_copy_2023', 'meas_copy', 'FOR VALUES FROM (''2023-01-01'') TO (''2024-01-01'')', 3),
      ('meas_copy_2024', 'meas_copy', 'FOR VALUES FROM (''2024-01-01'') TO (''2025-01-01'')', 0),
      ('meas_copy_2024_eu', 'meas_copy_2024', 'FOR VALUES IN (''eu'')', 2),
      ('meas_copy_2024_other', 'meas_copy_2024', 'DEFAULT', 1),
      ('meas_copy_2024_us', 'meas_copy_2024', 'FOR VALUES IN (''us'', ''ca'')', 2),
      ('meas_copy_default', 'meas_copy', 'DEFAULT', 2)$$,
    'partitioned copy: partitions named after the copy, bounds and rows as on the source');
SELECT is((SELECT count(*) FROM pg_partition_tree(to_regclass('fidelity.measurements'))), 7::bigint,
          'partitioned: the original keeps its own 7 relations');
SELECT is(pg_temp.clone('fidelity', 'measurements', true, 'meas_eu', '{"where": "region = ''eu''"}'),
          'OK: cloned fidelity.meas_eu (4 rows)', 'partitioned with where: result text');
SELECT results_eq(
    $$SELECT c.relname, pg_temp.rows_in(c.oid)
      FROM pg_partition_tree(to_regclass('fidelity.meas_eu')) t JOIN pg_class c ON c.oid = t.relid
      WHERE t.isleaf ORDER BY c.relname$$,
    $$VALUES ('meas_eu_2023'::name, 1::bigint), ('meas_eu_2024_eu', 2), ('meas_eu_2024_other', 0),
             ('meas_eu_2024_us', 0), ('meas_eu_default', 1)$$,
    'partitioned with where: filtered rows routed to their partitions');

-- replace and rename on a partitioned table: the new table's partitions get the source's names
SELECT is(pg_temp.clone('fidelity', 'measurements', true, NULL, '{"conflict": "replace"}'),
          'OK: cloned fidelity.measurements (10 rows)', 'partitioned replace: result text');
SELECT results_eq(
    $$SELECT c.relname FROM pg_partition_tree(to_regclass('fidelity.measurements')) t JOIN pg_class c ON c.oid = t.relid
      ORDER BY 1$$,
    $$VALUES ('measurements'::name), ('measurements_2023'), ('measurements_2024'), ('measurements_2024_eu'),
             ('measurements_2024_other'), ('measurements_2024_us'), ('measurements_default')$$,
    'partitioned replace: the partitions have the source names');
SELECT FROM pg_temp.run($$DELETE FROM fidelity.measurements WHERE id = 1 RETURNING 1$$);
SELECT is(pg_temp.clone('fidelity', 'measurements', true, NULL, '{"conflict": "rename"}'),
          'OK: cloned fidelity.measurements (10 rows)', 'partitioned rename: result text');
SELECT is(pg_temp.run($$SELECT count(*) FROM fidelity.measurements_old$$), '9',
          'partitioned rename: measurements_old is the original, with its partitions');
SELECT results_eq(
    $$SELECT c.relname FROM pg_partition_tree(to_regclass('fidelity.measurements')) t JOIN pg_class c ON c.oid = t.relid
      ORDER BY 1$$,
    $$VALUES ('measurements'::name), ('measurements_2023'), ('measurements_2024'), ('measurements_2024_eu'),
             ('measurements_2024_other'), ('measurements_2024_us'), ('measurements_default')$$,
    'partitioned rename: the new table''s partitions have the source names (the old ones moved aside)');

-- ---------------------------------------------------------------------------------------------
-- a target name longer than NAMEDATALEN - 1 bytes: PostgreSQL truncates identifiers to 63 bytes,
-- so either the clone is made under the truncated name, or it is refused up front
CREATE EVENT TRIGGER tabletests_013_ddl ON ddl_command_start EXECUTE FUNCTION pg_temp.count_ddl();
CREATE TEMP TABLE longname AS
    SELECT pg_temp.try(pg_temp.clone_sql('test_schema', 'customers', 'customers_' || repeat('y', 60), NULL)) AS e;
DROP EVENT TRIGGER tabletests_013_ddl;
SELECT ok((e[1] IS NULL AND to_regclass('test_schema.customers_' || repeat('y', 53)) IS NOT NULL)
          OR (e[1] = '42622' AND e[5] = '0'),
          'a 70-byte target name: cloned under the 63-byte name, or name_too_long before any DDL')
       || CASE WHEN e[1] IS NULL OR e[1] = '42622' THEN ''
               ELSE E'\n' || diag('got ' || e[1] || ': ' || e[2]) END
FROM longname;

-- ---------------------------------------------------------------------------------------------
-- columns: duplicates and an empty list are refused
SELECT is((pg_temp.caught(pg_temp.clone_sql('test_schema', 'customers', 'cols_dup', '{"columns": ["id", "id"]}')))[1],
          '22023', 'columns: a column listed twice is refused');
SELECT is((pg_temp.caught(pg_temp.clone_sql('test_schema', 'customers', 'cols_empty', '{"columns": []}')))[1],
          '22023', 'columns: an empty list is refused');

-- ---------------------------------------------------------------------------------------------
-- odd names under an odd target name
SELECT is(pg_temp.clone('Odd Schema', 'Mixed "Quoted" tëst'),
          'OK: cloned Odd Schema.Mixed "Quoted" tëst (3 rows)', 'odd: original');
SELECT is(pg_temp.clone('Odd Schema', 'Mixed "Quoted" tëst', true, 'Cöpy "2"'),
          'OK: cloned Odd Schema.Cöpy "2" (3 rows)', 'odd: copy under an odd target name');
SELECT is(pg_temp.clone('Odd Schema', 'kid "k"', true, 'kid cöpy'),
          'OK: cloned Odd Schema.kid cöpy (2 rows)', 'odd: kid under another name');
SELECT results_eq(
    $$SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
      WHERE conrelid IN (to_regclass('"Odd Schema"."Cöpy ""2"""'), to_regclass('"Odd Schema"."kid cöpy"'))
      ORDER BY 1, 2$$,
    $$VALUES
      ('"Odd Schema"."Cöpy ""2"""', 'Chk "q" ✓'::name, 'CHECK (("UPPER" > 0))'),
      ('"Odd Schema"."Cöpy ""2"""', 'Cöpy "2"_pkey', 'PRIMARY KEY ("Id")'),
      ('"Odd Schema"."kid cöpy"', 'fk "kid" → mixed',
       'FOREIGN KEY ("mixed Id") REFERENCES "Odd Schema"."Mixed ""Quoted"" tëst"("Id")'),
      ('"Odd Schema"."kid cöpy"', 'kid cöpy_pkey', 'PRIMARY KEY (id)'),
      ('"Odd Schema"."kid cöpy"', 'kid self', 'FOREIGN KEY ("Parent") REFERENCES "Odd Schema"."kid cöpy"(id)')$$,
    'odd: constraint names derived from the odd target names, self FK retargeted');
SELECT results_eq(
    $$SELECT c.relname FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'Odd Schema') ORDER BY 1$$,
    $$VALUES ('Cöpy "2"'::name), ('Cöpy "2"_Id_seq'), ('Cöpy "2"_pkey'), ('Idx Ödd'), ('Idx Ödd_Cöpy "2"'),
             ('Mixed "Quoted" tëst'), ('Mixed "Quoted" tëst_Id_seq'), ('Mixed "Quoted" tëst_pkey'),
             ('kid cöpy'), ('kid cöpy_pkey')$$,
    'odd: every relation of the copies has its own name');
SELECT is(pg_temp.run($$SELECT pg_get_serial_sequence('"Odd Schema"."Cöpy ""2"""', 'Id')$$), '"Odd Schema"."Cöpy ""2""_Id_seq"',
          'odd: the copy owns its sequence');

SELECT * FROM finish();
ROLLBACK;

-- 012_table_fidelity.sql -- a cloned table carries everything its source has: exact column types
-- (arrays, typmods, collations), defaults, NOT NULL, identity and serial sequences (options and
-- current value), generated columns, comments, UNLOGGED, every constraint kind (NOT VALID and
-- DEFERRABLE kept), every index kind, user triggers, partitions with their data, and odd
-- identifiers.  Needs test/fixtures/fidelity.sql on the source.
--
-- The expected values are literals: they are what the source's catalog functions
-- (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef,
-- pg_get_expr(relpartbound)) return for the fixture on PostgreSQL 15 with search_path =
-- pg_catalog.  Keep them in sync with test/fixtures/fidelity.sql.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SET LOCAL client_min_messages = warning;
SET LOCAL TimeZone = 'UTC';
-- The catalog functions below print names qualified exactly as on the source.
SET LOCAL search_path = pg_catalog, public;
SELECT plan(38);

\ir lib/table_helpers.sql

-- The trigger functions the cloned triggers call (same bodies as on the source).  The one in
-- fidelity_src_only is deliberately not created: the table clone must bring it along.
CREATE SCHEMA fidelity;
CREATE FUNCTION fidelity.touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.note := coalesce(NEW.note, '') || ' (touched)';
    RETURN NEW;
END;
$$;
CREATE FUNCTION fidelity.big_qty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE DEBUG 'big quantity %', NEW.qty;
    RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- The clones
SELECT is(pg_temp.clone('fidelity', 'parent'),
          'OK: cloned fidelity.parent (3 rows)', 'clone fidelity.parent');
SELECT is(pg_temp.clone('fidelity', 'everything'),
          'OK: cloned fidelity.everything (4 rows)',
          'clone fidelity.everything: the trigger function missing on the target comes along');
SELECT is(pg_temp.clone('fidelity', 'child'),
          'OK: cloned fidelity.child (3 rows)', 'clone fidelity.child (its FK target exists)');
SELECT is(pg_temp.clone('fidelity', 'scratch'),
          'OK: cloned fidelity.scratch (2 rows)', 'clone the UNLOGGED fidelity.scratch');
SELECT is(pg_temp.clone('fidelity', 'measurements'),
          'OK: cloned fidelity.measurements (10 rows)', 'clone the partitioned fidelity.measurements');
SELECT is(pg_temp.clone('Odd Schema', 'Mixed "Quoted" tëst'),
          'OK: cloned Odd Schema.Mixed "Quoted" tëst (3 rows)', 'clone "Odd Schema"."Mixed ""Quoted"" tëst"');
SELECT is(pg_temp.clone('Odd Schema', 'kid "k"'),
          'OK: cloned Odd Schema.kid "k" (2 rows)', 'clone "Odd Schema"."kid ""k"""');

-- ---------------------------------------------------------------------------------------------
-- Columns: name, order, type with typmod, NOT NULL, identity, generated, collation, default,
-- comment
SELECT results_eq(
    $$SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity::text,
             a.attgenerated::text,
             CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
             pg_get_expr(d.adbin, d.adrelid) COLLATE "default", col_description(a.attrelid, a.attnum)
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = to_regclass('fidelity.everything') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum$$,
    $$VALUES
      ('id'::name, 'bigint', true, 'a', '', NULL::name, NULL, NULL::text),
      ('ext_id', 'smallint', true, 'd', '', NULL, NULL, NULL),
      ('ser', 'integer', true, '', '', NULL, 'nextval(''fidelity.everything_ser_seq''::regclass)', NULL),
      ('bser', 'bigint', true, '', '', NULL, 'nextval(''fidelity.everything_bser_seq''::regclass)', NULL),
      ('tags', 'text[]', true, '', '', NULL, '''{}''::text[]', NULL),
      ('matrix', 'integer[]', false, '', '', NULL, NULL, NULL),
      ('labels', 'character varying(20)[]', false, '', '', NULL, NULL, NULL),
      ('code', 'character varying(12)', true, '', '', 'C', NULL, 'Business code (C collation)'),
      ('price', 'numeric(10,3)', true, '', '', NULL, '0.000', NULL),
      ('qty', 'integer', true, '', '', NULL, '1', NULL),
      ('total', 'numeric', false, '', 's', NULL, '(price * (qty)::numeric)', 'price * qty, generated'),
      ('taken_at', 'timestamp(3) without time zone', false, '', '', NULL,
       '''2024-01-01 00:00:00''::timestamp without time zone', NULL),
      ('seen_at', 'timestamp(0) with time zone', false, '', '', NULL, 'now()', NULL),
      ('daytime', 'time(2) without time zone', false, '', '', NULL, NULL, NULL),
      ('flags', 'bit(8)', false, '', '', NULL, NULL, NULL),
      ('vflags', 'bit varying(16)', false, '', '', NULL, NULL, NULL),
      ('ch', 'character(3)', false, '', '', NULL, '''abc''::bpchar', NULL),
      ('during', 'int4range', false, '', '', NULL, NULL, NULL),
      ('doc', 'tsvector', false, '', '', NULL, NULL, NULL),
      ('note', 'text', false, '', '', NULL, NULL, NULL),
      ('parent_id', 'integer', false, '', '', NULL, NULL, NULL),
      ('legacy_parent', 'integer', false, '', '', NULL, NULL, NULL),
      ('self_ref', 'bigint', false, '', '', NULL, NULL, NULL)$$,
    'everything: every column with its exact type, NOT NULL, identity, generated, collation, default, comment');

SELECT is(obj_description(to_regclass('fidelity.everything'), 'pg_class'),
          'Every column, constraint, index and trigger kind', 'everything: table comment');

-- ---------------------------------------------------------------------------------------------
-- Sequences: options and current value; owned by their columns
SELECT results_eq(
    $$SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle,
             cache_size, last_value
      FROM pg_sequences WHERE schemaname = 'fidelity' ORDER BY sequencename$$,
    $$VALUES
      ('everything_bser_seq'::name, 'bigint', 1::bigint, 1::bigint, 9223372036854775807::bigint, 1::bigint,
       false, 1::bigint, NULL::bigint),
      ('everything_ext_id_seq', 'smallint', 7, 1, 30000, 3, true, 1, 16),
      ('everything_id_seq', 'bigint', 100, 100, 1000000, 5, false, 1, 125),
      ('everything_ser_seq', 'integer', 1, 1, 2147483647, 1, false, 1, 40)$$,
    'everything: the four sequences with the source''s options and current values');
SELECT results_eq(
    $$SELECT CASE WHEN to_regclass('fidelity.everything') IS NOT NULL
                  THEN pg_get_serial_sequence('fidelity.everything', c) END
      FROM unnest(ARRAY['id', 'ext_id', 'ser', 'bser']) WITH ORDINALITY AS u(c, n) ORDER BY n$$,
    $$VALUES ('fidelity.everything_id_seq'), ('fidelity.everything_ext_id_seq'),
             ('fidelity.everything_ser_seq'), ('fidelity.everything_bser_seq')$$,
    'everything: each sequence is owned by its column');

-- ---------------------------------------------------------------------------------------------
-- Constraints
SELECT results_eq(
    $$SELECT conname, contype::text, condeferrable, condeferred, convalidated, pg_get_constraintdef(oid)
      FROM pg_constraint WHERE conrelid = to_regclass('fidelity.everything') ORDER BY conname$$,
    $$VALUES
      ('everything_code_key'::name, 'u', false, false, true, 'UNIQUE (code)'),
      ('everything_during_excl', 'x', false, false, true, 'EXCLUDE USING gist (during WITH &&)'),
      ('everything_ext_id_key', 'u', true, false, true, 'UNIQUE (ext_id) DEFERRABLE'),
      ('everything_legacy_fk', 'f', false, false, false,
       'FOREIGN KEY (legacy_parent) REFERENCES fidelity.parent(id) NOT VALID'),
      ('everything_note_check', 'c', false, false, false,
       'CHECK ((note IS DISTINCT FROM ''legacy''::text)) NOT VALID'),
      ('everything_parent_fk', 'f', true, true, true,
       'FOREIGN KEY (parent_id) REFERENCES fidelity.parent(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED'),
      ('everything_pkey', 'p', false, false, true, 'PRIMARY KEY (id)'),
      ('everything_price_check', 'c', false, false, true, 'CHECK ((price >= (0)::numeric))'),
      ('everything_self_fk', 'f', false, false, true,
       'FOREIGN KEY (self_ref) REFERENCES fidelity.everything(id)')$$,
    'everything: PK, UNIQUE (one DEFERRABLE), EXCLUDE, CHECK, FK (deferred, NOT VALID, self) as on the source');
SELECT results_eq(
    $$SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
      WHERE conrelid = to_regclass('fidelity.child') ORDER BY conname$$,
    $$VALUES ('child_parent_id_fkey'::name, 'FOREIGN KEY (parent_id) REFERENCES fidelity.parent(id)'),
             ('child_pkey', 'PRIMARY KEY (id)')$$,
    'child: its FK to fidelity.parent');

-- ---------------------------------------------------------------------------------------------
-- Indexes
SELECT results_eq(
    $$SELECT c.relname, pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass('fidelity.everything') ORDER BY c.relname$$,
    $$VALUES
      ('everything_bser_uidx'::name, 'CREATE UNIQUE INDEX everything_bser_uidx ON fidelity.everything USING btree (bser)'),
      ('everything_code_hash', 'CREATE INDEX everything_code_hash ON fidelity.everything USING hash (code)'),
      ('everything_code_key', 'CREATE UNIQUE INDEX everything_code_key ON fidelity.everything USING btree (code)'),
      ('everything_code_pattern_idx',
       'CREATE INDEX everything_code_pattern_idx ON fidelity.everything USING btree (code varchar_pattern_ops)'),
      ('everything_doc_gin', 'CREATE INDEX everything_doc_gin ON fidelity.everything USING gin (doc)'),
      ('everything_during_excl', 'CREATE INDEX everything_during_excl ON fidelity.everything USING gist (during)'),
      ('everything_during_gist', 'CREATE INDEX everything_during_gist ON fidelity.everything USING gist (during)'),
      ('everything_ext_id_key', 'CREATE UNIQUE INDEX everything_ext_id_key ON fidelity.everything USING btree (ext_id)'),
      ('everything_ext_incl_idx',
       'CREATE INDEX everything_ext_incl_idx ON fidelity.everything USING btree (ext_id) INCLUDE (price, qty)'),
      ('everything_lower_code_idx',
       'CREATE INDEX everything_lower_code_idx ON fidelity.everything USING btree (lower((code)::text))'),
      ('everything_multi_idx',
       'CREATE INDEX everything_multi_idx ON fidelity.everything USING btree (parent_id, taken_at DESC NULLS LAST)'),
      ('everything_note_c_idx',
       'CREATE INDEX everything_note_c_idx ON fidelity.everything USING btree (note COLLATE "C" DESC)'),
      ('everything_note_partial_idx',
       'CREATE INDEX everything_note_partial_idx ON fidelity.everything USING btree (note) WHERE (note IS NOT NULL)'),
      ('everything_pkey', 'CREATE UNIQUE INDEX everything_pkey ON fidelity.everything USING btree (id)'),
      ('everything_tags_gin', 'CREATE INDEX everything_tags_gin ON fidelity.everything USING gin (tags)'),
      ('everything_taken_brin',
       'CREATE INDEX everything_taken_brin ON fidelity.everything USING brin (taken_at) WITH (pages_per_range=''16'')')$$,
    'everything: all 16 indexes (partial, expression, INCLUDE, multicolumn, gin, gist, brin, hash, unique, opclass, collation) as on the source');
SELECT is_empty(
    $$SELECT 1 FROM pg_index WHERE indrelid = to_regclass('fidelity.everything') AND NOT (indisvalid AND indisready)$$,
    'everything: every index is valid and ready');

-- ---------------------------------------------------------------------------------------------
-- Triggers
SELECT results_eq(
    $$SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
      WHERE tgrelid = to_regclass('fidelity.everything') AND NOT tgisinternal ORDER BY tgname$$,
    $$VALUES
      ('everything_audit'::name,
       'CREATE TRIGGER everything_audit AFTER DELETE ON fidelity.everything FOR EACH STATEMENT EXECUTE FUNCTION fidelity_src_only.audit()'),
      ('everything_big_qty',
       'CREATE TRIGGER everything_big_qty AFTER INSERT ON fidelity.everything FOR EACH ROW WHEN ((new.qty > 100)) EXECUTE FUNCTION fidelity.big_qty()'),
      ('everything_touch',
       'CREATE TRIGGER everything_touch BEFORE UPDATE ON fidelity.everything FOR EACH ROW EXECUTE FUNCTION fidelity.touch()')$$,
    'everything: every trigger, the one whose function was missing on the target too');

-- ---------------------------------------------------------------------------------------------
-- Data: every source row, generated column recomputed, NOT VALID violators kept
SELECT is(
    pg_temp.run($$SELECT string_agg(e::text, E'\n' ORDER BY id) FROM fidelity.everything e$$),
    '(100,7,1,1,"{a,b}","{{1,2},{3,4}}","{x,y}",A-1,10.500,2,21.000,"2024-01-01 10:00:00.123","2024-01-01 10:00:00+00",10:11:12.34,10101010,101,xyz,"[1,5)","''alpha'':1 ''beta'':2",,1,1,)' || E'\n' ||
    '(105,50,2,2,{c},,,B-2,0.000,1,0.000,"2024-01-01 00:00:00","2024-02-02 02:02:02+00",,,,abc,"[5,10)",,legacy,2,999,100)' || E'\n' ||
    '(110,10,3,3,{},,,c-3,99.999,150,14999.850,"2024-01-01 00:00:00",,,,,abc,"[10,20)",''gamma'':1,"ünïcode ✓",,,105)' || E'\n' ||
    '(115,13,4,4,{},,,d-4,1.250,1,1.250,"2024-01-01 00:00:00","2024-04-04 04:04:04+00",,,,abc,"[20,30)",,,3,,)',
    'everything: all 4 rows exactly as on the source (generated total recomputed)');
SELECT is(pg_temp.run($$SELECT string_agg(p::text, ' ' ORDER BY id) FROM fidelity.parent p$$),
          '(1,one) (2,two) (3,three)', 'parent: rows, and no trace of the column dropped on the source');

-- ---------------------------------------------------------------------------------------------
-- Behaviour on the target: sequences continue after the source's values, identity ALWAYS and
-- the triggers work.
SELECT is(pg_temp.run($$INSERT INTO fidelity.everything (code, during) VALUES ('E-5', '[100,200)')
                        RETURNING row(id, ext_id, ser, bser, total)::text$$),
          '(130,19,41,5000000000,0.000)',
          'everything: a new row continues each sequence after the source''s current value');
SELECT throws_ok($$INSERT INTO fidelity.everything (id, code, during) VALUES (1, 'F-6', '[300,400)')$$,
                 '428C9', NULL, 'everything: id is still GENERATED ALWAYS');
SELECT throws_ok($$INSERT INTO fidelity.everything (code, during) VALUES ('G-7', '[150,160)')$$,
                 '23P01', NULL, 'everything: the exclusion constraint works');
SELECT is(pg_temp.run($$UPDATE fidelity.everything SET qty = qty WHERE id = 115 RETURNING note$$), ' (touched)',
          'everything: the BEFORE UPDATE trigger fires');

-- ---------------------------------------------------------------------------------------------
-- UNLOGGED
SELECT is((SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass('fidelity.scratch')), 'u',
          'scratch is UNLOGGED');
SELECT is((SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass('fidelity.everything')), 'p',
          'everything is a permanent table');
SELECT is(pg_temp.run($$SELECT string_agg(s::text, ' ' ORDER BY k) FROM fidelity.scratch s$$),
          '(a,"{""n"": 1}") (b,"[1, 2]")', 'scratch: rows');

-- ---------------------------------------------------------------------------------------------
-- Partitioned table: partition tree, bounds, keys, per-partition rows
SELECT results_eq(
    $$SELECT c.relname, p.relname AS parent, c.relkind::text, pg_get_expr(c.relpartbound, c.oid) COLLATE "default",
             CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
             pg_temp.rows_in(c.oid)
      FROM pg_partition_tree(to_regclass('fidelity.measurements')) t
      JOIN pg_class c ON c.oid = t.relid
      LEFT JOIN pg_class p ON p.oid = t.parentrelid
      ORDER BY c.relname$$,
    $$VALUES
      ('measurements'::name, NULL::name, 'p', NULL::text, 'RANGE (taken)', 0::bigint),
      ('measurements_2023', 'measurements', 'r', 'FOR VALUES FROM (''2023-01-01'') TO (''2024-01-01'')', NULL, 3),
      ('measurements_2024', 'measurements', 'p', 'FOR VALUES FROM (''2024-01-01'') TO (''2025-01-01'')',
       'LIST (region)', 0),
      ('measurements_2024_eu', 'measurements_2024', 'r', 'FOR VALUES IN (''eu'')', NULL, 2),
      ('measurements_2024_other', 'measurements_2024', 'r', 'DEFAULT', NULL, 1),
      ('measurements_2024_us', 'measurements_2024', 'r', 'FOR VALUES IN (''us'', ''ca'')', NULL, 2),
      ('measurements_default', 'measurements', 'r', 'DEFAULT', NULL, 2)$$,
    'measurements: partition tree, bounds, sub-partition key and rows per partition as on the source');
SELECT is(pg_temp.run($$SELECT string_agg(m::text, ' ' ORDER BY id) FROM fidelity.measurements m$$),
          '(1,eu,2023-02-01,1.50) (2,us,2023-06-15,2.25) (3,ap,2023-12-31,3.00) (4,eu,2024-01-01,4.75) '
          '(5,eu,2024-07-04,5.00) (6,us,2024-03-03,6.10) (7,ca,2024-11-11,7.20) (8,ap,2024-05-05,8.30) '
          '(9,eu,2025-01-01,9.40) (10,us,2022-12-31,10.50)',
          'measurements: all rows');
SELECT results_eq(
    $$SELECT c.relname, pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree(to_regclass('fidelity.measurements')))
        AND c.relname <> 'measurements_default_region_idx'
      ORDER BY c.relname$$,
    $$VALUES
      ('measurements_2023_pkey'::name,
       'CREATE UNIQUE INDEX measurements_2023_pkey ON fidelity.measurements_2023 USING btree (id, region, taken)'),
      ('measurements_2023_value_idx',
       'CREATE INDEX measurements_2023_value_idx ON fidelity.measurements_2023 USING btree (value)'),
      ('measurements_2024_eu_pkey',
       'CREATE UNIQUE INDEX measurements_2024_eu_pkey ON fidelity.measurements_2024_eu USING btree (id, region, taken)'),
      ('measurements_2024_eu_value_idx',
       'CREATE INDEX measurements_2024_eu_value_idx ON fidelity.measurements_2024_eu USING btree (value)'),
      ('measurements_2024_other_pkey',
       'CREATE UNIQUE INDEX measurements_2024_other_pkey ON fidelity.measurements_2024_other USING btree (id, region, taken)'),
      ('measurements_2024_other_value_idx',
       'CREATE INDEX measurements_2024_other_value_idx ON fidelity.measurements_2024_other USING btree (value)'),
      ('measurements_2024_pkey',
       'CREATE UNIQUE INDEX measurements_2024_pkey ON ONLY fidelity.measurements_2024 USING btree (id, region, taken)'),
      ('measurements_2024_us_pkey',
       'CREATE UNIQUE INDEX measurements_2024_us_pkey ON fidelity.measurements_2024_us USING btree (id, region, taken)'),
      ('measurements_2024_us_value_idx',
       'CREATE INDEX measurements_2024_us_value_idx ON fidelity.measurements_2024_us USING btree (value)'),
      ('measurements_2024_value_idx',
       'CREATE INDEX measurements_2024_value_idx ON ONLY fidelity.measurements_2024 USING btree (value)'),
      ('measurements_default_pkey',
       'CREATE UNIQUE INDEX measurements_default_pkey ON fidelity.measurements_default USING btree (id, region, taken)'),
      ('measurements_default_value_idx',
       'CREATE INDEX measurements_default_value_idx ON fidelity.measurements_default USING btree (value)'),
      ('measurements_pkey',
       'CREATE UNIQUE INDEX measurements_pkey ON ONLY fidelity.measurements USING btree (id, region, taken)'),
      ('measurements_value_idx',
       'CREATE INDEX measurements_value_idx ON ONLY fidelity.measurements USING btree (value)')$$,
    'measurements: PK and index on the parent, cascaded to every partition, names as on the source');
SELECT is((SELECT pg_get_indexdef(to_regclass('fidelity.measurements_default_region_idx'))),
          'CREATE INDEX measurements_default_region_idx ON fidelity.measurements_default USING btree (region)',
          'measurements: the index that only the partition measurements_default has');
SELECT throws_ok($$INSERT INTO fidelity.measurements VALUES (1, 'eu', '2023-02-01', 0)$$, '23505', NULL,
                 'measurements: the PK is enforced through the partitions');

-- ---------------------------------------------------------------------------------------------
-- Odd identifiers
SELECT results_eq(
    $$SELECT c.relname, c.relkind::text FROM pg_class c
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'Odd Schema') ORDER BY c.relname$$,
    $$VALUES ('Idx Ödd'::name, 'i'), ('Mixed "Quoted" tëst', 'r'), ('Mixed "Quoted" tëst_Id_seq', 'S'),
             ('Mixed "Quoted" tëst_pkey', 'i'), ('kid "k"', 'r'), ('kid "k"_pkey', 'i')$$,
    'Odd Schema: the relations with their exact names');
SELECT results_eq(
    $$SELECT a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid) COLLATE "default",
             col_description(a.attrelid, a.attnum)
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = to_regclass('"Odd Schema"."Mixed ""Quoted"" tëst"') AND a.attnum > 0
      ORDER BY a.attnum$$,
    $$VALUES ('Id'::name, 'integer', 'nextval(''"Odd Schema"."Mixed ""Quoted"" tëst_Id_seq"''::regclass)',
              NULL::text),
             ('first name', 'text', NULL, NULL),
             ('wëird "col"', 'character varying(5)', NULL, 'Odd "column" comment'),
             ('UPPER', 'integer', NULL, NULL)$$,
    'Odd: columns, serial default on the odd sequence name, column comment');
SELECT is(obj_description(to_regclass('"Odd Schema"."Mixed ""Quoted"" tëst"'), 'pg_class'),
          'Odd ''table'' comment', 'Odd: table comment');
SELECT results_eq(
    $$SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'Odd Schema') ORDER BY conname$$,
    $$VALUES ('Chk "q" ✓'::name, 'CHECK (("UPPER" > 0))'),
             ('Mixed "Quoted" tëst_pkey', 'PRIMARY KEY ("Id")'),
             ('fk "kid" → mixed',
              'FOREIGN KEY ("mixed Id") REFERENCES "Odd Schema"."Mixed ""Quoted"" tëst"("Id")'),
             ('kid "k"_pkey', 'PRIMARY KEY (id)'),
             ('kid self', 'FOREIGN KEY ("Parent") REFERENCES "Odd Schema"."kid ""k"""(id)')$$,
    'Odd: constraints with odd names, FK and self FK');
SELECT results_eq(
    $$SELECT c.relname, pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'Odd Schema') ORDER BY c.relname$$,
    $$VALUES
      ('Idx Ödd'::name,
       'CREATE INDEX "Idx Ödd" ON "Odd Schema"."Mixed ""Quoted"" tëst" USING btree ("first name", "UPPER")'),
      ('Mixed "Quoted" tëst_pkey',
       'CREATE UNIQUE INDEX "Mixed ""Quoted"" tëst_pkey" ON "Odd Schema"."Mixed ""Quoted"" tëst" USING btree ("Id")'),
      ('kid "k"_pkey', 'CREATE UNIQUE INDEX "kid ""k""_pkey" ON "Odd Schema"."kid ""k""" USING btree (id)')$$,
    'Odd: indexes');
SELECT is(pg_temp.run($$SELECT string_agg(format('%s|%s|%s|%s', "Id", "first name", "wëird ""col""", "UPPER"),
                                    ' ' ORDER BY "Id")
                         FROM "Odd Schema"."Mixed ""Quoted"" tëst"$$),
          '1|Zoë|a"b|1 2|O''Neil|ü|2 3|x y||3', 'Odd: rows');
SELECT is(pg_temp.run($$SELECT string_agg(k::text, ' ' ORDER BY id) FROM "Odd Schema"."kid ""k""" k$$),
          '(1,1,) (2,3,1)', 'Odd kid: rows');
SELECT is(pg_temp.run($$INSERT INTO "Odd Schema"."Mixed ""Quoted"" tëst" ("first name") VALUES ('new')
                         RETURNING "Id"$$),
          '4', 'Odd: the serial continues after the source''s value');

SELECT * FROM finish();
ROLLBACK;

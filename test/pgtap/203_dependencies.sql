-- 203_dependencies.sql -- dependency order and schema-qualified DDL.
--   * v4.0.1: dep_test was written under search_path = dep_test, public (bare names in defaults,
--     triggers, indexes, views, function bodies); cloned with a conninfo that sets the same
--     search_path, it must clone cleanly (no warning) and work on a target whose search_path does
--     not include dep_test. The ALTER DATABASE variant is test/fault/200_search_path_v401.sh.
--   * types (enum, domain, composite, range, arrays of them) before the tables.
--   * partitioned tables: partitions attached, parent triggers / keys not duplicated.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(34);

-- ---------------------------------------------------------------------------------------------
-- v4.0.1
CREATE TEMP TABLE r401 AS SELECT pgclone.schema(
    current_setting('pgclone_test.source') || $$ options='-c search_path=dep_test,public'$$, 'dep_test', true) AS res;
SELECT matches((SELECT res FROM r401),
    '^OK: cloned schema dep_test: 3 tables \(9 rows\), 1 view, 0 materialized views, 4 functions, 4 sequences, 1 trigger, 0 types in ',
    'v4.0.1: clones cleanly with the application search_path on the source session');
SET LOCAL search_path = public;
SELECT is((SELECT column_default FROM information_schema.columns WHERE table_schema = 'dep_test'
           AND table_name = 'documents_to_resend' AND column_name = 'id'),
    $$nextval('dep_test.documents_to_resend_id_seq'::regclass)$$, 'v4.0.1: serial default is schema-qualified');
SELECT is((SELECT column_default FROM information_schema.columns WHERE table_schema = 'dep_test'
           AND table_name = 'documents_to_resend' AND column_name = 'code'),
    'dep_test.next_code()', 'v4.0.1: function default is schema-qualified');
INSERT INTO dep_test.documents_to_resend (title) VALUES ('new');
SELECT is((SELECT id || ' ' || code FROM dep_test.documents_to_resend WHERE title = 'new'), '4 D-0004',
    'v4.0.1: defaults work with search_path = public (sequences continue)');
INSERT INTO dep_test.city_street (name) VALUES ('low road');
SELECT is((SELECT name FROM dep_test.city_street WHERE id = 3), 'LOW ROAD',
    'v4.0.1: trigger created after its function and fires');
SELECT alike(pg_get_indexdef('dep_test.inbox_messages_norm_idx'::regclass), '%dep_test.norm(subject)%',
    'v4.0.1: expression index calls the schema-qualified function');
SELECT is((SELECT array_agg(subject ORDER BY id) FROM dep_test.inbox_subjects),
    ARRAY['hello', 'invoice due', 're: contract', 'no document'], 'v4.0.1: view on bare names answers');
SELECT is((SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'dep_test.inbox_messages'::regclass
           AND contype = 'f'), 'dep_test.documents_to_resend', 'v4.0.1: foreign key created after all tables');
SET LOCAL search_path = dep_test, public;
SELECT ok(dep_test.inbox_messages_fct_ck(2), 'v4.0.1: sql function created after the tables, works in its app path');
RESET search_path;

-- the same schema without the session option clones the same way
DROP SCHEMA dep_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'dep_test', true),
    '^OK: cloned schema dep_test: 3 tables \(9 rows\)', 'v4.0.1: same result with the default search_path');

-- ---------------------------------------------------------------------------------------------
-- types
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'types_test', true),
    '^OK: cloned schema types_test: 1 table \(3 rows\), .* 5 types in ', 'types: 5 types created');
SELECT is(enum_range(NULL::types_test.mood)::text, '{sad,ok,happy}', 'enum labels in order');
SELECT is((SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE oid = 'types_test.posint'::regtype),
    'integer', 'domain base type');
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contypid = 'types_test.posint'::regtype),
    'CHECK ((VALUE > 0))', 'domain check');
SELECT is(obj_description('types_test.mood'::regtype, 'pg_type'), 'how it feels', 'type comment');
SELECT is(obj_description('types_test.posint'::regtype, 'pg_type'), 'positive integer', 'domain comment');
SELECT is((SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'types_test.address'::regclass AND attnum > 0),
    'street text, zip types_test.posint', 'composite attributes');
SELECT is((SELECT rngsubdiff::regproc::text FROM pg_range WHERE rngtypid = 'types_test.floatrange'::regtype),
    'float8mi', 'range subtype_diff');
SELECT isnt(to_regtype('types_test.floatmultirange'), NULL, 'multirange of the range');
SELECT is((SELECT addr::text || ' ' || history::text || ' ' || band::text FROM types_test.people WHERE id = 1),
    '("Main St 1",1000) {sad,ok,happy} [1.5,2.5)', 'values of every type kind round-trip');
INSERT INTO types_test.people (feeling) VALUES ('ok');
SELECT is((SELECT age FROM types_test.people WHERE id = 4)::integer, 1, 'domain default applies');
SELECT throws_ok($$INSERT INTO types_test.people (feeling, lucky) VALUES ('ok', 3)$$, '23514', NULL,
    'domain checked by a function rejects odd numbers');
-- Types that already exist are kept and reused.
DROP TABLE types_test.people;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'types_test', true, '{"conflict": "replace"}'),
    '^OK: cloned schema types_test: 1 table \(3 rows\), .* 0 types \(5 kept\) in ', 'existing types are reused');

-- ---------------------------------------------------------------------------------------------
-- partitions
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'part_test', true),
    '^OK: cloned schema part_test: 4 tables \(7 rows\), .* 2 triggers, ', 'partitioned schema result text');
SELECT is((SELECT string_agg(tableoid::regclass::text || ':' || id, ',' ORDER BY id) FROM part_test.measurements),
    'part_test.m_low:1,part_test.m_low:2,part_test.m_low:3,part_test.m_high:4,part_test.m_high:5',
    'rows are in their partitions, read through the parent');
SELECT is((SELECT array_agg(inhrelid::regclass::text ORDER BY inhrelid::regclass::text) FROM pg_inherits
           WHERE inhparent = 'part_test.measurements'::regclass), ARRAY['part_test.m_high', 'part_test.m_low'],
    'partitions attached');
SELECT is((SELECT string_agg(tgname || '@' || tgrelid::regclass::text, ',' ORDER BY tgname, tgrelid::regclass::text)
           FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'part_test.%'),
    'm_high_audit@part_test.m_high,measurements_touch@part_test.m_high,measurements_touch@part_test.m_low,measurements_touch@part_test.measurements',
    'parent trigger once per partition, local trigger only on its partition');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conname = 'measurements_sensor_id_fkey' AND conparentid <> 0),
    2::bigint, 'partition foreign keys adopted by the parent key');
SELECT is((SELECT count(*) FROM pg_index i WHERE i.indrelid = 'part_test.m_low'::regclass), 2::bigint,
    'partition indexes attached, not duplicated');
INSERT INTO part_test.measurements (id, k, v, sensor_id) VALUES (6, 150, 'f', 1);
SELECT is((SELECT tableoid::regclass::text || ' ' || touched FROM part_test.measurements WHERE id = 6),
    'part_test.m_high true', 'insert routes to the partition and fires the parent trigger');

-- filter keeps the parent and one partition
DROP SCHEMA part_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'part_test', true,
    '{"tables": ["measurements", "m_low", "sensors"]}'), '^OK: cloned schema part_test: 3 tables \(5 rows\)',
    'filter: parent, one partition, referenced table');
SELECT is((SELECT count(*) FROM part_test.measurements), 3::bigint, 'filter: only the kept partition''s rows');
-- filter keeps a partition without its parent: it stays a table of its own
DROP SCHEMA part_test CASCADE;
-- (its foreign key to the filtered-out sensors table cannot be created: one warning)
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'part_test', true, '{"tables": ["m_high"]}'),
    '^DONE WITH 1 WARNING: cloned schema part_test: 1 table \(2 rows\)', 'filter: a partition alone');
SELECT ok(NOT (SELECT relispartition FROM pg_class WHERE oid = 'part_test.m_high'::regclass),
    'a partition without its parent is a plain table');

SELECT * FROM finish();
ROLLBACK;

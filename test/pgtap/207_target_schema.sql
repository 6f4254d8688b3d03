-- 207_target_schema.sql -- the option "target_schema" of table() and schema(): the clone lands in
-- another schema, and the names of the source schema inside what is cloned (column types,
-- defaults, checks, foreign keys, owned and free sequences, triggers, view queries, materialized
-- view indexes, SQL-standard function bodies) follow it. Text PostgreSQL keeps as text (string
-- literals, quoted function bodies) is never changed. A target_table_name with a dot is refused
-- with a hint at the option. The source schema has a name that breaks unquoted SQL; the source
-- objects are made with dblink and dropped at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(32);
\ir lib/table_helpers.sql

SELECT dblink_exec(pg_temp.src(), $src$
DROP SCHEMA IF EXISTS "odd ""s""; --" CASCADE;
CREATE SCHEMA "odd ""s""; --";
SET search_path = "odd ""s""; --";
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE FUNCTION positive(i int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN i > 0;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN NEW.note := 'odd "s"; --.stamped'; RETURN NEW; END $f$;
CREATE SEQUENCE free_seq START 500;
CREATE TABLE a (
    id serial PRIMARY KEY CHECK (positive(id)),
    m mood NOT NULL DEFAULT 'ok',
    code int DEFAULT nextval('free_seq'),
    note text DEFAULT 'odd "s"; --.a kept as written');
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id), note text);
CREATE TRIGGER b_stamp BEFORE INSERT ON b FOR EACH ROW EXECUTE FUNCTION stamp();
INSERT INTO a (m) VALUES ('ok'), ('sad');
INSERT INTO b VALUES (1, 1, 'x'), (2, 2, 'y');
CREATE VIEW v AS SELECT a.id, a.m, b.note, 'odd "s"; --.a'::text AS label FROM a JOIN b ON b.a_id = a.id;
CREATE MATERIALIZED VIEW mv AS SELECT id, m FROM a;
CREATE UNIQUE INDEX mv_id ON mv (id);
CREATE FUNCTION count_a() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM a; END;
CREATE FUNCTION quoted_body() RETURNS text LANGUAGE sql AS $f$ SELECT 'odd "s"; --.a'::text $f$;
$src$);

DROP SCHEMA IF EXISTS "stg ""x""" CASCADE;
SELECT matches(pgclone.schema(pg_temp.src(), 'odd "s"; --', true, '{"target_schema": "stg \"x\""}'),
    '^OK: cloned schema odd "s"; --: 2 tables \(4 rows\), 1 view, 1 materialized view, 4 functions, 2 sequences, 1 trigger, 1 type in ',
    'schema: cloned into the target schema, without warnings');
SELECT ok(to_regnamespace('"odd ""s""; --"') IS NULL, 'schema: the source schema is not created on the target');
SELECT is((SELECT array_agg(relname::text ORDER BY relname) FROM pg_class
           WHERE relnamespace = '"stg ""x"""'::regnamespace AND relkind IN ('r', 'v', 'm', 'S')),
    ARRAY['a', 'a_id_seq', 'b', 'free_seq', 'mv', 'v'], 'schema: tables, sequences, views in the target schema');
SELECT is(format_type(atttypid, NULL), '"stg ""x""".mood', 'schema: a column type follows')
    FROM pg_attribute WHERE attrelid = '"stg ""x""".a'::regclass AND attname = 'm';
SELECT is((SELECT string_agg(DISTINCT refobjid::regclass::text, ',') FROM pg_depend
           WHERE classid = 'pg_attrdef'::regclass AND refclassid = 'pg_class'::regclass
             AND refobjid <> '"stg ""x""".a'::regclass
             AND objid IN (SELECT oid FROM pg_attrdef WHERE adrelid = '"stg ""x""".a'::regclass)),
    '"stg ""x""".a_id_seq,"stg ""x""".free_seq', 'schema: defaults use the sequences of the target schema');
SELECT is(pg_temp.run($$SELECT note FROM "stg ""x""".a WHERE id = 1$$), 'odd "s"; --.a kept as written',
    'schema: a string literal naming the source schema is data, left as written');
SELECT is((SELECT pronamespace::regnamespace::text FROM pg_proc p JOIN pg_depend d ON d.refobjid = p.oid
           JOIN pg_constraint c ON c.oid = d.objid
           WHERE c.conrelid = '"stg ""x""".a'::regclass AND c.contype = 'c'),
    '"stg ""x"""', 'schema: the check calls the function of the target schema');
SELECT is((SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = '"stg ""x""".b'::regclass AND contype = 'f'),
    '"stg ""x""".a', 'schema: the foreign key references the target schema');
SELECT is((SELECT tgfoid::regproc::text FROM pg_trigger WHERE tgrelid = '"stg ""x""".b'::regclass AND NOT tgisinternal),
    '"stg ""x""".stamp', 'schema: the trigger calls the function of the target schema');
SELECT is((SELECT string_agg(DISTINCT d.refobjid::regclass::text, ',' ORDER BY d.refobjid::regclass::text)
           FROM pg_rewrite r JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
           WHERE r.ev_class = '"stg ""x""".v'::regclass AND d.refobjid <> r.ev_class AND d.refclassid = 'pg_class'::regclass),
    '"stg ""x""".a,"stg ""x""".b', 'schema: the view reads the tables of the target schema');
SELECT is(pg_temp.run($$SELECT label FROM "stg ""x""".v WHERE id = 1$$), 'odd "s"; --.a',
    'schema: a literal inside a view query is left as written');
SELECT ok(to_regclass('"stg ""x""".mv_id') IS NOT NULL, 'schema: the materialized view''s index is in the target schema');
SELECT is(pg_temp.run($$SELECT "stg ""x""".count_a()$$), '2', 'schema: a SQL-standard body reads the target schema');
SELECT is((SELECT count(*) FROM pg_depend WHERE objid = '"stg ""x""".count_a()'::regprocedure
           AND refobjid = '"stg ""x""".a'::regclass), 1::bigint, 'schema: ... and depends on its table');
SELECT is(pg_temp.run($$SELECT "stg ""x""".quoted_body()$$), 'odd "s"; --.a',
    'schema: a quoted function body is left as written');
SELECT is(pg_temp.run($$INSERT INTO "stg ""x""".a DEFAULT VALUES RETURNING id || '/' || code$$), '3/502',
    'schema: serial and free sequences go on from the source''s values');

-- A table clone moves too; names of the source schema follow to the target schema.
DROP SCHEMA IF EXISTS "tbl ""y""" CASCADE;
SELECT is(pg_temp.clone('odd "s"; --', 'b', true, 'b2', '{"target_schema": "tbl \"y\""}'),
    'OK: cloned tbl "y".b2 (2 rows, 2 warnings)', 'table: cloned, with the foreign key and trigger skipped');
SELECT ok(to_regclass('"tbl ""y""".b2') IS NOT NULL AND to_regclass('"odd ""s""; --".b2') IS NULL,
    'table: created in the target schema only');
-- The free sequence and the check's function are the schema's, not the table's: they must be in
-- the target schema already; the enum type is created there.
CREATE SEQUENCE "tbl ""y""".free_seq;
CREATE FUNCTION "tbl ""y""".positive(i int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN i > 0;
SELECT is(pg_temp.clone('odd "s"; --', 'a', true, NULL, '{"target_schema": "tbl \"y\""}'),
    'OK: cloned tbl "y".a (2 rows)', 'table: its type, default and check follow to the target schema');
SELECT ok(to_regtype('"tbl ""y""".mood') IS NOT NULL AND to_regtype('"odd ""s""; --".mood') IS NULL,
    'table: the enum type is created in the target schema');
SELECT is(pg_temp.clone('odd "s"; --', 'b', true, 'b3', '{"target_schema": "tbl \"y\""}'),
    'OK: cloned tbl "y".b3 (2 rows, 1 warning)', 'table: the foreign key finds the table in the target schema (the trigger function is not there)');
SELECT is((SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = '"tbl ""y""".b3'::regclass AND contype = 'f'),
    '"tbl ""y""".a', 'table: the foreign key references the target schema');
SELECT is((SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '"tbl ""y""".a'::regclass AND adnum = 1),
    'nextval(''"tbl ""y""".a_id_seq''::regclass)', 'table: the serial sequence is in the target schema');

-- A dotted target_table_name is an error that points at target_schema.
SELECT is(pg_temp.caught($$SELECT pgclone.table(pg_temp.src(), 'test_schema', 'customers', true, 'cl.a2')$$),
    ARRAY['42602', 'target table name "cl.a2" contains a dot',
          'The target table name is one name, never schema-qualified: it would create a table literally named "cl.a2".',
          'Pass the schema as the option "target_schema": {"target_schema": "staging"}.'],
    'a dotted target table name is refused with a hint');
SELECT ok(to_regclass('test_schema."cl.a2"') IS NULL, '... and nothing is created');
SELECT is((pg_temp.caught($$SELECT pgclone.table_async(pg_temp.src(), 'test_schema', 'customers', true, 'cl.a2')$$))[1:2],
    ARRAY['42602', 'target table name "cl.a2" contains a dot'], 'table_async refuses it too');

-- Bad values, and where the option does not apply.
SELECT is((pg_temp.caught($$SELECT pgclone.table(pg_temp.src(), 'test_schema', 'customers', true, NULL, '{"target_schema": ""}')$$))[1:2],
    ARRAY['22023', 'option "target_schema" must be a schema name of 1 to 63 bytes'], 'an empty target schema is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.database(pg_temp.src(), false, '{"target_schema": "x"}')$$))[1:2],
    ARRAY['22023', 'option "target_schema" is not supported by pgclone.database()'], 'database() refuses it');
SELECT is((pg_temp.caught($$SELECT pgclone.table(pg_temp.src(), 'test_schema', 'customers', true, NULL, '{"target_schema": "pg_catalog"}')$$))[1],
    '42501', 'a system schema as target schema is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'odd "s"; --', true, '{"target_schema": "stg \"x\""}')$$))[1:2],
    ARRAY['42P07', 'relation "stg "x""."a" already exists on the target'], 'a conflict is found in the target schema');

-- The source session's search_path is put back to pg_catalog for a clone without a move.
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'customers', false, 'cust207'),
    'OK: cloned test_schema.cust207 (0 rows)', 'a clone without the option is unchanged');
SELECT is(current_setting('search_path'), (SELECT setting FROM pg_settings WHERE name = 'search_path'),
    'the caller''s search_path is its own again after a moved clone');

SELECT dblink_exec(pg_temp.src(), 'DROP SCHEMA "odd ""s""; --" CASCADE');
SELECT * FROM finish();
ROLLBACK;

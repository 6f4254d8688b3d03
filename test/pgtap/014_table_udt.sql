-- 014_table_udt.sql -- a table whose columns use user-defined types (enum, domain, composite,
-- range, array of enum): the types are created on the target first when missing, exactly as on
-- the source, and reused when present.  Needs test/fixtures/fidelity.sql on the source
-- (fidelity.udt_table).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SET LOCAL client_min_messages = warning;
SET LOCAL search_path = pg_catalog, public;
SELECT plan(14);

\ir lib/table_helpers.sql

-- Result of a query as text, or NULL when it fails (e.g. the table is missing).
CREATE FUNCTION pg_temp.value(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE sql INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;


SELECT hasnt_schema('fidelity', 'precondition: no fidelity schema (so no types) on the target');

SELECT is(pg_temp.run(format('SELECT pgclone.table(%L, %L, %L)', pg_temp.src(), 'fidelity', 'udt_table')),
          'OK: cloned fidelity.udt_table (3 rows)', 'clone a table using enum, domain, composite and range types');

-- The types, as on the source
SELECT is((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
           FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
           WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'fidelity') AND t.typname = 'mood'),
          ARRAY['sad', 'ok', 'happy'], 'enum fidelity.mood: labels in their order');
SELECT is((SELECT format_type(t.typbasetype, t.typtypmod) || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
           FROM pg_type t JOIN pg_constraint c ON c.contypid = t.oid
           WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'fidelity') AND t.typname = 'posint'),
          'integer posint_check CHECK ((VALUE > 0))', 'domain fidelity.posint: base type and named CHECK');
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
           FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid
           WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'fidelity') AND t.typname = 'pair' AND a.attnum > 0),
          'a integer, b text', 'composite fidelity.pair: attributes');
SELECT is((SELECT format_type(r.rngsubtype, NULL) || ' ' || r.rngsubdiff::regproc::text
           FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid
           WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'fidelity') AND t.typname = 'floatrange'),
          'double precision float8mi', 'range fidelity.floatrange: subtype and subtype_diff');

-- The columns use them
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                             || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = to_regclass('fidelity.udt_table') AND a.attnum > 0),
          'id integer, m fidelity.mood DEFAULT ''ok''::fidelity.mood, p fidelity.posint, pr fidelity.pair, '
          'fr fidelity.floatrange, moods fidelity.mood[]',
          'udt_table: column types and the enum default');

-- The data
SELECT is(pg_temp.value($$SELECT string_agg(u::text, ' ' ORDER BY id) FROM fidelity.udt_table u$$),
          '(1,happy,5,"(1,one)","[1.5,2.5)","{sad,happy}") (2,sad,7,"(2,two)","(,0]",{}) (3,ok,,,,)',
          'udt_table: rows');
SELECT is(pg_temp.value($$SELECT string_agg(id::text, ',' ORDER BY m, id) FROM fidelity.udt_table$$),
          '2,3,1', 'udt_table: the enum sorts in label order');
SELECT matches(pg_temp.run($$INSERT INTO fidelity.udt_table (id, p) VALUES (4, 0) RETURNING 'inserted'$$),
               '^ERROR 23514: .*posint_check', 'udt_table: the domain CHECK rejects 0');
SELECT is(pg_temp.value($$SELECT count(*) FROM fidelity.udt_table$$), '3', 'udt_table: the rejected row is not there');

-- A second clone reuses the existing types
SELECT is(pg_temp.run(format('SELECT pgclone.table(%L, %L, %L, true, %L)', pg_temp.src(), 'fidelity', 'udt_table',
                             'udt_copy')),
          'OK: cloned fidelity.udt_copy (3 rows)', 'a second table with the same types: types already exist');
SELECT is((SELECT count(*) FROM pg_type WHERE typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'fidelity')
           AND typname IN ('mood', 'posint', 'pair', 'floatrange')), 4::bigint,
          'each type exists once');
SELECT is(pg_temp.value($$SELECT string_agg(u::text, ' ' ORDER BY id) FROM fidelity.udt_copy u$$),
          '(1,happy,5,"(1,one)","[1.5,2.5)","{sad,happy}") (2,sad,7,"(2,two)","(,0]",{}) (3,ok,,,,)',
          'udt_copy: rows');

SELECT * FROM finish();
ROLLBACK;

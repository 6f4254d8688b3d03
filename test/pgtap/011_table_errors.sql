-- 011_table_errors.sql -- manual testing guide, test 18 (edge cases and error handling) for
-- pgclone.table(): each error has the right SQLSTATE and a message naming the object, never
-- shows a password, and leaves the target as it was (nothing created, no DDL even attempted).
-- 18.1 uses a closed port on 127.0.0.1 instead of the guide's unreachable 192.168.99.99: the
-- tests never contact a non-local address.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SET LOCAL client_min_messages = warning;
SELECT plan(44);

\ir lib/table_helpers.sql

-- Every DDL command started on the target bumps a sequence.  Sequence values survive the
-- rollback of the failed call, so this sees DDL that the error then undid.
CREATE TEMP SEQUENCE ddl_seen;
CREATE FUNCTION pg_temp.count_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('ddl_seen'); END $$;
CREATE FUNCTION pg_temp.ddl_count() RETURNS bigint LANGUAGE sql
AS $$ SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ddl_seen $$;

-- What a failed call must not change: every relation and schema outside the system schemas.
CREATE FUNCTION pg_temp.target_state() RETURNS text LANGUAGE sql STABLE
AS $$
    SELECT coalesce(string_agg(n.nspname || '.' || coalesce(c.relname, '') || ':' || coalesce(c.relkind::text, ''),
                               ',' ORDER BY n.nspname, c.relname), '')
    FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
    WHERE n.nspname !~ '^(pg_|information_schema$)'
$$;

CREATE TEMP TABLE before_state AS SELECT pg_temp.target_state() AS s;

-- One failing call per guide case, all made with the DDL counter on.
CREATE TEMP TABLE errs (k text PRIMARY KEY, e text[], ddl bigint);
CREATE FUNCTION pg_temp.try(k text, sql text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d0 bigint := pg_temp.ddl_count();
    e text[] := pg_temp.caught(sql);
BEGIN
    INSERT INTO errs VALUES (k, e, pg_temp.ddl_count() - d0);
END
$$;

CREATE EVENT TRIGGER tabletests_011_ddl ON ddl_command_start EXECUTE FUNCTION pg_temp.count_ddl();

-- 18.1 Invalid connection: nothing listens on 127.0.0.1:1.
SELECT pg_temp.try('18.1', format('SELECT pgclone.table(%L, %L, %L, true)',
    'host=127.0.0.1 port=1 dbname=nonexistent user=postgres password=wrongpw123 connect_timeout=5',
    'public', 'test'));
-- 18.1b Wrong password on the real source.
SELECT pg_temp.try('18.1b', format('SELECT pgclone.table(%L, %L, %L, true)',
    regexp_replace(pg_temp.src(), 'password=\S+', 'password=wrongpw456'),
    'test_schema', 'customers'));
-- 18.2 Non-existent table
SELECT pg_temp.try('18.2', format('SELECT pgclone.table(%L, %L, %L, true)',
    pg_temp.src(), 'test_schema', 'this_table_does_not_exist'));
-- 18.3 Non-existent schema (pgclone.table; pgclone.schema below when it exists)
SELECT pg_temp.try('18.3', format('SELECT pgclone.table(%L, %L, %L, true)',
    pg_temp.src(), 'nonexistent_schema', 'customers'));
SELECT pg_temp.try('18.3s', format('SELECT pgclone.schema(%L, %L, true)',
    pg_temp.src(), 'nonexistent_schema'))
WHERE to_regprocedure('pgclone.schema(text, text, boolean)') IS NOT NULL;
-- 18.4 SQL injection in the WHERE clause
SELECT pg_temp.try('18.4', format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
    pg_temp.src(), 'test_schema', 'customers', 'injection_test',
    '{"where": "1=1; DROP TABLE test_schema.customers; --"}'));
-- 18.4b the same without the semicolon: a DDL keyword is just a name the source does not know
SELECT pg_temp.try('18.4b', format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
    pg_temp.src(), 'test_schema', 'customers', 'injection_test',
    '{"where": "id > 0 OR (SELECT 1 FROM pg_catalog.pg_class) = 1 AND dRoP"}'));
-- 18.5 Invalid mask strategy
SELECT pg_temp.try('18.5', format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
    pg_temp.src(), 'test_schema', 'employees', 'emp_bad_mask',
    '{"mask": {"email": "nonexistent_strategy"}}'));
-- 18.6 Invalid JSON options
SELECT pg_temp.try('18.6', format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
    pg_temp.src(), 'test_schema', 'customers', 'json_test', '{"invalid json'));

DROP EVENT TRIGGER tabletests_011_ddl;

CREATE FUNCTION pg_temp.e(k text, i int) RETURNS text LANGUAGE sql STABLE
AS $$ SELECT e[i] FROM errs WHERE errs.k = $1 $$;

-- The counter itself works: a successful clone runs DDL.  (Checked last, below.)

-- ---------------------------------------------------------------------------------------------
-- 18.1 connection failure
SELECT matches(pg_temp.e('18.1', 1), '^08', '18.1 connection failure: SQLSTATE class 08');
SELECT matches(pg_temp.e('18.1', 2), '127\.0\.0\.1', '18.1 the message names the host');
SELECT ok(array_to_string((SELECT e FROM errs WHERE k = '18.1'), ' ') !~ 'wrongpw123',
          '18.1 the password appears nowhere in the error');
SELECT matches(pg_temp.e('18.1b', 1), '^(08|28)', '18.1b wrong password: connection/authorization error');
SELECT matches(array_to_string((SELECT e FROM errs WHERE k = '18.1b'), ' '), 'database "source"|dbname=source|"source"',
               '18.1b the error names the source database');
SELECT ok(array_to_string((SELECT e FROM errs WHERE k = '18.1b'), ' ') !~ 'wrongpw456',
          '18.1b the password appears nowhere in the error');

-- 18.2 table not found
SELECT is(pg_temp.e('18.2', 1), '42P01', '18.2 undefined_table');
SELECT matches(pg_temp.e('18.2', 2), '"test_schema"\."this_table_does_not_exist"',
               '18.2 the message has the qualified table name');

-- 18.3 schema not found
SELECT is(pg_temp.e('18.3', 1), '3F000', '18.3 pgclone.table: invalid_schema_name');
SELECT matches(pg_temp.e('18.3', 2), '"nonexistent_schema"', '18.3 pgclone.table: the message names the schema');
SELECT CASE WHEN to_regprocedure('pgclone.schema(text, text, boolean)') IS NULL
            THEN skip('pgclone.schema() does not exist in this build', 2)
            ELSE collect_tap(is(pg_temp.e('18.3s', 1), '3F000', '18.3 pgclone.schema: invalid_schema_name'),
                             matches(pg_temp.e('18.3s', 2), '"nonexistent_schema"',
                                     '18.3 pgclone.schema: the message names the schema'))
       END;

-- 18.4 where injection
SELECT is(pg_temp.e('18.4', 1), '22023', '18.4 semicolon in where: invalid_parameter_value');
SELECT matches(pg_temp.e('18.4', 2), 'where', '18.4 the message is about the where filter');
SELECT is(pg_temp.e('18.4b', 1), '42703', '18.4b DDL keyword (any case) in where: the source finds no such column');
SELECT matches(pg_temp.e('18.4b', 2), '(?i)^where filter cannot be applied to table .*drop', '18.4b the message names the keyword');

-- 18.5 unknown mask strategy
SELECT is(pg_temp.e('18.5', 1), '22023', '18.5 unknown mask strategy: invalid_parameter_value');
SELECT matches(pg_temp.e('18.5', 2), 'nonexistent_strategy', '18.5 the message names the strategy');

-- 18.6 invalid JSON
SELECT is(pg_temp.e('18.6', 1), '22P02', '18.6 invalid JSON: invalid_text_representation');
SELECT matches(pg_temp.e('18.6', 2), '(?i)json', '18.6 the message says JSON');

-- ---------------------------------------------------------------------------------------------
-- After each error the target is unchanged: no DDL was even attempted.
SELECT is((SELECT ddl FROM errs WHERE k = k_) , 0::bigint, k_ || ' no DDL run on the target')
FROM unnest(ARRAY['18.1', '18.1b', '18.2', '18.3', '18.4', '18.4b', '18.5', '18.6']) AS k_;
SELECT CASE WHEN to_regprocedure('pgclone.schema(text, text, boolean)') IS NULL
            THEN skip('pgclone.schema() does not exist in this build', 1)
            ELSE is((SELECT ddl FROM errs WHERE k = '18.3s'), 0::bigint, '18.3s no DDL run on the target')
       END;
SELECT is(pg_temp.target_state(), (SELECT s FROM before_state),
          'no schema or relation was created or changed by the failed calls');
SELECT hasnt_schema('test_schema', 'the schema test_schema was not created');
SELECT hasnt_table('public', 'test', 'public.test was not created');
SELECT hasnt_schema('nonexistent_schema', 'nonexistent_schema was not created');
SELECT hasnt_table('test_schema', 'injection_test', 'injection_test was not created');
SELECT hasnt_table('test_schema', 'emp_bad_mask', 'emp_bad_mask was not created');
SELECT hasnt_table('test_schema', 'json_test', 'json_test was not created');

-- The source was not harmed by 18.4, and a good call after all these errors works.
SELECT is(pg_temp.clone('test_schema', 'customers', true, 'injection_test',
                        '{"where": "score IS NOT NULL"}'),
          'OK: cloned test_schema.injection_test (10 rows)',
          'after the errors a clone works; the source customers still has 10 rows');

-- The DDL counter is not vacuous: it sees a clone's DDL.
CREATE EVENT TRIGGER tabletests_011_ddl ON ddl_command_start EXECUTE FUNCTION pg_temp.count_ddl();
SELECT pg_temp.try('ok', format('SELECT pgclone.table(%L, %L, %L, true, %L)',
    pg_temp.src(), 'test_schema', 'customers', 'counter_check'));
DROP EVENT TRIGGER tabletests_011_ddl;
SELECT is(pg_temp.e('ok', 1), NULL, 'the counter check clone succeeded');
SELECT cmp_ok((SELECT ddl FROM errs WHERE k = 'ok'), '>', 0::bigint,
              'the DDL counter counts the DDL of a successful clone');

-- NULL for target_table_name and options mean the defaults.
SELECT is(pg_temp.clone('public', 'simple_test', true, NULL, NULL),
          'OK: cloned public.simple_test (3 rows)', 'NULL target name and options: the defaults');

-- Bad option values are errors too, before anything happens.
SELECT is((pg_temp.caught(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
              pg_temp.src(), 'test_schema', 'customers', 'bad_conflict', '{"conflict": "merge"}')))[1],
          '22023', 'unknown conflict strategy: invalid_parameter_value');
SELECT is((pg_temp.caught(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
              pg_temp.src(), 'test_schema', 'customers', 'bad_columns', '{"columns": "id"}')))[1],
          '22023', 'columns not an array: invalid_parameter_value');
SELECT is((pg_temp.caught(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
              pg_temp.src(), 'test_schema', 'customers', 'bad_key', '{"indexs": false}')))[1],
          '22023', 'unknown option key: invalid_parameter_value');
SELECT hasnt_table('test_schema', 'bad_conflict', 'nothing created by the bad conflict value');

SELECT * FROM finish();
ROLLBACK;

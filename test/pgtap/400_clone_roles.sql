-- 400_clone_roles.sql -- manual testing guide test 12 (clone roles and permissions) and
-- pgclone.clone_roles() details: attributes, password hashes, memberships, grants, the role
-- list, roles that are never touched, and that the password hash never appears in an error.
-- Source facts are read through dblink, so expectations come from the source itself.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(32);

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('pgclone_test.source') $$;

-- Extra source roles for memberships and VALID UNTIL (committed on the source: dropped at the end).
SELECT dblink_exec(pg_temp.src(), $$
DO $do$ BEGIN
    DROP ROLE IF EXISTS checks_member; DROP ROLE IF EXISTS checks_group; DROP ROLE IF EXISTS checks_pw_probe;
    CREATE ROLE checks_group NOLOGIN;
    CREATE ROLE checks_member LOGIN NOINHERIT CONNECTION LIMIT 7 VALID UNTIL '2099-12-31 00:00:00+00';
    GRANT checks_group TO checks_member WITH ADMIN OPTION;
    CREATE ROLE checks_pw_probe LOGIN PASSWORD 'checks_pw_probe';
END $do$ $$);

-- A clean slate on the target (rolled back at the end).
DROP SCHEMA IF EXISTS test_schema CASCADE;
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['test_reader', 'test_writer', 'test_admin', 'checks_member', 'checks_group',
                             'checks_pw_probe'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('DROP OWNED BY %I', r);
            EXECUTE format('DROP ROLE %I', r);
        END IF;
    END LOOP;
END $$;

CREATE TEMP TABLE src_roles AS
SELECT * FROM dblink(pg_temp.src(),
    'SELECT rolname::text COLLATE "default", rolcanlogin, rolcreatedb, rolpassword FROM pg_authid WHERE rolname !~ ''^pg_'' AND oid <> 10')
    AS t(rolname text, rolcanlogin boolean, rolcreatedb boolean, rolpassword text);
CREATE TEMP TABLE expected AS
SELECT count(*) FILTER (WHERE r.rolname IS NULL) AS created, count(*) FILTER (WHERE r.rolname IS NOT NULL) AS updated
FROM src_roles s LEFT JOIN pg_roles r ON r.rolname = s.rolname;

-- 12.1 Clone all roles
SELECT matches(pgclone.clone_roles(pg_temp.src()),
               (SELECT format('^OK: %s roles? created, %s roles? updated, [0-9]+ grants? applied$', created, updated)
                FROM expected),
               '12.1 clone_roles(conninfo) creates every non-system source role');
SELECT results_eq(
    $$SELECT rolname::text COLLATE "default", rolcanlogin, rolcreatedb FROM pg_roles
      WHERE rolname IN ('test_reader', 'test_writer', 'test_admin') ORDER BY rolname$$,
    $$VALUES ('test_admin', true, true), ('test_reader', true, false), ('test_writer', true, false)$$,
    '12.1 the three seed roles exist with their LOGIN / CREATEDB attributes');
SELECT is((SELECT rolpassword FROM pg_authid WHERE rolname = 'test_admin'),
          (SELECT rolpassword FROM src_roles WHERE rolname = 'test_admin'),
          'the password hash of test_admin is the source''s');
SELECT matches((SELECT rolpassword FROM pg_authid WHERE rolname = 'test_admin'), '^SCRAM-SHA-256\$',
               'the hash is stored as SCRAM, not re-hashed');
SELECT is((SELECT rolpassword FROM pg_authid WHERE rolname = 'test_reader'), NULL,
          'a role without a password on the source has none on the target');
SELECT results_eq(
    $$SELECT rolcanlogin, rolinherit, rolconnlimit, rolvaliduntil = '2099-12-31 00:00:00+00' FROM pg_roles
      WHERE rolname = 'checks_member'$$,
    $$VALUES (true, false, 7, true)$$,
    'NOINHERIT, CONNECTION LIMIT and VALID UNTIL are cloned');
SELECT ok(pg_has_role('checks_member', 'checks_group', 'MEMBER WITH ADMIN OPTION'),
          'the membership of checks_member in checks_group is cloned with ADMIN OPTION');
SELECT is((SELECT count(*)::int FROM pg_roles WHERE rolname = 'postgres' AND rolsuper), 1,
          'the bootstrap superuser is left alone');

-- 12.2 Clone specific roles (comma list with spaces)
DROP ROLE test_reader;
DROP ROLE test_writer;
SELECT is(pgclone.clone_roles(pg_temp.src(), 'test_reader, test_writer'),
          'OK: 2 roles created, 0 roles updated, 0 grants applied',
          '12.2 clone_roles(conninfo, ''test_reader, test_writer'')');
SELECT results_eq($$SELECT rolname::text COLLATE "default" FROM pg_roles WHERE rolname IN ('test_reader', 'test_writer') ORDER BY 1$$,
                  $$VALUES ('test_reader'), ('test_writer')$$, '12.2 test_reader and test_writer exist');

-- 12.3 Verify permissions: grants are applied to objects that exist on the target
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'customers', true), 'OK: cloned test_schema.customers (10 rows)',
          'clone customers');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'orders', true, NULL, '{"triggers": false}'),
          'OK: cloned test_schema.orders (12 rows)', 'clone orders');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'order_items', true),
          'OK: cloned test_schema.order_items (15 rows)', 'clone order_items');
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'employees', true),
          'OK: cloned test_schema.employees (5 rows)', 'clone employees');
SELECT is(pgclone.clone_roles(pg_temp.src(), 'test_reader'),
          'OK: 0 roles created, 1 role updated, 5 grants applied',
          'test_reader: USAGE on the schema and SELECT on four tables');
SELECT results_eq(
    $$SELECT table_name::text COLLATE "default", privilege_type::text COLLATE "default" FROM information_schema.table_privileges
      WHERE grantee = 'test_reader' AND table_schema = 'test_schema' ORDER BY table_name, privilege_type$$,
    $$VALUES ('customers', 'SELECT'), ('employees', 'SELECT'), ('order_items', 'SELECT'), ('orders', 'SELECT')$$,
    '12.3 test_reader has SELECT on all test_schema tables');
SELECT ok(has_schema_privilege('test_reader', 'test_schema', 'USAGE'), 'test_reader has USAGE on test_schema');
SELECT is(pgclone.clone_roles(pg_temp.src(), 'test_writer'),
          'OK: 0 roles created, 1 role updated, 9 grants applied',
          'test_writer: schema USAGE, INSERT/UPDATE on four tables, USAGE on four sequences');
SELECT is((SELECT count(*)::int FROM information_schema.table_privileges
           WHERE grantee = 'test_writer' AND table_schema = 'test_schema' AND privilege_type IN ('INSERT', 'UPDATE')),
          8, 'test_writer has INSERT and UPDATE on the four tables');
SELECT ok(has_sequence_privilege('test_writer', 'test_schema.orders_id_seq', 'USAGE'),
          'test_writer has USAGE on orders_id_seq');

-- 12.4 Existing role update: attributes and password synced
ALTER ROLE test_admin NOCREATEDB CONNECTION LIMIT 3 PASSWORD 'not_the_source_password';
SELECT is(pgclone.clone_roles(pg_temp.src(), 'test_admin'),
          'OK: 0 roles created, 1 role updated, 9 grants applied',
          '12.4 clone_roles(conninfo, ''test_admin'') updates the existing role');
SELECT results_eq($$SELECT rolcreatedb, rolconnlimit FROM pg_roles WHERE rolname = 'test_admin'$$,
                  $$VALUES (true, -1)$$, '12.4 attributes synced');
SELECT is((SELECT rolpassword FROM pg_authid WHERE rolname = 'test_admin'),
          (SELECT rolpassword FROM src_roles WHERE rolname = 'test_admin'), '12.4 password synced');
SELECT is((SELECT count(*)::int FROM information_schema.table_privileges
           WHERE grantee = 'test_admin' AND table_schema = 'test_schema'), 28,
          'test_admin has all seven table privileges on the four tables');

-- Roles that are not cloned, and bad input
SELECT is(pgclone.clone_roles(pg_temp.src(), 'no_such_role_4711, pg_monitor, postgres'),
          'OK: 0 roles created, 0 roles updated, 0 grants applied',
          'unknown, predefined and bootstrap roles are skipped (each with a WARNING)');
SELECT throws_ok($$SELECT pgclone.clone_roles(pg_temp.src(), 'test_reader,,test_writer')$$, '22023',
                 'role list contains an empty name', 'an empty element in the role list is an error');
SELECT throws_ok($$SELECT pgclone.clone_roles(pg_temp.src(), '')$$, '22023', 'role list is empty',
                 'an empty role list is an error');
SELECT throws_ok($$SELECT pgclone.clone_roles(NULL)$$, '22004', 'source_conninfo must not be null',
                 'NULL conninfo is an error');

-- The password hash never appears in an error: passwordcheck refuses a password equal to the
-- role name, so setting the cloned hash of checks_pw_probe fails on the target.
DROP ROLE checks_pw_probe;
LOAD 'passwordcheck';
CREATE FUNCTION pg_temp.probe_error() RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text; c text;
BEGIN
    PERFORM pgclone.clone_roles(pg_temp.src(), 'checks_pw_probe');
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, c = PG_EXCEPTION_CONTEXT;
    RETURN concat_ws(' | ', m, d, h, c);
END $$;
CREATE TEMP TABLE probe AS SELECT pg_temp.probe_error() AS err;
SELECT matches((SELECT err FROM probe), '^could not set the password of role "checks_pw_probe" on the target: ',
               'a failing password statement is reported with the role name');
SELECT ok((SELECT position(s.rolpassword IN p.err) = 0 AND p.err !~ 'SCRAM-SHA-256\$' AND p.err !~ 'PASSWORD'
           FROM probe p, src_roles s WHERE s.rolname = 'checks_pw_probe'),
          'neither the hash nor the statement appears in the message, detail, hint or context');
SELECT is((SELECT count(*)::int FROM pg_roles WHERE rolname = 'checks_pw_probe'), 0,
          'the failed clone left no role behind');

-- Source clean-up (dblink commits on the source at once).
SELECT is(dblink_exec(pg_temp.src(),
              'DROP ROLE checks_member; DROP ROLE checks_group; DROP ROLE checks_pw_probe'),
          'DROP ROLE', 'source roles of this file dropped');

SELECT * FROM finish();
ROLLBACK;

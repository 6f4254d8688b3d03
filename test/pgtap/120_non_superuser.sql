-- 120_non_superuser.sql -- a role that was granted EXECUTE on pgclone but is not a superuser must
-- authenticate to the source with a password of its own that the source actually asked for (the
-- dblink / postgres_fdw rule, docs/SECURITY.md); otherwise EXECUTE on pgclone would hand out the
-- target server's own identity (its OS user, ~/.pgpass, trust and peer on its sockets).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(8);

CREATE ROLE pgclone_nonsuper NOSUPERUSER LOGIN;
GRANT USAGE ON SCHEMA pgclone TO pgclone_nonsuper;
GRANT EXECUTE ON FUNCTION pgclone.table(text, text, text, boolean, text, text) TO pgclone_nonsuper;
GRANT EXECUTE ON FUNCTION pgclone.database_create(text, text, boolean, text) TO pgclone_nonsuper;
DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE SCHEMA test_schema AUTHORIZATION pgclone_nonsuper;

-- The target's own socket: trust authentication, no password asked.
CREATE TEMP TABLE conninfos AS SELECT
    format('host=%s port=%s dbname=target user=postgres', split_part(current_setting('unix_socket_directories'), ',', 1),
           current_setting('port')) AS own_server,
    current_setting('pgclone_test.source') AS source;
GRANT SELECT ON conninfos TO pgclone_nonsuper;

SET ROLE pgclone_nonsuper;
SELECT throws_ok(format($$SELECT pgclone.table(%L, 'pg_catalog', 'pg_authid', true, 'stolen')$$,
                        (SELECT own_server FROM conninfos)),
    '2F003', 'password is required', 'no password in the conninfo: refused before connecting');
SELECT throws_ok(format($$SELECT pgclone.table(%L, 'pg_catalog', 'pg_authid', true, 'stolen')$$,
                        (SELECT own_server || ' password=anything' FROM conninfos)),
    '2F003', 'password is required', 'a server that did not ask for the password: refused');
SELECT is(to_regclass('test_schema.stolen'), NULL, 'nothing was created');
SELECT is(pgclone.table((SELECT source FROM conninfos), 'test_schema', 'customers', true),
    'OK: cloned test_schema.customers (10 rows)', 'a password the source asked for: the clone works');
SELECT is((SELECT count(*) FROM test_schema.customers), 10::bigint, 'the non-superuser clone has the rows');
SELECT is((SELECT tableowner::text FROM pg_tables WHERE schemaname = 'test_schema' AND tablename = 'customers'),
    'pgclone_nonsuper', 'the cloned table belongs to the caller');
SELECT throws_ok(format($$SELECT pgclone.database_create(%L, 'nonsuper_db', true)$$, (SELECT source FROM conninfos)),
    '42501', 'permission denied to run pgclone.database_create()',
    'database_create needs a superuser (it creates the extension in the new database)');
RESET ROLE;
SELECT ok(NOT has_function_privilege('public', 'pgclone.table(text, text, text, boolean, text, text)', 'EXECUTE'),
    'EXECUTE is not granted to PUBLIC');

SELECT * FROM finish();
ROLLBACK;

-- 600_secrets.sql -- secrets never leave the call (issue 9, item 8 and the small ones):
--  * a dbname that is itself a URI or a keyword string is expanded the way libpq's expand_dbname
--    does (its password is used to connect, and is a secret like any other: never in an error);
--  * every libpq option marked secret (password, sslpassword), wherever it came from, is scrubbed;
--  * an unknown service is named in the error; a connection string over 64 kB is refused;
--  * table_async/schema_async refuse a non-superuser's password-less conninfo up front.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(24);
DROP SCHEMA IF EXISTS test_schema CASCADE;

\ir lib/table_helpers.sql

-- All fields of the error raised by sql, or NULLs if it succeeded.
CREATE FUNCTION pg_temp.error_of(sql text, OUT state text, OUT msg text, OUT det text, OUT hnt text)
LANGUAGE sql AS $$
    SELECT e[1], e[2], e[3], e[4] FROM (SELECT pg_temp.caught(sql) AS e) AS x
$$;

-- The error of pgclone.table(conninfo, 'test_schema', 'customers'), all fields in one text.
CREATE FUNCTION pg_temp.clone_error(conninfo text, OUT state text, OUT everything text)
LANGUAGE sql AS $$
    SELECT state, concat_ws(' | ', msg, det, hnt)
    FROM pg_temp.error_of(format('SELECT pgclone.table(%L, %L, %L)', conninfo, 'test_schema', 'customers'))
$$;

CREATE TEMP TABLE src AS
SELECT substring(current_setting('pgclone_test.source') FROM 'port=(\d+)') AS port,
       substring(current_setting('pgclone_test.source') FROM 'host=(\S+)') AS sockdir,
       substring(current_setting('pgclone_test.source') FROM 'password=(\S+)') AS password;

-- --- a URI in dbname ----------------------------------------------------------------------------
-- Wrong password inside the URI: before the fix the URI stayed the database name, and the error
-- said: database "postgresql://postgres:Uri-In-Db-Pw1@..."
CREATE TEMP TABLE e1 AS
SELECT * FROM pg_temp.clone_error(format($$dbname='postgresql://postgres:Uri-In-Db-Pw1@127.0.0.1:%s/source' connect_timeout=10$$,
                                         (SELECT port FROM src)));
SELECT matches(state, '^08', 'URI in dbname, wrong password: a connection error (' || state || ')') FROM e1;
SELECT matches(everything, 'host "127\.0\.0\.1", port \d+, database "source"',
               'URI in dbname: the error names the server the URI points at') FROM e1;
SELECT unalike(everything, '%Uri-In-Db-Pw1%', 'URI in dbname: no field contains its password') FROM e1;
SELECT unalike(everything, '%postgresql://%', 'URI in dbname: the URI itself is not shown') FROM e1;

-- The same over the unix socket (host as a query parameter), password percent-encoded.
CREATE TEMP TABLE e2 AS
SELECT * FROM pg_temp.clone_error(format($$dbname='postgresql://postgres:Uri%%2DSock%%2DPw2@/source?host=%s&port=%s'$$,
                                         (SELECT sockdir FROM src), (SELECT port FROM src)));
SELECT matches(state, '^08', 'URI in dbname over the socket: a connection error (' || state || ')') FROM e2;
SELECT unalike(everything, '%Uri-Sock-Pw2%', 'URI in dbname over the socket: the decoded password is not shown') FROM e2;
SELECT unalike(everything, '%Uri%2DSock%', 'URI in dbname over the socket: nor its encoded form') FROM e2;

-- A keyword string in dbname, with sslpassword as well: both are secrets.
CREATE TEMP TABLE e3 AS
SELECT * FROM pg_temp.clone_error(format($$dbname='host=127.0.0.1 port=%s dbname=source user=postgres password=Kw-In-Db-Pw3 sslpassword=Ssl-In-Db-Pw3'$$,
                                         (SELECT port FROM src)));
SELECT matches(state, '^08', 'keyword string in dbname, wrong password: a connection error (' || state || ')') FROM e3;
SELECT unalike(everything, '%Kw-In-Db-Pw3%', 'keyword string in dbname: no field contains its password') FROM e3;
SELECT unalike(everything, '%Ssl-In-Db-Pw3%', 'keyword string in dbname: no field contains its sslpassword') FROM e3;

-- A malformed URI in dbname: libpq quotes the user-info in its message, which is not shown.
CREATE TEMP TABLE e4 AS
SELECT * FROM pg_temp.clone_error($$dbname='postgresql://postgres:Bad%zz-Pw4@127.0.0.1/source'$$);
SELECT is(state, '08000', 'malformed URI in dbname: invalid connection string (08000)') FROM e4;
SELECT unalike(everything, '%Bad%zz-Pw4%', 'malformed URI in dbname: the password is not shown') FROM e4;

-- Expanded as libpq does: the URI's password is the one used (options listed before dbname, such
-- as user and password, are replaced by the URI's), so the clone works.
SELECT is(pgclone.table(format($$user=nobody password=Outer-Wrong-Pw5 dbname='postgresql://postgres:%s@127.0.0.1:%s/source'$$,
                               (SELECT password FROM src), (SELECT port FROM src)),
                        'test_schema', 'customers'),
          'OK: cloned test_schema.customers (10 rows)', 'URI in dbname: expanded, its user and password are used');
-- Options listed after dbname (host, port) keep the caller's value: a wrong port wins over the URI's.
CREATE TEMP TABLE e5 AS
SELECT * FROM pg_temp.clone_error(format($$port=1 connect_timeout=5 dbname='postgresql://postgres:After-Pw6@127.0.0.1:%s/source'$$,
                                         (SELECT port FROM src)));
SELECT matches(everything, 'port 1, database "source"', 'URI in dbname: a port given outside the URI wins, as in libpq') FROM e5;
SELECT unalike(everything, '%After-Pw6%', 'URI in dbname, unreachable port: the password is not shown') FROM e5;

-- --- service, length ------------------------------------------------------------------------------
CREATE TEMP TABLE e6 AS SELECT * FROM pg_temp.clone_error('service=pgclone_nosuch_service');
SELECT is(state, '08000', 'unknown service: 08000') FROM e6;
SELECT matches(everything, '^could not use service "pgclone_nosuch_service" to connect to the source server',
               'unknown service: the message names the service') FROM e6;

CREATE TEMP TABLE e7 AS
SELECT * FROM pg_temp.clone_error('host=127.0.0.1 password=Long-Pw7 application_name=' || repeat('a', 1048576));
SELECT is(state, '22023', 'a 1 MB connection string: invalid_parameter_value') FROM e7;
SELECT matches(everything, '^the connection string for the source server is too long \| It has 1048626 bytes; at most 65536 are accepted',
               'a 1 MB connection string: a length error with the limit') FROM e7;
SELECT unalike(everything, '%Long-Pw7%', 'a 1 MB connection string: the password is not shown') FROM e7;

SELECT is(to_regnamespace('test_schema') IS NOT NULL AND
          (SELECT count(*) FROM pg_class WHERE relnamespace = to_regnamespace('test_schema') AND relkind = 'r') = 1,
          true, 'the failed calls created nothing (only the one successful clone is there)');

-- --- async: a non-superuser's password-less conninfo is refused before a job exists ------------------
CREATE ROLE pgclone_600_nonsuper NOSUPERUSER LOGIN;
GRANT USAGE ON SCHEMA pgclone TO pgclone_600_nonsuper;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_600_nonsuper;
CREATE TEMP TABLE nopw AS
SELECT format('host=%s port=%s dbname=target user=postgres', split_part(current_setting('unix_socket_directories'), ',', 1),
              current_setting('port')) AS own_server;
GRANT SELECT ON nopw TO pgclone_600_nonsuper;
-- (needs the job table: skipped when the harness runs without shared_preload_libraries)
CREATE FUNCTION pg_temp.async_refusals() RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
    IF current_setting('pgclone_test.preload', true) = 'off' THEN
        RETURN NEXT skip('pgclone is not in shared_preload_libraries', 3);
        RETURN;
    END IF;
    SET LOCAL ROLE pgclone_600_nonsuper;
    RETURN NEXT throws_ok(format($$SELECT pgclone.table_async(%L, 'test_schema', 'customers', true, 'stolen')$$,
                                 (SELECT own_server FROM nopw)),
                          '2F003', 'password is required', 'table_async: no password, not a superuser: refused up front');
    RETURN NEXT throws_ok(format($$SELECT pgclone.schema_async(%L, 'public')$$, (SELECT own_server FROM nopw)),
                          '2F003', 'password is required', 'schema_async: the same');
    RESET ROLE;
    RETURN NEXT is((SELECT count(*) FROM pgclone.progress_detail() WHERE owner = 'pgclone_600_nonsuper'), 0::bigint,
                   'no job was queued for the refused calls');
END $f$;
SELECT * FROM pg_temp.async_refusals();

SELECT * FROM finish();
ROLLBACK;

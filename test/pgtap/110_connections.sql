-- 110_connections.sql -- bad source connections give clear errors that name the server and
-- never show the password (issue 2, item 4): a wrong password (keyword and URI form), a closed
-- port, a missing database, malformed connection strings with and without a password.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(32);

-- All fields of the error raised by sql, or NULLs if it succeeded.
CREATE FUNCTION pg_temp.error_of(sql text, OUT state text, OUT msg text, OUT det text, OUT hnt text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
END $$;

-- The error of pgclone.table(conninfo, 'test_schema', 'customers').
CREATE FUNCTION pg_temp.clone_error(conninfo text, OUT state text, OUT msg text, OUT det text, OUT hnt text)
LANGUAGE sql AS $$
    SELECT * FROM pg_temp.error_of(format('SELECT pgclone.table(%L, %L, %L)', conninfo, 'test_schema', 'customers'))
$$;

-- message, detail and hint together, for "never contains the password" checks
CREATE FUNCTION pg_temp.all_text(e record) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN concat_ws(' | ', e.msg, e.det, e.hnt);
END $$;

CREATE TEMP TABLE src AS
SELECT current_setting('pgclone_test.source') AS conninfo,
       substring(current_setting('pgclone_test.source') FROM 'port=(\d+)') AS port,
       substring(current_setting('pgclone_test.source') FROM 'host=(\S+)') AS sockdir;

-- ---------------------------------------------------------------------------------------
-- wrong password, keyword form over the unix socket
CREATE TEMP TABLE e1 AS
SELECT * FROM pg_temp.clone_error((SELECT regexp_replace(conninfo, 'password=\S+', 'password=Wr0ng-Pw-One') FROM src));
SELECT matches(state, '^08', 'wrong password: SQLSTATE class 08 (' || state || ')') FROM e1;
SELECT is(msg, format('could not connect to the source server at host "%s", port %s, database "source"',
                      (SELECT sockdir FROM src), (SELECT port FROM src)),
          'wrong password: the message names host, port and database') FROM e1;
SELECT matches(det, 'password authentication failed for user "postgres"',
               'wrong password: the detail gives the server''s reason') FROM e1;
SELECT unalike(pg_temp.all_text(e1), '%Wr0ng-Pw-One%', 'wrong password: no field contains the password') FROM e1;

-- wrong password, URI form over TCP
CREATE TEMP TABLE e2 AS
SELECT * FROM pg_temp.clone_error(format('postgresql://postgres:Wr0ng-Pw-Two@127.0.0.1:%s/source', (SELECT port FROM src)));
SELECT matches(state, '^08', 'wrong password (URI): SQLSTATE class 08 (' || state || ')') FROM e2;
SELECT is(msg, format('could not connect to the source server at host "127.0.0.1", port %s, database "source"',
                      (SELECT port FROM src)),
          'wrong password (URI): the message names host, port and database') FROM e2;
SELECT matches(det, 'password authentication failed', 'wrong password (URI): the detail gives the reason') FROM e2;
SELECT unalike(pg_temp.all_text(e2), '%Wr0ng-Pw-Two%', 'wrong password (URI): no field contains the password') FROM e2;

-- nothing listens on the port (connection refused)
CREATE TEMP TABLE e3 AS
SELECT * FROM pg_temp.clone_error('host=127.0.0.1 port=1 dbname=source user=postgres password=Cl0sed-Pw-3 connect_timeout=5');
SELECT is(state, '08006', 'closed port: SQLSTATE 08006 connection_failure') FROM e3;
SELECT is(msg, 'could not connect to the source server at host "127.0.0.1", port 1, database "source"',
          'closed port: the message names host, port and database') FROM e3;
SELECT matches(det, 'Connection refused', 'closed port: the detail says the connection was refused') FROM e3;
SELECT unalike(pg_temp.all_text(e3), '%Cl0sed-Pw-3%', 'closed port: no field contains the password') FROM e3;

-- the database does not exist (right password: it must not show either)
CREATE TEMP TABLE e4 AS
SELECT * FROM pg_temp.clone_error((SELECT replace(conninfo, 'dbname=source', 'dbname=no_such_db') FROM src));
SELECT matches(state, '^08', 'missing database: SQLSTATE class 08 (' || state || ')') FROM e4;
SELECT matches(msg, 'database "no_such_db"', 'missing database: the message names the database') FROM e4;
SELECT matches(det, 'database "no_such_db" does not exist', 'missing database: the detail gives the reason') FROM e4;
SELECT unalike(pg_temp.all_text(e4),
              '%' || substring((SELECT conninfo FROM src) FROM 'password=(\S+)') || '%',
              'missing database: no field contains the (correct) password') FROM e4;

-- malformed keyword string with a password: libpq's text quotes fragments, so it is not shown
CREATE TEMP TABLE e5 AS
SELECT * FROM pg_temp.clone_error('host=127.0.0.1 password=Bad-Syntax-Pw5 port');
SELECT matches(state, '^08', 'malformed with password: SQLSTATE class 08 (' || state || ')') FROM e5;
SELECT is(msg, 'invalid connection string for the source server', 'malformed with password: clear message') FROM e5;
SELECT unalike(pg_temp.all_text(e5), '%Bad-Syntax-Pw5%', 'malformed with password: no field contains the password')
  FROM e5;
SELECT isnt(hnt, NULL, 'malformed with password: a hint shows the valid forms') FROM e5;

-- unterminated quote around the password
CREATE TEMP TABLE e6 AS
SELECT * FROM pg_temp.clone_error($$host=127.0.0.1 password='Unterminated-Pw6 port=5$$);
SELECT matches(state, '^08', 'unterminated quote: SQLSTATE class 08 (' || state || ')') FROM e6;
SELECT unalike(pg_temp.all_text(e6), '%Unterminated-Pw6%', 'unterminated quote: no field contains the password')
  FROM e6;

-- malformed URIs: libpq quotes the user-info (password) or the whole URI in its message
CREATE TEMP TABLE e7 AS
SELECT * FROM pg_temp.clone_error('postgresql://postgres:Perc%zzent-Pw7@127.0.0.1/source');
SELECT matches(state, '^08', 'bad percent-encoding in URI: SQLSTATE class 08 (' || state || ')') FROM e7;
SELECT unalike(pg_temp.all_text(e7), '%Perc%', 'bad percent-encoding in URI: no field contains the password')
  FROM e7;

CREATE TEMP TABLE e8 AS
SELECT * FROM pg_temp.clone_error('postgresql://postgres:Bracket-Pw8@[::1/source');
SELECT matches(state, '^08', 'unterminated IPv6 bracket in URI: SQLSTATE class 08 (' || state || ')') FROM e8;
SELECT unalike(pg_temp.all_text(e8), '%Bracket-Pw8%', 'unterminated IPv6 bracket in URI: no field contains the password')
  FROM e8;

-- wrong password given as a URI query parameter
CREATE TEMP TABLE e9 AS
SELECT * FROM pg_temp.clone_error(format('postgresql://127.0.0.1:%s/source?user=postgres&password=Query-Pw9',
                                         (SELECT port FROM src)));
SELECT matches(state, '^08', 'wrong password (URI query parameter): SQLSTATE class 08 (' || state || ')') FROM e9;
SELECT unalike(pg_temp.all_text(e9), '%Query-Pw9%', 'wrong password (URI query parameter): no field contains the password')
  FROM e9;

-- malformed without any password: libpq's own explanation is shown, it is safe and useful
CREATE TEMP TABLE e10 AS
SELECT * FROM pg_temp.clone_error('host=127.0.0.1 port');
SELECT is(state, '08000', 'malformed without password: SQLSTATE 08000') FROM e10;
SELECT matches(det, 'missing "=" after "port"', 'malformed without password: the detail says what is wrong') FROM e10;

-- none of the failed calls left anything on the target
SELECT is(to_regnamespace('test_schema'), NULL, 'the failed clones created nothing on the target');
SELECT is(pgclone.table((SELECT conninfo FROM src), 'test_schema', 'customers'),
          'OK: cloned test_schema.customers (10 rows)', 'the right conninfo still clones in the same session');

SELECT * FROM finish();
ROLLBACK;

-- 620_data_unchanged.sql -- rows arrive byte for byte as the source has them, whatever the
-- calling session's settings (client_encoding, DateStyle, IntervalStyle, extra_float_digits,
-- bytea_output, TimeZone, all at once) and whatever the source session's defaults, on the
-- binary COPY path, the text COPY path (a column of a user type) and the masked path; and
-- pgclone.verify (checksum) agrees. Issue 9, item 11.
--
-- The file is ASCII only (non-ASCII text is written as U&'' escapes): its own literals must not
-- depend on the client_encoding it switches. The source objects (schema enc620) are made with
-- dblink and dropped at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(34);
\ir lib/table_helpers.sql

SELECT dblink_exec(pg_temp.src(), $src$
DROP SCHEMA IF EXISTS enc620 CASCADE;
CREATE SCHEMA enc620;
CREATE TYPE enc620.mood AS ENUM ('ok', U&'gr\00fcn');
CREATE TABLE enc620.b (
    id int PRIMARY KEY, t text, v varchar(40), c char(3), j json, jb jsonb, arr text[],
    d date DEFAULT '2024-02-29', ts timestamp, tz timestamptz, iv interval, f4 real, f8 float8,
    n numeric, by bytea, m money, tm time, ttz timetz);
INSERT INTO enc620.b VALUES
    (1, U&'h\00e9llo w\00f6rld \2603', U&'\00e5\00e4\00f6', U&'\00df\20ac\00a9',
     U&'{"k": "\00e9\2603"}', U&'{"k": "\00e9\2603", "n": 0.1}', ARRAY[U&'\00e9', U&'\+01F600', 'a"b'],
     '2024-02-29', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123456+05:45',
     '-1 day -02:03:04', 0.1, 0.1, 1234567.891, '\x00ff5c27', 1234.56, '23:59:59.999999', '01:02:03+05:30'),
    (2, E'tab\there\nnew line \\ backslash', 'x', 'ab', '[]', '{}', '{}',
     '0001-01-01 BC', '0001-01-01 00:00:00 BC', '1900-01-01 00:00:00+00:19:32',
     '1 year 2 mons -3 days +04:05:06.789', 1e-30, 1e-300, 'NaN', '', -0.01, '00:00', '00:00-12'),
    (3, '', NULL, NULL, 'null', 'null', NULL, 'infinity', '-infinity', 'infinity',
     '-178000000 years', 'Infinity', '-Infinity', -0.000001, NULL, 0, '24:00', '24:00+15:59');
CREATE TABLE enc620.x (LIKE enc620.b INCLUDING DEFAULTS, e enc620.mood);
INSERT INTO enc620.x SELECT b.*, CASE WHEN id = 1 THEN U&'gr\00fcn' ELSE 'ok' END::enc620.mood FROM enc620.b;
$src$);

-- A fingerprint of rows under fixed settings: on the target through a function's SET clauses, on
-- the source in a dblink session that pins the same settings first.
CREATE FUNCTION pg_temp.fp_sql(rel text, cols text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('SELECT md5(string_agg(ROW(%s)::text, E''\n'' ORDER BY id)) || '':'' || count(*) FROM %s',
                  cols, rel)
$$;
CREATE FUNCTION pg_temp.target_fp(rel text, cols text) RETURNS text LANGUAGE plpgsql
SET DateStyle = 'ISO, MDY' SET IntervalStyle = 'postgres'
SET extra_float_digits = 3 SET bytea_output = 'hex' SET TimeZone = 'UTC' SET lc_monetary = 'C'
AS $$ DECLARE r text; BEGIN EXECUTE pg_temp.fp_sql(rel, cols) INTO r; RETURN r;
EXCEPTION WHEN OTHERS THEN RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM; END $$;
CREATE FUNCTION pg_temp.source_fp(rel text, cols text) RETURNS text LANGUAGE sql AS $$
    SELECT x FROM dblink(pg_temp.src(),
        'SET DateStyle = ''ISO, MDY''; SET IntervalStyle = postgres; SET extra_float_digits = 3; '
        'SET bytea_output = hex; SET TimeZone = UTC; SET lc_monetary = ''C''; ' || pg_temp.fp_sql(rel, cols))
        AS t(x text)
$$;

-- Clones src_table to target under session settings {name, value, name, value, ...} of the
-- calling session, restored afterwards; returns the clone's result text.
CREATE FUNCTION pg_temp.clone_under(settings text[], src_table text, target text,
                                    options text DEFAULT NULL, conninfo text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    old text[] := '{}';
    r text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(settings, 1), 0) BY 2 LOOP
        old := old || ARRAY[settings[i], current_setting(settings[i])];
        PERFORM set_config(settings[i], settings[i + 1], false);
    END LOOP;
    BEGIN
        r := pgclone.table(coalesce(conninfo, pg_temp.src()), 'enc620', src_table, true, target, options);
    EXCEPTION WHEN OTHERS THEN
        r := 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
    END;
    FOR i IN REVERSE coalesce(array_length(old, 1), 0) - 1 .. 1 BY 2 LOOP
        PERFORM set_config(old[i], old[i + 1], false);
    END LOOP;
    RETURN r;
END $$;

CREATE TEMP TABLE scenario(n int, label text, settings text[]);
INSERT INTO scenario VALUES
    (1, 'client_encoding LATIN1', '{client_encoding,LATIN1}'),
    (2, 'DateStyle SQL, DMY', '{DateStyle,"SQL, DMY"}'),
    (3, 'IntervalStyle sql_standard', '{IntervalStyle,sql_standard}'),
    (4, 'extra_float_digits -15', '{extra_float_digits,-15}'),
    (5, 'bytea_output escape', '{bytea_output,escape}'),
    (6, 'TimeZone Asia/Kathmandu', '{TimeZone,Asia/Kathmandu}'),
    (7, 'all of them', '{client_encoding,LATIN1,DateStyle,"German, DMY",IntervalStyle,iso_8601,extra_float_digits,-15,bytea_output,escape,TimeZone,America/St_Johns}');

-- Binary COPY path (built-in types, same major version).
SELECT is(pg_temp.clone_under(settings, 'b', 'b' || n), format('OK: cloned enc620.b%s (3 rows)', n),
          'binary path, caller ' || label || ': clone')
FROM scenario ORDER BY n;
SELECT is(pg_temp.target_fp('enc620.b' || n, 'b' || n || '.*'), pg_temp.source_fp('enc620.b', 'b.*'),
          'binary path, caller ' || label || ': rows byte for byte')
FROM scenario ORDER BY n;

-- Text COPY path (a column of a user-defined type).
SELECT is(pg_temp.clone_under(settings, 'x', 'x' || n), format('OK: cloned enc620.x%s (3 rows)', n),
          'text path, caller ' || label || ': clone')
FROM scenario WHERE n IN (1, 7) ORDER BY n;
SELECT is(pg_temp.target_fp('enc620.x' || n, 'x' || n || '.*'), pg_temp.source_fp('enc620.x', 'x.*'),
          'text path, caller ' || label || ': rows byte for byte')
FROM scenario WHERE n IN (1, 7) ORDER BY n;

-- Masked path: the mask's own non-ASCII output and every unmasked column.
SELECT is(pg_temp.clone_under(settings, 'b', 'm' || n, '{"mask": {"t": {"type": "partial", "prefix": 2, "suffix": 3}}}'),
          format('OK: cloned enc620.m%s (3 rows)', n), 'masked path, caller ' || label || ': clone')
FROM scenario WHERE n IN (1, 7) ORDER BY n;
SELECT is(pg_temp.target_fp('enc620.m' || n, 'id, v, c, j, jb, arr, d, ts, tz, iv, f4, f8, n, by, m, tm, ttz'),
          pg_temp.source_fp('enc620.b', 'id, v, c, j, jb, arr, d, ts, tz, iv, f4, f8, n, by, m, tm, ttz'),
          'masked path, caller ' || label || ': unmasked columns byte for byte')
FROM scenario WHERE n IN (1, 7) ORDER BY n;
SELECT is((SELECT t FROM enc620.m1 WHERE id = 1), U&'h\00e9***d \2603',
          'masked path, caller client_encoding LATIN1: the mask''s output is intact');

-- A source whose session defaults differ from the target's (its DateStyle writes day first, its
-- IntervalStyle drops the signs of later fields): pgclone pins the source's output settings.
SELECT pg_temp.src() || ' options=''-c DateStyle=SQL,DMY -c IntervalStyle=sql_standard'
       ' -c bytea_output=escape -c TimeZone=Pacific/Chatham -c extra_float_digits=-15''' AS odd_src \gset
SELECT is(pg_temp.clone_under('{}', 'x', 'xs', NULL, :'odd_src'), 'OK: cloned enc620.xs (3 rows)',
          'text path, source with other output defaults: clone');
SELECT is(pg_temp.target_fp('enc620.xs', 'xs.*'), pg_temp.source_fp('enc620.x', 'x.*'),
          'text path, source with other output defaults: rows byte for byte');
SELECT is(pg_temp.clone_under('{}', 'b', 'bs', NULL, :'odd_src'), 'OK: cloned enc620.bs (3 rows)',
          'binary path, source with other output defaults: clone');
SELECT is(pg_temp.target_fp('enc620.bs', 'bs.*'), pg_temp.source_fp('enc620.b', 'b.*'),
          'binary path, source with other output defaults: rows byte for byte');
SELECT is(pg_temp.run($$SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef
                          WHERE adrelid = 'enc620.bs'::regclass AND adnum = 8$$),
          $$'2024-02-29'::date$$, 'source with other output defaults: a date default keeps its value');

-- verify in checksum mode sees the clone as equal (it reads both sides under pinned settings).
SELECT is(pg_temp.clone_under('{client_encoding,LATIN1}', 'b', NULL), 'OK: cloned enc620.b (3 rows)',
          'binary path under its own name, caller client_encoding LATIN1: clone');
SELECT is(pg_temp.clone_under('{client_encoding,LATIN1}', 'x', NULL), 'OK: cloned enc620.x (3 rows)',
          'text path under its own name, caller client_encoding LATIN1: clone');
SELECT is(match, U&'\2713', 'verify checksum: ' || table_name || ' matches')
FROM pgclone.verify(pg_temp.src(), 'enc620', '{"mode": "checksum"}')
WHERE table_name IN ('b', 'x') ORDER BY table_name;

-- The settings pgclone pins for the COPY are the caller's again after it, also when the COPY
-- fails half-way (here the source raises on the second row).
CREATE FUNCTION pg_temp.settings_after(options text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
    old text[] := ARRAY[current_setting('client_encoding'), current_setting('DateStyle'),
                        current_setting('IntervalStyle'), current_setting('lc_monetary')];
BEGIN
    PERFORM set_config('client_encoding', 'LATIN1', false);
    PERFORM set_config('DateStyle', 'SQL, DMY', false);
    PERFORM set_config('IntervalStyle', 'iso_8601', false);
    BEGIN
        PERFORM pgclone.table(pg_temp.src(), 'enc620', 'b', true, 'b_after', options);
    EXCEPTION WHEN OTHERS THEN
        NULL;
    END;
    r := concat_ws('|', current_setting('client_encoding'), current_setting('DateStyle'),
                   current_setting('IntervalStyle'), current_setting('lc_monetary') = old[4]);
    PERFORM set_config('client_encoding', old[1], false);
    PERFORM set_config('DateStyle', old[2], false);
    PERFORM set_config('IntervalStyle', old[3], false);
    RETURN r;
END $$;
SELECT is(pg_temp.settings_after(NULL), 'LATIN1|SQL, DMY|iso_8601|t',
          'after a clone the calling session has its own settings again');
SELECT is(pg_temp.settings_after('{"where": "1 / (id - 2) IS NOT NULL", "conflict": "replace"}'),
          'LATIN1|SQL, DMY|iso_8601|t',
          'after a clone that failed during the COPY the calling session has its own settings again');

SELECT dblink_exec(pg_temp.src(), 'DROP SCHEMA enc620 CASCADE');
SELECT * FROM finish();
ROLLBACK;

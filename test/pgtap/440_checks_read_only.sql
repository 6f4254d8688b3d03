-- 440_checks_read_only.sql -- verify (every mode), diff and preflight change nothing: neither the
-- target's catalogs, data and sequences, nor the source's catalogs. Snapshots are kept in psql
-- variables (\gset) so that taking them writes nothing either.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(5);

-- Fingerprint of the catalogs a check could touch (statistics columns left out: autovacuum
-- may change them at any time).
CREATE FUNCTION pg_temp.catalog_sql() RETURNS text LANGUAGE sql AS $f$ SELECT $q$
SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
    SELECT 'class:' || c.oid || ':' || relname || ':' || relkind::text || ':' || relnamespace || ':' || coalesce(relacl::text, '')
    FROM pg_class c WHERE relpersistence <> 't'
    UNION ALL SELECT 'att:' || attrelid || ':' || attnum || ':' || attname || ':' || atttypid || ':' || attnotnull
        || ':' || attisdropped || ':' || coalesce(attacl::text, '') FROM pg_attribute
        WHERE attrelid IN (SELECT oid FROM pg_class WHERE relpersistence <> 't')
    UNION ALL SELECT 'ns:' || oid || ':' || nspname || ':' || coalesce(nspacl::text, '') FROM pg_namespace
        WHERE nspname !~ '^pg_(toast_)?temp_'
    UNION ALL SELECT 'con:' || oid || ':' || conname || ':' || convalidated FROM pg_constraint
    UNION ALL SELECT 'trg:' || oid || ':' || tgname || ':' || tgenabled::text FROM pg_trigger
    UNION ALL SELECT 'proc:' || oid || ':' || proname || ':' || coalesce(proacl::text, '') FROM pg_proc
    UNION ALL SELECT 'role:' || oid || ':' || rolname || ':' || coalesce(rolpassword, '') || ':' || rolcanlogin
        || ':' || rolconnlimit FROM pg_authid
    UNION ALL SELECT 'member:' || roleid || ':' || member || ':' || admin_option FROM pg_auth_members
    UNION ALL SELECT 'ext:' || extname || ':' || extversion FROM pg_extension
    UNION ALL SELECT 'seq:' || seqrelid || ':' || seqincrement || ':' || seqmax FROM pg_sequence
    UNION ALL SELECT 'def:' || adrelid || ':' || adnum FROM pg_attrdef
    UNION ALL SELECT 'desc:' || objoid || ':' || objsubid || ':' || description FROM pg_description
    UNION ALL SELECT 'spc:' || spcname FROM pg_tablespace
) s(x) $q$ $f$;
CREATE FUNCTION pg_temp.target_catalog() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; BEGIN EXECUTE pg_temp.catalog_sql() INTO r; RETURN r; END $$;
CREATE FUNCTION pg_temp.source_catalog() RETURNS text LANGUAGE sql AS $$
    SELECT x FROM dblink(current_setting('pgclone_test.source'), pg_temp.catalog_sql()) AS t(x text)
$$;
DROP SCHEMA IF EXISTS test_schema CASCADE;
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true),
          'OK: cloned test_schema.customers (10 rows)', 'clone customers');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true),
          'OK: cloned test_schema.employees (5 rows)', 'clone employees');

-- Data and sequence state of the cloned tables, and this transaction's row writes.
CREATE FUNCTION pg_temp.target_data() RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM test_schema.customers t),
        (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM test_schema.employees t),
        (SELECT last_value || ':' || is_called FROM test_schema.customers_id_seq),
        (SELECT sum(n_tup_ins + n_tup_upd + n_tup_del + n_tup_hot_upd) FROM pg_stat_xact_all_tables)))
$$;

SELECT pg_temp.target_catalog() AS tcat_before, pg_temp.source_catalog() AS scat_before,
       pg_temp.target_data() AS tdata_before \gset

-- Every read-only check, with results consumed but not stored.
SELECT count(*) AS n FROM pgclone.verify(current_setting('pgclone_test.source'), 'test_schema') \gset
SELECT count(*) AS n FROM pgclone.verify(current_setting('pgclone_test.source')) \gset
SELECT count(*) AS n FROM pgclone.verify(current_setting('pgclone_test.source'), 'test_schema', '{"mode": "exact"}') \gset
SELECT count(*) AS n FROM pgclone.verify(current_setting('pgclone_test.source'), NULL, '{"mode": "checksum"}') \gset
SELECT length(pgclone.diff(current_setting('pgclone_test.source'), 'test_schema')) AS n \gset
SELECT length(pgclone.preflight(current_setting('pgclone_test.source'), 'test_schema')) AS n \gset
SELECT length(pgclone.preflight(current_setting('pgclone_test.source'), 'no_such_schema')) AS n \gset
SELECT length(pgclone.preflight('host=127.0.0.1 port=1 dbname=x user=x password=x', 'test_schema')) AS n \gset

SELECT pg_temp.target_catalog() AS tcat_after, pg_temp.source_catalog() AS scat_after,
       pg_temp.target_data() AS tdata_after \gset

SELECT is(:'tcat_after'::text, :'tcat_before'::text, 'the target catalogs are unchanged');
SELECT is(:'tdata_after'::text, :'tdata_before'::text, 'target rows, sequences and this transaction''s row writes are unchanged');
SELECT is(:'scat_after'::text, :'scat_before'::text, 'the source catalogs are unchanged');

SELECT * FROM finish();
ROLLBACK;

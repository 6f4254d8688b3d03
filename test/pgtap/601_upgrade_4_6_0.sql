-- 601_upgrade_4_6_0.sql -- 4.6.0 takes the source connection string out of the async job views
-- (issue 9, item 10): progress_detail() has no source_conninfo and gains current_table, and
-- jobs_view has the guide's columns plus error_message and current_table, in the original
-- pgclone's order; masking_report() takes schema_name. 4.5.0 has shipped, so
-- this is an update script: ALTER EXTENSION UPDATE from 4.4.0 and from 4.5.0 must give the same
-- extension as a fresh install (objects, definitions, result columns, ACLs), and keep the
-- privileges someone was granted on the two objects it re-creates.
BEGIN;
SELECT plan(18);

-- Fingerprint of every member object of the extension: functions with their full signature
-- (result columns included), body, attributes, comment and ACL; views with their definition,
-- comment and ACL (a NULL ACL, the default, and its explicit form count as the same).
CREATE TEMP VIEW pgclone_members AS
SELECT string_agg(pg_describe_object(d.classid, d.objid, d.objsubid) || ' ' ||
                  coalesce(md5((SELECT row(p.proargnames, p.proargtypes::text, p.proallargtypes::text, p.proargmodes,
                                         p.prorettype::regtype::text, pg_get_function_result(p.oid), p.prosrc, p.proisstrict,
                                         p.provolatile, p.proretset, pg_get_expr(p.proargdefaults, 0), p.proconfig,
                                         obj_description(p.oid, 'pg_proc'),
                                         coalesce(p.proacl, acldefault('f', p.proowner)))::text
                                FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid)), '') ||
                  coalesce(md5((SELECT row(pg_get_viewdef(c.oid), obj_description(c.oid, 'pg_class'),
                                         coalesce(c.relacl, acldefault('r', c.relowner)))::text
                                FROM pg_class c WHERE d.classid = 'pg_class'::regclass AND c.oid = d.objid)), ''),
                  E'\n' ORDER BY 1)
FROM pg_depend d
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pgclone') AND d.deptype = 'e';

CREATE ROLE pgclone_600_reader;
CREATE FUNCTION pg_temp.grant_readers() RETURNS void LANGUAGE sql AS $$
    GRANT SELECT ON pgclone.jobs_view TO pgclone_600_reader;
    GRANT EXECUTE ON FUNCTION pgclone.progress_detail() TO pgclone_600_reader WITH GRANT OPTION;
$$;
CREATE FUNCTION pg_temp.revoke_readers() RETURNS void LANGUAGE sql AS $$
    REVOKE ALL ON pgclone.jobs_view FROM pgclone_600_reader;
    REVOKE ALL ON FUNCTION pgclone.progress_detail() FROM pgclone_600_reader CASCADE;
$$;

-- --- from 4.4.0 --------------------------------------------------------------------------------
DROP EXTENSION IF EXISTS pgclone CASCADE;
CREATE EXTENSION pgclone VERSION '4.4.0';
SELECT pg_temp.grant_readers();
ALTER EXTENSION pgclone UPDATE;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.6.0', '4.4.0: ALTER EXTENSION UPDATE reaches 4.6.0');
SELECT ok(has_table_privilege('pgclone_600_reader', 'pgclone.jobs_view', 'SELECT'),
          '4.4.0 -> 4.6.0: SELECT granted on the old jobs_view is kept');
SELECT ok(has_function_privilege('pgclone_600_reader', 'pgclone.progress_detail()', 'EXECUTE WITH GRANT OPTION'),
          '4.4.0 -> 4.6.0: EXECUTE (with grant option) granted on the old progress_detail() is kept');
SELECT ok(NOT has_function_privilege('public', 'pgclone.progress_detail()', 'EXECUTE'),
          '4.4.0 -> 4.6.0: progress_detail() is not executable by PUBLIC');
SELECT pg_temp.revoke_readers();
CREATE TEMP TABLE from_440 AS SELECT * FROM pgclone_members;

-- --- from 4.5.0 --------------------------------------------------------------------------------
DROP EXTENSION pgclone;
CREATE EXTENSION pgclone VERSION '4.5.0';
SELECT pg_temp.grant_readers();
ALTER EXTENSION pgclone UPDATE TO '4.6.0';
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.6.0', '4.5.0: ALTER EXTENSION UPDATE reaches 4.6.0');
SELECT ok(has_table_privilege('pgclone_600_reader', 'pgclone.jobs_view', 'SELECT'),
          '4.5.0 -> 4.6.0: SELECT granted on the old jobs_view is kept');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'pgclone'::regnamespace AND relname LIKE '%4_5_0')
          AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = 'pgclone'::regnamespace AND proname LIKE '%4_5_0'),
          '4.5.0 -> 4.6.0: the renamed old objects are gone');
SELECT pg_temp.revoke_readers();
CREATE TEMP TABLE from_450 AS SELECT * FROM pgclone_members;

-- --- fresh --------------------------------------------------------------------------------------
DROP EXTENSION pgclone;
CREATE EXTENSION pgclone;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.6.0', 'CREATE EXTENSION installs 4.6.0');
SELECT is(pgclone.version(), 'pgclone 4.6.0', 'pgclone.version() reports 4.6.0');
SELECT columns_are('pgclone', 'jobs_view',
                   ARRAY['job_id', 'status', 'op_type', 'schema_name', 'table_name', 'current_phase',
                         'current_table', 'tables_total', 'tables_completed', 'rows_copied', 'bytes_copied',
                         'elapsed_ms', 'start_time', 'end_time', 'error_message', 'pct_complete', 'progress_bar',
                         'elapsed_time', 'warnings'],
                   'jobs_view: the original pgclone''s columns (the guide''s, error_message and current_table), then warnings');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = 'pgclone.jobs_view'::regclass AND attnum > 0),
          ARRAY['job_id', 'status', 'op_type', 'schema_name', 'table_name', 'current_phase', 'current_table',
                'tables_total', 'tables_completed', 'rows_copied', 'bytes_copied', 'elapsed_ms', 'start_time',
                'end_time', 'error_message', 'pct_complete', 'progress_bar', 'elapsed_time', 'warnings'],
          'jobs_view: in the original pgclone''s order, then warnings');
SELECT is(pg_get_function_result('pgclone.progress_detail()'::regprocedure),
          'TABLE(job_id integer, status text, op_type text, schema_name text, table_name text, current_phase text, '
          'current_table text, tables_total integer, tables_completed integer, rows_copied bigint, bytes_copied bigint, '
          'elapsed_ms bigint, start_time timestamp with time zone, end_time timestamp with time zone, '
          'error_message text, pct_complete numeric, progress_bar text, elapsed_time interval, parent_job_id integer, '
          'resumed_from integer, target_table text, warnings integer, result text, owner text, database_name text, '
          'worker_pid integer)',
          'progress_detail(): the original''s columns in its order, then pgclone''s own; no source_conninfo');
SELECT is(pg_get_function_arguments('pgclone.masking_report(text)'::regprocedure), 'schema_name text',
          'masking_report() takes schema_name, as the original did');
SELECT is((SELECT count(*) FROM pgclone.masking_report(schema_name => 'pg_catalog')),
          (SELECT count(*) FROM pgclone.masking_report('pg_catalog')),
          'masking_report(schema_name => ...) can be called by name');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                      WHERE c.relnamespace = 'pgclone'::regnamespace AND a.attname LIKE '%conninfo%'),
          'no relation of the extension has a conninfo column');
SELECT unalike((SELECT string_agg(obj_description(oid, 'pg_proc'), ' ') FROM pg_proc
                WHERE oid IN ('pgclone.progress(integer)'::regprocedure, 'pgclone.progress_detail()'::regprocedure,
                              'pgclone.jobs()'::regprocedure)),
               '%connection string without%', 'the comments no longer promise a redacted connection string');
SELECT is((SELECT * FROM pgclone_members), (SELECT * FROM from_440),
          'a fresh 4.6.0 install and 4.4.0 + ALTER EXTENSION UPDATE have the same objects, definitions and ACLs');
SELECT is((SELECT * FROM pgclone_members), (SELECT * FROM from_450),
          'a fresh 4.6.0 install and 4.5.0 + ALTER EXTENSION UPDATE have the same objects, definitions and ACLs');

SELECT * FROM finish();
ROLLBACK;

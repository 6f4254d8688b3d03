-- pgclone 4.5.0 -> 4.6.0: the async job views show nothing of the source connection string.
-- progress_detail() loses source_conninfo and gains current_table (the table a job is copying
-- now); jobs_view has the guide's columns plus error_message and current_table. A result type
-- cannot be changed in place, so both objects are created anew under their names; the old ones
-- are renamed first so that their grants can be carried over, then dropped.
\echo Use "ALTER EXTENSION pgclone UPDATE TO '4.6.0'" to load this file. \quit

ALTER VIEW pgclone.jobs_view RENAME TO jobs_view_4_5_0;
ALTER FUNCTION pgclone.progress_detail() RENAME TO progress_detail_4_5_0;

CREATE FUNCTION pgclone.progress_detail()
RETURNS TABLE(job_id integer, status text, op_type text, schema_name text, table_name text,
              current_phase text, tables_total integer, tables_completed integer, rows_copied bigint,
              bytes_copied bigint, elapsed_ms bigint, start_time timestamptz, end_time timestamptz,
              pct_complete numeric, progress_bar text, elapsed_time interval, error_message text,
              current_table text, parent_job_id integer, resumed_from integer, target_table text,
              warnings integer, result text, owner text, database_name text, worker_pid integer)
AS 'MODULE_PATHNAME', 'pgclone_progress_detail'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.progress_detail() IS
'One row per job the current role may see: status, kind (table, schema, pool_worker, snapshot_coordinator), schema, table, phase, tables, rows and bytes copied, times, percent, progress bar, error message, the table being copied now, parent job, result, owner, database and worker pid';
REVOKE ALL ON FUNCTION pgclone.progress_detail() FROM PUBLIC;

CREATE VIEW pgclone.jobs_view AS
SELECT job_id, status, op_type, schema_name, table_name, current_phase, tables_total, tables_completed,
       rows_copied, bytes_copied, elapsed_ms, start_time, end_time, pct_complete, progress_bar,
       elapsed_time, error_message, current_table
FROM pgclone.progress_detail();
COMMENT ON VIEW pgclone.jobs_view IS
'Async jobs the current role may see (pgclone.progress_detail()), with the columns of the progress view: job, status, kind, schema, table, phase, counts, times, percent, progress bar, error message and the table being copied now';

COMMENT ON FUNCTION pgclone.progress(integer) IS
'Progress of one job as JSON: status (pending, running, completed, failed, cancelled), phase, current table, tables, rows and bytes copied, percent, progress bar, elapsed time, error message and result. Nothing of the source connection string is shown';

-- Whoever was granted the old view or function keeps the same privileges on the new one.
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT a.privilege_type, a.grantee, a.is_grantable, 'pgclone.jobs_view' AS object
        FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
        WHERE c.oid = 'pgclone.jobs_view_4_5_0'::pg_catalog.regclass AND a.grantee <> c.relowner
        UNION ALL
        SELECT a.privilege_type, a.grantee, a.is_grantable, 'FUNCTION pgclone.progress_detail()'
        FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) a
        WHERE p.oid = 'pgclone.progress_detail_4_5_0()'::pg_catalog.regprocedure AND a.grantee <> p.proowner
    LOOP
        EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, g.object,
                                  CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                       ELSE g.grantee::pg_catalog.regrole::pg_catalog.text END,
                                  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END $$;

DROP VIEW pgclone.jobs_view_4_5_0;
DROP FUNCTION pgclone.progress_detail_4_5_0();

-- pgclone 4.5.0 -> 4.6.0:
--  * the async job views show nothing of the source connection string: progress_detail() loses
--    source_conninfo and gains current_table (the table a job is copying now);
--  * progress_detail() and jobs_view have the original pgclone's columns in its order (job_id ...
--    elapsed_time), progress_detail()'s own columns after them; jobs_view is exactly those;
--  * masking_report() takes its schema as schema_name, the original's parameter name (its rows
--    come as the composite type masking_report_row, which may have a schema_name column too).
--  * job_messages(job_id): the WARNINGs an async job and its pool workers reported, kept with
--    the job (the server log tags them with CONTEXT "pgclone job N");
--  * durable job records: pgclone.job_record (one row per table or schema job) and
--    pgclone.job_record_table (one row per table a job committed, written in the table's own
--    transaction), pgclone.job_task (the task list of a parallel job, taken by its pool workers
--    with FOR UPDATE SKIP LOCKED; a big table's chunks, option chunk_size, are tasks of their own);
--    resume(job_id, conninfo) continues a job from its record, also after a
--    restart; clear_jobs(older_than) purges old records; jobs_view gains warnings;
--  * clone_progress (view) and clone_progress_entries(): running schema, database and functions
--    clones as other sessions see them (phase, tables, current table, rows, percent copied);
-- A result type or a parameter name cannot be changed in place, so these objects are created
-- anew under their names; the old ones are renamed first so that their grants can be carried
-- over, then dropped.
\echo Use "ALTER EXTENSION pgclone UPDATE TO '4.6.0'" to load this file. \quit

ALTER VIEW pgclone.jobs_view RENAME TO jobs_view_4_5_0;
ALTER FUNCTION pgclone.progress_detail() RENAME TO progress_detail_4_5_0;
ALTER FUNCTION pgclone.masking_report(text) RENAME TO masking_report_4_5_0;

CREATE FUNCTION pgclone.progress_detail()
RETURNS TABLE(job_id integer, status text, op_type text, schema_name text, table_name text,
              current_phase text, current_table text, tables_total integer, tables_completed integer,
              rows_copied bigint, bytes_copied bigint, elapsed_ms bigint, start_time timestamptz,
              end_time timestamptz, error_message text, pct_complete numeric, progress_bar text,
              elapsed_time interval, parent_job_id integer, resumed_from integer, target_table text,
              warnings integer, result text, owner text, database_name text, worker_pid integer)
AS 'MODULE_PATHNAME', 'pgclone_progress_detail'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.progress_detail() IS
'One row per job the current role may see: status, kind (table: a table job or a pool worker; schema; snapshot_coordinator), schema, table, phase, the table being copied now, tables, rows and bytes copied, times, error message, percent, progress bar, elapsed time, then parent job, result, owner, database and worker pid';
REVOKE ALL ON FUNCTION pgclone.progress_detail() FROM PUBLIC;

CREATE VIEW pgclone.jobs_view AS
SELECT job_id, status, op_type, schema_name, table_name, current_phase, current_table, tables_total,
       tables_completed, rows_copied, bytes_copied, elapsed_ms, start_time, end_time, error_message,
       pct_complete, progress_bar, elapsed_time, warnings
FROM pgclone.progress_detail();
COMMENT ON VIEW pgclone.jobs_view IS
'Async jobs the current role may see (pgclone.progress_detail()), with the original pgclone''s columns in its order: job, status, kind, schema, table, phase, the table being copied now, counts, times, error message, percent, progress bar and elapsed time; then the count of what the job skipped with a WARNING';

CREATE TYPE pgclone.masking_report_row AS (
    schema_name text,
    table_name text,
    column_name text,
    sensitivity text,
    mask_status text,
    recommendation text);
COMMENT ON TYPE pgclone.masking_report_row IS 'A row of pgclone.masking_report()';

CREATE FUNCTION pgclone.masking_report(schema_name text)
RETURNS SETOF pgclone.masking_report_row
AS 'MODULE_PATHNAME', 'pgclone_masking_report'
LANGUAGE C STABLE;
COMMENT ON FUNCTION pgclone.masking_report(text) IS
'Compliance report: every sensitive column of the local schema''s tables with its category, MASKED (view) or UNMASKED, and the mask to apply';
REVOKE ALL ON FUNCTION pgclone.masking_report(text) FROM PUBLIC;

COMMENT ON FUNCTION pgclone.progress(integer) IS
'Progress of one job as JSON: status (pending, running, completed, failed, cancelled), phase, current table, tables, rows and bytes copied, percent, progress bar, elapsed time, error message and result. Nothing of the source connection string is shown';

-- update only: begin
-- Whoever was granted the old view or functions keeps the same privileges on the new ones.
-- (A fresh install has no such grants and is made without this block, so that it needs no
-- PL/pgSQL: the Makefile leaves out everything between these two markers.)
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
        UNION ALL
        SELECT a.privilege_type, a.grantee, a.is_grantable, 'FUNCTION pgclone.masking_report(text)'
        FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) a
        WHERE p.oid = 'pgclone.masking_report_4_5_0(text)'::pg_catalog.regprocedure AND a.grantee <> p.proowner
    LOOP
        EXECUTE pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, g.object,
                                  CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                       ELSE g.grantee::pg_catalog.regrole::pg_catalog.text END,
                                  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END $$;
-- update only: end

DROP VIEW pgclone.jobs_view_4_5_0;
DROP FUNCTION pgclone.progress_detail_4_5_0();
DROP FUNCTION pgclone.masking_report_4_5_0(text);

CREATE FUNCTION pgclone.job_messages(job_id integer)
RETURNS TABLE(job_id integer, seq integer, severity text, message text)
AS 'MODULE_PATHNAME', 'pgclone_job_messages'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.job_messages(integer) IS
'The WARNINGs an async job and its pool workers reported, oldest first (passwords removed); the server log has the same lines with CONTEXT "pgclone job N"';
REVOKE ALL ON FUNCTION pgclone.job_messages(integer) FROM PUBLIC;

CREATE FUNCTION pgclone.clone_progress_entries()
RETURNS TABLE(pid integer, datid oid, userid oid, kind text, subject text, started timestamptz,
              phase text, phase_started timestamptz, tables_total integer, tables_done integer,
              current_table text, rows_done bigint, bytes_estimate bigint,
              bytes_estimate_done bigint, current_estimate bigint)
AS 'MODULE_PATHNAME', 'pgclone_clone_progress_entries'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.clone_progress_entries() IS
'The running schema, database and functions clones of this server the current role may see, from shared memory (pgclone.clone_progress shows them)';
REVOKE ALL ON FUNCTION pgclone.clone_progress_entries() FROM PUBLIC;

CREATE VIEW pgclone.clone_progress AS
SELECT p.pid, d.datname, r.rolname AS usename, p.kind, p.subject, p.started, p.phase,
       p.phase_started, p.tables_total, p.tables_done, p.current_table,
       p.rows_done + coalesce(c.tuples_processed, 0) AS rows_copied,
       CASE WHEN p.bytes_estimate > 0
            THEN round(100.0 * least(p.bytes_estimate,
                                     p.bytes_estimate_done
                                     + least(coalesce(c.bytes_processed, 0), p.current_estimate))
                       / p.bytes_estimate, 1)
       END AS percent_copied
FROM pgclone.clone_progress_entries() p
LEFT JOIN pg_catalog.pg_database d ON d.oid = p.datid
LEFT JOIN pg_catalog.pg_roles r ON r.oid = p.userid
LEFT JOIN pg_catalog.pg_stat_progress_copy c ON c.pid = p.pid AND p.current_table IS NOT NULL;
COMMENT ON VIEW pgclone.clone_progress IS
'One row per running schema, database or functions clone the current role may see (its own roles'' clones; all of them for pg_read_all_stats): phase, tables done of the plan, the table being copied, rows copied and the share of the source''s estimated table size copied so far';

CREATE TABLE pgclone.job_record (
    job_id integer PRIMARY KEY,
    resumed_from integer,
    kind text NOT NULL CHECK (kind IN ('table', 'schema')),
    role_id oid NOT NULL,
    role_name name NOT NULL,
    source text NOT NULL,
    schema_name text NOT NULL,
    table_name text,
    target_table text,
    include_data boolean NOT NULL,
    options text,
    options_complete boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    tables_total integer,
    warnings integer NOT NULL DEFAULT 0,
    start_time timestamptz NOT NULL,
    end_time timestamptz,
    result text,
    error_message text,
    note text,
    cleared_at timestamptz);
COMMENT ON TABLE pgclone.job_record IS
'Durable record of each async table or schema job run in this database (docs/ASYNC.md): its arguments (source without secrets, options without mask salts), status, times, result, error and warnings. Written by the job itself; read it through pgclone.jobs_view or, once granted SELECT, directly (row-level security shows a role only the jobs of roles whose privileges it has)';
CREATE TABLE pgclone.job_record_table (
    job_id integer NOT NULL REFERENCES pgclone.job_record ON DELETE CASCADE,
    schema_name text NOT NULL,
    table_name text NOT NULL,
    state text NOT NULL CHECK (state IN ('done', 'skipped', 'earlier')),
    rows_copied bigint NOT NULL DEFAULT 0,
    bytes_copied bigint NOT NULL DEFAULT 0,
    committed_at timestamptz NOT NULL,
    PRIMARY KEY (job_id, schema_name, table_name));
COMMENT ON TABLE pgclone.job_record_table IS
'One row per table an async job committed (done), kept because it existed (skipped), or took over from the job it resumes (earlier). A done row is written in the transaction that commits the table''s rows: the rows are in the target exactly when the record says so';
CREATE TABLE pgclone.job_task (
    job_id integer NOT NULL REFERENCES pgclone.job_record ON DELETE CASCADE,
    ordinal integer NOT NULL CHECK (ordinal >= 0),
    schema_name text NOT NULL,
    table_name text NOT NULL,
    relkind "char" NOT NULL,
    is_partition boolean NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'held', 'done', 'skipped', 'earlier')),
    worker_job_id integer,
    finished_at timestamptz,
    part integer NOT NULL DEFAULT 0 CHECK (part >= 0),
    stage text NOT NULL DEFAULT 'table' CHECK (stage IN ('table', 'rows', 'finish')),
    first_page bigint CHECK (first_page >= 0),
    end_page bigint CHECK (end_page > first_page),
    rows_copied bigint,
    bytes_copied bigint,
    PRIMARY KEY (job_id, ordinal, part),
    CHECK ((part = 0) = (stage <> 'rows')),
    CHECK ((stage = 'rows') = (first_page IS NOT NULL)));
-- Pool workers take the first pending task: without this index each take would walk every
-- finished task of the job before it.
CREATE INDEX job_task_pending ON pgclone.job_task (job_id, ordinal, part) WHERE state = 'pending';
COMMENT ON TABLE pgclone.job_task IS
'The task list of a parallel async schema job, written with the plan: per table of the plan (ordinal) one row of part 0, stage table; a table split in chunks (option chunk_size) has instead its finish task at part 0 (constraints, indexes, triggers, ANALYZE) and one rows task per chunk at parts 1.. (heap pages first_page to end_page, exclusive; no end_page: to the end). A pool worker takes a pending task with FOR UPDATE SKIP LOCKED (a finish task only once no chunk of its table is pending) and marks it done (or skipped) in the transaction that commits its work: a worker that dies leaves its task pending. held: left to the job itself after the pool; earlier: committed by the job it resumes. rows_copied, bytes_copied: of a chunk';
REVOKE ALL ON TABLE pgclone.job_record, pgclone.job_record_table, pgclone.job_task FROM PUBLIC;
ALTER TABLE pgclone.job_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE pgclone.job_record_table ENABLE ROW LEVEL SECURITY;
ALTER TABLE pgclone.job_task ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_record_visible ON pgclone.job_record FOR SELECT
    USING (pg_catalog.pg_has_role(role_id, 'USAGE'));
CREATE POLICY job_record_table_visible ON pgclone.job_record_table FOR SELECT
    USING (EXISTS (SELECT FROM pgclone.job_record r WHERE r.job_id = job_record_table.job_id));
CREATE POLICY job_task_visible ON pgclone.job_task FOR SELECT
    USING (EXISTS (SELECT FROM pgclone.job_record r WHERE r.job_id = job_task.job_id));

CREATE FUNCTION pgclone.resume(job_id integer, conninfo text)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_resume_with'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.resume(integer, text) IS
'Continue a failed or cancelled job from its durable record (also one from before a server restart) with this connection string, and return the new job''s id. Tables the job committed are not copied again; the rest is read in a new snapshot of the source';
REVOKE ALL ON FUNCTION pgclone.resume(integer, text) FROM PUBLIC;

CREATE FUNCTION pgclone.clear_jobs(older_than interval)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_clear_jobs_older'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.clear_jobs(interval) IS
'Remove every finished job the current role may see that ended more than older_than ago, with its durable record, resumable or not. Returns how many were removed';
REVOKE ALL ON FUNCTION pgclone.clear_jobs(interval) FROM PUBLIC;
COMMENT ON FUNCTION pgclone.clear_jobs() IS
'Remove the finished jobs (completed, failed, cancelled) the current role may see and the connection strings they kept for pgclone.resume(); the durable record of a failed or cancelled job that was not resumed yet is kept (pgclone.resume(job_id, conninfo) continues it). Returns how many jobs are listed no more';
COMMENT ON FUNCTION pgclone.resume(integer) IS
'Re-run a failed or cancelled job as a new job with the same arguments, options and connection string (kept while the server runs), and return its id. A schema job skips the tables the earlier job committed (they are not conflicts), keeps the objects it created before the tables, and creates the foreign keys, views, functions and triggers. A table job runs again from the start (a failed table job left nothing)';

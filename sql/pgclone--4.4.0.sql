-- pgclone 4.4.0: the SQL surface of the v4.4.0 release notes.
\echo Use "CREATE EXTENSION pgclone" to load this file. \quit

CREATE FUNCTION pgclone.version()
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_version'
LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION pgclone.version() IS 'pgclone library version, e.g. "pgclone 4.4.0"';

CREATE FUNCTION pgclone.table(
    source_conninfo text,
    schema_name text,
    table_name text,
    include_data boolean DEFAULT true,
    target_table_name text DEFAULT NULL,
    options text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.table(text, text, text, boolean, text, text) IS
'Clone one table (structure, data, constraints, indexes, triggers) from the source server into the current database. options (JSON): columns, where, indexes, constraints, triggers, conflict, mask, consistent, snapshot_id';

CREATE FUNCTION pgclone.table_ex(
    source_conninfo text,
    schema_name text,
    table_name text,
    include_data boolean,
    target_table_name text,
    include_indexes boolean,
    include_constraints boolean,
    include_triggers boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table_ex'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.table_ex(text, text, text, boolean, text, boolean, boolean, boolean) IS
'Clone one table, choosing indexes, constraints and triggers with booleans';

-- ===== schema, database and function cloning =====

CREATE FUNCTION pgclone.schema(
    source_conninfo text,
    schema_name text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.schema(text, text, boolean, text) IS
'Clone a whole schema from the source server into the current database, in one transaction and one source snapshot: types, sequences, tables with data, indexes, constraints, foreign keys, views, materialized views, functions, triggers and comments. options (JSON): indexes, constraints, triggers, matviews, analyze, conflict, tables and exclude_tables (POSIX regexes matched as ^(pattern)$ by the source), masks (table or "schema.table" -> mask object), consistent, snapshot_id';

CREATE FUNCTION pgclone.schema_ex(
    source_conninfo text,
    schema_name text,
    include_data boolean,
    include_indexes boolean,
    include_constraints boolean,
    include_triggers boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema_ex'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.schema_ex(text, text, boolean, boolean, boolean, boolean) IS
'Clone a whole schema, choosing indexes, constraints and triggers with booleans';

CREATE FUNCTION pgclone.functions(
    source_conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_functions'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.functions(text, text) IS
'Clone the functions and procedures of a schema (existing ones of the same signature are replaced)';

CREATE FUNCTION pgclone.database(
    source_conninfo text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.database(text, boolean, text) IS
'Clone every user schema of the source database into the current database, in one transaction and one source snapshot, creating the extensions the source uses when the target has them. options (JSON): as for pgclone.schema(); "masks" keys may be "schema.table", which win over bare table names';

CREATE FUNCTION pgclone.database_create(
    source_conninfo text,
    target_dbname text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database_create'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.database_create(text, text, boolean, text) IS
'Create a new database on this server (through the pgclone.local_conninfo connection) and run pgclone.database() inside it, options forwarded verbatim; the new database is dropped again if the clone fails';

-- ===== masking =====

-- Not STRICT: a NULL argument is an error naming it, as in pgclone.table().

CREATE FUNCTION pgclone.discover_sensitive(
    source_conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_discover_sensitive'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.discover_sensitive(text, text) IS
'Classify the columns of a source schema by name (about 50 patterns in 10 categories) and return JSON {"table": {"column": mask}} usable directly as the "masks" option of pgclone.schema(), each table''s object as the "mask" option of pgclone.table()';

CREATE FUNCTION pgclone.mask_in_place(
    schema_name text,
    table_name text,
    mask_json text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_mask_in_place'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.mask_in_place(text, text, text) IS
'Static masking: overwrite the masked columns of every row of a local table in one UPDATE, with the strategies of the "mask" option; returns "OK: masked N rows in schema.table (K columns)"';

CREATE FUNCTION pgclone.create_masking_policy(
    schema_name text,
    table_name text,
    mask_json text,
    privileged_role text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_create_masking_policy'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.create_masking_policy(text, text, text, text) IS
'Dynamic masking: create the view <table>_masked (masked columns replaced by their mask), revoke the base table from PUBLIC, grant the view to PUBLIC and SELECT on the base table to privileged_role; the view''s comment records the changes for pgclone.drop_masking_policy()';

CREATE FUNCTION pgclone.drop_masking_policy(
    schema_name text,
    table_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_drop_masking_policy'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.drop_masking_policy(text, text) IS
'Undo pgclone.create_masking_policy(): drop the <table>_masked view, give PUBLIC back the privileges it had, revoke what the policy granted to the privileged role';

CREATE FUNCTION pgclone.masking_report(target_schema text)
RETURNS TABLE (
    schema_name text,
    table_name text,
    column_name text,
    sensitivity text,
    mask_status text,
    recommendation text)
AS 'MODULE_PATHNAME', 'pgclone_masking_report'
LANGUAGE C STABLE;
COMMENT ON FUNCTION pgclone.masking_report(text) IS
'Compliance report: every sensitive column of the local schema''s tables with its category, MASKED (view) or UNMASKED, and the mask to apply';

-- ===== roles and checks (verify, diff, preflight) =====

-- search_path is pinned so that catalog definitions print the same way on
-- the target as on the source (whose session always uses pg_catalog).
CREATE FUNCTION pgclone.clone_roles(
    source_conninfo text,
    role_names text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_clone_roles'
LANGUAGE C VOLATILE
SET search_path = pg_catalog;
COMMENT ON FUNCTION pgclone.clone_roles(text, text) IS
'Clone roles from the source cluster: attributes (LOGIN, SUPERUSER, CREATEDB, CREATEROLE, REPLICATION, INHERIT, BYPASSRLS, CONNECTION LIMIT, VALID UNTIL), password hashes (source superuser needed), memberships, and GRANTs on schemas, tables, sequences and functions that exist on the target. role_names: comma list, NULL for all. Existing roles are updated, never dropped. Returns "OK: N roles created, N roles updated, N grants applied"';

CREATE FUNCTION pgclone.verify(
    source_conninfo text,
    schema_name text DEFAULT NULL)
RETURNS TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)
AS 'MODULE_PATHNAME', 'pgclone_verify'
LANGUAGE C VOLATILE
SET search_path = pg_catalog;
COMMENT ON FUNCTION pgclone.verify(text, text) IS
'Compare row counts of every table of the source schema (NULL: all user schemas) with the target, using planner statistics (pg_class.reltuples). The match column is a check mark when the counts agree, a cross when they differ, and a cross with "(missing)" when the table does not exist on the target';

CREATE FUNCTION pgclone.diff(
    source_conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_diff'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog;
COMMENT ON FUNCTION pgclone.diff(text, text) IS
'Schema drift report (JSON) between the source and the target: tables (column type, nullability, default), indexes, constraints, triggers, views, materialized views and sequences, each with only_in_source, only_in_target and modified, plus a summary with in_sync. Read-only on both sides';

CREATE FUNCTION pgclone.preflight(
    source_conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_preflight'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog;
COMMENT ON FUNCTION pgclone.preflight(text, text) IS
'Read-only pre-flight validation (JSON) of a schema clone: 16 checks (connections, versions, schema existence, permissions, sizes, object counts, name conflicts, missing extensions, roles and tablespaces); ready is true only when no check failed';

-- ===== async jobs =====
-- Background-worker jobs (need pgclone in shared_preload_libraries). A job runs as the calling role
-- and commits its own work; its state lives in shared memory (docs/ASYNC.md).

CREATE FUNCTION pgclone.table_async(
    source_conninfo text,
    schema_name text,
    table_name text,
    include_data boolean DEFAULT true,
    target_table_name text DEFAULT NULL,
    options text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_table_async'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.table_async(text, text, text, boolean, text, text) IS
'Clone one table in a background worker, as pgclone.table() does, and return the job id at once. The worker connects as the calling role and commits the whole table in one transaction: a failed or cancelled job leaves nothing of it. Options as for pgclone.table() (except "parallel")';

CREATE FUNCTION pgclone.schema_async(
    source_conninfo text,
    schema_name text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_schema_async'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.schema_async(text, text, boolean, text) IS
'Clone a schema in background workers and return the job id at once. Options as for pgclone.schema(), carried to the workers (masks, tables, exclude_tables included), plus {"parallel": N}: a pool of N worker jobs clones the tables, each committing its own, and (unless "consistent": false) a snapshot coordinator job exports the snapshot all of them read. Foreign keys, views, functions and triggers are created by the parent job after every table';

CREATE FUNCTION pgclone.progress(job_id integer)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_progress'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.progress(integer) IS
'Progress of one job as JSON: status (pending, running, completed, failed, cancelled), phase, current table, tables, rows and bytes copied, percent, progress bar, elapsed time, error message and result. The source connection string is shown without its password';

CREATE FUNCTION pgclone.jobs()
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_jobs'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.jobs() IS
'All jobs the current role may see, as a JSON array of pgclone.progress() objects. Superusers see every job; other roles the jobs of roles whose privileges they have';

CREATE FUNCTION pgclone.progress_detail()
RETURNS TABLE(job_id integer, status text, op_type text, schema_name text, table_name text,
              current_phase text, tables_total integer, tables_completed integer, rows_copied bigint,
              bytes_copied bigint, elapsed_ms bigint, start_time timestamptz, end_time timestamptz,
              pct_complete numeric, progress_bar text, elapsed_time interval, error_message text,
              parent_job_id integer, resumed_from integer, target_table text, warnings integer,
              result text, source_conninfo text, owner text, database_name text, worker_pid integer)
AS 'MODULE_PATHNAME', 'pgclone_progress_detail'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.progress_detail() IS
'One row per job the current role may see: status, kind (table, schema, pool_worker, snapshot_coordinator), schema, current table, phase, tables, rows and bytes copied, times, percent, progress bar, error message, parent job, result, source connection string without its password, owner, database and worker pid';

CREATE FUNCTION pgclone.cancel(job_id integer)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgclone_cancel'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.cancel(integer) IS
'Cancel a pending or running job and wait until it has stopped (status cancelled): its open transaction is rolled back, so nothing of the table in flight is kept. Cancelling a pool worker or snapshot coordinator cancels its parent job. Returns false when the job had already finished';

CREATE FUNCTION pgclone.resume(job_id integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_resume'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.resume(integer) IS
'Re-run a failed or cancelled job as a new job with the same arguments and options, and return its id. A schema job skips the tables the earlier job committed (they are not conflicts), keeps the objects it created before the tables, and creates the foreign keys, views, functions and triggers. A table job runs again from the start (a failed table job left nothing)';

CREATE FUNCTION pgclone.clear_jobs()
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_clear_jobs'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION pgclone.clear_jobs() IS
'Remove the finished jobs (completed, failed, cancelled) the current role may see, and the connection strings they kept for pgclone.resume(). Returns how many were removed; pending and running jobs remain';

CREATE VIEW pgclone.jobs_view AS
SELECT job_id, status, op_type, schema_name, table_name, current_phase, tables_total, tables_completed,
       rows_copied, bytes_copied, elapsed_ms, start_time, end_time, pct_complete, progress_bar,
       elapsed_time, error_message, source_conninfo
FROM pgclone.progress_detail();
COMMENT ON VIEW pgclone.jobs_view IS
'Async jobs the current role may see (pgclone.progress_detail()), with the columns of the progress view: job, status, kind, schema, table, phase, counts, times, percent, progress bar, error message and the source connection string without its password';

-- Nobody but superusers and roles granted EXECUTE may run pgclone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM PUBLIC;

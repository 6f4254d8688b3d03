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

-- Nobody but superusers and roles granted EXECUTE may run pgclone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM PUBLIC;

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

-- ===== masking =====

-- ===== roles and checks (verify, diff, preflight) =====

-- Nobody but superusers and roles granted EXECUTE may run pgclone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM PUBLIC;

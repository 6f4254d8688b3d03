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

-- ===== roles and checks (verify, diff, preflight) =====

-- Nobody but superusers and roles granted EXECUTE may run pgclone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM PUBLIC;

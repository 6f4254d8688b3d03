-- 430_preflight.sql -- pgclone.preflight(): the JSON shape of the v4.2.0 release notes (16 checks,
-- summary arrays, ready), check results against a known source, name conflicts and missing roles
-- as the target changes, and the error cases: a missing source schema, an unreachable source
-- (a closed port on localhost), a caller without CREATE, and STRICT.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(33);

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('pgclone_test.source') $$;
CREATE FUNCTION pg_temp.pf(schema text DEFAULT 'test_schema') RETURNS jsonb LANGUAGE sql AS $$
    SELECT pgclone.preflight(pg_temp.src(), schema)::jsonb
$$;

DROP SCHEMA IF EXISTS test_schema CASCADE;
CREATE TEMP TABLE fresh AS SELECT pg_temp.pf() AS doc;

-- Shape
SELECT is((SELECT array_agg(k ORDER BY k) FROM fresh, jsonb_object_keys(doc) k),
          ARRAY['checks', 'ready', 'schema', 'summary'], 'top-level keys: schema, ready, summary, checks');
SELECT is((SELECT jsonb_typeof(doc->'ready') FROM fresh), 'boolean', 'ready is a boolean');
SELECT is((SELECT doc->>'schema' FROM fresh), 'test_schema', 'the schema name is echoed back');
SELECT is((SELECT array_agg(k || ':' || jsonb_typeof(doc->'summary'->k) ORDER BY k) FROM fresh,
           jsonb_object_keys(doc->'summary') k),
          ARRAY['checks_run:number', 'errors:array', 'info:array', 'warnings:array'],
          'summary has errors, warnings and info arrays and checks_run');
SELECT is((SELECT array_agg(k ORDER BY k) FROM fresh, jsonb_object_keys(doc->'checks') k),
          ARRAY['estimated_size', 'missing_extensions', 'missing_roles', 'missing_tablespaces', 'name_conflicts',
                'object_counts', 'schema_exists_source', 'schema_exists_target', 'source_connection',
                'source_permissions', 'source_version', 'target_connection', 'target_database_size',
                'target_permissions', 'target_version', 'version_compat'],
          'checks has all 16 entries');
SELECT is((SELECT count(*)::int FROM fresh, jsonb_each(doc->'checks') c
           WHERE c.value->>'status' IN ('pass', 'warn', 'fail', 'info')), 16,
          'every check has a status of pass, warn, fail or info');
SELECT is((SELECT (doc #>> '{summary,checks_run}')::int FROM fresh), 16, 'checks_run is 16');

-- Values against the seed
SELECT is((SELECT doc #>> '{checks,source_connection,status}' || '/' || (doc #>> '{checks,target_connection,status}')
           FROM fresh), 'pass/pass', 'both connections pass');
-- The harness records the source's server_version_num (the source may be another major version
-- than the target in test/cross/run_cross.sh); without it the two are the same build.
CREATE FUNCTION pg_temp.source_major() RETURNS int LANGUAGE sql AS $$
    SELECT coalesce(nullif(current_setting('pgclone_test.source_version_num', true), ''),
                    current_setting('server_version_num'))::int / 10000
$$;
SELECT is((SELECT doc #>> '{checks,version_compat,status}' FROM fresh),
          CASE WHEN pg_temp.source_major() > current_setting('server_version_num')::int / 10000
               THEN 'warn' ELSE 'pass' END,
          'version_compat is pass, or warn when the source is the newer major version');
SELECT is((SELECT (doc #>> '{checks,source_version,version_num}')::int / 10000 FROM fresh),
          pg_temp.source_major(), 'source_version reports the major version');
SELECT is((SELECT (doc #> '{checks,object_counts}') - 'status' - 'partitions' FROM fresh),
          '{"tables": 4, "views": 2, "materialized_views": 1, "sequences": 5, "indexes": 8, "functions": 3,
            "triggers": 2}'::jsonb,
          'object_counts of test_schema');
SELECT is((SELECT jsonb_typeof(doc #> '{checks,object_counts,tables}') FROM fresh), 'number',
          'object_counts.tables is a number');
SELECT cmp_ok((SELECT (doc #>> '{checks,estimated_size,bytes}')::bigint FROM fresh), '>', 0::bigint,
              'estimated_size has bytes');
SELECT is((SELECT doc #> '{checks,schema_exists_target}' FROM fresh), '{"status": "info", "exists": false}'::jsonb,
          'schema_exists_target: info when the schema will be created');
SELECT is((SELECT doc #>> '{checks,target_permissions,on}' || ':' || (doc #>> '{checks,target_permissions,status}')
           FROM fresh), 'database:pass', 'target_permissions: CREATE on the database to create the schema');
SELECT is((SELECT doc #> '{checks,name_conflicts}' FROM fresh), '{"status": "pass", "count": 0, "items": []}'::jsonb,
          'name_conflicts: none while the target has no such schema');
SELECT ok((SELECT doc #> '{checks,missing_roles,referenced}' @> '["test_reader", "test_writer", "test_admin"]'
           FROM fresh), 'missing_roles lists the owner and grantee roles it looked for');
SELECT is((SELECT doc #> '{checks,missing_roles,items}' FROM fresh),
          (SELECT COALESCE(jsonb_agg(r ORDER BY r), '[]') FROM fresh,
           jsonb_array_elements_text(doc #> '{checks,missing_roles,referenced}') r
           WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)),
          'missing_roles.items are exactly the referenced roles absent on the target');
SELECT is((SELECT (doc->'ready')::text::boolean FROM fresh),
          (SELECT jsonb_array_length(doc #> '{summary,errors}') = 0 FROM fresh), 'ready is true iff errors is empty');

-- The target changes: name conflicts, then cloned roles
SELECT is(pgclone.table(pg_temp.src(), 'test_schema', 'customers', true), 'OK: cloned test_schema.customers (10 rows)',
          'clone customers');
SELECT is((SELECT pg_temp.pf() #> '{checks,name_conflicts,items}' @> '[{"name": "customers", "kind": "table",
                                                                         "target_kind": "table"}]'),
          true, 'name_conflicts lists the existing table');
SELECT is((SELECT pg_temp.pf() #>> '{checks,name_conflicts,status}'), 'warn', 'name_conflicts is a warning');
SELECT matches(pgclone.clone_roles(pg_temp.src(), 'test_reader, test_writer, test_admin'), '^OK: ',
               'clone the seed roles');
SELECT is((SELECT (pg_temp.pf() #> '{checks,missing_roles}') - 'referenced'),
          '{"status": "pass", "items": []}'::jsonb, 'missing_roles passes once the roles exist');

-- Missing source schema
CREATE TEMP TABLE missing AS SELECT pg_temp.pf('no_such_schema') AS doc;
SELECT is((SELECT doc->'ready' FROM missing), 'false'::jsonb, 'missing source schema: ready = false');
SELECT ok((SELECT doc #> '{summary,errors}' @> '["schema_exists_source: schema \"no_such_schema\" does not exist on the source server"]'
           FROM missing), 'missing source schema: an error entry names it');
SELECT is((SELECT doc #>> '{checks,schema_exists_source,status}' FROM missing), 'fail', 'schema_exists_source fails');

-- Unreachable source: a closed port on localhost; a failed check, not an exception
SELECT lives_ok($$CREATE TEMP TABLE unreachable AS SELECT pgclone.preflight(
                    'host=127.0.0.1 port=1 dbname=source user=postgres password=pf_secret_pw connect_timeout=5',
                    'test_schema')::jsonb AS doc$$, 'an unreachable source raises no error');
SELECT is((SELECT jsonb_build_array(doc->'ready', doc #> '{checks,source_connection,status}',
                                    doc #> '{summary,checks_run}') FROM unreachable),
          '[false, "fail", 6]'::jsonb, 'unreachable: ready = false, source_connection fails, 6 checks ran');
SELECT is((SELECT count(*)::int FROM unreachable, jsonb_each(doc->'checks') c WHERE c.value->>'status' = 'skipped'),
          10, 'unreachable: the 10 checks that need the source are skipped');
SELECT doesnt_match((SELECT doc::text FROM unreachable), 'pf_secret_pw', 'the password never appears');

-- A caller without CREATE on the database cannot create the schema
DROP SCHEMA test_schema CASCADE;
CREATE ROLE checks_pf NOLOGIN;
GRANT USAGE ON SCHEMA pgclone TO checks_pf;
GRANT EXECUTE ON FUNCTION pgclone.preflight(text, text) TO checks_pf;
SET LOCAL ROLE checks_pf;
CREATE TEMP TABLE unprivileged AS SELECT pgclone.preflight(current_setting('pgclone_test.source'), 'test_schema')::jsonb AS doc;
RESET ROLE;
SELECT is((SELECT jsonb_build_array(doc->'ready', doc #> '{checks,target_permissions}') FROM unprivileged),
          '[false, {"status": "fail", "privilege": "CREATE", "on": "database", "granted": false}]'::jsonb,
          'without CREATE on the database: target_permissions fails and ready = false');

SELECT is(pgclone.preflight(pg_temp.src(), NULL), NULL, 'STRICT: NULL schema gives NULL');

SELECT * FROM finish();
ROLLBACK;

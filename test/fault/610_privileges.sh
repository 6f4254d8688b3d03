#!/usr/bin/env bash
# 610_privileges.sh -- the clone hands nobody more rights than the source gave them
# (docs/SECURITY.md "Privileges"):
#  * a SECURITY DEFINER function keeps its source owner, so a plain role cannot run SQL as the
#    cloning superuser through it (the reproduced escalation: run_sql(text) EXECUTEs its argument);
#  * one whose source owner is missing on the target is owned by the caller with EXECUTE revoked
#    from PUBLIC, and a WARNING says so; the same with {"owners": false};
#  * owners and ACLs of schemas, tables, views, sequences, types and functions are cloned for
#    roles that exist on the target; grants to missing roles are skipped with one WARNING;
#  * role names from the source are quoted (a role named like an injection gets its grant);
#  * a schema that was on the target before keeps its owner;
#  * schema, functions, table, table_async, schema_async.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_610_priv
SDB=pgclone_610p_src
EVIL='evil610"; ALTER ROLE mallory610 SUPERUSER; --'
EVIL_ID="\"${EVIL//\"/\"\"}\""
SRC_ROLES="app_owner610 app_reader610 ghost610 ghost610b $EVIL_ID"
TGT_ROLES="app_owner610 app_reader610 mallory610 $EVIL_ID"
cleanup() {
    drop_db $DB
    drop_db ${DB}_d
    SRC_DB=source src -c "DROP DATABASE IF EXISTS $SDB WITH (FORCE)" >/dev/null 2>&1
    local r
    for r in app_owner610 app_reader610 ghost610 ghost610b "$EVIL_ID"; do
        SRC_DB=source src -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
    done
    for r in app_owner610 app_reader610 mallory610 "$EVIL_ID"; do
        tgt postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
    done
}
trap cleanup EXIT
cleanup

SRC_DB=source src >/dev/null <<SQL
CREATE ROLE app_owner610 NOLOGIN;
CREATE ROLE app_reader610 NOLOGIN;
CREATE ROLE ghost610 NOLOGIN;
CREATE ROLE ghost610b NOLOGIN;
CREATE ROLE $EVIL_ID NOLOGIN;
CREATE DATABASE $SDB;
SQL
SRC_DB=$SDB src >/dev/null <<SQL
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO app_owner610;
GRANT USAGE ON SCHEMA app TO PUBLIC;
CREATE FUNCTION app.run_sql(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS 'BEGIN EXECUTE q; END';
ALTER FUNCTION app.run_sql(text) OWNER TO app_owner610;
CREATE FUNCTION app.ghost_sql(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS 'BEGIN EXECUTE q; END';
ALTER FUNCTION app.ghost_sql(text) OWNER TO ghost610;
CREATE FUNCTION app.restricted_sql(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS 'BEGIN EXECUTE q; END';
ALTER FUNCTION app.restricted_sql(text) OWNER TO postgres;
REVOKE EXECUTE ON FUNCTION app.restricted_sql(text) FROM PUBLIC;
CREATE FUNCTION app.plain() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION app.plain() OWNER TO app_owner610;
REVOKE EXECUTE ON FUNCTION app.plain() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.plain() TO app_reader610;
CREATE TABLE app.t (id serial, v text);
INSERT INTO app.t (v) VALUES ('a'), ('b');
ALTER TABLE app.t OWNER TO app_owner610;
GRANT SELECT ON app.t TO app_reader610, $EVIL_ID;
GRANT INSERT ON app.t TO ghost610;
GRANT UPDATE ON app.t TO ghost610b;
CREATE VIEW app.v AS SELECT id FROM app.t;
ALTER VIEW app.v OWNER TO app_owner610;
GRANT SELECT ON app.v TO app_reader610 WITH GRANT OPTION;
CREATE SEQUENCE app.s;
ALTER SEQUENCE app.s OWNER TO app_owner610;
GRANT USAGE ON SEQUENCE app.s TO app_reader610;
GRANT SELECT ON SEQUENCE app.t_id_seq TO app_reader610;
CREATE TYPE app.mood AS ENUM ('ok');
ALTER TYPE app.mood OWNER TO app_owner610;
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO app_reader610;
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<SQL
CREATE ROLE app_owner610 NOLOGIN;
CREATE ROLE app_reader610 NOLOGIN;
CREATE ROLE mallory610 LOGIN;
CREATE ROLE $EVIL_ID NOLOGIN;
SQL
as_mallory() { "$PSQL" -X -q -At "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=$DB user=mallory610" "$@"; }
mallory_super() { T -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory610'"; }
drop_app() { T -c "DROP SCHEMA IF EXISTS app CASCADE" >/dev/null 2>&1; }

# --- schema clone -------------------------------------------------------------------------------
out=$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>&1)
like "$out" 'DONE WITH 1 WARNING: cloned schema app: 1 table \(2 rows\)' "schema clone completes; the SECURITY DEFINER WARNING is counted"
like "$out" 'WARNING:  pgclone: SECURITY DEFINER function "app"."ghost_sql"\(q text\) is owned by "postgres" on the target; EXECUTE revoked from PUBLIC' \
    "a WARNING names the SECURITY DEFINER function whose owner is missing"
like "$out" 'WARNING:  pgclone: 2 privileges of the source not cloned: their grantees do not exist on the target' \
    "grants to missing roles: one WARNING with their count"
is "$(grep -c 'grantees do not exist' <<<"$out")" 1 "... and only one"
like "$out" 'Missing roles: "ghost610", "ghost610b"' "... naming the missing roles"
like "$out" 'WARNING:  pgclone: 1 object keeps the caller as owner: its source owner does not exist on the target or cannot be given objects by the caller' "the object without its owner is counted"
is "$(T -c "SELECT proowner::regrole FROM pg_proc WHERE oid = 'app.run_sql(text)'::regprocedure")" app_owner610 \
    "the SECURITY DEFINER function keeps its source owner"
as_mallory -c "SELECT app.run_sql('ALTER ROLE mallory610 SUPERUSER')" >/dev/null 2>&1
is "$(mallory_super)" f "a plain role cannot become superuser through the cloned run_sql()"
is "$(T -c "SELECT proowner::regrole::text || '/' || has_function_privilege('mallory610', 'app.ghost_sql(text)', 'EXECUTE')
            FROM pg_proc WHERE oid = 'app.ghost_sql(text)'::regprocedure")" "postgres/false" \
    "the function whose owner is missing: owned by the caller, no EXECUTE for PUBLIC"
as_mallory -c "SELECT app.ghost_sql('ALTER ROLE mallory610 SUPERUSER')" >/dev/null 2>&1
is "$(mallory_super)" f "... and a plain role cannot run SQL through it"
is "$(T -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'app'")" app_owner610 "the schema gets its source owner"
is "$(T -c "SELECT tableowner FROM pg_tables WHERE schemaname = 'app' AND tablename = 't'")" app_owner610 "the table gets its source owner"
is "$(T -c "SELECT has_table_privilege('app_reader610', 'app.t', 'SELECT'), has_table_privilege('app_reader610', 'app.t', 'INSERT'),
                   has_table_privilege('mallory610', 'app.t', 'SELECT')" | tr '|' ,)" "t,f,f" "table ACL: SELECT for the reader, nothing more"
is "$(T -c "SELECT has_table_privilege(\$q\$$EVIL\$q\$, 'app.t', 'SELECT')")" t \
    "a role named like an injection gets its grant, quoted"
is "$(mallory_super)" f "... and the name did not run as SQL"
is "$(T -c "SELECT has_table_privilege('app_reader610', 'app.v', 'SELECT WITH GRANT OPTION')")" t "view ACL with grant option"
is "$(T -c "SELECT relowner::regrole::text || '/' || has_sequence_privilege('app_reader610', 'app.s', 'USAGE')
            FROM pg_class WHERE oid = 'app.s'::regclass")" "app_owner610/true" "sequence owner and ACL"
is "$(T -c "SELECT typowner::regrole::text || '/' || has_type_privilege('app_reader610', 'app.mood', 'USAGE') || '/' ||
                   has_type_privilege('mallory610', 'app.mood', 'USAGE') FROM pg_type WHERE oid = 'app.mood'::regtype")" \
    "app_owner610/true/false" "type owner and ACL (PUBLIC's USAGE revoked as on the source)"
is "$(T -c "SELECT has_function_privilege('mallory610', 'app.restricted_sql(text)', 'EXECUTE')")" f \
    "a SECURITY DEFINER function owned by a superuser on both sides: PUBLIC stays without EXECUTE as on the source"
is "$(T -c "SELECT has_function_privilege('app_reader610', 'app.plain()', 'EXECUTE') || '/' ||
                   has_function_privilege('mallory610', 'app.plain()', 'EXECUTE')")" "true/false" "function ACL"
drop_app

# --- owners and privileges turned off ------------------------------------------------------------
out=$(T -c "SELECT pgclone.schema($SRC, 'app', true, '{\"owners\": false, \"privileges\": false}')" 2>&1)
like "$out" 'SECURITY DEFINER function "app"."run_sql"\(q text\) is owned by "postgres"' \
    "owners false: the SECURITY DEFINER function is owned by the caller, with a WARNING"
is "$(T -c "SELECT has_function_privilege('mallory610', 'app.run_sql(text)', 'EXECUTE')")" f "... and PUBLIC cannot execute it"
as_mallory -c "SELECT app.run_sql('ALTER ROLE mallory610 SUPERUSER')" >/dev/null 2>&1
is "$(mallory_super)" f "... so nobody runs SQL as the caller through it"
is "$(T -c "SELECT tableowner || '/' || has_table_privilege('app_reader610', 'app.t', 'SELECT') FROM pg_tables
            WHERE schemaname = 'app' AND tablename = 't'")" "postgres/false" "owners and ACLs are not cloned when turned off"
is "$(T -c "SELECT has_function_privilege('mallory610', 'app.restricted_sql(text)', 'EXECUTE')")" f \
    "privileges false: a SECURITY DEFINER function the source kept from PUBLIC is not opened to PUBLIC"
as_mallory -c "SELECT app.restricted_sql('ALTER ROLE mallory610 SUPERUSER')" >/dev/null 2>&1
is "$(mallory_super)" f "... so nobody runs SQL as its owner through it"
drop_app

# --- a schema that was there keeps its owner -----------------------------------------------------
T -c "CREATE SCHEMA app" >/dev/null
like "$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>&1)" 'cloned schema app' "clone into an existing schema"
is "$(T -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'app'")" postgres "the existing schema keeps its owner"
drop_app

# --- functions(), table(), async ------------------------------------------------------------------
T -c "CREATE SCHEMA app" >/dev/null
like "$(T -c "SELECT pgclone.functions($SRC, 'app')" 2>&1)" 'cloned 4 functions of schema app' "functions() completes"
is "$(T -c "SELECT proowner::regrole FROM pg_proc WHERE oid = 'app.run_sql(text)'::regprocedure")" app_owner610 \
    "functions(): the SECURITY DEFINER function keeps its source owner"
is "$(T -c "SELECT has_function_privilege('mallory610', 'app.ghost_sql(text)', 'EXECUTE')")" f \
    "functions(): no EXECUTE for PUBLIC on the one without its owner"
like "$(T -c "SELECT pgclone.table($SRC, 'app', 't', true)" 2>&1)" 'OK: cloned app.t \(2 rows\)' "table() completes"
is "$(T -c "SELECT tableowner || '/' || has_table_privilege('app_reader610', 'app.t', 'SELECT') || '/' ||
                   has_sequence_privilege('app_reader610', 'app.t_id_seq', 'SELECT') || '/' ||
                   (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'app.t_id_seq'::regclass)
            FROM pg_tables WHERE schemaname = 'app' AND tablename = 't'")" "app_owner610/true/true/app_owner610" \
    "table(): owner and ACL of the table and of its serial sequence"
like "$(T -c "SELECT pgclone.table($SRC, 'app', 't', true, 't2')" 2>&1)" 'OK: cloned app.t2 \(2 rows\)' \
    "table() completes (the missing roles are reported, not counted)"
is "$(T -c "SELECT tableowner || '/' || has_table_privilege('app_reader610', 'app.t2', 'SELECT') || '/' ||
                   has_table_privilege('mallory610', 'app.t2', 'SELECT')
            FROM pg_tables WHERE schemaname = 'app' AND tablename = 't2'")" "app_owner610/true/false" \
    "table(): owner and ACL under the target name"
j=$(T -c "SELECT pgclone.table_async($SRC, 'app', 't', true, 't3')")
is "$(wait_job $DB "$j")" completed "table_async completes"
is "$(T -c "SELECT tableowner || '/' || has_table_privilege('app_reader610', 'app.t3', 'SELECT')
            FROM pg_tables WHERE schemaname = 'app' AND tablename = 't3'")" "app_owner610/true" "table_async: owner and ACL"
drop_app
j=$(T -c "SELECT pgclone.schema_async($SRC, 'app', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$j")" completed "schema_async (pool) completes"
is "$(T -c "SELECT proowner::regrole::text || '/' || has_function_privilege('mallory610', 'app.ghost_sql(text)', 'EXECUTE') || '/' ||
                   has_table_privilege('app_reader610', 'app.t', 'SELECT')
            FROM pg_proc WHERE oid = 'app.run_sql(text)'::regprocedure")" "app_owner610/false/true" \
    "schema_async: owners, the SECURITY DEFINER rule and ACLs"
as_mallory -c "SELECT app.run_sql('ALTER ROLE mallory610 SUPERUSER'); SELECT app.ghost_sql('ALTER ROLE mallory610 SUPERUSER')" >/dev/null 2>&1
is "$(mallory_super)" f "nobody became superuser"

# --- database -----------------------------------------------------------------------------------
make_db ${DB}_d
like "$(tgt ${DB}_d -c "SELECT pgclone.database($SRC, true)" 2>&1)" 'cloned database' "database clone completes"
is "$(tgt ${DB}_d -c "SELECT p.proowner::regrole::text || '/' || has_function_privilege('mallory610', 'app.ghost_sql(text)', 'EXECUTE')
                      || '/' || (SELECT tableowner FROM pg_tables WHERE schemaname = 'app' AND tablename = 't')
                      || '/' || has_table_privilege('app_reader610', 'app.t', 'SELECT')
                      FROM pg_proc p WHERE p.oid = 'app.run_sql(text)'::regprocedure")" "app_owner610/false/app_owner610/true" \
    "database: owners, the SECURITY DEFINER rule and ACLs"

done_testing

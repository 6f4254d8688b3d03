#!/usr/bin/env bash
# 203_database_create.sh -- manual testing guide, test 7.3: pgclone.database_create() run from the
# target's postgres database. CREATE DATABASE cannot run in a transaction, so this is a shell test;
# every database it creates is dropped again.
#   * the new database holds every schema and row of the source, and pgclone itself
#   * run again on an existing database (as the original's users do): cloned into it, a NOTICE says
#     it existed, existing objects skipped by default, "conflict" error/replace honoured, never dropped
#   * options are forwarded verbatim (tables filter, triggers off)
#   * a clone that fails leaves no database behind; a bad name / bad options / unreachable source
#     fail before any database exists
#   * pgclone.local_conninfo: superuser-only, hidden from others, must connect as the caller
. "$(dirname "$0")/lib/schema_common.bash"

ROLE=pgclone_dc_other
cleanup() {
    for db in db1_clone db2_clone db3_clone db4_clone; do
        tgt postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    done
    tgt postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
tgt postgres -c "CREATE EXTENSION IF NOT EXISTS pgclone" >/dev/null 2>&1
SRC=$(lit "$PGCLONE_SRC_CONNINFO")
exists() { tgt postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$1'"; }
error_of() { tgt postgres "$@" 2>&1 >/dev/null | grep -E '^(ERROR|HINT)' | tr '\n' ' '; }

# --- 7.3 -----------------------------------------------------------------------------------------
out=$(tgt postgres -c "SELECT pgclone.database_create($SRC, 'db1_clone', true)" 2>/dev/null)
like "$out" '^(OK|DONE WITH [0-9]+ WARNINGS?): created database db1_clone and cloned database \([0-9]+ schemas, [0-9]+ extensions?\): ' \
    "7.3 result text"
is "$(exists db1_clone)" "1" "7.3 database db1_clone created"
is "$(tgt db1_clone -c "SELECT count(*) FROM test_schema.customers")/$(tgt db1_clone -c "SELECT count(*) FROM public.simple_test")" \
    "10/3" "7.3 test_schema and public cloned with data"
src_tables=$(src -c "SELECT schemaname || ':' || count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') GROUP BY schemaname ORDER BY 1" | tr '\n' ' ')
tgt_tables=$(tgt db1_clone -c "SELECT schemaname || ':' || count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'pgclone') GROUP BY schemaname ORDER BY 1" | tr '\n' ' ')
is "$tgt_tables" "$src_tables" "7.3 every schema with every table, as on the source"
is "$(tgt db1_clone -c "SELECT extname FROM pg_extension WHERE extname = 'pgclone'")" "pgclone" \
    "7.3 pgclone is installed in the new database"
is "$(tgt db1_clone -c "SELECT n FROM keeper_test.slow")" "3" "7.3 materialized views are filled"

# same name again, as the original pgclone's users run it: the clone goes into the existing
# database, says so, and skips what is there (idempotent) unless "conflict" says otherwise
tgt db1_clone -c "DELETE FROM test_schema.order_items WHERE id > 10; CREATE TABLE public.local_only (x int)" >/dev/null
msgs_file=$(mktemp)
out=$(tgt postgres -c "SELECT pgclone.database_create($SRC, 'db1_clone', false)" 2>"$msgs_file")
msgs=$(cat "$msgs_file")
rm -f "$msgs_file"
like "$msgs" 'NOTICE:  pgclone: database "db1_clone" already exists; cloning into it' \
    "existing database: a NOTICE says it existed"
like "$out" '^(OK|DONE WITH [0-9]+ WARNINGS?): cloned database into existing database db1_clone \([0-9]+ schemas\): 0 tables \(0 rows\), [0-9]+ tables skipped \(already on the target\)' \
    "existing database: the second run skips every existing object"
is "$(tgt db1_clone -c "SELECT count(*) FROM test_schema.order_items")/$(tgt db1_clone -c "SELECT count(*) FROM public.local_only")" \
    "10/0" "existing database: its own rows and tables are untouched"
like "$(error_of -c "SELECT pgclone.database_create($SRC, 'db1_clone', true, '{\"conflict\": \"error\"}')")" \
    'ERROR:  relation .* already exists on the target' "existing database with conflict error: refused"
is "$(exists db1_clone)/$(tgt db1_clone -c "SELECT count(*) FROM test_schema.order_items")" "1/10" \
    "existing database with conflict error: neither dropped nor changed"
out=$(tgt postgres -c "SELECT pgclone.database_create($SRC, 'db1_clone', false, '{\"conflict\": \"replace\"}')" 2>/dev/null)
like "$out" 'cloned database into existing database db1_clone' "existing database with conflict replace: cloned"
is "$(tgt db1_clone -c "SELECT count(*) FROM test_schema.order_items")/$(tgt db1_clone -c "SELECT count(*) FROM public.local_only")" "0/0" \
    "existing database with conflict replace: the tables are replaced (structure only here), its own kept"

# --- options forwarded verbatim ------------------------------------------------------------------
out=$(tgt postgres -c "SELECT pgclone.database_create($SRC, 'db2_clone', true, '{\"tables\": [\"customers\", \"simple_test\"], \"triggers\": false, \"matviews\": false}')" 2>/dev/null)
like "$out" 'created database db2_clone and cloned database' "options: result text"
# Expected: every source table named exactly customers or simple_test (in whatever fixture schema).
want_tables=$(src -c "SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY (schemaname || '.' || tablename) COLLATE \"C\") FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename IN ('customers', 'simple_test')")
is "$(tgt db2_clone -c "SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY (schemaname || '.' || tablename) COLLATE \"C\") FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'pgclone')")" \
    "$want_tables" "options: tables filter applied in the new database"
is "$(tgt db2_clone -c "SELECT count(*) FROM pg_matviews")/$(tgt db2_clone -c "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")" \
    "0/0" "options: matviews and triggers off"

# --- failures ------------------------------------------------------------------------------------
like "$(error_of -c "SELECT pgclone.database_create($SRC, 'db3_clone', true, '{\"tables\": [\"[bad\"]}')")" \
    'ERROR:  invalid regular expression' "failing clone: the source's error"
is "$(exists db3_clone)" "0" "failing clone: the new database is dropped again"
like "$(error_of -c "SELECT pgclone.database_create($SRC, 'db3_clone', true, '{\"tabels\": []}')")" \
    'ERROR:  unknown option "tabels" HINT:  Did you mean "tables"\?' "bad options: refused"
like "$(error_of -c "SELECT pgclone.database_create('host=/nonexistent port=1 dbname=x user=u password=pw77', 'db3_clone', true)")" \
    'ERROR:  could not connect to the source server at host "/nonexistent"' "unreachable source: refused"
unlike "$(error_of -c "SELECT pgclone.database_create('host=/nonexistent port=1 dbname=x user=u password=pw77', 'db3_clone', true)")" \
    'pw77' "unreachable source: the password is not shown"
like "$(error_of -c "SELECT pgclone.database_create($SRC, '', true)")" 'ERROR:  invalid database name ""' "empty name: refused"
is "$(exists db3_clone)" "0" "no database left by the refused calls"

# --- pgclone.local_conninfo ----------------------------------------------------------------------
tgt postgres -c "CREATE ROLE $ROLE LOGIN" >/dev/null
like "$(error_of -c "SET pgclone.local_conninfo = 'host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT user=$ROLE'" \
    -c "SELECT pgclone.database_create($SRC, 'db4_clone', true)")" \
    "ERROR:  pgclone.local_conninfo connects as role \"$ROLE\", not as the current user \"postgres\"" \
    "local_conninfo must connect as the caller"
like "$(error_of -c "SET pgclone.local_conninfo = 'host=$PGCLONE_SOCKDIR port=1'" \
    -c "SELECT pgclone.database_create($SRC, 'db4_clone', true)")" \
    'ERROR:  could not connect to the local server at .* HINT:  pgclone.database_create\(\) connects to this server through pgclone.local_conninfo' \
    "unreachable local server: the hint names pgclone.local_conninfo"
is "$(exists db4_clone)" "0" "no database left by the local_conninfo errors"
out=$(tgt postgres -c "SET pgclone.local_conninfo = 'postgresql://postgres@:$PGCLONE_TGT_PORT/template1?host=$PGCLONE_SOCKDIR'" \
    -c "SELECT pgclone.database_create($SRC, 'db4_clone', false, '{\"tables\": [\"simple_test\"]}')" 2>/dev/null)
like "$out" 'created database db4_clone' "local_conninfo as a URI (its dbname is replaced)"
is "$(tgt db4_clone -c "SELECT count(*) FROM public.simple_test")" "0" "include_data false forwarded"
like "$(tgt postgres -c "SET ROLE $ROLE" -c "SET pgclone.local_conninfo = 'host=/tmp'" 2>&1)" \
    'permission denied to set parameter "pgclone.local_conninfo"' "local_conninfo is superuser-only"
like "$(tgt postgres -c "SET ROLE $ROLE" -c "SHOW pgclone.local_conninfo" 2>&1)" \
    'must be superuser|permission denied|must have privileges' "local_conninfo is hidden from other roles"

done_testing

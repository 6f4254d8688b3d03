#!/usr/bin/env bash
# 200_search_path_v401.sh -- the v4.0.1 regression, as reported: a source DATABASE whose default
# search_path includes the application schema (ALTER DATABASE ... SET search_path = dep_test,
# public), so that pg_get_triggerdef / pg_get_expr / pg_get_indexdef print bare names in a
# default session, and a conninfo with options='-c search_path=...'. The schema must clone
# cleanly (no warning) into a target whose search_path does not know dep_test.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_sp_src
TGTDB=pgclone_sp_tgt
cleanup() {
    tgt postgres -c "DROP DATABASE IF EXISTS $TGTDB WITH (FORCE)" >/dev/null 2>&1
    SRC_DB=postgres src -c "DROP DATABASE IF EXISTS $SRCDB WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

SRC_DB=postgres src -c "CREATE DATABASE $SRCDB" -c "ALTER DATABASE $SRCDB SET search_path = dep_test, public"
SRC_DB=$SRCDB src -f "$ROOT/test/fixtures/schema.sql" >/dev/null
tgt postgres -c "CREATE DATABASE $TGTDB"
tgt $TGTDB -c "CREATE EXTENSION pgclone"

# The regression's precondition holds: a default session on the source prints bare names.
is "$(SRC_DB=$SRCDB src -c 'SHOW search_path')" "dep_test, public" "source database default search_path is dep_test, public"
like "$(SRC_DB=$SRCDB src -c "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'city_street_insert_trigger'")" \
    ' EXECUTE FUNCTION city_street_fct\(\)$' \
    "a default source session prints the trigger function with a bare name"
like "$(SRC_DB=$SRCDB src -c "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'dep_test.documents_to_resend'::regclass AND adnum = 1")" \
    "^nextval\('documents_to_resend_id_seq'::regclass\)$" "a default source session prints the serial default with a bare name"

CI="$(src_ci $SRCDB) options='-c search_path=dep_test,public'"
ERR=$(mktemp)
trap 'cleanup; rm -f "$ERR"' EXIT
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$CI"), 'dep_test', true)" 2>"$ERR")
like "$out" '^OK: cloned schema dep_test: 3 tables \(9 rows\), 1 view, 0 materialized views, 4 functions, 4 sequences, 1 trigger, 0 types in [0-9.]+ s$' \
    "schema clone: clean result text"
unlike "$(cat "$ERR")" 'WARNING' "schema clone: no WARNING"

is "$(tgt $TGTDB -c "SET search_path = public" -c "INSERT INTO dep_test.city_street (name) VALUES ('low road') RETURNING name")" \
    "LOW ROAD" "trigger (created after its function) fires with search_path = public"
is "$(tgt $TGTDB -c "SET search_path = public" -c "INSERT INTO dep_test.documents_to_resend (title) VALUES ('x') RETURNING id || ' ' || code")" \
    "4 D-0004" "serial and function defaults work with search_path = public"
is "$(tgt $TGTDB -c "SET search_path = public" -c "SELECT count(*) FROM dep_test.inbox_subjects")" "4" \
    "view works with search_path = public"
is "$(tgt $TGTDB -c "SET search_path = dep_test, public" -c "SELECT dep_test.inbox_messages_fct_ck(3)")" "t" \
    "sql function validated and working in the application search_path"
like "$(tgt $TGTDB -c "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'city_street_insert_trigger'")" \
    'ON dep_test.city_street FOR EACH ROW EXECUTE FUNCTION dep_test.city_street_fct\(\)$' "target trigger is schema-qualified"

# The whole database, same conninfo: no warning (the aggregate of agg_test is cloned too).
tgt $TGTDB -c "DROP SCHEMA dep_test CASCADE" >/dev/null 2>&1
out=$(tgt $TGTDB -c "SELECT pgclone.database($(lit "$CI"), true)" 2>"$ERR")
like "$out" '^OK: cloned database \(9 schemas, 1 extension\): 22 tables \(49 rows\), 5 views, 2 materialized views, 12 functions, 6 sequences, 5 triggers, 5 types in ' \
    "database clone: every fixture schema (and public)"
is "$(grep -c '^WARNING' "$ERR")" "0" "database clone: no WARNING"
is "$(tgt $TGTDB -c "SELECT agg_test.my_sum(x) FROM (VALUES (1), (2), (3)) v(x)")" "6" "... the aggregate is cloned and works"

done_testing

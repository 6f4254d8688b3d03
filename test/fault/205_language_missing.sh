#!/usr/bin/env bash
# 205_language_missing.sh -- an object that cannot be created is a WARNING naming it and the
# reason, the clone goes on, and the result text counts the warnings. Here the target database
# has no plpgsql: the two trigger functions of test_schema cannot be created, so neither can the
# two triggers that call them; tables, rows, views and the sql function are all there.
. "$(dirname "$0")/lib/schema_common.bash"

TGTDB=pgclone_nolang
ERR=$(mktemp)
cleanup() {
    tgt postgres -c "DROP DATABASE IF EXISTS $TGTDB WITH (FORCE)" >/dev/null 2>&1
    rm -f "$ERR"
}
trap cleanup EXIT
cleanup
tgt postgres -c "CREATE DATABASE $TGTDB" >/dev/null
tgt $TGTDB -c "DROP EXTENSION plpgsql" -c "CREATE EXTENSION pgclone" >/dev/null

out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'test_schema', true)" 2>"$ERR")
like "$out" '^DONE WITH 4 WARNINGS: cloned schema test_schema: 4 tables \(42 rows\), 2 views, 1 materialized view, 1 function, 5 sequences, 0 triggers, 0 types in ' \
    "result text counts the 4 warnings"
# (A fifth WARNING names the source's grantees that do not exist here; it is not counted.)
is "$(grep -c '^WARNING:  pgclone: skipped' "$ERR")" "4" "4 WARNINGs raised for what was skipped"
like "$(grep -A1 'skipped function "test_schema"."update_timestamp"()' "$ERR" | tail -1)" \
    'DETAIL:  language "plpgsql" does not exist' "warning names the function and the missing language"
like "$(grep -A1 'skipped trigger "orders_update_timestamp" on test_schema.orders' "$ERR" | tail -1)" \
    'DETAIL:  function test_schema.update_timestamp\(\) does not exist' "warning names the trigger and why"
is "$(tgt $TGTDB -c "SELECT count(*) FROM test_schema.order_items")" "15" "the clone went on: data is there"
is "$(tgt $TGTDB -c "SELECT count(*) FROM test_schema.get_customer_orders(1)")" "2" "the sql function is there"

done_testing

#!/usr/bin/env bash
# 202_keeper_timeout.sh -- v4.3.1 snapshot-keeper resilience.
#  * A source role with idle_in_transaction_session_timeout = '1s' still clones a multi-table
#    schema whose clone keeps the source transaction idle for 1.5 s (the materialized view
#    keeper_test.slow is filled on the target meanwhile): the keeper turns the timeouts off for
#    its own transaction. A plain session of that role is killed after 1 s (control).
#  * The keeper backend terminated mid-clone, while the target creates the trigger (an event
#    trigger of the target database makes that take 1.5 s): the next phase that needs the source
#    fails with an error naming the keeper and that phase, and nothing of it remains on the target.
. "$(dirname "$0")/lib/schema_common.bash"

ROLE=pgclone_kt_user
PASS=kt_pass_9
TGTDB=pgclone_kt_tgt
cleanup() {
    src -c "DROP OWNED BY $ROLE" -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
    drop_db $TGTDB
}
trap cleanup EXIT
cleanup
make_db $TGTDB
src <<SQL >/dev/null
CREATE ROLE $ROLE LOGIN PASSWORD '$PASS';
ALTER ROLE $ROLE SET idle_in_transaction_session_timeout = '1s';
ALTER ROLE $ROLE SET statement_timeout = '1s';
GRANT USAGE ON SCHEMA keeper_test TO $ROLE;
GRANT SELECT ON ALL TABLES IN SCHEMA keeper_test TO $ROLE;
SQL
ROLE_CI="${PGCLONE_SRC_CONNINFO/user=postgres password=srcpass/user=$ROLE password=$PASS}"

# Control: the role's own idle transaction is killed after 1 s.
out=$(printf 'BEGIN;\nSELECT 1;\n\\! sleep 2\nSELECT 2;\n' |
    PGPASSWORD=$PASS "$PSQL" -X -q -At "$ROLE_CI" 2>&1)
like "$out" 'idle-in-transaction timeout' "control: a plain session of the role dies idle in transaction after 1 s"
is "$(PGPASSWORD=$PASS "$PSQL" -X -At "$ROLE_CI" -c 'SHOW idle_in_transaction_session_timeout')" "1s" \
    "control: the role's setting is in effect"

# The clone as that role: 3 tables, a 1.5 s materialized view, a trigger phase after it.
out=$(tgt $TGTDB -c "BEGIN" -c "SELECT pgclone.schema($(lit "$ROLE_CI"), 'keeper_test', true)" \
    -c "SELECT count(*) FROM keeper_test.a" -c "SELECT n FROM keeper_test.slow" -c "ROLLBACK" 2>/dev/null)
like "$(sed -n 1p <<<"$out")" \
    '^OK: cloned schema keeper_test: 3 tables \(6 rows\), 0 views, 1 materialized view, 1 function, 0 sequences, 1 trigger, 0 types in (1\.[5-9]|[2-9]\.)[0-9]* s$' \
    "keeper survives idle_in_transaction_session_timeout = 1s over a 1.5 s idle phase"
is "$(sed -n 2,3p <<<"$out" | tr '\n' ' ')" "3 3 " "keeper: data and materialized view are there"

out=$(tgt $TGTDB -c "BEGIN" -c "SELECT pgclone.schema($(lit "$ROLE_CI"), 'keeper_test', true, '{\"consistent\": false}')" \
    -c "ROLLBACK" 2>/dev/null)
like "$out" '^OK: cloned schema keeper_test: 3 tables \(6 rows\)' "consistent false: every transaction disables the timeouts too"

# Fault: the keeper is terminated while the target creates the trigger (the source is idle: the
# materialized view is filled last, after the phases that read the source).
tgt $TGTDB >/dev/null <<'SQL'
CREATE FUNCTION public.kt_slow_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(1.5); END $$;
CREATE EVENT TRIGGER kt_slow_trigger ON ddl_command_end WHEN TAG IN ('CREATE TRIGGER')
    EXECUTE FUNCTION public.kt_slow_trigger();
SQL
ERR=$(mktemp)
trap 'cleanup; rm -f "$ERR"' EXIT
tgt $TGTDB -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true)" >/dev/null 2>"$ERR" &
clone=$!
# Wait until the clone's backend sleeps in the event trigger (a fixed delay hit an earlier phase,
# which reads the source, on a loaded machine).
for ((i = 0; i < 300; i++)); do
    [[ $(tgt $TGTDB -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$TGTDB' AND wait_event = 'PgSleep'
                        AND query LIKE '%pgclone.schema(%'") == 1 ]] && break
    sleep 0.1
done
killed=$(src -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE application_name = 'pgclone' AND datname = 'source' AND pid <> pg_backend_pid()")
wait $clone
rc=$?
is "$killed" "1" "fault: the keeper backend was terminated mid-clone"
is "$rc" "1" "fault: the clone failed"
like "$(grep '^ERROR' "$ERR")" '^ERROR:  lost the snapshot keeper connection to the source server before phase "table settings"$' \
    "fault: the error names the keeper and the phase"
like "$(grep '^HINT' "$ERR")" 'Nothing of the clone is kept' "fault: the hint says what happened to the target"
is "$(tgt $TGTDB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'keeper_test'")" "0" \
    "fault: nothing of the clone remains on the target"

done_testing

#!/usr/bin/env bash
# 620_concurrent_targets.sh -- concurrent clones into one target database get what one call after
# the other would give, never a unique-index violation on a catalog (issue 9, item 13). Each
# round starts 8 psql sessions that wait on one barrier (an advisory lock held by this script),
# releases them at once, and counts their results:
#  * 8 pgclone.table calls into a schema that does not exist yet, each its own table: 8 OK;
#  * 8 clones of one name, conflict error: 1 OK and 7 "already exists" (42P07);
#  * the same with conflict skip: 1 OK and 7 SKIPPED; rename: 8 OK and 8 tables; replace: 8 OK
#    and one table;
#  * 8 clones of a table with user-defined types (enum, composite, range) the target lacks, into
#    a missing schema: 8 OK, each type created once.
. "$(dirname "$0")/lib/schema_common.bash"

DB=pgclone_620_conc
N=8
BARRIER=620620
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-620.XXXXXX")
PIDS=()
fault_cleanup() {
    local p
    for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
    for p in ${PIDS[@]+"${PIDS[@]}"}; do wait "$p" 2>/dev/null; done
    drop_db $DB
    rm -rf "$WORK"
}
trap fault_cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
SRC_LIT=$(lit "$PGCLONE_SRC_CONNINFO")

# round NAME SQL_WITH_@I@ : runs SQL (with @I@ replaced by 1..N) in N sessions released together;
# leaves each session's output in $WORK/NAME.<i>.
round() {
    local name=$1 sql=$2 i holder
    PGAPPNAME=pgclone620_barrier "$PSQL" -X -q -At "$(tgt_ci $DB)" \
        -c "SELECT pg_advisory_lock($BARRIER)" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
    holder=$!
    PIDS+=("$holder")
    wait_barrier "granted" 1 || { not_ok "$name: the barrier is held"; return; }
    for ((i = 1; i <= N; i++)); do
        "$PSQL" -X -q -At -v VERBOSITY=verbose "$(tgt_ci $DB)" \
            -c "SELECT pg_advisory_lock_shared($BARRIER)" -c "${sql//@I@/$i}" >"$WORK/$name.$i" 2>&1 &
        PIDS+=("$!")
    done
    wait_barrier "NOT granted" $N || not_ok "$name: all $N sessions wait at the barrier"
    T -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone620_barrier'" >/dev/null
    wait "${PIDS[@]}" 2>/dev/null
    PIDS=()
}
# wait_barrier GRANTED_CLAUSE COUNT : until COUNT sessions hold (granted) / wait for (NOT granted)
# the barrier lock.
wait_barrier() {
    local i
    for ((i = 0; i < 1500; i++)); do
        [[ $(T -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $BARRIER
                   AND $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == "$2" ]] &&
            return 0
        sleep 0.02
    done
    return 1
}
# outcome NAME : "<ok> OK, <skipped> SKIPPED, <n> <sqlstate>, ..." over the round's sessions.
outcome() {
    local name=$1 f ok=0 skipped=0 states=""
    for f in "$WORK/$name".*; do
        if grep -q '^OK: ' "$f"; then
            ok=$((ok + 1))
        elif grep -q '^SKIPPED: ' "$f"; then
            skipped=$((skipped + 1))
        else
            states+="$(grep -o '^ERROR:  [0-9A-Z]\{5\}' "$f" | head -1 | cut -c9-)"$'\n'
        fi
    done
    printf '%s OK, %s SKIPPED' $ok $skipped
    sort <<<"$states" | uniq -c | awk 'NF == 2 { printf ", %d %s", $1, $2 }'
}
show_errors() { grep -h '^ERROR' "$WORK/$1".* | sort | uniq -c | head -5 | sed 's/^/# /'; }
check_round() { # NAME WANT DESCRIPTION
    local got
    got=$(outcome "$1")
    is "$got" "$2" "$3"
    [[ $got == "$2" ]] || show_errors "$1"
}

# --- a schema that does not exist yet ----------------------------------------------------------
round distinct "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, 'c@I@')"
check_round distinct "$N OK, 0 SKIPPED" "$N clones into a missing schema, each its own table: all OK"
is "$(T -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'test_schema' AND tablename ~ '^c[0-9]$'")" $N \
    "$N tables exist"
is "$(T -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'test_schema'")" 1 "the schema exists once"

# --- one name, each conflict strategy ----------------------------------------------------------
T -c "DROP SCHEMA test_schema CASCADE" >/dev/null 2>&1
round error "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers')"
check_round error "1 OK, 0 SKIPPED, 7 42P07" "$N clones of one name, conflict error: 1 OK, 7 already exists"
is "$(grep -h '^ERROR' "$WORK"/error.* | sort -u)" \
    'ERROR:  42P07: table "test_schema"."customers" already exists on the target' \
    "the losers get pgclone's own conflict error"

round skip "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"conflict\": \"skip\"}')"
check_round skip "0 OK, $N SKIPPED" "$N clones of an existing name, conflict skip: all SKIPPED"

T -c "DROP SCHEMA test_schema CASCADE" >/dev/null 2>&1
round skip2 "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"conflict\": \"skip\"}')"
check_round skip2 "1 OK, 7 SKIPPED" "$N clones of a new name, conflict skip: 1 OK, 7 SKIPPED"

round rename "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"conflict\": \"rename\"}')"
check_round rename "$N OK, 0 SKIPPED" "$N clones of one name, conflict rename: all OK"
is "$(T -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'test_schema' AND tablename ~ '^customers(_old(_[0-9]+)?)?$'")" \
    $((N + 1)) "the new table and $N renamed ones exist"

round replace "SELECT pgclone.table($SRC_LIT, 'test_schema', 'customers', true, NULL, '{\"conflict\": \"replace\"}')"
check_round replace "$N OK, 0 SKIPPED" "$N clones of one name, conflict replace: all OK"
is "$(T -c "SELECT count(*) FROM test_schema.customers")" 10 "one table of 10 rows is left"

# --- user-defined types the target lacks -------------------------------------------------------
round types "SELECT pgclone.table($SRC_LIT, 'fidelity', 'udt_table', true, 'u@I@')"
check_round types "$N OK, 0 SKIPPED" "$N clones needing the same missing types: all OK"
is "$(T -c "SELECT string_agg(typname, ',' ORDER BY typname) FROM pg_type t JOIN pg_namespace n ON n.oid = typnamespace
            WHERE nspname = 'fidelity' AND typtype IN ('e', 'r', 'd') ")" "floatrange,mood,posint" "each type exists once"

done_testing

#!/usr/bin/env bash
# 204_cancel.sh -- a schema clone stopped half-way by pg_cancel_backend() or statement_timeout:
# it stops within about a second with the cancel's own error, and since a synchronous clone runs
# in the caller's transaction, nothing of it remains. The clone is stopped while the target fills
# keeper_test.slow (1.5 s), after its tables were created and loaded.
. "$(dirname "$0")/lib/schema_common.bash"

TGTDB=pgclone_cancel_tgt
ERR=$(mktemp)
trap 'rm -f "$ERR"; drop_db $TGTDB' EXIT
make_db $TGTDB
nothing_left() { tgt $TGTDB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'keeper_test'"; }

# pg_cancel_backend from another session
"$PSQL" -X -q -At "$(tgt_ci $TGTDB) application_name=pgclone_cancel_me" \
    -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true)" >/dev/null 2>"$ERR" &
clone=$!
sleep 0.7
cancelled=$(tgt postgres -c "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pgclone_cancel_me'")
t0=$(date +%s%N)
wait $clone
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
is "$cancelled" "1" "cancel: the clone's backend was signalled"
is "$rc" "1" "cancel: the clone failed"
like "$(grep '^ERROR' "$ERR")" '^ERROR:  canceling statement due to user request$' "cancel: query_canceled error"
if ((ms < 1500)); then ok "cancel: stopped within 1.5 s ($ms ms)"; else not_ok "cancel: stopped within 1.5 s ($ms ms)"; fi
is "$(nothing_left)" "0" "cancel: nothing of the clone remains"

# statement_timeout
out=$(tgt $TGTDB -c "SET statement_timeout = '800ms'" \
    -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true)" 2>&1 >/dev/null | grep '^ERROR')
is "$out" "ERROR:  canceling statement due to statement timeout" "statement_timeout stops the clone"
is "$(nothing_left)" "0" "statement_timeout: nothing of the clone remains"
is "$(src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone' AND state LIKE 'idle in transaction%'")" \
    "0" "no source session is left idle in transaction"

done_testing

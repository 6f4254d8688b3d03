#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 105_boundary_top_level.sh -- the boundary at the top level of a session (issue 2, item 2),
# complementing test/pgtap/100_boundary.sql, which runs inside one transaction:
#  - errors from C++ (thrown, and PostgreSQL errors under pg::call) abort a top-level
#    statement and the *same* backend goes on serving queries;
#  - pg_cancel_backend from another session stops a C++ latch wait within a second and
#    unwinds its C++ objects;
#  - the target server logged no crash.
# Needs the test-only extension pgclone_test (make -C test/boundary_ext install).
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"

LOG_START=$(wc -c <"$PGCLONE_TGT_LOG")

HAD_EXT=$(tgt -c "SELECT count(*) FROM pg_extension WHERE extname = 'pgclone_test'")
if ! tgt -c "CREATE EXTENSION IF NOT EXISTS pgclone_test" >/dev/null 2>"$WORK/ext.err"; then
    not_ok "CREATE EXTENSION pgclone_test (build it: make -C test/boundary_ext install)"
    diag "$(cat "$WORK/ext.err")"
    finish
fi
fault_cleanup() {
    [[ $HAD_EXT == 1 ]] || tgt -c "DROP EXTENSION IF EXISTS pgclone_test" >/dev/null 2>&1
}

# ---- one session, autocommit, errors at the top level
OUT=$("$PSQL" -X -At "$PGCLONE_TGT_CONNINFO" 2>&1 <<'EOF'
SELECT 'pid ' || pg_backend_pid();
SELECT pgclone_test.throw_std('top-level C++ exception');
SELECT 'pid ' || pg_backend_pid();
SELECT pgclone_test.pg_error_under_call('22003', 'top-level PG error under pg::call', 'A detail.', 'A hint.');
SELECT 'pid ' || pg_backend_pid();
SELECT pgclone_test.throw_inside_spi('top-level exception with SPI connected');
SELECT 'spi rows ' || pgclone_test.error_via_spi('SELECT generate_series(1, 4)');
SELECT 'dtors ' || pgclone_test.destructor_runs();
SELECT 'pid ' || pg_backend_pid();
EOF
)
diag "$OUT"
PIDS=$(grep -c '^pid ' <<<"$OUT")
DISTINCT=$(grep '^pid ' <<<"$OUT" | sort -u | wc -l)
is "$PIDS $DISTINCT" "4 1" "the same backend answered before and after every top-level error"
contains "$OUT" "ERROR:  pgclone internal error: top-level C++ exception" "a thrown std::runtime_error is an ERROR"
contains "$OUT" "ERROR:  top-level PG error under pg::call" "a PostgreSQL error under pg::call reaches the client"
contains "$OUT" "DETAIL:  A detail." "... with its detail"
contains "$OUT" "HINT:  A hint." "... and its hint"
contains "$OUT" "spi rows 4" "SPI works after a top-level abort with SPI left connected"
# throw_std, pg_error_under_call, throw_inside_spi and error_via_spi each had one Tracker
contains "$OUT" "dtors 4" "every C++ object of the failed calls was destroyed"

# ---- pg_cancel_backend from another session stops a 30 s latch wait (10 s slices)
bg wait env PGAPPNAME=fault_wait "$PSQL" -X -At "$PGCLONE_TGT_CONNINFO" \
    -c "SELECT pgclone_test.wait_latch(30, 10000)" -c "SELECT 'dtors ' || pgclone_test.destructor_runs()"
waiting() {
    [[ $(tgt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fault_wait'
                  AND wait_event = 'Extension'") == 1 ]]
}
if wait_for 10000 waiting; then
    ok "the latch wait is visible in pg_stat_activity (wait_event Extension)"
    PID=$(tgt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'fault_wait'")
    T0=$(now_ms)
    tgt -c "SELECT pg_cancel_backend($PID)" >/dev/null
    if bg_wait wait 10000; then
        below $(($(now_ms) - T0)) 1000 "pg_cancel_backend stopped the wait in $(($(now_ms) - T0)) ms (< 1000 ms)"
    else
        not_ok "pg_cancel_backend stopped the wait within 10 s"
    fi
    contains "$(bg_out wait)" "canceling statement due to user request" "the client gets the cancel message"
    contains "$(bg_out wait)" "dtors 1" "the canceled wait unwound its C++ object (same session, next query)"
else
    not_ok "the latch wait is visible in pg_stat_activity (wait_event Extension)"
fi

# ---- the server never crashed
NEW_LOG=$(tail -c +"$((LOG_START + 1))" "$PGCLONE_TGT_LOG")
lacks "$NEW_LOG" "terminated by signal" "the target log shows no backend crash"
lacks "$NEW_LOG" "PANIC" "the target log shows no PANIC"

finish

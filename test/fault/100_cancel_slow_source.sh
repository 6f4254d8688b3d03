#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 100_cancel_slow_source.sh -- pg_cancel_backend and statement_timeout stop a pgclone.table()
# call that waits on a slow source within a second, and leave nothing behind (issue 2, item 2).
#
#  A. the source table is locked (ACCESS EXCLUSIVE held by another session), so the clone's
#     COPY waits on the source: cancel it with pg_cancel_backend, then with statement_timeout
#  B. the source streams rows slowly (a where filter that sleeps per row), so the clone waits
#     inside COPY FROM's data callback on the target: cancel it there
#  C. the "source" is a fake server on 127.0.0.1 that accepts TCP and never answers, so the
#     clone waits while *connecting*: cancel it with statement_timeout and pg_cancel_backend
# Each case checks the error text, the time from cancel to the end of the call, that the
# target has no trace of the table, and that no pgclone session is left on the source.
# Everything is loopback and bounded in time; helpers are killed by pid at the end.
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"

LIMIT_MS=1000 # "within one second"
SCHEMA=fault_cancel

fault_cleanup() {
    src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name IN ('fault_locker', 'pgclone') AND pid <> pg_backend_pid()" \
        >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
    tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}

# ---- setup: a small table on the source; nothing of it on the target
src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" \
    -c "CREATE TABLE $SCHEMA.locked (id int PRIMARY KEY, v text)" \
    -c "INSERT INTO $SCHEMA.locked SELECT g, 'row ' || g FROM generate_series(1, 1000) g" \
    -c "CREATE TABLE $SCHEMA.slow (id bigserial PRIMARY KEY, v text)" \
    -c "INSERT INTO $SCHEMA.slow (v) SELECT repeat('x', 1000) FROM generate_series(1, 1000) g" >/dev/null ||
    {
        not_ok "create the source tables"
        finish
    }
tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE EXTENSION IF NOT EXISTS pgclone" >/dev/null 2>&1

SRC_Q=$(printf '%s' "$PGCLONE_SRC_CONNINFO" | sed "s/'/''/g")

# clone_sql TABLE [OPTIONS_JSON]
clone_sql() {
    if [[ -n ${2:-} ]]; then
        printf "SELECT pgclone.table('%s', '%s', '%s', true, NULL, '%s')" "$SRC_Q" "$SCHEMA" "$1" "$2"
    else
        printf "SELECT pgclone.table('%s', '%s', '%s')" "$SRC_Q" "$SCHEMA" "$1"
    fi
}

# Target session running the clone, identified by its application_name.
clone_pid() {
    tgt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'fault_clone' AND state = 'active'"
}
clone_waits_in() { # WAIT_EVENT : the clone's target backend waits on that event
    [[ $(tgt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fault_clone'
                  AND state = 'active' AND wait_event = '$1'") == 1 ]]
}
source_clone_waits_on_lock() {
    [[ $(src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone'
                  AND wait_event_type = 'Lock'") -ge 1 ]]
}
source_clone_active() {
    [[ $(src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone'
                  AND state = 'active'") -ge 1 ]]
}
no_source_sessions() {
    [[ $(src -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgclone'") == 0 ]]
}

# no_trace CASE TABLE : the target has neither the table nor the schema the clone created
no_trace() {
    local got
    got=$(tgt -c "SELECT coalesce(to_regclass('$SCHEMA.$2')::text, 'none') || ' ' ||
                         (SELECT count(*) FROM pg_namespace WHERE nspname = '$SCHEMA') || ' ' ||
                         (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = '$SCHEMA')")
    is "$got" "none 0 0" "$1: the target has no trace of $SCHEMA.$2 (no table, schema or relation)"
}

# start_clone TABLE [OPTIONS] : runs the clone in the background as application fault_clone
start_clone() {
    bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
        -c "$(clone_sql "$@")"
}

# cancel_and_time CASE : pg_cancel_backend on the clone's backend; sets ELAPSED_MS (cancel ->
# the psql running the clone has exited)
cancel_and_time() {
    local pid t0
    pid=$(clone_pid)
    if [[ -z $pid ]]; then
        not_ok "$1: found the clone's backend on the target"
        return 1
    fi
    t0=$(now_ms)
    tgt -c "SELECT pg_cancel_backend($pid)" >/dev/null
    if ! bg_wait clone 10000; then
        ELAPSED_MS=99999
        return 0
    fi
    ELAPSED_MS=$(($(now_ms) - t0))
}

# ------------------------------------------------------------------------------------------
# A1. source table locked; pg_cancel_backend
bg locker env PGAPPNAME=fault_locker "$PSQL" -X -q -At "$PGCLONE_SRC_CONNINFO" \
    -c "BEGIN; LOCK TABLE $SCHEMA.locked IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT"
holds_lock() {
    [[ $(src -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 'fault_locker' AND l.mode = 'AccessExclusiveLock'
                    AND l.granted AND l.relation = '$SCHEMA.locked'::regclass") == 1 ]]
}
check "A: another source session holds ACCESS EXCLUSIVE on $SCHEMA.locked" wait_for 10000 holds_lock

start_clone locked
if wait_for 10000 source_clone_waits_on_lock; then
    ok "A1: the clone's source session waits for the lock"
    cancel_and_time A1
    below "$ELAPSED_MS" "$LIMIT_MS" "A1: pg_cancel_backend ended the clone in ${ELAPSED_MS} ms (< ${LIMIT_MS} ms)"
    contains "$(bg_out clone)" "canceling statement due to user request" \
        "A1: the client gets 'canceling statement due to user request'"
    is "$(bg_rc clone)" 1 "A1: the clone call failed (psql exit status 1)"
else
    not_ok "A1: the clone's source session waits for the lock"
    diag "$(bg_out clone)"
fi
no_trace A1 locked

# A2. same lock; statement_timeout = '1s' in the clone's session
bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
    -c "SET statement_timeout = '1s'" -c "$(clone_sql locked)"
T0=$(now_ms)
if bg_wait clone 10000; then
    ELAPSED_MS=$(($(now_ms) - T0))
    # 1 s timeout + psql start-up and connection; the cancel itself must take < 1 s more
    below "$ELAPSED_MS" 2000 "A2: statement_timeout = 1s ended the clone after ${ELAPSED_MS} ms (< 2000 ms)"
    check "A2: ... and not before the timeout ($ELAPSED_MS ms >= 1000 ms)" test "$ELAPSED_MS" -ge 1000
else
    not_ok "A2: statement_timeout = 1s ended the clone within 10 s"
fi
contains "$(bg_out clone)" "canceling statement due to statement timeout" \
    "A2: the client gets 'canceling statement due to statement timeout'"
no_trace A2 locked

# Release the lock: the source sessions of the canceled clones must go away (their
# connections were closed by the target, nothing leaked).
src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_locker'" \
    >/dev/null
bg_wait locker 5000
check "A: no pgclone session is left on the source once the lock is released" wait_for 5000 no_source_sessions

# ------------------------------------------------------------------------------------------
# B. slow stream: 1000 rows of 1 kB, 20 ms each on the source (wide rows, so the source's 8 kB
#    output buffer is flushed every few rows); cancel while COPY FROM waits for data
start_clone slow '{"where": "pg_sleep(0.02) IS NOT NULL"}'
copying() {
    [[ $(tgt -c "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 'fault_clone' AND p.command = 'COPY FROM'
                    AND p.tuples_processed > 0") == 1 ]]
}
if wait_for 10000 copying; then
    ok "B: the clone is loading rows (pg_stat_progress_copy: COPY FROM, tuples_processed > 0)"
    cancel_and_time B
    below "$ELAPSED_MS" "$LIMIT_MS" "B: pg_cancel_backend ended the clone mid-COPY in ${ELAPSED_MS} ms (< ${LIMIT_MS} ms)"
    contains "$(bg_out clone)" "canceling statement due to user request" \
        "B: the client gets 'canceling statement due to user request'"
else
    not_ok "B: the clone is loading rows (pg_stat_progress_copy: COPY FROM, tuples_processed > 0)"
    diag "$(bg_out clone)"
    bg_wait clone 30000
fi
no_trace B slow
check "B: the source's COPY ends once the target went away" wait_for 5000 no_source_sessions

# ------------------------------------------------------------------------------------------
# C. a fake server that accepts TCP on 127.0.0.1 and never says a word
if ! command -v python3 >/dev/null 2>&1; then
    ok "C: # SKIP python3 not installed (needed for the fake server)"
else
    cat >"$WORK/mute_server.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(0.5)
held = []
end = time.time() + 60          # never outlive the test
while time.time() < end:
    try:
        c, _ = s.accept()
        held.append(c)          # keep it open, never answer
    except socket.timeout:
        pass
EOF
    bg mute timeout 90 python3 "$WORK/mute_server.py" "$WORK/mute.port"
    if wait_for 5000 test -s "$WORK/mute.port"; then
        MUTE_PORT=$(cat "$WORK/mute.port")
        MUTE_CI="host=127.0.0.1 port=$MUTE_PORT dbname=nowhere user=nobody password=Mute-S3cret-pw"

        # C1. statement_timeout
        bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
            -c "SET statement_timeout = '1s'" \
            -c "SELECT pgclone.table('$MUTE_CI', '$SCHEMA', 'locked')"
        T0=$(now_ms)
        if bg_wait clone 10000; then
            ELAPSED_MS=$(($(now_ms) - T0))
            below "$ELAPSED_MS" 2000 "C1: statement_timeout = 1s ended a clone stuck connecting after ${ELAPSED_MS} ms (< 2000 ms)"
        else
            not_ok "C1: statement_timeout = 1s ended a clone stuck connecting within 10 s"
        fi
        contains "$(bg_out clone)" "canceling statement due to statement timeout" \
            "C1: the client gets 'canceling statement due to statement timeout'"
        lacks "$(bg_out clone)" "Mute-S3cret-pw" "C1: the output does not contain the password"

        # C2. pg_cancel_backend while connecting (the backend waits in WaitLatchOrSocket)
        bg clone env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
            -c "SELECT pgclone.table('$MUTE_CI', '$SCHEMA', 'locked')"
        if wait_for 10000 clone_waits_in Extension; then
            ok "C2: the clone waits for the mute server (wait_event Extension)"
            sleep 0.3 # let it settle into the wait
            cancel_and_time C2
            below "$ELAPSED_MS" "$LIMIT_MS" "C2: pg_cancel_backend ended a clone stuck connecting in ${ELAPSED_MS} ms (< ${LIMIT_MS} ms)"
            contains "$(bg_out clone)" "canceling statement due to user request" \
                "C2: the client gets 'canceling statement due to user request'"
        else
            not_ok "C2: the clone waits for the mute server (wait_event Extension)"
            diag "$(bg_out clone)"
            bg_wait clone 30000
        fi
        no_trace C locked
    else
        not_ok "C: the fake server started"
    fi
fi

# the target server survived all of it and still clones normally
src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_locker'" \
    >/dev/null 2>&1
OUT=$(tgt -c "$(clone_sql locked)" 2>"$WORK/final.err")
is "$OUT" "OK: cloned $SCHEMA.locked (1000 rows)" "after all cancels the same clone succeeds"
tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1

finish

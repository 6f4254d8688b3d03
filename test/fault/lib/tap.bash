# test/fault/lib/tap.bash -- shared helpers for the fault scripts (sourced, not run).
#
# Gives: TAP output (ok / not_ok / check / finish), psql wrappers for both servers,
# millisecond clock, background helpers that are always killed on exit (by their own
# pid only), and polling with a deadline. Lives in a subdirectory so that the runner's
# test/fault/*.sh glob does not pick it up.
#
# Environment: the exports of `bash test/harness/cluster.sh env` (loaded here).

set -u
set -o pipefail

FAULT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
if ! _envs=$(bash "$FAULT_ROOT/test/harness/cluster.sh" env); then
    echo "not ok 1 - test clusters are not running (bash test/harness/cluster.sh start)"
    exit 1
fi
eval "$_envs"
unset _envs
PSQL=$PGCLONE_PGBIN/psql
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-fault.XXXXXX")

TAP_N=0
TAP_FAILED=0
BG_PIDS=()

ok() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $*"
}

not_ok() {
    TAP_N=$((TAP_N + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $*"
}

# diag TEXT... : a comment line (shown by the runner, ignored by TAP)
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION CMD... : ok when CMD succeeds
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# is GOT WANT DESCRIPTION
is() {
    if [[ $1 == "$2" ]]; then
        ok "$3"
    else
        not_ok "$3"
        diag "got:  '$1'" "want: '$2'"
    fi
}

# contains HAYSTACK NEEDLE DESCRIPTION / lacks HAYSTACK NEEDLE DESCRIPTION
contains() {
    if [[ $1 == *"$2"* ]]; then
        ok "$3"
    else
        not_ok "$3"
        diag "'$2' not found in:" "$1"
    fi
}
lacks() {
    if [[ $1 != *"$2"* ]]; then
        ok "$3"
    else
        not_ok "$3"
        diag "'$2' found in:" "$1"
    fi
}

# below GOT LIMIT DESCRIPTION : integer GOT < LIMIT
below() {
    if (($1 < $2)); then
        ok "$3"
    else
        not_ok "$3"
        diag "got $1, limit $2"
    fi
}

now_ms() { date +%s%3N; }

tgt() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" "$@"; }
src() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PGCLONE_SRC_CONNINFO" "$@"; }

# bg NAME CMD... : runs CMD in the background, output in $WORK/NAME.out, exit status in
# $WORK/NAME.rc when it ends; sets BG_PID.
bg() {
    local name=$1
    shift
    rm -f "$WORK/$name.rc"
    (
        "$@" >"$WORK/$name.out" 2>&1
        echo $? >"$WORK/$name.rc"
    ) &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# bg_wait NAME TIMEOUT_MS : waits until the background job NAME has ended; returns 1 on timeout.
bg_wait() {
    local name=$1 deadline=$(($(now_ms) + $2))
    while [[ ! -f $WORK/$name.rc ]]; do
        (($(now_ms) > deadline)) && return 1
        sleep 0.01
    done
    return 0
}

bg_out() { cat "$WORK/$1.out" 2>/dev/null; }
bg_rc() { cat "$WORK/$1.rc" 2>/dev/null; }

# wait_for TIMEOUT_MS CMD... : polls CMD (every 20 ms) until it succeeds; 1 on timeout.
wait_for() {
    local deadline=$(($(now_ms) + $1))
    shift
    until "$@"; do
        (($(now_ms) > deadline)) && return 1
        sleep 0.02
    done
    return 0
}

# Kills the helpers this script started (each by its pid, children first), removes $WORK.
cleanup_bg() {
    local p c
    for p in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do
        for c in $(pgrep -P "$p" 2>/dev/null); do kill "$c" 2>/dev/null; done
        kill "$p" 2>/dev/null
    done
    for p in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do wait "$p" 2>/dev/null; done
    BG_PIDS=()
}

# An EXIT trap that a script can extend: define fault_cleanup() for its own cleanup.
_tap_exit() {
    local rc=$?
    if declare -F fault_cleanup >/dev/null; then fault_cleanup || true; fi
    cleanup_bg 2>/dev/null # also hides bash's "Terminated" notices for the killed helpers
    rm -rf "$WORK"
    exit "$rc"
}
trap _tap_exit EXIT
trap 'exit 130' INT TERM

# finish : prints the plan; exit status 1 if anything failed.
finish() {
    echo "1..$TAP_N"
    if ((TAP_FAILED > 0)); then
        echo "# $TAP_FAILED of $TAP_N failed"
        exit 1
    fi
    exit 0
}

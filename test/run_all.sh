#!/usr/bin/env bash
# test/run_all.sh -- THE pgclone test command: unit, fuzz, build+install, harness, pgTAP, fault,
# cross (pgTAP against PostgreSQL 14/16/17/18 sources, test/cross/run_cross.sh).
#
#   bash test/run_all.sh          (as root on a machine prepared with scripts/install_deps.sh)
#
# Every suite prints "<suite>: N passed, M failed"; the last line of the output is always
# "N passed, M failed" over all suites that ran.  A suite that could not run at all counts as
# 1 failed.  Exit status: 0 iff nothing failed.
#
# Environment:
#   SKIP_UNIT=1  SKIP_FUZZ=1  SKIP_BUILD=1  SKIP_CROSS=1   skip a suite (quick local iterations;
#                      reported). The cross suite fetches its servers from the npm registry (cached
#                      in /tmp/pgclone-pgbin); without network it fails unless SKIP_CROSS=1.
#   FUZZ_SECONDS       per-target fuzzing time for test/fuzz/run_fuzz.sh (default 60)
#   PG_CONFIG          pg_config to build against (default: $PGCLONE_PGBIN/pg_config if that
#                      exists, else pg_config from PATH)
#   PGCLONE_PGBIN      server bin dir for the test clusters (default: `$PG_CONFIG --bindir`)
#   PGCLONE_NO_PRELOAD=1   start the target without shared_preload_libraries = 'pgclone'
#   PGCLONE_KEEP=1     keep the clusters' temp dir (data dirs, logs) after the run; the server
#                      logs are always copied to $PGCLONE_TEST_LOGDIR/server/
#   PGCLONE_JOBS       parallel build jobs (default 2)
#   PGTAP_FILES        space-separated pgTAP files to run instead of test/pgtap/*.sql
#   FAULT_FILES        space-separated fault scripts to run instead of test/fault/*.sh
#   PGTAP_TIMEOUT, FAULT_TIMEOUT, FUZZ_TIMEOUT, CROSS_SUITE_TIMEOUT   seconds (defaults 1800,
#                      600 per script, 3600, 1800)
#   PGCLONE_TEST_LOGDIR   where per-step logs go (default build/test-logs)
set -u
set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

HARNESS=$ROOT/test/harness/cluster.sh
SEED=$ROOT/test/fixtures/seed.sql
LOGDIR=${PGCLONE_TEST_LOGDIR:-$ROOT/build/test-logs}
JOBS=${PGCLONE_JOBS:-2}
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}
PGTAP_TIMEOUT=${PGTAP_TIMEOUT:-1800}
FAULT_TIMEOUT=${FAULT_TIMEOUT:-600}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-3600}
CROSS_SUITE_TIMEOUT=${CROSS_SUITE_TIMEOUT:-1800}

if [[ -z ${PG_CONFIG:-} && -n ${PGCLONE_PGBIN:-} && -x ${PGCLONE_PGBIN:-}/pg_config ]]; then
    export PG_CONFIG=$PGCLONE_PGBIN/pg_config
fi

mkdir -p "$LOGDIR" || {
    echo "cannot create $LOGDIR"
    echo "0 passed, 1 failed"
    exit 1
}

# ---------------------------------------------------------------------------------------------
# bookkeeping

SUITES=()
declare -A S_RESULT=()
TOTAL_PASS=0
TOTAL_FAIL=0

# Each suite's time, from its header to its record: the whole run must stay within CI's budget.
SUITE_T0=$SECONDS
record() { # SUITE PASSED FAILED [NOTE]
    local s=$1 p=$2 f=$3 note=${4:-}
    SUITES+=("$s")
    S_RESULT[$s]="$p passed, $f failed${note:+ ($note)} in $((SECONDS - SUITE_T0)) s"
    TOTAL_PASS=$((TOTAL_PASS + p))
    TOTAL_FAIL=$((TOTAL_FAIL + f))
    echo "$s: ${S_RESULT[$s]}"
}

skip_suite() { # SUITE REASON
    SUITES+=("$1")
    S_RESULT[$1]="skipped ($2)"
    echo "$1: skipped ($2)"
}

header() {
    SUITE_T0=$SECONDS
    echo
    echo "======================================================================"
    echo "== [$1] $2"
    echo "======================================================================"
}

# run_logged LOGNAME CMD...  -- show the output and keep a copy in $LOGDIR/LOGNAME.log.
# The command runs as a background job that we wait for, so that INT/TERM are handled at once
# (the trap kills the job's whole process tree) instead of after the command finishes.
CHILD=""
run_logged() {
    local name=$1 rc
    shift
    echo "+ $*"
    { "$@" 2>&1 | tee "$LOGDIR/$name.log"; } &
    CHILD=$!
    wait "$CHILD"
    rc=$?
    CHILD=""
    return "$rc"
}

# shellcheck disable=SC2317 # used by on_signal
descendants() {
    local c
    for c in $(pgrep -P "$1" 2>/dev/null); do
        echo "$c"
        descendants "$c"
    done
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# clusters

CLUSTER_UP=0
PSQL=psql

stop_clusters() {
    if [[ $CLUSTER_UP == 1 ]]; then
        PGCLONE_SAVE_LOGS="$LOGDIR/server" bash "$HARNESS" stop >>"$LOGDIR/cluster-stop.log" 2>&1 || true
        CLUSTER_UP=0
    fi
}

# shellcheck disable=SC2317 # invoked by traps
on_exit() { stop_clusters; }
# shellcheck disable=SC2317
on_signal() { # MESSAGE EXIT_STATUS
    echo "$1"
    if [[ -n $CHILD ]]; then
        local pids
        pids="$CHILD $(descendants "$CHILD")"
        # shellcheck disable=SC2086 # list of pids
        kill -TERM $pids 2>/dev/null
    fi
    exit "$2"
}
trap on_exit EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM

# ---------------------------------------------------------------------------------------------
# a. unit

run_unit() {
    header unit "GoogleTest via CMake/CTest"
    if [[ ${SKIP_UNIT:-0} == 1 ]]; then
        skip_suite unit "SKIP_UNIT=1"
        return
    fi
    if ! have cmake || ! have ctest; then
        record unit 0 1 "cmake/ctest not installed"
        return
    fi
    if [[ ! -f CMakeLists.txt ]]; then
        record unit 0 1 "no CMakeLists.txt"
        return
    fi
    local cfg=(cmake -S . -B build/unit -DCMAKE_BUILD_TYPE=Debug)
    [[ -n ${PG_CONFIG:-} ]] && cfg+=("-DPG_CONFIG=$PG_CONFIG")
    if ! run_logged unit-configure "${cfg[@]}"; then
        record unit 0 1 "cmake configure failed"
        return
    fi
    if ! run_logged unit-build cmake --build build/unit -j "$JOBS"; then
        record unit 0 1 "build failed"
        return
    fi
    local rc line pct nfail total
    run_logged unit-ctest ctest --test-dir build/unit --output-on-failure
    rc=$?
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' \
        "$LOGDIR/unit-ctest.log" | tail -n 1)
    if [[ $line =~ ([0-9]+)%\ tests\ passed,\ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        pct=${BASH_REMATCH[1]}
        nfail=${BASH_REMATCH[2]}
        total=${BASH_REMATCH[3]}
        : "$pct"
        if ((total == 0)); then
            record unit 0 1 "no tests found"
        elif ((rc != 0 && nfail == 0)); then
            record unit "$total" 1 "ctest exited with $rc"
        else
            record unit $((total - nfail)) "$nfail"
        fi
    elif grep -q 'No tests were found' "$LOGDIR/unit-ctest.log"; then
        record unit 0 1 "no tests found"
    else
        record unit 0 1 "could not parse ctest output (exit $rc)"
    fi
}

# ---------------------------------------------------------------------------------------------
# b. fuzz

run_fuzz() {
    header fuzz "libFuzzer targets (FUZZ_SECONDS=$FUZZ_SECONDS)"
    if [[ ${SKIP_FUZZ:-0} == 1 ]]; then
        skip_suite fuzz "SKIP_FUZZ=1"
        return
    fi
    if [[ ! -f test/fuzz/run_fuzz.sh ]]; then
        record fuzz 0 1 "test/fuzz/run_fuzz.sh missing"
        return
    fi
    local rc line
    run_logged fuzz timeout -k 30 "$FUZZ_TIMEOUT" bash test/fuzz/run_fuzz.sh
    rc=$?
    line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$LOGDIR/fuzz.log" | tail -n 1)
    if [[ $line =~ ^fuzz:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        local p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
        if ((rc != 0 && f == 0)); then
            record fuzz "$p" 1 "run_fuzz.sh exited with $rc"
        elif ((p + f == 0)); then
            record fuzz 0 1 "no fuzz targets ran"
        else
            record fuzz "$p" "$f"
        fi
    else
        record fuzz 0 1 "no summary line from run_fuzz.sh (exit $rc)"
    fi
}

# ---------------------------------------------------------------------------------------------
# c. build + install

run_build() {
    header build "make && make install${PG_CONFIG:+ (PG_CONFIG=$PG_CONFIG)}"
    if [[ ${SKIP_BUILD:-0} == 1 ]]; then
        skip_suite build "SKIP_BUILD=1"
        return
    fi
    if [[ ! -f Makefile ]]; then
        record build 0 1 "no top-level Makefile"
        return
    fi
    local mk=(make)
    [[ -n ${PG_CONFIG:-} ]] && mk+=("PG_CONFIG=$PG_CONFIG")
    local p=0 f=0 note=""
    if run_logged build-make "${mk[@]}" -j"$JOBS"; then
        p=$((p + 1))
        if run_logged build-install "${mk[@]}" install; then
            p=$((p + 1))
        else
            f=$((f + 1))
            note="make install failed"
        fi
    else
        f=$((f + 1))
        note="make failed"
    fi
    if [[ -d test/boundary_ext ]]; then
        if run_logged build-boundary "${mk[@]}" -C test/boundary_ext; then
            p=$((p + 1))
            if run_logged build-boundary-install "${mk[@]}" -C test/boundary_ext install; then
                p=$((p + 1))
            else
                f=$((f + 1))
                note="${note:+$note; }boundary_ext install failed"
            fi
        else
            f=$((f + 1))
            note="${note:+$note; }boundary_ext build failed"
        fi
    fi
    # SQL-only extension with a configuration table (test/fault/690_fidelity_oracle.sh)
    if [[ -d test/config_ext ]]; then
        if run_logged build-config-ext-install "${mk[@]}" -C test/config_ext install; then
            p=$((p + 1))
        else
            f=$((f + 1))
            note="${note:+$note; }config_ext install failed"
        fi
    fi
    record build "$p" "$f" "$note"
}

# ---------------------------------------------------------------------------------------------
# d. clusters + seed

run_harness() {
    header harness "test clusters (test/harness/cluster.sh) + source seed"
    local start_args=()
    [[ ${PGCLONE_NO_PRELOAD:-0} == 1 ]] && start_args+=(--no-preload)

    if bash "$HARNESS" status >/dev/null 2>&1; then
        echo "stopping clusters left over from a previous run"
        bash "$HARNESS" stop
    fi
    if ! run_logged cluster-start bash "$HARNESS" start ${start_args[@]+"${start_args[@]}"}; then
        record harness 0 1 "cluster.sh start failed"
        return
    fi
    CLUSTER_UP=1
    local envs
    if ! envs=$(bash "$HARNESS" env); then
        record harness 1 1 "cluster.sh env failed"
        return
    fi
    eval "$envs"
    export PGCLONE_ROOT=$ROOT
    PSQL=$PGCLONE_PGBIN/psql
    echo "source: $PGCLONE_SRC_CONNINFO"
    echo "target: $PGCLONE_TGT_CONNINFO"

    local p=1 f=0 note=""
    if PGPASSWORD=srcpass run_logged seed "$PSQL" -X -q -v ON_ERROR_STOP=1 \
        "$PGCLONE_SRC_CONNINFO" -f "$SEED"; then
        p=$((p + 1))
        local counts
        counts=$(PGPASSWORD=srcpass "$PSQL" -X -At "$PGCLONE_SRC_CONNINFO" -c \
            "SELECT (SELECT count(*) FROM test_schema.customers) || ' ' ||
                    (SELECT count(*) FROM test_schema.customers WHERE status = 'active') || ' ' ||
                    (SELECT count(*) FROM test_schema.employees)" 2>&1)
        if [[ $counts == "10 7 5" ]]; then
            p=$((p + 1))
            echo "seed: 10 customers, 7 active, 5 employees"
        else
            f=$((f + 1))
            note="unexpected seed counts: $counts"
        fi
    else
        f=$((f + 1))
        note="loading test/fixtures/seed.sql failed"
    fi
    # Further fixtures (one per feature area), after the seed, in name order.
    local fx
    for fx in "$ROOT"/test/fixtures/*.sql; do
        [[ $fx == "$SEED" ]] && continue
        if PGPASSWORD=srcpass run_logged "fixture-$(basename "$fx" .sql)" "$PSQL" -X -q -v ON_ERROR_STOP=1 \
            "$PGCLONE_SRC_CONNINFO" -f "$fx"; then
            p=$((p + 1))
        else
            f=$((f + 1))
            note="${note:+$note; }loading ${fx#"$ROOT"/} failed"
        fi
    done
    record harness "$p" "$f" "$note"
}

# ---------------------------------------------------------------------------------------------
# e. pgTAP

run_pgtap() {
    header pgtap "pgTAP via pg_prove (test/pgtap/*.sql)"
    if [[ $CLUSTER_UP != 1 ]]; then
        record pgtap 0 1 "test clusters not running"
        return
    fi
    if ! have pg_prove; then
        record pgtap 0 1 "pg_prove not installed"
        return
    fi
    local files=()
    if [[ -n ${PGTAP_FILES:-} ]]; then
        read -r -a files <<<"$PGTAP_FILES"
    else
        shopt -s nullglob
        files=(test/pgtap/*.sql)
        shopt -u nullglob
    fi
    if ((${#files[@]} == 0)); then
        record pgtap 0 1 "no test files"
        return
    fi
    if ! run_logged pgtap-setup "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
        -c 'CREATE EXTENSION IF NOT EXISTS pgtap'; then
        record pgtap 0 1 "CREATE EXTENSION pgtap failed"
        return
    fi
    local rc
    run_logged pgtap timeout -k 30 "$PGTAP_TIMEOUT" pg_prove --nocolor --failures --comments \
        -b "$PSQL" -h "$PGCLONE_SOCKDIR" -p "$PGCLONE_TGT_PORT" -U postgres -d target \
        "${files[@]}"
    rc=$?
    local summary tests failed=0 badfiles=0 line re
    summary=$(grep -E '^Files=[0-9]+, Tests=[0-9]+' "$LOGDIR/pgtap.log" | tail -n 1)
    if [[ ! $summary =~ ^Files=([0-9]+),\ Tests=([0-9]+) ]]; then
        record pgtap 0 1 "no pg_prove summary (exit $rc)"
        return
    fi
    tests=${BASH_REMATCH[2]}
    # Per-file lines of the "Test Summary Report", e.g.
    #   test/pgtap/010_x.sql (Wstat: 768 (exited 3) Tests: 5 Failed: 0)
    re='\(Wstat: [0-9]+.*Tests: ([0-9]+) Failed: ([0-9]+)\)'
    while IFS= read -r line; do
        if [[ $line =~ $re ]]; then
            if ((BASH_REMATCH[2] > 0)); then
                failed=$((failed + BASH_REMATCH[2]))
            else
                badfiles=$((badfiles + 1)) # died, bad plan, non-zero exit
            fi
        fi
    done <"$LOGDIR/pgtap.log"
    local passed=$((tests - failed))
    local total_failed=$((failed + badfiles))
    if ((rc != 0 && total_failed == 0)); then
        record pgtap "$passed" 1 "pg_prove exited with $rc"
    elif ((tests == 0 && total_failed == 0)); then
        record pgtap 0 1 "no tests ran"
    elif ((badfiles > 0)); then
        record pgtap "$passed" "$total_failed" "$badfiles file(s) aborted or had a bad plan"
    else
        record pgtap "$passed" "$total_failed"
    fi
}

# ---------------------------------------------------------------------------------------------
# f. fault

run_fault() {
    header fault "fault-injection scripts (test/fault/*.sh)"
    if [[ $CLUSTER_UP != 1 ]]; then
        record fault 0 1 "test clusters not running"
        return
    fi
    local files=()
    if [[ -n ${FAULT_FILES:-} ]]; then
        read -r -a files <<<"$FAULT_FILES"
    else
        shopt -s nullglob
        files=(test/fault/*.sh)
        shopt -u nullglob
    fi
    if ((${#files[@]} == 0)); then
        record fault 0 1 "no fault scripts"
        return
    fi
    local p=0 f=0 file name rc ok nok t0 notes=()
    for file in "${files[@]}"; do
        name=$(basename "$file" .sh)
        echo "--- $file"
        t0=$SECONDS
        run_logged "fault-$name" timeout -k 30 "$FAULT_TIMEOUT" bash "$file"
        rc=$?
        ok=$(grep -cE '^ok [0-9]+' "$LOGDIR/fault-$name.log")
        nok=$(grep -cE '^not ok [0-9]+' "$LOGDIR/fault-$name.log")
        if ((ok + nok == 0)); then
            nok=1
            notes+=("$name: no test output (exit $rc)")
        elif ((rc != 0 && nok == 0)); then
            nok=1
            notes+=("$name: exited with $rc")
        fi
        echo "--- $name: $ok passed, $nok failed ($((SECONDS - t0)) s)"
        p=$((p + ok))
        f=$((f + nok))
        # A fault script may leave a server down; bring it back for the next one.
        if ! bash "$HARNESS" status >/dev/null 2>&1; then
            echo "--- servers not both running after $name; restarting"
            if ! bash "$HARNESS" restart all; then
                notes+=("could not restart the clusters after $name")
                f=$((f + 1))
                break
            fi
        fi
    done
    local joined="" n
    for n in ${notes[@]+"${notes[@]}"}; do joined+="${joined:+; }$n"; done
    record fault "$p" "$f" "$joined"
}

# ---------------------------------------------------------------------------------------------
# g. cross-version

run_cross() {
    header cross "pgTAP with PostgreSQL 14, 16, 17 and 18 sources (test/cross/run_cross.sh)"
    if [[ ${SKIP_CROSS:-0} == 1 ]]; then
        skip_suite cross "SKIP_CROSS=1"
        return
    fi
    if [[ ! -f test/cross/run_cross.sh ]]; then
        record cross 0 1 "test/cross/run_cross.sh missing"
        return
    fi
    # Its own clusters (and state file); the main ones are stopped by now.
    local rc line
    run_logged cross env PGCLONE_CROSS_LOGDIR="$LOGDIR/cross" timeout -k 30 "$CROSS_SUITE_TIMEOUT" \
        bash test/cross/run_cross.sh
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOGDIR/cross.log" | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        local p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
        if ((rc != 0 && f == 0)); then
            record cross "$p" 1 "run_cross.sh exited with $rc"
        elif ((p + f == 0)); then
            record cross 0 1 "no cross-version tests ran"
        else
            record cross "$p" "$f"
        fi
    else
        record cross 0 1 "no summary line from run_cross.sh (exit $rc)"
    fi
}

# ---------------------------------------------------------------------------------------------
# main

echo "pgclone test run: $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(uname -srm) as $(id -un)"
echo "repo: $ROOT   logs: $LOGDIR"
echo "PG_CONFIG=${PG_CONFIG:-pg_config}  PGCLONE_PGBIN=${PGCLONE_PGBIN:-<from pg_config>}"

run_unit
run_fuzz
run_build
run_harness
run_pgtap
run_fault

stop_clusters
run_cross

echo
echo "======================================================================"
echo "== summary"
echo "======================================================================"
for s in "${SUITES[@]}"; do
    printf '%-8s %s\n' "$s:" "${S_RESULT[$s]}"
done
echo "logs: $LOGDIR"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
if ((TOTAL_FAIL > 0)); then
    exit 1
fi
exit 0

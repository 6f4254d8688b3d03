#!/usr/bin/env bash
# bench/run_bench.sh -- pgclone against pg_dump | pg_restore and pgcopydb, side by side in one run.
#
#   bash bench/run_bench.sh            (as root, after make install; installs pgcopydb if missing)
#
# Starts its own throwaway clusters (test/harness/cluster.sh), builds a source schema "bench"
# (BENCH_TABLES tables of BENCH_ROWS rows, a primary key and one secondary index each), and times,
# BENCH_REPEAT times each, a full copy of that schema (structure, data, indexes) into a fresh
# target database with one connection (equal parallelism):
#   pgclone     SELECT pgclone.schema(src, 'bench', true)
#   pg_dump     pg_dump -Fc -n bench | pg_restore --single-transaction
#   pgcopydb    pgcopydb clone --table-jobs 1 --index-jobs 1 (source database holds only "bench")
# Prints the median seconds of each and the ratios to pgclone, as a Markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TABLES=${BENCH_TABLES:-4}
ROWS=${BENCH_ROWS:-500000}
REPEAT=${BENCH_REPEAT:-3}

if ! command -v pgcopydb >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgcopydb >/dev/null 2>&1 || true
fi

. "$ROOT/bench/lib/clusters.bash"
bench_clusters /tmp/pgclone-bench.state 62432 62433

echo "building the source: $TABLES tables x $ROWS rows" >&2
"$PSQL" -X -q "$SRC" -c "CREATE DATABASE benchsrc"
for i in $(seq 1 "$TABLES"); do
    "$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.t$i (id bigint PRIMARY KEY, k int NOT NULL, name text, amount numeric(12,2),
                        at timestamptz, doc jsonb);
INSERT INTO bench.t$i SELECT g, g % 1000, md5(g::text), g / 7.0, now() - g * interval '1 s',
                             jsonb_build_object('g', g, 'h', md5(g::text))
FROM generate_series(1, $ROWS) g;
CREATE INDEX t${i}_k_idx ON bench.t$i (k);
SQL
done
"$PSQL" -X -q "$(src_db benchsrc)" -c "VACUUM ANALYZE"
size=$("$PSQL" -X -At "$(src_db benchsrc)" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench'")

fresh_target() {
    "$PSQL" -X -q "$(tgt_db postgres)" -c "DROP DATABASE IF EXISTS benchdst" -c "CREATE DATABASE benchdst"
}

run_pgclone() {
    fresh_target
    "$PSQL" -X -q "$(tgt_db benchdst)" -c "CREATE EXTENSION pgclone"
    local t0; t0=$(now)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$(tgt_db benchdst)" \
        -c "SELECT pgclone.schema('$(src_db benchsrc)', 'bench', true)" >/dev/null 2>&1
    elapsed "$t0"
}
run_pg_dump() {
    fresh_target
    local t0; t0=$(now)
    "$PGCLONE_PGBIN/pg_dump" -Fc -Z0 -n bench "$(src_db benchsrc)" |
        "$PGCLONE_PGBIN/pg_restore" --single-transaction -d "$(tgt_db benchdst)"
    elapsed "$t0"
}
run_pgcopydb() {
    fresh_target
    local dir; dir=$(mktemp -d /tmp/pgcopydb.XXXXXX)
    chmod 777 "$dir"
    local t0; t0=$(now)
    runuser -u "$PGCLONE_OS_USER" -- env PGPASSWORD="$PGPASSWORD" pgcopydb clone --dir "$dir" \
        --source "$(src_db benchsrc)" --target "$(tgt_db benchdst)" \
        --table-jobs 1 --index-jobs 1 --no-owner --no-acl >/dev/null 2>&1
    local t; t=$(elapsed "$t0")
    rm -rf "$dir"
    echo "$t"
}
check_rows() {
    "$PSQL" -X -At "$(tgt_db benchdst)" -c "SELECT sum(n) FROM (SELECT count(*) n FROM bench.t1) s"
}

declare -A RES
for tool in pgclone pg_dump pgcopydb; do
    if [[ $tool == pgcopydb ]] && ! command -v pgcopydb >/dev/null 2>&1; then
        echo "pgcopydb not installable here; skipped" >&2
        continue
    fi
    times=()
    for _ in $(seq 1 "$REPEAT"); do
        t=$("run_${tool}")
        rows=$(check_rows)
        [[ $rows == "$ROWS" ]] || { echo "$tool: bench.t1 has $rows rows, expected $ROWS" >&2; exit 1; }
        times+=("$t")
        echo "$tool: $t s" >&2
    done
    RES[$tool]=$(printf '%s\n' "${times[@]}" | median)
done

echo
echo "Source: $TABLES tables x $ROWS rows ($size with indexes), PostgreSQL $("$PSQL" -X -At "$SRC" -c 'SHOW server_version'), one connection each, median of $REPEAT runs, $(nproc) cores."
echo
echo "| tool | seconds (median) | time relative to pgclone |"
echo "|---|---|---|"
for tool in pgclone pg_dump pgcopydb; do
    [[ -n ${RES[$tool]:-} ]] || continue
    ratio=$(awk -v a="${RES[$tool]}" -v b="${RES[pgclone]}" 'BEGIN { printf "%.2f", a / b }')
    printf '| %s | %.2f | %sx |\n' "$tool" "${RES[$tool]}" "$ratio"
done

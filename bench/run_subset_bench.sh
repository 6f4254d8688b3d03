#!/usr/bin/env bash
# bench/run_subset_bench.sh -- a subset clone (1 % of a big table and the rows it references)
# next to the full clone of the same schema, in one run.
#
#   bash bench/run_subset_bench.sh        (as root, after make install)
#
# Builds a source schema "bench": customers (BENCH_CUSTOMERS rows, default 100000) and orders
# (BENCH_ROWS rows, default 5000000, customer_id -> customers, an index on it), then times, each
# BENCH_REPEAT times (default 3) into a fresh target database, taking turns in each round:
#   full      SELECT pgclone.schema(src, 'bench', true)
#   where1    {"where": {"orders": "id % 100 = 0", "customers": "false"}}: 1 % of the orders by a
#             filter, and the customers they reference (subset "parents")
#   sample1   {"sample": {"orders": 1}, "seed": 1, "where": {"customers": "false"}}: a 1 % sample
#             (TABLESAMPLE SYSTEM) and the customers it references
# Prints the medians, the rows each run cloned, and each run's time relative to the full clone
# as a Markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CUSTOMERS=${BENCH_CUSTOMERS:-100000}
ROWS=${BENCH_ROWS:-5000000}
REPEAT=${BENCH_REPEAT:-3}
. "$ROOT/bench/lib/clusters.bash"
bench_clusters /tmp/pgclone-subsetbench.state 63452 63453

echo "building the source: $CUSTOMERS customers, $ROWS orders" >&2
"$PSQL" -X -q "$SRC" -c "CREATE DATABASE benchsrc"
"$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA bench;
CREATE TABLE bench.customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL);
INSERT INTO bench.customers SELECT g, 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, $CUSTOMERS) g;
CREATE TABLE bench.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2) NOT NULL,
                           at timestamptz NOT NULL, note text);
INSERT INTO bench.orders SELECT g, 1 + (g * 7919::bigint) % $CUSTOMERS, g % 10000 / 100.0, now() - g * interval '1 s', 'order ' || g
FROM generate_series(1, $ROWS) g;
ALTER TABLE bench.orders ADD FOREIGN KEY (customer_id) REFERENCES bench.customers;
CREATE INDEX ON bench.orders (customer_id);
SQL
"$PSQL" -X -q "$(src_db benchsrc)" -c "VACUUM ANALYZE"

declare -A OPTS=(
    [full]='{}'
    [where1]='{"where": {"orders": "id % 100 = 0", "customers": "false"}}'
    [sample1]='{"sample": {"orders": 1}, "seed": 1, "where": {"customers": "false"}}'
)
LABELS=(full where1 sample1)
declare -A TIMES ROWCOUNT
clone() { # LABEL
    "$PSQL" -X -q "$(tgt_db postgres)" -c "DROP DATABASE IF EXISTS benchdst" -c "CREATE DATABASE benchdst"
    "$PSQL" -X -q "$(tgt_db benchdst)" -c "CREATE EXTENSION pgclone"
    local t0 t
    t0=$(now)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$(tgt_db benchdst)" \
        -c "SELECT pgclone.schema('$(src_db benchsrc)', 'bench', true, '${OPTS[$1]}')" >/dev/null 2>&1
    t=$(elapsed "$t0")
    ROWCOUNT[$1]=$("$PSQL" -X -At "$(tgt_db benchdst)" -c "SELECT (SELECT count(*) FROM bench.orders) || ' orders, ' ||
        (SELECT count(*) FROM bench.customers) || ' customers'")
    [[ $("$PSQL" -X -At "$(tgt_db benchdst)" -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated
        AND conrelid = 'bench.orders'::regclass") == 1 ]] || { echo "$1: the foreign key is missing" >&2; exit 1; }
    TIMES[$1]+="$t "
    echo "$1: $t s (${ROWCOUNT[$1]})" >&2
}
for _ in $(seq 1 "$REPEAT"); do
    for l in "${LABELS[@]}"; do clone "$l"; done
done
declare -A RES
for l in "${LABELS[@]}"; do RES[$l]=$(printf '%s\n' ${TIMES[$l]} | median); done

echo
echo "Source: $ROWS orders, $CUSTOMERS customers, PostgreSQL $("$PSQL" -X -At "$SRC" -c 'SHOW server_version'), median of $REPEAT runs, $(nproc) cores."
echo
echo "| run | rows cloned | seconds (median) | time relative to the full clone |"
echo "|---|---|---|---|"
for l in "${LABELS[@]}"; do
    ratio=$(awk -v a="${RES[$l]}" -v b="${RES[full]}" 'BEGIN { printf "%.3f", a / b }')
    printf '| %s | %s | %.2f | %sx |\n' "$l" "${ROWCOUNT[$l]}" "${RES[$l]}" "$ratio"
done
echo
for l in "${LABELS[@]}"; do echo "$l single runs: ${TIMES[$l]}"; done

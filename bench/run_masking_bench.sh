#!/usr/bin/env bash
# bench/run_masking_bench.sh -- masked and unmasked schema clones, two builds of pgclone side by
# side with pg_dump | pg_restore, in one run.
#
#   BASE_SO=/path/to/old/pgclone.so bash bench/run_masking_bench.sh   (as root, after make install)
#
# Builds a source schema "bench" (BENCH_TABLES tables of BENCH_ROWS rows with an email and an ssn
# column, a primary key each) and times, BENCH_REPEAT times each, into a fresh target database:
#   pg_dump     pg_dump -Fc -Z0 -n bench | pg_restore --single-transaction   (the reference)
#   unmasked    SELECT pgclone.schema(src, 'bench', true)
#   masked      the same with {"masks": {"tN": {"email": "email", "ssn": "null"}, ...}}
# with the installed pgclone.so ("new") and, when BASE_SO is given, with that build ("base"),
# taking turns in each round (swapped into the library directory and the target restarted; the
# installed one is put back afterwards). Prints the medians and each one's ratio to pg_dump as a Markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TABLES=${BENCH_TABLES:-4}
ROWS=${BENCH_ROWS:-250000}
REPEAT=${BENCH_REPEAT:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
LIBDIR=$("$PG_CONFIG" --pkglibdir)
NEW_SO=$(mktemp /tmp/pgclone-new.XXXXXX.so)
cp "$LIBDIR/pgclone.so" "$NEW_SO"

restore_so() { cp "$NEW_SO" "$LIBDIR/pgclone.so"; rm -f "$NEW_SO"; }
BENCH_ON_EXIT=restore_so
. "$ROOT/bench/lib/clusters.bash"
bench_clusters /tmp/pgclone-maskbench.state 63432 63433

echo "building the source: $TABLES tables x $ROWS rows" >&2
"$PSQL" -X -q "$SRC" -c "CREATE DATABASE benchsrc"
masks="{"
sep=""
for i in $(seq 1 "$TABLES"); do
    "$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.t$i (id bigint PRIMARY KEY, k int NOT NULL, email text, ssn text, amount numeric(12,2),
                        at timestamptz);
INSERT INTO bench.t$i SELECT g, g % 1000, 'person' || g || '@example.com', 'SSN-' || g, g / 7.0,
                             now() - g * interval '1 s'
FROM generate_series(1, $ROWS) g;
SQL
    masks+="$sep\"t$i\": {\"email\": \"email\", \"ssn\": \"null\"}"
    sep=", "
done
masks+="}"
"$PSQL" -X -q "$(src_db benchsrc)" -c "VACUUM ANALYZE"

fresh_target() {
    "$PSQL" -X -q "$(tgt_db postgres)" -c "DROP DATABASE IF EXISTS benchdst" -c "CREATE DATABASE benchdst"
}
clone() { # OPTIONS
    fresh_target
    "$PSQL" -X -q "$(tgt_db benchdst)" -c "CREATE EXTENSION pgclone"
    local t0; t0=$(now)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$(tgt_db benchdst)" \
        -c "SELECT pgclone.schema('$(src_db benchsrc)', 'bench', true, '$1')" >/dev/null 2>&1
    elapsed "$t0"
}
run_unmasked() { clone '{}'; }
run_masked() { clone "{\"masks\": $masks}"; }
run_pg_dump() {
    fresh_target
    local t0; t0=$(now)
    "$PGCLONE_PGBIN/pg_dump" -Fc -Z0 -n bench "$(src_db benchsrc)" |
        "$PGCLONE_PGBIN/pg_restore" --single-transaction -d "$(tgt_db benchdst)"
    elapsed "$t0"
}
rows_ok() { [[ $("$PSQL" -X -At "$(tgt_db benchdst)" -c "SELECT count(*) FROM bench.t1") == "$ROWS" ]]; }
use_build() { # SO
    cp "$1" "$LIBDIR/pgclone.so"
    bash test/harness/cluster.sh restart target >/dev/null
}

# The builds take turns within each round (base, new, base, new, ...), so that whatever the
# machine does meanwhile (checkpoints, autovacuum of earlier loads) falls on both alike.
declare -A TIMES
record() { # LABEL RUNNER
    local t
    t=$("$2")
    rows_ok || { echo "$1: bench.t1 does not have $ROWS rows" >&2; exit 1; }
    TIMES[$1]+="$t "
    echo "$1: $t s" >&2
}
BUILDS=(new)
[[ -n ${BASE_SO:-} ]] && BUILDS=(base new)
LABELS=(pg_dump)
for b in "${BUILDS[@]}"; do LABELS+=("$b unmasked" "$b masked"); done
for _ in $(seq 1 "$REPEAT"); do
    record pg_dump run_pg_dump
    for b in "${BUILDS[@]}"; do
        if [[ $b == base ]]; then use_build "$BASE_SO"; else use_build "$NEW_SO"; fi
        record "$b unmasked" run_unmasked
        record "$b masked" run_masked
    done
done
declare -A RES
for l in "${LABELS[@]}"; do
    RES[$l]=$(printf '%s\n' ${TIMES[$l]} | median)
done

echo
echo "Source: $TABLES tables x $ROWS rows, PostgreSQL $("$PSQL" -X -At "$SRC" -c 'SHOW server_version'), one connection each, median of $REPEAT runs, $(nproc) cores."
echo
echo "| run | seconds (median) | time relative to pg_dump \\| pg_restore |"
echo "|---|---|---|"
for l in "${LABELS[@]}"; do
    ratio=$(awk -v a="${RES[$l]}" -v b="${RES[pg_dump]}" 'BEGIN { printf "%.2f", a / b }')
    printf '| %s | %.2f | %sx |\n' "$l" "${RES[$l]}" "$ratio"
done

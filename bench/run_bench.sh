#!/usr/bin/env bash
# bench/run_bench.sh -- pgclone against pg_dump | pg_restore and pgcopydb, side by side in one run.
#
#   bash bench/run_bench.sh            (as root, after make install; installs pgcopydb if missing)
#
# Starts its own throwaway clusters (test/harness/cluster.sh) and, per scenario, builds a source
# database holding one schema "bench", then times a full copy of that schema (structure, data,
# indexes, sequences) into a fresh target database. The tools take turns within each repetition
# (A B C A B C ...), so a machine whose speed drifts slows all of them alike; the median of
# BENCH_REPEAT runs is reported, with each tool's time relative to pgclone.schema.
#
# Scenarios (BENCH_SCENARIOS, space-separated, default all four):
#   bulk       BENCH_TABLES tables (default 4) of BENCH_ROWS rows (default 500000): throughput
#   small500   500 tables, each a serial primary key, one secondary index and 20 rows
#   small5000  the same with 5,000 tables (per-table cost must stay flat from 500)
#   parts2000  one table partitioned by range into 2,000 partitions of 20 rows
#   pool       (not in the default list) the parallel pool's case: one table of BENCH_POOL_BIG_ROWS
#              rows (default 5,000,000) and a wide one of BENCH_POOL_WIDE_ROWS rows (default
#              1,000,000) with three secondary indexes; tools pgclone_async2, pgclone, pgcopydb_j2
#              and pg_dump_j2 fit it. With BENCH_RESUME=1 it also times a parallel job killed
#              (kill -9 of a pool worker, a crash restart of the target) at half its rows and
#              resumed, against a fresh parallel clone
# Tools (BENCH_TOOLS; default all):
#   pgclone           SELECT pgclone.schema(src, 'bench', true)             one connection
#   pgclone_db        SELECT pgclone.database(src)                          one connection
#   pgclone_async2    pgclone.schema_async(src, 'bench', true, '{"parallel": 2}'), until done
#   pg_dump           pg_dump -Fc -Z0 -n bench | pg_restore --single-transaction
#   pg_dump_j2        pg_dump -Fd -Z0 -j2 -n bench, then pg_restore -j2     two connections
#   pgcopydb          pgcopydb clone --table-jobs 1 --index-jobs 1          one connection
#   pgcopydb_j2       pgcopydb clone --table-jobs 2 --index-jobs 2          two and two
#   pgclone_base      pgclone.schema with the build BASE_SO (when given): before and after a change
#                     (swapped into the library directory, target restarted, outside the timing)
# Each run's load average (1 minute) is printed with its time: the machine may be shared.
# PGCLONE_TMPROOT=/dev/shm puts both clusters on tmpfs (cluster.sh): on ext4, for about a minute
# after many files were deleted (a dropped database, pgcopydb's work files), creating a file
# scans past the recently deleted inodes, which slows whichever tool runs then by seconds; on
# tmpfs the small-table scenarios compare the tools' own work.
# Repetition r starts with the r-th tool (the order rotates).
# BENCH_REPEAT (default 3) runs per tool; BENCH_REPEAT_LARGE (default 1) for small5000 and
# parts2000, whose single run takes minutes on a small machine; BENCH_REPEAT_PGCOPYDB (default
# the same) caps pgcopydb's runs, which take 10-30 times the others' on the small-table scenarios.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TABLES=${BENCH_TABLES:-4}
ROWS=${BENCH_ROWS:-500000}
REPEAT=${BENCH_REPEAT:-3}
REPEAT_LARGE=${BENCH_REPEAT_LARGE:-1}
SCENARIOS=${BENCH_SCENARIOS:-bulk small500 small5000 parts2000}
TOOLS=${BENCH_TOOLS:-pgclone pgclone_db pgclone_async2 pg_dump pg_dump_j2 pgcopydb}
if [[ -n ${BASE_SO:-} ]]; then
    TOOLS="pgclone_base $TOOLS"
    LIBDIR=$("${PG_CONFIG:-pg_config}" --pkglibdir)
    NEW_SO=$(mktemp /tmp/pgclone-new.XXXXXX.so)
    cp "$LIBDIR/pgclone.so" "$NEW_SO"
    # A new file renamed into place: the servers running keep the inode they mapped (cp over
    # the library in place would change the code under a running postmaster).
    put_so() { install -m 0755 "$1" "$LIBDIR/pgclone.so.bench-new" && mv -f "$LIBDIR/pgclone.so.bench-new" "$LIBDIR/pgclone.so"; }
    restore_so() { put_so "$NEW_SO"; rm -f "$NEW_SO"; }
fi
# On PGCLONE_TMPROOT (tmpfs) with the clusters: no writeback of work files after a run.
SCRATCH=$(mktemp -d "${PGCLONE_TMPROOT:-/tmp}/pgclone-bench-scratch.XXXXXX")
chmod 777 "$SCRATCH"
bench_exit() {
    [[ -n ${BASE_SO:-} ]] && restore_so
    rm -rf "$SCRATCH"
}
BENCH_ON_EXIT=bench_exit

if ! command -v pgcopydb >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgcopydb >/dev/null 2>&1 || true
fi

. "$ROOT/bench/lib/clusters.bash"
# BENCH_SRC_PORT / BENCH_TGT_PORT / BENCH_STATE let two people run benchmarks on one machine.
bench_clusters "${BENCH_STATE:-/tmp/pgclone-bench.state}" "${BENCH_SRC_PORT:-62432}" "${BENCH_TGT_PORT:-62433}"
# A clone (like pg_dump) locks every table it reads in one transaction: 5,000 tables and their
# sequences need more lock slots than the default 64 per connection.
for port in "$PGCLONE_SRC_PORT" "$PGCLONE_TGT_PORT"; do
    "$PSQL" -X -q "host=$PGCLONE_SOCKDIR port=$port dbname=postgres user=postgres" \
        -c "ALTER SYSTEM SET max_locks_per_transaction = 1024" >/dev/null
done
bash "$ROOT/test/harness/cluster.sh" restart all >/dev/null

# --- sources ----------------------------------------------------------------------------------

build_bulk() {
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
}
build_small() { # N
    "$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA bench;
DO \$\$
BEGIN
  FOR i IN 1..$1 LOOP
    EXECUTE format('CREATE TABLE bench.t%s (id serial PRIMARY KEY, k int NOT NULL, name text, at timestamptz)', i);
    EXECUTE format('CREATE INDEX ON bench.t%s (k)', i);
    EXECUTE format('INSERT INTO bench.t%s (k, name, at) SELECT g %% 7, md5(g::text), now() FROM generate_series(1, 20) g', i);
    IF i % 500 = 0 THEN COMMIT; END IF;
  END LOOP;
END \$\$;
SQL
}
build_parts() { # N
    "$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA bench;
CREATE TABLE bench.t1 (id int NOT NULL, k int NOT NULL, name text, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);
CREATE INDEX ON bench.t1 (name);
DO \$\$
BEGIN
  FOR i IN 1..$1 LOOP
    EXECUTE format('CREATE TABLE bench.t1_p%s PARTITION OF bench.t1 FOR VALUES FROM (%s) TO (%s)', i, (i - 1) * 20, i * 20);
    IF i % 500 = 0 THEN COMMIT; END IF;
  END LOOP;
END \$\$;
INSERT INTO bench.t1 SELECT g, g, md5(g::text) FROM generate_series(0, $1 * 20 - 1) g;
SQL
}
build_pool() {
    "$PSQL" -X -q "$(src_db benchsrc)" -v ON_ERROR_STOP=1 <<SQL
CREATE SCHEMA bench;
CREATE TABLE bench.big (id bigint PRIMARY KEY, k int NOT NULL, v text);
INSERT INTO bench.big SELECT g, g % 1000, md5(g::text) FROM generate_series(1, ${BENCH_POOL_BIG_ROWS:-5000000}) g;
CREATE TABLE bench.wide (id bigint PRIMARY KEY, a int, b int, c text, d text, e timestamptz, f numeric(12,2),
                         g jsonb, h text, i bigint, j date, k boolean);
INSERT INTO bench.wide SELECT n, n % 97, n % 1013, md5(n::text), md5((n + 1)::text), now() - n * interval '1 s',
                              n / 3.0, jsonb_build_object('n', n, 'm', md5(n::text)), repeat('x', 40), n * 7,
                              date '2020-01-01' + n % 2000, n % 2 = 0
FROM generate_series(1, ${BENCH_POOL_WIDE_ROWS:-1000000}) n;
CREATE INDEX wide_a_idx ON bench.wide (a);
CREATE INDEX wide_c_idx ON bench.wide (c);
CREATE INDEX wide_e_b_idx ON bench.wide (e, b);
SQL
}
build_source() {
    "$PSQL" -X -q "$SRC" -c "DROP DATABASE IF EXISTS benchsrc" -c "CREATE DATABASE benchsrc"
    case $1 in
        bulk) build_bulk ;;
        small500) build_small 500 ;;
        small5000) build_small 5000 ;;
        parts2000) build_parts 2000 ;;
        pool) build_pool ;;
    esac
    "$PSQL" -X -q "$(src_db benchsrc)" -c "VACUUM ANALYZE"
}
describe() {
    case $1 in
        bulk) echo "$TABLES tables x $ROWS rows ($("$PSQL" -X -At "$(src_db benchsrc)" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench'") with indexes)" ;;
        small500) echo "500 tables (serial PK, 1 index, 20 rows each)" ;;
        small5000) echo "5,000 tables (serial PK, 1 index, 20 rows each)" ;;
        parts2000) echo "1 table with 2,000 partitions (PK, 1 index, 20 rows each)" ;;
        pool) echo "one table of ${BENCH_POOL_BIG_ROWS:-5000000} rows and a wide one of ${BENCH_POOL_WIDE_ROWS:-1000000} rows with 3 secondary indexes ($("$PSQL" -X -At "$(src_db benchsrc)" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench'") with indexes)" ;;
    esac
}
# What every tool must have copied: rows and relations of schema bench.
fingerprint() {
    "$PSQL" -X -At "$(tgt_db "$DST")" -c "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench') || ' relations, ' || (SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench' AND c.relkind = 'r') || ' rows'"
}

# --- tools ------------------------------------------------------------------------------------

# Every run copies into a database of its own (DST, named by the loop below), created just
# before and dropped only when the scenario is over: dropping the previous run's database right
# before a run deletes thousands of files, and on ext4 the kernel then checks each file the run
# creates against those just-deleted inodes, which at 500 tables took more time than the copy
# itself (for every tool alike).
# The same goes for the files of pg_dump -Fd and pgcopydb: they stay in SCRATCH until then.
fresh_target() {
    "$PSQL" -X -q "$(tgt_db postgres)" -c "CREATE DATABASE $DST"
}
drop_targets() {
    rm -rf "${SCRATCH:?}"/*
    local db
    for db in $("$PSQL" -X -At "$(tgt_db postgres)" -c "SELECT datname FROM pg_database WHERE datname LIKE 'benchdst%'"); do
        "$PSQL" -X -q "$(tgt_db postgres)" -c "DROP DATABASE $db"
    done
}
settle() {
    "$PSQL" -X -q "$(tgt_db postgres)" -c "CHECKPOINT"
    "$PSQL" -X -q "$SRC" -c "CHECKPOINT"
    sync
    quiet
}
# Until the machine is idle (at least 90% of every core over half a second, for 15 s at most):
# what a run leaves working (a tool's processes ending, autovacuum on the database it filled)
# is not the next run's to pay for.
cpu_idle_ticks() { awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
quiet() {
    local i idle0 all0 idle1 all1
    for i in $(seq 1 30); do
        read -r idle0 all0 < <(cpu_idle_ticks)
        sleep 0.5
        read -r idle1 all1 < <(cpu_idle_ticks)
        (((idle1 - idle0) * 10 >= (all1 - all0) * 9)) && return 0
    done
    echo "the machine did not fall idle within 15 s before the next run" >&2
}
pgclone_target() {
    # With BASE_SO, every pgclone run first puts the build it is meant to time in place.
    [[ -n ${BASE_SO:-} ]] && use_build "${WANT_SO:-$NEW_SO}"
    fresh_target
    "$PSQL" -X -q "$(tgt_db "$DST")" -c "CREATE EXTENSION pgclone"
}
run_pgclone() {
    pgclone_target
    local t0; t0=$(now)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$(tgt_db "$DST")" \
        -c "SELECT pgclone.schema('$(src_db benchsrc)', 'bench', true)" >/dev/null 2>&1
    elapsed "$t0"
}
use_build() { # SO
    put_so "$1"
    bash "$ROOT/test/harness/cluster.sh" restart target >/dev/null
}
run_pgclone_base() { WANT_SO=$BASE_SO run_pgclone; }
run_pgclone_db() {
    pgclone_target
    local t0; t0=$(now)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$(tgt_db "$DST")" \
        -c "SELECT pgclone.database('$(src_db benchsrc)')" >/dev/null 2>&1
    elapsed "$t0"
}
# wait_job ID : until the job of DST has ended; prints its status.
# Waits for the job from one session that looks every 20 ms: a new psql (and a new backend) per
# look, as before, took a tenth of a core from the job on a machine of two.
wait_job() {
    "$PSQL" -X -q -At "$(tgt_db "$DST")" -c "DO \$\$BEGIN
  WHILE coalesce((SELECT status FROM pgclone.jobs_view WHERE job_id = $1) IN ('pending', 'running'), true) LOOP
    PERFORM pg_catalog.pg_sleep(0.02);
  END LOOP;
END\$\$" -c "SELECT status FROM pgclone.jobs_view WHERE job_id = $1"
}
run_pgclone_async2() {
    pgclone_target
    local t0 id st; t0=$(now)
    id=$("$PSQL" -X -At -v ON_ERROR_STOP=1 "$(tgt_db "$DST")" \
        -c "SELECT pgclone.schema_async('$(src_db benchsrc)', 'bench', true, '{\"parallel\": 2}')")
    st=$(wait_job "$id")
    [[ $st == completed ]] || echo "pgclone_async2: job $id ended $st" >&2
    elapsed "$t0"
}
# The parallel job killed at half its rows: kill -9 of a pool worker (the target's postmaster
# restarts every backend), then pgclone.resume(job_id, conninfo) until completed. Prints the
# seconds from the kill to the completed resume.
run_kill_resume() {
    pgclone_target
    local total id pid t0 rid st
    total=$("$PSQL" -X -At "$(src_db benchsrc)" -c "SELECT sum(reltuples)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench' AND c.relkind = 'r'")
    id=$("$PSQL" -X -At -v ON_ERROR_STOP=1 "$(tgt_db "$DST")" \
        -c "SELECT pgclone.schema_async('$(src_db benchsrc)', 'bench', true, '{\"parallel\": 2}')")
    # The pool workers' rows (the parent's count adds theirs up).
    until [[ $("$PSQL" -X -At "$(tgt_db "$DST")" -c "SELECT coalesce(sum(rows_copied), 0) * 2 >= $total OR bool_or(status NOT IN ('pending', 'running')) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'table'") == t ]]; do
        sleep 0.05
    done
    pid=$("$PSQL" -X -At "$(tgt_db "$DST")" -c "SELECT worker_pid FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'table' AND status = 'running' LIMIT 1")
    t0=$(now)
    kill -9 "$pid"
    sleep 1
    until "$PSQL" -X -At "$(tgt_db "$DST")" -c "SELECT 1" >/dev/null 2>&1; do sleep 0.1; done
    rid=$("$PSQL" -X -At -v ON_ERROR_STOP=1 "$(tgt_db "$DST")" -c "SELECT pgclone.resume($id, '$(src_db benchsrc)')" 2>/dev/null)
    st=$(wait_job "$rid")
    [[ $st == completed ]] || echo "kill_resume: resumed job $rid ended $st" >&2
    elapsed "$t0"
}
run_pg_dump() {
    fresh_target
    local t0; t0=$(now)
    "$PGCLONE_PGBIN/pg_dump" -Fc -Z0 -n bench "$(src_db benchsrc)" |
        "$PGCLONE_PGBIN/pg_restore" --single-transaction -d "$(tgt_db "$DST")"
    elapsed "$t0"
}
run_pg_dump_j2() {
    fresh_target
    local dir; dir=$(mktemp -d "$SCRATCH/dump.XXXXXX")
    rmdir "$dir"
    local t0; t0=$(now)
    "$PGCLONE_PGBIN/pg_dump" -Fd -Z0 -j2 -n bench -f "$dir" "$(src_db benchsrc)"
    "$PGCLONE_PGBIN/pg_restore" -j2 -d "$(tgt_db "$DST")" "$dir"
    local t; t=$(elapsed "$t0")
    echo "$t"
}
run_pgcopydb() {
    fresh_target
    local dir; dir=$(mktemp -d "$SCRATCH/pgcopydb.XXXXXX")
    chmod 777 "$dir"
    local t0; t0=$(now)
    runuser -u "$PGCLONE_OS_USER" -- env PGPASSWORD="$PGPASSWORD" pgcopydb clone --dir "$dir" \
        --source "$(src_db benchsrc)" --target "$(tgt_db "$DST")" \
        --table-jobs "${PGCOPYDB_JOBS:-1}" --index-jobs "${PGCOPYDB_JOBS:-1}" --no-owner --no-acl >/dev/null 2>&1
    local t; t=$(elapsed "$t0")
    echo "$t"
}
run_pgcopydb_j2() { PGCOPYDB_JOBS=2 run_pgcopydb; }

# --- the run ----------------------------------------------------------------------------------

echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): PostgreSQL $("$PSQL" -X -At "$SRC" -c 'SHOW server_version'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in $SCENARIOS; do
    echo "building the source: $scenario" >&2
    build_source "$scenario"
    want=""
    declare -A TIMES=()
    repeat=$REPEAT
    [[ $scenario == small5000 || $scenario == parts2000 ]] && repeat=$REPEAT_LARGE
    drop_targets
    run=0
    # Each repetition starts with another tool: what came before a run (the source's build,
    # another tool's run) is not always before the same tool. pgcopydb's runs come after all the
    # others': each takes 15-20 times a small-table scenario's other runs, and the run right
    # after one was the slowest of its tool even after a checkpoint, a sync and an idle machine
    # (in the tenth pass, rotated by one tool per repetition, that was pgclone.schema's every
    # run but the first: small500 at 0.93-0.96 s after pgcopydb, 0.73 s otherwise).
    read -r -a others <<<"$(tr ' ' '\n' <<<"$TOOLS" | grep -v '^pgcopydb' | tr '\n' ' ')"
    read -r -a last <<<"$(tr ' ' '\n' <<<"$TOOLS" | grep '^pgcopydb' | tr '\n' ' ')"
    rounds=()
    for r in $(seq 1 "$repeat"); do
        shift_by=$(((r - 1) % ${#others[@]}))
        rounds+=("$r:${others[*]:shift_by} ${others[*]:0:shift_by}")
    done
    slow_repeat=${BENCH_REPEAT_PGCOPYDB:-$repeat}
    ((slow_repeat > repeat)) && slow_repeat=$repeat
    for r in $(seq 1 "$slow_repeat"); do
        [[ ${#last[@]} -gt 0 ]] && rounds+=("$r:${last[*]}")
    done
    for round in "${rounds[@]}"; do
        r=${round%%:*}
        read -r -a order <<<"${round#*:}"
        for tool in "${order[@]}"; do
            if [[ $tool == pgcopydb* ]] && ! command -v pgcopydb >/dev/null 2>&1; then continue; fi
            DST=benchdst_$((++run))
            # A checkpoint on both clusters and a sync first, outside the timing: the run before
            # (pgcopydb's work files of thousands of tables in SCRATCH, say) leaves dirty buffers
            # and pages whose writing would otherwise fall into the next tool's run.
            settle
            t=$("run_${tool}")
            got=$(fingerprint)
            [[ -z $want ]] && want=$got
            if [[ $got != "$want" ]]; then
                echo "$scenario $tool: copied $got, expected $want" >&2
                t="failed"
            fi
            TIMES[$tool]+="$t "
            echo "$scenario $tool run $r: $t s ($got), load average $(cut -d" " -f1 /proc/loadavg)" >&2
        done
    done
    echo
    echo "### $scenario: $(describe "$scenario"); median of $repeat run(s)"
    echo
    echo "| tool | seconds (median) | runs | time relative to pgclone.schema |"
    echo "|---|---|---|---|"
    base=$(printf '%s\n' ${TIMES[pgclone]:-} | grep -v failed | median || true)
    for tool in $TOOLS; do
        [[ -n ${TIMES[$tool]:-} ]] || continue
        med=$(printf '%s\n' ${TIMES[$tool]} | grep -v failed | median || true)
        ratio=$(awk -v a="${med:-0}" -v b="${base:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }')
        printf '| %s | %s | %s | %s |\n' "$tool" "${med:-failed}" "${TIMES[$tool]% }" "$ratio"
    done
    if [[ $scenario == pool && ${BENCH_RESUME:-0} == 1 ]]; then
        kr=()
        for r in $(seq 1 "$repeat"); do
            DST=benchdst_$((++run))
            t=$(run_kill_resume)
            got=$(fingerprint)
            [[ $got == "$want" ]] || { echo "pool kill_resume: copied $got, expected $want" >&2; t=failed; }
            kr+=("$t")
            echo "pool kill_resume run $r: $t s ($got), load average $(cut -d" " -f1 /proc/loadavg)" >&2
        done
        med=$(printf '%s\n' "${kr[@]}" | grep -v failed | median || true)
        fresh=$(printf '%s\n' ${TIMES[pgclone_async2]:-} | grep -v failed | median || true)
        echo
        echo "Killed at half its rows (kill -9 of a pool worker) and resumed: ${med:-failed} s from the kill to the completed resume (runs: ${kr[*]}), against ${fresh:-?} s for a fresh schema_async with parallel 2."
    fi
    unset TIMES
    drop_targets
done

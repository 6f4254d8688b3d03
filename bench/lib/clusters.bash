# bench/lib/clusters.bash -- throwaway source and target clusters for a benchmark script, and the
# helpers every benchmark uses. Source it after setting ROOT (the repository root) and, to run
# something at exit before the clusters stop, BENCH_ON_EXIT (a command).
#   bench_clusters STATE_FILE SRC_PORT TGT_PORT   start them (stopping leftovers of an earlier run)
# Then: PSQL, SRC (the source's conninfo), src_db DB / tgt_db DB (conninfo of a database),
# now / elapsed T0 (seconds with milliseconds), median (of numbers on stdin).

bench_clusters() {
    export PGCLONE_STATE_FILE=${PGCLONE_STATE_FILE:-$1}
    export PGCLONE_SRC_PORT=${PGCLONE_SRC_PORT:-$2} PGCLONE_TGT_PORT=${PGCLONE_TGT_PORT:-$3}
    bash "$ROOT/test/harness/cluster.sh" stop >/dev/null 2>&1 || true
    bash "$ROOT/test/harness/cluster.sh" start >/dev/null
    trap '${BENCH_ON_EXIT:-:}; bash "$ROOT/test/harness/cluster.sh" stop >/dev/null 2>&1' EXIT
    eval "$(bash "$ROOT/test/harness/cluster.sh" env)"
    PSQL=$PGCLONE_PGBIN/psql
    export PGPASSWORD=$PGCLONE_SRC_PASSWORD
    SRC=$PGCLONE_SRC_CONNINFO
}
src_db() { echo "host=$PGCLONE_SOCKDIR port=$PGCLONE_SRC_PORT dbname=$1 user=postgres password=$PGCLONE_SRC_PASSWORD"; }
tgt_db() { echo "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=$1 user=postgres"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

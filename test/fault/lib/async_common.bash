# test/fault/lib/async_common.bash -- helpers of the async job shell tests (test/fault/5NN_*.sh),
# on top of schema_common.bash (TAP lines, psql wrappers, scratch target databases).
# Jobs commit in their own transactions, so these tests run in scratch target databases of
# their own and remove what they created.
. "$(dirname "${BASH_SOURCE[0]}")/schema_common.bash"

# job_field DB JOB_ID COLUMN : one column of pgclone.progress_detail() for the job.
job_field() {
    tgt "$1" -c "SELECT $3 FROM pgclone.progress_detail() WHERE job_id = $2"
}

# wait_job DB JOB_ID [SECONDS] : waits until the job is completed, failed or cancelled; prints
# its status ("timeout" when it is still pending or running after SECONDS, default 120).
wait_job() {
    local db=$1 id=$2 limit=${3:-120} st i
    for ((i = 0; i < limit * 20; i++)); do
        st=$(job_field "$db" "$id" status)
        case $st in
            completed | failed | cancelled | "")
                echo "${st:-gone}"
                return 0
                ;;
        esac
        sleep 0.05
    done
    echo timeout
}

# wait_until SECONDS SQL DB : polls SQL on DB until it returns t.
wait_until() {
    local limit=$1 sql=$2 db=$3 i
    for ((i = 0; i < limit * 50; i++)); do
        [[ $(tgt "$db" -c "$sql" 2>/dev/null) == t ]] && return 0
        sleep 0.02
    done
    return 1
}

# wait_until_src SECONDS SQL : polls SQL on the source database until it returns t.
wait_until_src() {
    local limit=$1 sql=$2 i
    for ((i = 0; i < limit * 50; i++)); do
        [[ $(src -c "$sql" 2>/dev/null) == t ]] && return 0
        sleep 0.02
    done
    return 1
}

# hold_source_lock NAME TABLE... : a source session (application_name NAME) that holds ACCESS
# EXCLUSIVE locks on the tables for at most 120 s, so that a job reading them blocks there for
# certain; returns once the locks are held. release_source_lock NAME ends that session.
hold_source_lock() {
    local name=$1 t list=""
    shift
    for t in "$@"; do list+="${list:+, }$t"; done
    PGAPPNAME=$name src -c "BEGIN" -c "LOCK TABLE $list IN ACCESS EXCLUSIVE MODE" \
        -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
    wait_until_src 30 "SELECT count(*) = $# FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                       WHERE a.application_name = '$name' AND l.mode = 'AccessExclusiveLock'
                         AND l.locktype = 'relation' AND l.granted"
}
release_source_lock() {
    src -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '$1'" >/dev/null
    wait_until_src 30 "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = '$1'"
}

# wait_up DB : waits (at most 60 s) until the target accepts connections to DB again after a
# crash restart or an immediate stop.
wait_up() {
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(tgt "$1" -c "SELECT 1" 2>/dev/null) == 1 ]] && return 0
        sleep 0.1
    done
    return 1
}

# chunk_fixture SCHEMA ROWS : the source schema of the chunk tests: SCHEMA.big (ROWS rows of
# about 60 bytes: 20,000 are a heap of ~2 MB) and SCHEMA.small (100 rows referencing it); sets
# NCHUNKS, the number of 512 kB chunks of big's heap.
chunk_fixture() {
    local schema=$1 pages
    src -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" \
        -c "CREATE TABLE $schema.big (id int PRIMARY KEY, email text NOT NULL, note text)" \
        -c "INSERT INTO $schema.big SELECT i, 'user' || i || '@example.com', md5(i::text) FROM generate_series(1, $2) i" \
        -c "CREATE TABLE $schema.small (id int PRIMARY KEY, big_id int REFERENCES $schema.big)" \
        -c "INSERT INTO $schema.small SELECT i, i * 7 FROM generate_series(1, 100) i" \
        -c "VACUUM ANALYZE $schema.big" >/dev/null
    pages=$(src -c "SELECT pg_relation_size('$schema.big') / current_setting('block_size')::int")
    echo "# source heap of $schema.big: $pages pages"
    NCHUNKS=$(((pages + 63) / 64))
}

# The source conninfo as an SQL literal.
SRC_LIT=$(lit "$PGCLONE_SRC_CONNINFO")

# Without pgclone in shared_preload_libraries (cluster.sh start --no-preload) there are no jobs:
# the functions must say so, and that is all a job test can check.
if [[ ${PGCLONE_PRELOAD:-1} == 0 ]]; then
    make_db pgclone_async_np
    out=$(tgt pgclone_async_np -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers')" 2>&1)
    drop_db pgclone_async_np
    like "$out" 'needs pgclone in shared_preload_libraries' "not preloaded: table_async says what it needs"
    done_testing
fi

# pg_ctl of the target as the clusters' owner (the restart and crash tests).
pg_ctl_tgt() {
    if [[ $(id -u) == 0 ]]; then
        (cd /tmp && runuser -u "$PGCLONE_OS_USER" -- "$PGCLONE_PGBIN/pg_ctl" -D "$PGCLONE_TGT_DATADIR" "$@")
    else
        "$PGCLONE_PGBIN/pg_ctl" -D "$PGCLONE_TGT_DATADIR" "$@"
    fi
}
start_tgt() { bash "$PGCLONE_HARNESS" restart target >/dev/null 2>&1; }

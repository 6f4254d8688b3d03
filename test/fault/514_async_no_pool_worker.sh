#!/usr/bin/env bash
# 514_async_no_pool_worker.sh -- a parallel schema job with a table split in chunks, on a target
# where no pool worker can start (every background worker slot but the job's and its snapshot
# coordinator's is taken: max_worker_processes just large enough for those two):
#  * the job fails with an error naming the chunked table, after step 1: the table exists, empty,
#    its chunk tasks pending in pgclone.job_task;
#  * once workers can start again, resume(job_id, conninfo) copies the chunks and the rest: the
#    content equals the source's, verify passes.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_nopool
SCHEMA=nopool_514
restore_workers() {
    tgt postgres -c "ALTER SYSTEM RESET max_worker_processes" >/dev/null 2>&1
    start_tgt
    wait_up postgres
}
cleanup() {
    if [[ $(tgt postgres -c "SELECT setting FROM pg_settings WHERE name = 'max_worker_processes' AND source = 'configuration file' AND sourcefile LIKE '%auto.conf'" 2>/dev/null) != "" ]]; then
        restore_workers
    fi
    drop_db $DB
    src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }

# 20,000 rows: a heap of ~2 MB, four chunks of 512 kB; and a small table.
chunk_fixture $SCHEMA 20000
content() { # CLUSTER TABLE : rows, distinct ids and the md5 of the rows in id order
    "$1" -c "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || md5(string_agg(t::text, '|' ORDER BY id)) FROM $2 t"
}
src_content() { content src "$1"; }
tgt_content() { content T "$1"; }

# Room for the job and its coordinator only: the background workers running now (the logical
# replication launcher, ...) plus two.
running=$(tgt postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type NOT IN ('client backend', 'walwriter', 'autovacuum launcher', 'autovacuum worker', 'background writer', 'checkpointer', 'archiver', 'startup', 'walreceiver', 'walsender', 'logger')")
tgt postgres -c "ALTER SYSTEM SET max_worker_processes = $((running + 2))" >/dev/null
start_tgt
wait_up $DB || not_ok "the target came back with max_worker_processes = $((running + 2))"
is "$(tgt postgres -c "SHOW max_worker_processes")" "$((running + 2))" \
    "the target runs with $((running + 2)) background worker slots ($running taken)"

id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 2, \"chunk_size\": 524288}')" 2>&1)
[[ $id =~ ^[0-9]+$ ]] || not_ok "schema_async was accepted" "$id"
is "$(wait_job $DB "$id" 120)" failed "no pool worker can start: the job fails"
err=$(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id")
like "$err" 'no pool worker could be started for the chunks of table' "the error says no pool worker could start ..."
like "$err" "$SCHEMA.*big" "... and names the chunked table"
is "$(T -c "SELECT count(*) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows'") $(T -c "SELECT count(*) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows' AND state = 'pending'")" \
    "$NCHUNKS $NCHUNKS" "big was split in $NCHUNKS chunks, all pending"
is "$(T -c "SELECT count(*) FROM $SCHEMA.big")" 0 "step 1 created big, with no row yet"

# Workers can start again: resume copies the chunks and the rest, each row once.
restore_workers
new=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>/dev/null)
[[ $new =~ ^[0-9]+$ ]] && ok "resume(job_id, conninfo) gives the new job's id" ||
    not_ok "resume(job_id, conninfo) gives the new job's id" "$new"
st=$(wait_job $DB "$new" 180)
is "$st" completed "resume(job_id, conninfo) completes once workers can start"
[[ $st == completed ]] ||
    echo "# $(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $new")"
is "$(tgt_content $SCHEMA.big)" "$(src_content $SCHEMA.big)" "big has the source's rows, each once (count, ids, md5)"
is "$(tgt_content $SCHEMA.small)" "$(src_content $SCHEMA.small)" "small has the source's rows"
is "$(T -c "SELECT count(*) FROM pgclone.job_task WHERE job_id IN ($id, $new) AND stage = 'rows' AND state = 'done'")" "$NCHUNKS" \
    "its $NCHUNKS chunks are done"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = '$SCHEMA.small'::regclass AND contype = 'f'")" 1 \
    "the foreign key onto big is in"
is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE match = '✓')
            FROM pgclone.verify($SRC_LIT, '$SCHEMA', '{\"mode\": \"checksum\"}')")" "2 2" "checksum verify of both tables passes"
done_testing

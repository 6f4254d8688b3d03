#!/usr/bin/env bash
# 212_subset_async.sh -- schema_async gives the subset clone pgclone.schema() gives: the fixture
# test/fixtures/subset.sql cloned with per-table filters, a repeatable sample and masks (a masked
# key column included) in every subset mode, synchronously, by a sequential job and by a pool of
# three workers (each finds the subset again in the job's snapshot): the rows of every table are
# the same in the three databases, and every foreign key is validated.
. "$(dirname "$0")/lib/async_common.bash"

SYNC=pgclone_subset_sync
SEQ=pgclone_subset_seq
POOL=pgclone_subset_pool
cleanup() {
    drop_db $SYNC
    drop_db $SEQ
    drop_db $POOL
}
trap cleanup EXIT
cleanup
make_db $SYNC
make_db $SEQ
make_db $POOL
tgt $SEQ -c "SELECT pgclone.clear_jobs()" >/dev/null

# Every table's rows, in a stable order, as one line per table.
rows_of() {
    tgt "$1" -c "SELECT c.relname || ': ' || (xpath('/row/c/text()', query_to_xml(format(
        'SELECT md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) AS c FROM subset_test.%I t', c.relname),
        false, true, '')))[1]::text
        FROM pg_class c WHERE c.relnamespace = 'subset_test'::regnamespace AND c.relkind = 'r' ORDER BY c.relname"
}
fks() {
    tgt "$1" -c "SELECT count(*) FILTER (WHERE convalidated) || '/' || count(*) FROM pg_constraint
                 WHERE contype = 'f' AND connamespace = 'subset_test'::regnamespace"
}

MASKS='"masks": {"customers": {"email": "hash"}, "orders": {"customer_email": "hash"}}'
WHERE='"where": {"orders": "id <= 60", "customers": "id <= 150", "order_items": "false", "products": "id <> 7",
    "staff": "id % 9 = 0", "members": "id <> 12", "events": "id % 3 = 0", "shipments": "order_id <= 30"},
    "sample": {"event_notes": 30}, "seed": 3'
for mode in parents restrict children none; do
    opts="{$MASKS, $WHERE, \"subset\": \"$mode\"}"
    for db in $SYNC $SEQ $POOL; do tgt $db -c "DROP SCHEMA IF EXISTS subset_test CASCADE" >/dev/null 2>&1; done
    sync_out=$(tgt $SYNC -c "SELECT pgclone.schema($SRC_LIT, 'subset_test', true, $(lit "$opts"))" 2>/dev/null)
    like "$sync_out" "^(OK|DONE WITH [0-9]+ WARNINGS): cloned schema subset_test: .*; subset \\($mode\\): " "$mode: pgclone.schema()"
    id=$(tgt $SEQ -c "SELECT pgclone.schema_async($SRC_LIT, 'subset_test', true, $(lit "$opts"))")
    is "$(wait_job $SEQ "$id")" completed "$mode: the sequential job completes"
    popts="{$MASKS, $WHERE, \"subset\": \"$mode\", \"parallel\": 3}"
    id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'subset_test', true, $(lit "$popts"))")
    is "$(wait_job $POOL "$id")" completed "$mode: the pool job completes"
    want=$(rows_of $SYNC)
    like "$want" '^audit_log: [0-9a-f]{32}' "$mode: the synchronous clone's rows are read"
    is "$(rows_of $SEQ)" "$want" "$mode: the sequential job keeps the rows pgclone.schema() keeps"
    is "$(rows_of $POOL)" "$want" "$mode: the pool keeps the rows pgclone.schema() keeps"
    if [[ $mode != none ]]; then
        is "$(fks $POOL)" "$(fks $SYNC)" "$mode: the pool's foreign keys are those of pgclone.schema()"
        like "$(fks $POOL)" '^([0-9]+)/\1$' "$mode: every foreign key of the pool's clone is validated"
    fi
done
tgt $SEQ -c "SELECT pgclone.clear_jobs()" >/dev/null
tgt $POOL -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

#!/usr/bin/env bash
# 670_target_schema_async.sh -- the option "target_schema" in background jobs: schema_async,
# alone and with a parallel pool, and table_async clone into the target schema, and the names of
# the source schema follow (the foreign keys reference the target schema's tables, the views read
# them, the defaults use its sequences). Nothing is created under the source schema's name.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_target_schema_async
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB

for parallel in 1 2; do
    T="moved $parallel"
    id=$(tgt $DB -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true,
          '{\"parallel\": $parallel, \"target_schema\": \"$T\", \"owners\": false, \"privileges\": false}')")
    is "$(wait_job $DB "$id")" completed "parallel $parallel: the job completes"
    is "$(tgt $DB -c "SELECT count(*) FROM \"$T\".order_items")" 15 "parallel $parallel: the rows are in the target schema"
    is "$(tgt $DB -c "SELECT string_agg(confrelid::regclass::text, ',' ORDER BY confrelid::regclass::text)
                      FROM pg_constraint WHERE contype = 'f' AND connamespace = '\"$T\"'::regnamespace")" \
        "\"$T\".customers,\"$T\".orders" "parallel $parallel: the foreign keys reference the target schema"
    is "$(tgt $DB -c "SELECT count(*) FROM \"$T\".top_active_customers")" 5 "parallel $parallel: the views read the target schema"
    is "$(tgt $DB -c "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef
                      WHERE adrelid = '\"$T\".orders'::regclass AND adnum = 1")" \
        "nextval('\"$T\".orders_id_seq'::regclass)" "parallel $parallel: the serial default uses the target schema's sequence"
done
is "$(tgt $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'test_schema'")" 0 \
    "the source schema is never created on the target"

id=$(tgt $DB -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'c2', '{\"target_schema\": \"tbl moved\"}')")
is "$(wait_job $DB "$id")" completed "table_async: the job completes"
is "$(tgt $DB -c "SELECT count(*) FROM \"tbl moved\".c2")" 10 "table_async: the table is in the target schema"

tgt $DB -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

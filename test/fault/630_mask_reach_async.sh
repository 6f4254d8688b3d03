#!/usr/bin/env bash
# 630_mask_reach_async.sh -- masks reach every row in background jobs too (issue "Safe to point
# at production", items 1-3), with the fixture test/fixtures/mask_reach.sql:
#  * a mask keyed by the partitioned table mask_reach.people reaches every partition when a
#    schema_async job clones the partitions one by one, alone and with a parallel pool;
#  * require_masks refuses the whole job before any row moves: with a pool, no table (not even
#    mask_reach.aaa_plain, first in the plan and without sensitive columns) is committed, and
#    the job's error lists every unmasked column of every partition at once;
#  * table_async refuses a where filter that is not one boolean expression before a job starts.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_mask_reach_async
cleanup() { drop_db $DB; }
trap cleanup EXIT
make_db $DB
tgt $DB -c "SELECT pgclone.clear_jobs()" >/dev/null

# Rows of mask_reach.people (and its partitions) whose email or ssn arrived as the source has them.
unmasked() {
    tgt $DB -c "SELECT count(*) FROM mask_reach.people WHERE email LIKE 'person%@real.example' OR ssn LIKE 'SSN-%'"
}

for parallel in 1 3; do
    tgt $DB -c "DROP SCHEMA IF EXISTS mask_reach CASCADE" >/dev/null 2>&1
    id=$(tgt $DB -c "SELECT pgclone.schema_async($SRC_LIT, 'mask_reach', true,
          '{\"parallel\": $parallel, \"masks\": {\"people\": {\"email\": \"hash\", \"ssn\": \"null\"}}}')")
    is "$(wait_job $DB "$id")" completed "parallel $parallel: the job with a mask of the partitioned table completes"
    is "$(tgt $DB -c "SELECT count(*) FROM mask_reach.people")" 7 "parallel $parallel: every row arrives"
    is "$(unmasked)" 0 "parallel $parallel: no partition's row arrives unmasked"
done

for parallel in 1 3; do
    tgt $DB -c "DROP SCHEMA IF EXISTS mask_reach CASCADE" >/dev/null 2>&1
    id=$(tgt $DB -c "SELECT pgclone.schema_async($SRC_LIT, 'mask_reach', true,
          '{\"parallel\": $parallel, \"require_masks\": true, \"masks\": {\"people\": {\"email\": \"hash\"}}}')")
    is "$(wait_job $DB "$id")" failed "parallel $parallel: require_masks fails the job"
    like "$(job_field $DB "$id" error_message)" \
        '4 tables have sensitive columns without a mask' \
        "parallel $parallel: one refusal for every partition"
    is "$(tgt $DB -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'mask_reach' AND c.relkind IN ('r', 'p')")" \
        0 "parallel $parallel: no table was created or committed before the refusal"
done

before=$(tgt $DB -c "SELECT count(*) FROM pgclone.jobs_view")
like "$(tgt $DB -c "SELECT pgclone.table_async($SRC_LIT, 'mask_reach', 'people_us', true, 'x',
        '{\"where\": \"false UNION ALL SELECT * FROM mask_reach.people_us\", \"mask\": {\"email\": \"hash\"}}')" 2>&1)" \
    'where filter must be one boolean expression' "table_async: a UNION in the filter is refused"
is "$(tgt $DB -c "SELECT count(*) FROM pgclone.jobs_view")" "$before" "... before a job exists"

tgt $DB -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

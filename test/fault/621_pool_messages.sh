#!/usr/bin/env bash
# 621_pool_messages.sh -- the result text and phase of a parallel schema job count their pool
# workers in correct English: a pool that got one worker says "with 1 pool worker", two say
# "with 2 pool workers" (issue 9, small ones).
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_620_pool
trap 'drop_db $DB' EXIT
make_db $DB
T() { tgt $DB "$@"; }

# Two requested workers but one table to clone: the pool starts min(2, 1) = 1 worker.
j=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 2, \"tables\": [\"customers\"]}')")
is "$(wait_job $DB "$j")" completed "a parallel job with one table completes"
like "$(job_field $DB "$j" result)" ' with 1 pool worker$' "one worker: \"with 1 pool worker\""

T -c "DROP SCHEMA test_schema CASCADE" >/dev/null 2>&1
j=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 2, \"tables\": [\"orders\", \"employees\"]}')")
is "$(wait_job $DB "$j")" completed "a parallel job with two tables completes"
like "$(job_field $DB "$j" result)" ' with 2 pool workers$' "two workers: \"with 2 pool workers\""

done_testing

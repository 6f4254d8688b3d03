#!/usr/bin/env bash
# 509_async_resume_scope.sh -- a resumed job runs where and as whom the job ran: resume() from
# another database is refused (it would create the tables there and skip the ones the job
# committed elsewhere), and so is resume() by another role (it would run the job's source objects
# with that role's privileges). Nothing is started in either case.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_scope
DB2=pgclone_async_scope2
cleanup() {
    drop_db $DB
    drop_db $DB2
    tgt postgres -c "DROP ROLE IF EXISTS pgclone_scope_other" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
make_db $DB
make_db $DB2
tgt postgres -c "CREATE ROLE pgclone_scope_other LOGIN SUPERUSER" >/dev/null
T() { tgt $DB "$@"; }
err() { tgt "$1" -c "$2" 2>&1 | grep -E 'ERROR' | sed 's/^.*ERROR:  //'; }
T -c "SELECT pgclone.clear_jobs()" >/dev/null

id=$(T -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'no_such_scope_table', true)")
is "$(wait_job $DB "$id")" failed "a failed job in database $DB"
before=$(T -c "SELECT count(*) FROM pgclone.progress_detail()")

is "$(err $DB2 "SELECT pgclone.resume($id)")" "job $id ran in another database" \
    "resume() from another database is refused"
is "$(err $DB "SET ROLE pgclone_scope_other; SELECT pgclone.resume($id)")" "job $id belongs to another role" \
    "resume() by another role is refused"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail()")" "$before" "no job was started"
# A job belongs to the transaction that submitted it: ROLLBACK withdraws or cancels it.
rid=$(T -c "BEGIN" -c "SELECT pgclone.table_async($SRC_LIT, 'test_schema', 'customers', true, 'rolled_back_copy')" -c "ROLLBACK" | head -1)
st=$(wait_job $DB "$rid" 2>/dev/null)
like "$st" '^(gone|cancelled)$' "a job submitted in a rolled-back transaction is withdrawn or cancelled"
is "$(T -c "SELECT to_regclass('test_schema.rolled_back_copy') IS NULL")" t "and it created nothing"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

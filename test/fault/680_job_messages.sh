#!/usr/bin/env bash
# 680_job_messages.sh -- the WARNINGs of an async job are readable from SQL with
# pgclone.job_messages(job_id) (the job's and its pool workers'), with the source password
# removed, and the server log tags every line of a job's worker with CONTEXT "pgclone job N".
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_680_msgs
ROLE=pgclone_680_other
cleanup() {
    drop_db $DB
    tgt postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS msg680 CASCADE" -c "DROP SCHEMA IF EXISTS msg680_other CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }

# On the source: a view of the cloned schema reads a table of a schema that is not cloned, so
# the view is skipped with a WARNING. The view's name carries the source's password: a hostile
# or careless source must not get it into the job's messages.
src -c "DROP SCHEMA IF EXISTS msg680 CASCADE" -c "DROP SCHEMA IF EXISTS msg680_other CASCADE" \
    -c "CREATE SCHEMA msg680_other" -c "CREATE TABLE msg680_other.o (id int)" \
    -c "CREATE SCHEMA msg680" -c "CREATE TABLE msg680.t (id int PRIMARY KEY)" \
    -c "CREATE TABLE msg680.u (id int PRIMARY KEY)" \
    -c "INSERT INTO msg680.t SELECT generate_series(1, 10)" \
    -c "CREATE VIEW msg680.\"v_${PGCLONE_SRC_PASSWORD}\" AS SELECT id FROM msg680_other.o" >/dev/null

LOG_START=$(stat -c %s "$PGCLONE_TGT_LOG")

j=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'msg680')")
is "$(wait_job $DB "$j")" completed "a job that skips a view completes"
warnings=$(job_field $DB "$j" warnings)
[[ $warnings -ge 1 ]] && ok "the job counts its warnings ($warnings)" || not_ok "the job counts its warnings" "warnings=$warnings"
msgs=$(T -c "SELECT string_agg(format('%s|%s|%s|%s', job_id, seq, severity, message), E'\n' ORDER BY job_id, seq) FROM pgclone.job_messages($j)")
like "$msgs" "^$j\|1\|WARNING\|pgclone: " "job_messages() lists the job's first WARNING, numbered 1"
like "$msgs" 'msg680_other' "the message says what was missing"
unlike "$msgs" "$PGCLONE_SRC_PASSWORD" "no message carries the source password"
like "$msgs" 'v_\*\*\*\*\*\*\*\*' "the password in an object name is replaced"
n=$(T -c "SELECT count(*) FROM pgclone.job_messages($j) WHERE severity = 'WARNING'")
[[ $n -ge $warnings ]] && ok "every counted warning is kept ($n messages)" || not_ok "every counted warning is kept" "$n < $warnings"

# A parallel job: its messages and its pool workers' come together, by job.
T -c "DROP SCHEMA msg680 CASCADE" >/dev/null
p=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'msg680', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$p")" completed "a parallel job that skips a view completes"
is "$(T -c "SELECT bool_and(m.job_id = $p OR d.parent_job_id = $p) FROM pgclone.job_messages($p) m LEFT JOIN pgclone.progress_detail() d ON d.job_id = m.job_id")" t \
    "job_messages(parent) lists only the parent's and its children's messages"
is "$(T -c "SELECT count(*) > 0 FROM pgclone.job_messages($p) WHERE message LIKE '%msg680_other%'")" t \
    "the parallel job's skipped view is among them"

# The server log: the WARNING line is followed by the job's CONTEXT line.
sleep 0.5 # let the logger write
NEW=$(tail -c +"$((LOG_START + 1))" "$PGCLONE_TGT_LOG")
like "$NEW" "CONTEXT:  pgclone job $j" "the server log tags the job's lines with its id"
like "$NEW" "CONTEXT:  pgclone job $p" "and the parallel job's"

# Bad input: a clear error, as the other job functions give.
like "$(T -c "SELECT * FROM pgclone.job_messages(NULL)" 2>&1)" 'job_id must not be null' "NULL job id: error"
like "$(T -c "SELECT * FROM pgclone.job_messages(0)" 2>&1)" 'job 0 does not exist' "job 0: does not exist"
like "$(T -c "SELECT * FROM pgclone.job_messages(999999)" 2>&1)" 'job 999999 does not exist' "unknown job: does not exist"
# Another role, allowed to call the function, does not see a job that is not its own.
T -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE LOGIN" \
    -c "GRANT USAGE ON SCHEMA pgclone TO $ROLE" -c "GRANT EXECUTE ON FUNCTION pgclone.job_messages(integer) TO $ROLE" >/dev/null
like "$(T -c "SET ROLE $ROLE" -c "SELECT * FROM pgclone.job_messages($j)" 2>&1)" "job $j does not exist" \
    "another role cannot read the job's messages"
T -c "REVOKE EXECUTE ON FUNCTION pgclone.job_messages(integer) FROM $ROLE" >/dev/null
like "$(T -c "SET ROLE $ROLE" -c "SELECT * FROM pgclone.job_messages($j)" 2>&1)" \
    'permission denied for function job_messages' "without EXECUTE: permission denied (not granted to PUBLIC)"

done_testing

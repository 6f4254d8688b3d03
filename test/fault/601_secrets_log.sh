#!/usr/bin/env bash
# 601_secrets_log.sh -- the target's server log never carries a password or a salt given to
# pgclone (issue 9, item 9), also for messages pgclone's own guard never sees: an error raised
# before or after pgclone's code runs (a wrong argument type, a failed cast of the result, a
# missing privilege), a FATAL that terminates the session in the middle of a clone, and SQL text
# that a PL/pgSQL EXECUTE quotes in CONTEXT; and pgclone's own error for a URI given as dbname
# (item 8) names the URI's server, never the URI. The emit_log_hook hides the STATEMENT (and CONTEXT)
# lines of such statements; a statement without a secret is still logged in full.
. "$(dirname "$0")/lib/async_common.bash"

M="LogMark$$"
ROLE=pgclone_600_log
LOG_START=$(wc -c <"$PGCLONE_TGT_LOG")
cleanup() {
    [[ -n ${HOLDER:-} ]] && release_source_lock pgclone600hold >/dev/null 2>&1
    tgt target -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
trap cleanup EXIT
tgt target -c "CREATE EXTENSION IF NOT EXISTS pgclone" >/dev/null 2>&1
tgt target -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE LOGIN" >/dev/null 2>&1
SRC_PORT=$PGCLONE_SRC_PORT

# One session, every statement fails (no ON_ERROR_STOP).
session() { "$PSQL" -X -q -At "$(tgt_ci target)" "$@" 2>&1; }
out=$(session <<SQL
-- 1. wrong argument types: no such function (parse analysis, before pgclone runs)
SELECT pgclone.table('host=127.0.0.1 password=$M-argtype', 1, 2);
-- 2. the result cannot be cast (after pgclone returned), with the real password
SELECT pgclone.preflight($SRC_LIT, 'test_schema')::integer AS "$M-cast";
-- 3. a pseudonymize salt in the options, wrong number of arguments
SELECT pgclone.table('host=/nonexistent', 's', 't', true, NULL,
       '{"mask": {"c": {"strategy": "pseudonymize", "salt": "$M-salt"}}}', 'extra');
-- 4. a URI with a password, wrong argument type
SELECT pgclone.schema('postgresql://postgres:$M-uri@127.0.0.1:$SRC_PORT/source', 42);
-- 5. the statement has no secret, the SQL that PL/pgSQL's EXECUTE runs (quoted in CONTEXT) has
CREATE FUNCTION pg_temp.run_preflight(ci text) RETURNS integer LANGUAGE plpgsql AS \$f\$
DECLARE r integer;
BEGIN
    EXECUTE format('SELECT pgclone.preflight(%L, %L)::integer', ci, 'test_schema') INTO r;
    RETURN r;
END \$f\$;
SELECT pg_temp.run_preflight(current_setting('pgclone_test.source'));
-- 6. a URI with a wrong password given as dbname: pgclone's own error (message and detail) is
--    logged, and must not carry the URI or its password
SELECT pgclone.table('dbname=''postgresql://postgres:$M-dburi@127.0.0.1:$SRC_PORT/source'' connect_timeout=10',
                     'test_schema', 'customers');
-- control: no secret in the statement, so PostgreSQL logs it as usual
SELECT pgclone.table(1) AS "$M-control";
SQL
)
is "$(grep -c '^ERROR:' <<<"$out")" 7 "the seven statements failed"
like "$out" 'function pgclone.table\(unknown, integer, integer\) does not exist' "1: wrong argument types"
like "$out" 'invalid input syntax for type integer' "2, 5: the cast of the result failed"

# 7. a permission error (the role has no USAGE on schema pgclone)
perm=$("$PSQL" -X -q -At "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=target user=$ROLE" \
    -c "SELECT pgclone.table('host=127.0.0.1 password=$M-perm', 'test_schema', 'customers')" 2>&1)
like "$perm" 'permission denied' "7: a role without the privilege gets a permission error"

# 8. FATAL: the session is terminated while the clone waits on a locked source table
HOLDER=1
hold_source_lock pgclone600hold async_test.big
PGAPPNAME=pgclone600victim "$PSQL" -X -q -At "$(tgt_ci target)" \
    -c "SELECT pgclone.table($SRC_LIT, 'async_test', 'big', true, 'big_$M')" >/dev/null 2>&1 &
victim=$!
if wait_until 30 "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'pgclone600victim'
                  AND query LIKE '%pgclone.table%' AND state = 'active'" target; then
    sleep 0.5 # it is connected to the source and waiting for the lock
    tgt target -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone600victim'" >/dev/null
    ok "8: the cloning session was terminated"
else
    not_ok "8: the cloning session was terminated" "it never became active"
fi
wait "$victim" 2>/dev/null
release_source_lock pgclone600hold
HOLDER=

sleep 0.5 # let the logger write
NEW=$(tail -c +"$((LOG_START + 1))" "$PGCLONE_TGT_LOG")
like "$NEW" 'FATAL:  terminating connection due to administrator command' "8: the target logged the FATAL"
like "$NEW" 'permission denied for schema pgclone' "7: the target logged the permission error"
like "$NEW" 'ERROR:  could not connect to the source server at host "127.0.0.1", port [0-9]+, database "source"' \
    "6: pgclone's error names the server the URI in dbname points at"
like "$NEW" "STATEMENT:  SELECT pgclone.table\(1\) AS \"$M-control\"" \
    "control: a statement without a secret is still logged with its STATEMENT line"
for what in argtype cast salt uri dburi perm; do
    unlike "$NEW" "$M-$what" "the log does not contain the statement of case '$what'"
done
unlike "$NEW" "big_$M" "8: the FATAL is logged without the statement of the terminated clone"
unlike "$NEW" "password=$PGCLONE_SRC_PASSWORD" "the real password is nowhere in the log (cases 2, 5, 8)"
unlike "$NEW" 'SQL statement "SELECT pgclone.preflight' "5: the CONTEXT line quoting the SQL with the password is not"
like "$NEW" "STATEMENT:  SELECT pg_temp.run_preflight\(current_setting\('pgclone_test.source'\)\)" \
    "5: its statement, which has no secret, is logged"
done_testing

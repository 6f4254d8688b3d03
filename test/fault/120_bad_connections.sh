#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 120_bad_connections.sh -- failing source connections never put the password into the
# client's error fields or either server's log (issue 2, item 4; docs/SECURITY.md).
# test/pgtap/110_connections.sql checks SQLSTATEs and messages inside one transaction; this
# script runs the failures at the top level of a session, where PostgreSQL would normally log
# the failing STATEMENT (which carries the conninfo) and the CONTEXT lines of SPI callers.
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"

MARK="LogMark-$$-pw"
TGT_LOG_START=$(wc -c <"$PGCLONE_TGT_LOG")
SRC_LOG_START=$(wc -c <"$PGCLONE_SRC_LOG")
REAL_PW=$PGCLONE_SRC_PASSWORD
SRC_PORT=$PGCLONE_SRC_PORT
WRONG_KW=${PGCLONE_SRC_CONNINFO/password=$REAL_PW/password=$MARK}
tgt -c "CREATE EXTENSION IF NOT EXISTS pgclone" >/dev/null 2>&1

# conninfo values that fail in different places; each contains a password
CASES=(
    "$WRONG_KW"                                                            # auth fails (socket)
    "postgresql://postgres:$MARK@127.0.0.1:$SRC_PORT/source"                # auth fails (TCP, URI)
    "host=127.0.0.1 port=1 dbname=source user=postgres password=$MARK"     # connection refused
    "host=127.0.0.1 password=$MARK port"                                   # malformed keywords
    "postgresql://postgres:$MARK%zz@127.0.0.1/source"                      # malformed URI
    "postgresql://postgres:$MARK@[::1/source"                              # malformed URI
)

SQL=""
for ci in "${CASES[@]}"; do
    q=${ci//\'/\'\'}
    SQL+="SELECT pgclone.table('$q', 'test_schema', 'customers');"$'\n'
    # the same from PL/pgSQL: SPI would put the statement into CONTEXT
    SQL+="DO \$\$ BEGIN PERFORM pgclone.table('$q', 'test_schema', 'customers'); END \$\$;"$'\n'
done
# right password, the clone fails later (missing table on the source): the statement
# that would be logged carries the real password
RIGHT=${PGCLONE_SRC_CONNINFO//\'/\'\'}
SQL+="SELECT pgclone.table('$RIGHT', 'test_schema', 'no_such_table');"$'\n'

OUT=$("$PSQL" -X -At "$PGCLONE_TGT_CONNINFO" 2>&1 <<<"$SQL")
N_ERR=$(grep -c '^ERROR:' <<<"$OUT")
is "$N_ERR" $((2 * ${#CASES[@]} + 1)) "every bad call failed with an ERROR ($N_ERR)"
FIELDS=$(grep -E '^(ERROR|DETAIL|HINT):' <<<"$OUT")
lacks "$FIELDS" "$MARK" "no ERROR / DETAIL / HINT sent to the client contains the password"
lacks "$FIELDS" "password=$REAL_PW" "... nor the real password of the last call"
contains "$FIELDS" "no_such_table" "the last call failed on the source (missing table), after connecting"

sleep 0.2 # let the servers' loggers write
TGT_NEW=$(tail -c +"$((TGT_LOG_START + 1))" "$PGCLONE_TGT_LOG")
SRC_NEW=$(tail -c +"$((SRC_LOG_START + 1))" "$PGCLONE_SRC_LOG")
contains "$TGT_NEW" "could not connect to the source server" "the target logged the errors"
lacks "$TGT_NEW" "$MARK" "the target log does not contain the password (no STATEMENT, no CONTEXT echo)"
lacks "$TGT_NEW" "password=$REAL_PW" "the target log does not contain the real password"
lacks "$TGT_NEW" "STATEMENT:  SELECT pgclone.table" "the target log has no STATEMENT line for pgclone's errors"
contains "$SRC_NEW" "password authentication failed" "the source logged the failed logins"
lacks "$SRC_NEW" "$MARK" "the source log does not contain the password"

finish

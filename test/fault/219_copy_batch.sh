#!/usr/bin/env bash
# 219_copy_batch.sh -- a synchronous schema clone sends the COPYs of its small tables to the source
# many in one message (clone/copy_ahead.hpp), and every table still gets exactly its own rows:
#  * the source's log shows the COPYs of 121 tables in 5 messages: a table over 1 MB and a
#    masked table (whose mask is checked on the source first) each send their own;
#  * the masked table's rows arrive masked; a table whose name would break a careless splice
#    arrives intact, and nothing it names was run;
#  * a table kept by {"conflict": "skip"} ends a batch: its rows are never read on the source,
#    and the tables after it get theirs; one that another session created after the batch was
#    sent has its rows read and dropped;
#  * a source error on a COPY in the middle of a batch (a role that may not read one table) fails
#    the clone with the source's error naming that table, and leaves nothing on the target.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_cb_src
DB=pgclone_cb_tgt
scratch_dbs $DB $SRCDB
trap 'drop_scratch; SRC_DB=source src -c "DROP ROLE IF EXISTS cb_reader" >/dev/null 2>&1' EXIT
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA cb;
DO $$
BEGIN
  FOR i IN 1..120 LOOP
    EXECUTE format('CREATE TABLE cb.%I (id serial PRIMARY KEY, v text NOT NULL)', 't' || lpad(i::text, 3, '0'));
    EXECUTE format('INSERT INTO cb.%I (v) SELECT %L || g FROM generate_series(1, 3) g', 't' || lpad(i::text, 3, '0'), 'row of t' || i || ' #');
  END LOOP;
END $$;
-- Over 1 MB on disk: its COPY goes alone.
INSERT INTO cb.t050 (v) SELECT md5(g::text) || md5((g + 1)::text) FROM generate_series(1, 20000) g;
CREATE TABLE cb."x""; DROP TABLE cb.t001; --" (id int PRIMARY KEY, "v""; --" text);
INSERT INTO cb."x""; DROP TABLE cb.t001; --" VALUES (1, 'odd'), (2, 'name');
SQL
is "$(SRC_DB=$SRCDB src -c "SELECT pg_relation_size('cb.t050') > 1024 * 1024")" t "the source: t050 holds over 1 MB"

ROWS_SQL=$(table_rows_sql cb t070) # t070 is masked
SRC_ROWS=$(SRC_DB=$SRCDB src -c "$ROWS_SQL")

# The clone's statements on the source, one line per message.
SRC_DB=postgres src -c "ALTER DATABASE $SRCDB SET log_statement = 'all'" >/dev/null
make_db $DB
LOG_START=$(wc -l <"$PGCLONE_SRC_LOG")
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'cb', true, '{\"masks\": {\"t070\": {\"v\": \"hash\"}}}')" 2>&1)
like "$out" 'OK: cloned schema cb: 121 tables \(20362 rows\)' "schema(): OK"
sleep 0.5 # the log is written by the server process; let it land
COPY_LINES=$(tail -n +"$((LOG_START + 1))" "$PGCLONE_SRC_LOG" | grep -E "@$SRCDB LOG:  statement: COPY ")
is "$(grep -o 'TO STDOUT' <<<"$COPY_LINES" | wc -l)" 121 "one COPY per table"
is "$(grep -c . <<<"$COPY_LINES")" 5 "... in 5 messages"
is "$(grep -F '"cb"."t050"' <<<"$COPY_LINES" | grep -o 'TO STDOUT' | wc -l)" 1 "... the table over 1 MB in a message of its own"
is "$(grep -F '"cb"."t070"' <<<"$COPY_LINES" | grep -o 'TO STDOUT' | wc -l)" 1 "... the masked table in a message of its own"
is "$(grep -F '"cb"."t071"' <<<"$COPY_LINES" | grep -o 'TO STDOUT' | wc -l)" 51 \
    "... the 51 tables after it in one message, the one with the hostile name among them"
is "$(tgt $DB -c "$ROWS_SQL")" "$SRC_ROWS" "every table's rows as on the source"
is "$(tgt $DB -c "SELECT count(*) || '/' || count(*) FILTER (WHERE v LIKE 'row of%') FROM cb.t070")" "3/0" "the masked table's rows arrived masked"
is "$(tgt $DB -c "SELECT string_agg(\"v\"\"; --\", ',' ORDER BY id) FROM cb.\"x\"\"; DROP TABLE cb.t001; --\"")" "odd,name" \
    "the table with a hostile name: its rows intact"
is "$(SRC_DB=$SRCDB src -c "SELECT count(*) FROM cb.t001")" 3 "... and nothing it names ran on the source"

# conflict "skip": t010 is kept as the target has it, and ends a batch: its rows are not read.
make_db $DB
tgt $DB -c "CREATE SCHEMA cb" -c "CREATE TABLE cb.t010 (id int, v text)" -c "INSERT INTO cb.t010 VALUES (1, 'the target''s own')" >/dev/null
LOG_START=$(wc -l <"$PGCLONE_SRC_LOG")
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'cb', true, '{\"conflict\": \"skip\", \"masks\": {\"t070\": {\"v\": \"hash\"}}}')" 2>&1)
like "$out" 'cloned schema cb: 120 tables' "conflict skip: 120 tables cloned"
like "$out" 'cb\.t010 already exists on the target; kept it' "... t010 kept"
is "$(tgt $DB -c "SELECT string_agg(v, ',') FROM cb.t010")" "the target's own" "... with the target's row only"
is "$(tgt $DB -c "$ROWS_SQL" | grep -v '^t010 ')" "$(grep -v '^t010 ' <<<"$SRC_ROWS")" \
    "... every other table with its own rows (t011 has t011's)"
sleep 0.5
COPY_LINES=$(tail -n +"$((LOG_START + 1))" "$PGCLONE_SRC_LOG" | grep -E "@$SRCDB LOG:  statement: COPY ")
is "$(grep -o 'TO STDOUT' <<<"$COPY_LINES" | wc -l)" 120 "... one COPY per table cloned"
is "$(grep -cF '"cb"."t010"' <<<"$COPY_LINES")" 0 "... none of the kept table"

# A table another session creates on the target after the batch was sent (it held the name's
# lock until the clone reached it; clone/target.hpp: key space x'7067636c', hashtext of the
# quoted name): kept by "skip", its COPY came with the batch, so its rows are read and dropped,
# and the next table gets its own.
make_db $DB
tgt $DB -c "CREATE SCHEMA cb" >/dev/null
coproc HOLD { "$PSQL" -X -q -At "$(tgt_ci $DB)" 2>&1; }
echo "BEGIN; SELECT pg_advisory_xact_lock(x'7067636c'::int, hashtext('\"cb\".\"t030\"')); CREATE TABLE cb.t030 (id int, v text); INSERT INTO cb.t030 VALUES (7, 'late'); SELECT 'held';" >&"${HOLD[1]}"
held=""
while [[ $held != held ]] && read -r -t 20 held <&"${HOLD[0]}"; do :; done
is "${held:-}" "held" "another session holds the name lock of cb.t030 and created it, uncommitted"
LOG_START=$(wc -l <"$PGCLONE_SRC_LOG")
OUT=$(mktemp)
tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'cb', true, '{\"conflict\": \"skip\", \"masks\": {\"t070\": {\"v\": \"hash\"}}}')" >"$OUT" 2>&1 &
CLONE=$!
for _ in $(seq 1 100); do
    waiting=$(tgt postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = '$DB' AND l.locktype = 'advisory' AND NOT l.granted")
    [[ $waiting == 1 ]] && break
    sleep 0.1
done
is "$waiting" 1 "the clone waits for the name lock of cb.t030"
echo "COMMIT;" >&"${HOLD[1]}"
wait "$CLONE"
out=$(cat "$OUT")
rm -f "$OUT"
like "$out" 'cloned schema cb: 120 tables' "... then clones the other 120 tables"
like "$out" 'cb\.t030 already exists on the target; kept it' "... and keeps cb.t030"
is "$(tgt $DB -c "SELECT string_agg(id || ':' || v, ',') FROM cb.t030")" "7:late" "... with the other session's row only"
is "$(tgt $DB -c "$ROWS_SQL" | grep -v '^t030 ')" "$(grep -v '^t030 ' <<<"$SRC_ROWS")" \
    "... every other table with its own rows (t031 has t031's, not t030's)"
sleep 0.5
is "$(tail -n +"$((LOG_START + 1))" "$PGCLONE_SRC_LOG" | grep -E "@$SRCDB LOG:  statement: COPY " | grep -F '"cb"."t029"' | grep -cF '"cb"."t030"')" 1 \
    "... whose COPY was sent in the batch with t029's (read and dropped)"
exec {HOLD[1]}>&-
SRC_DB=postgres src -c "ALTER DATABASE $SRCDB RESET log_statement" >/dev/null

# A source error on the COPY of t100, in the middle of a batch.
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE ROLE cb_reader LOGIN PASSWORD 'cb-secret';
GRANT USAGE ON SCHEMA cb TO cb_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA cb TO cb_reader;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA cb TO cb_reader;
REVOKE SELECT ON cb.t100 FROM cb_reader;
SQL
READER_CI="host=$PGCLONE_SOCKDIR port=$PGCLONE_SRC_PORT dbname=$SRCDB user=cb_reader password=cb-secret"
make_db $DB
out=$(tgt $DB -c "SELECT pgclone.schema($(lit "$READER_CI"), 'cb', true, '{\"privileges\": false}')" 2>&1)
like "$out" 'ERROR:  .*permission denied for table t100' "a COPY refused in a batch: the source's error, naming the table"
unlike "$out" 'cb-secret|internal' "... no password, no internal error"
is "$(tgt $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'cb'")" 0 "... and nothing is left on the target"
is "$(SRC_DB=$SRCDB src -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$SRCDB' AND usename = 'cb_reader'")" 0 \
    "... nor a source session"
SRC_DB=$SRCDB src -c "DROP OWNED BY cb_reader" -c "DROP ROLE cb_reader" >/dev/null

done_testing

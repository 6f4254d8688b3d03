#!/usr/bin/env bash
# 513_async_chunks.sh -- a big table of a parallel schema job is copied in chunks (option
# chunk_size): page ranges of its heap, each a task of pgclone.job_task taken by a pool worker and
# committed in its own transaction, all under the job's one snapshot; its finish task (constraints,
# indexes, ANALYZE) runs once none of its chunks is pending.
#  * parallel 4, chunk_size 512 kB on a 60,000-row table: several workers take its chunks, and the
#    content equals pgclone.table's clone of it; a hash mask holds on every chunk, require_masks
#    passes with it and refuses without it;
#  * a "where" filter applies to every chunk exactly once, also one that closes its parenthesis,
#    and so do the kept rows of a subset; conflict "replace" splits again, "skip" copies nothing;
#  * kill -9 of a pool worker while it copies a chunk: the committed chunks stay, recorded done;
#    resume(job_id, conninfo) copies only the other chunks (the same pages), no row twice, verify
#    passes;
#  * bad chunk_size values and functions where it does nothing are refused with clear errors.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_async_chunks
SCHEMA=chunk_513
cleanup() {
    drop_db $DB
    src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
make_db $DB
T() { tgt $DB "$@"; }
started=$(date +%s)


# 60,000 rows: a heap of ~4.5 MB, nine chunks of 512 kB.
chunk_fixture $SCHEMA 60000
CHUNK=524288
# content DB TABLE : rows, distinct ids and the md5 of the rows in id order.
content() {
    tgt "$1" -c "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || md5(string_agg(t::text, '|' ORDER BY id)) FROM $2 t"
}
src_content() {
    src -c "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || md5(string_agg(t::text, '|' ORDER BY id)) FROM $1 t"
}
# run_job OPTIONS : starts schema_async of the schema into a fresh target schema; sets id.
run_job() {
    T -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
    id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '$1')" 2>&1)
    [[ $id =~ ^[0-9]+$ ]] || not_ok "schema_async accepted $1" "$id"
}
chunk_tasks() { # JOB_ID [STATE]: the job's chunk tasks (in STATE)
    T -c "SELECT count(*) FROM pgclone.job_task WHERE job_id = $1 AND stage = 'rows' ${2:+AND state = '$2'}"
}

# --- 1. parallel 4 with a mask: same content as pgclone.table, several workers ----------------
MASKS='"masks": {"big": {"email": "hash"}}'
run_job "{\"parallel\": 4, \"chunk_size\": $CHUNK, $MASKS, \"require_masks\": true}"
is "$(wait_job $DB "$id" 180)" completed "parallel 4, chunk_size 512 kB, masked: the job completes" ||
    echo "# $(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id")"
is "$(chunk_tasks $id) $(chunk_tasks $id done)" "$NCHUNKS $NCHUNKS" "big was split in $NCHUNKS chunks, each done"
is "$(T -c "SELECT string_agg(table_name || ':' || stage || ':' || state, ',' ORDER BY table_name)
            FROM pgclone.job_task WHERE job_id = $id AND part = 0")" "big:finish:done,small:table:done" \
    "its finish task is done; the small table was one task"
is "$(T -c "SELECT count(*) FROM (SELECT first_page, lead(first_page) OVER (ORDER BY part) AS next, end_page
                                  FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows') c
            WHERE next IS DISTINCT FROM end_page") $(T -c "SELECT min(first_page) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows'")" \
    "0 0" "the chunks are contiguous page ranges from page 0, the last one open-ended"
workers=$(T -c "SELECT count(DISTINCT worker_job_id) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows'")
if ((workers >= 2)); then ok "$workers pool workers took chunks of the one table"; else not_ok "several workers took chunks" "$workers"; fi
is "$(T -c "SELECT sum(rows_copied) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows'")
$(T -c "SELECT rows_copied FROM pgclone.job_record_table WHERE job_id = $id AND table_name = 'big'")
$(T -c "SELECT rows_copied FROM pgclone.jobs_view WHERE job_id = $id")" "60000
60000
60100" "the chunks' rows add up to the table's record row and the job's count"
T -c "CREATE SCHEMA whole" -c "SELECT pgclone.table($SRC_LIT, '$SCHEMA', 'big', true, 'big', '{\"target_schema\": \"whole\", \"mask\": {\"email\": \"hash\"}}')" >/dev/null 2>&1
chunked=$(content $DB $SCHEMA.big)
is "$chunked" "$(content $DB whole.big)" "the chunked copy has the content of pgclone.table's (count, ids, md5)"
like "$chunked" "^60000 60000 " "with every row once"
is "$(T -c "SELECT count(*) FROM $SCHEMA.big WHERE email LIKE '%@example.com'")" 0 "the mask holds on every chunk"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = '$SCHEMA.big'::regclass AND contype = 'p'")
$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = '$SCHEMA.small'::regclass AND contype = 'f'")
$(T -c "SELECT reltuples FROM pg_class WHERE oid = '$SCHEMA.big'::regclass")" "1
1
60000" "the finish task built the primary key and ANALYZEd; the foreign key onto big is in"
T -c "DROP SCHEMA whole CASCADE" >/dev/null

# require_masks without the mask: refused before the table is created.
run_job "{\"parallel\": 4, \"chunk_size\": $CHUNK, \"require_masks\": true}"
is "$(wait_job $DB "$id" 120)" failed "require_masks without a mask on email: the job fails"
like "$(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id")" "email" "naming the column"
is "$(T -c "SELECT to_regclass('$SCHEMA.big') IS NULL")" t "and big was not created"

# --- 2. a where filter on every chunk, also one that closes its parenthesis ---------------------
run_job "{\"parallel\": 4, \"chunk_size\": $CHUNK, \"subset\": \"none\", \"where\": {\"big\": \"id % 3 = 0) OR (id % 3 = 1\"}}"
is "$(wait_job $DB "$id" 180)" completed "a filter \"id % 3 = 0) OR (id % 3 = 1\": the job completes" ||
    echo "# $(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $id")"
is "$(chunk_tasks $id done)" "$NCHUNKS" "in $NCHUNKS chunks"
is "$(T -c "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || count(*) FILTER (WHERE id % 3 = 2) FROM $SCHEMA.big")" \
    "40000 40000 0" "each chunk applied the whole filter to its own pages only: every kept row once"

# conflict "replace" on the clone above: the job drops the table in step 1 and splits it again;
# "skip": the table is kept, and no chunk is copied into it.
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 4, \"chunk_size\": $CHUNK, \"conflict\": \"replace\"}')")
is "$(wait_job $DB "$id" 180)" completed "conflict replace: the job completes"
is "$(chunk_tasks $id done) $(content $DB $SCHEMA.big)" "$NCHUNKS $(src_content $SCHEMA.big)" \
    "conflict replace: split again, the table has the source's rows, each once"
T -c "DELETE FROM $SCHEMA.small" -c "DELETE FROM $SCHEMA.big WHERE id > 10" >/dev/null
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 4, \"chunk_size\": $CHUNK, \"conflict\": \"skip\"}')")
is "$(wait_job $DB "$id" 180)" completed "conflict skip: the job completes"
is "$(chunk_tasks $id) $(T -c "SELECT count(*) FROM $SCHEMA.big") $(T -c "SELECT state FROM pgclone.job_task WHERE job_id = $id AND table_name = 'big'")" \
    "0 10 skipped" "conflict skip: the existing table is kept, no chunk copied into it"

# A subset: big keeps its filtered rows and the rows the kept rows of small reference (row
# addresses found once per worker in the job's snapshot), through every chunk, as without chunks.
SUBSET="\"where\": {\"big\": \"id <= 5\", \"small\": \"id <= 10\"}"
run_job "{\"parallel\": 4, \"chunk_size\": 0, $SUBSET}"
is "$(wait_job $DB "$id" 180)" completed "subset without chunks: the job completes"
whole=$(T -c "SELECT count(*) || ':' || md5(string_agg(id::text, ',' ORDER BY id)) FROM $SCHEMA.big")
is "$(T -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM $SCHEMA.big")" "1,2,3,4,5,7,14,21,28,35,42,49,56,63,70" \
    "subset without chunks: big keeps its filtered rows and those the kept rows of small reference"
run_job "{\"parallel\": 4, \"chunk_size\": $CHUNK, $SUBSET}"
is "$(wait_job $DB "$id" 180)" completed "subset in chunks: the job completes"
is "$(chunk_tasks $id done) $(T -c "SELECT count(*) || ':' || md5(string_agg(id::text, ',' ORDER BY id)) FROM $SCHEMA.big")" \
    "$NCHUNKS $whole" "subset: the chunks kept the rows of big the clone without chunks keeps"

# --- 3. kill -9 of a pool worker in a chunk, then resume -----------------------------------------
# Chunks made slow on the target: every 400th row sleeps 0.1 s in a BEFORE INSERT trigger that an
# event trigger gives the table when the job creates it.
T -c "CREATE FUNCTION public.slow_513() RETURNS trigger LANGUAGE plpgsql AS
        \$\$ BEGIN IF NEW.id % 400 = 0 THEN PERFORM pg_sleep(0.1); END IF; RETURN NEW; END \$\$" \
  -c "CREATE FUNCTION public.slow_513_add() RETURNS event_trigger LANGUAGE plpgsql AS \$\$
        DECLARE o record;
        BEGIN
            FOR o IN SELECT * FROM pg_event_trigger_ddl_commands()
                     WHERE command_tag = 'CREATE TABLE' AND object_identity = '$SCHEMA.big' LOOP
                EXECUTE 'CREATE TRIGGER slow BEFORE INSERT ON $SCHEMA.big FOR EACH ROW EXECUTE FUNCTION public.slow_513()';
            END LOOP;
        END \$\$" \
  -c "CREATE EVENT TRIGGER slow_513 ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.slow_513_add()" >/dev/null
run_job "{\"parallel\": 2, \"chunk_size\": $CHUNK}"
wait_until 120 "SELECT count(*) >= 2 FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows' AND state = 'done'" $DB ||
    not_ok "two chunks committed" "$(T -c "SELECT * FROM pgclone.progress_detail()")"
wait_until 60 "SELECT count(*) >= 1 FROM pgclone.progress_detail() WHERE parent_job_id = $id AND current_phase LIKE 'copying chunk%'" $DB ||
    not_ok "a chunk in flight"
T -c "CHECKPOINT"
pid=$(T -c "SELECT worker_pid FROM pgclone.progress_detail() WHERE parent_job_id = $id AND current_phase LIKE 'copying chunk%' LIMIT 1")
[[ -n $pid ]] && ok "kill -9: pool worker $pid is copying a chunk" || not_ok "kill -9: no pool worker in a chunk"
kill -9 "$pid"
sleep 1
wait_up $DB && ok "kill -9: the target is back after the crash restart" || not_ok "kill -9: the target is back"
T -c "DROP EVENT TRIGGER slow_513" -c "DROP TRIGGER IF EXISTS slow ON $SCHEMA.big" >/dev/null
is "$(job_field $DB "$id" status)" failed "kill -9: the job shows as failed"
done_before=$(chunk_tasks $id done)
if ((done_before >= 2 && done_before < NCHUNKS)); then ok "kill -9: $done_before of $NCHUNKS chunks were committed"; else not_ok "chunks committed" "$done_before"; fi
is "$(T -c "SELECT count(*) FROM $SCHEMA.big")" \
    "$(T -c "SELECT sum(rows_copied) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows' AND state = 'done'")" \
    "kill -9: the target has exactly the rows of the chunks recorded done"
is "$(job_field $DB "$id" rows_copied)" "$(T -c "SELECT (SELECT count(*) FROM $SCHEMA.big) + COALESCE((SELECT rows_copied FROM pgclone.job_record_table
                                                                WHERE job_id = $id AND table_name = 'small'), 0)")" \
    "kill -9: the job's record counts the rows of its committed chunks as copied"
is "$(T -c "SELECT count(*) FROM pgclone.job_record_table WHERE job_id = $id AND table_name = 'big'")" 0 \
    "kill -9: big has no record row: its finish task did not run"
old_done=$(T -c "SELECT string_agg(part || ':' || worker_job_id, ',' ORDER BY part) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows' AND state = 'done'")
out=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)" 2>&1)
like "$out" "NOTICE: .*resumes job $id.*new snapshot" "resume() says the rest is read in a new snapshot"
# resume() returns the new job's id; its record is written when its worker starts, maybe later.
rid=$(grep -E '^[0-9]+$' <<<"$out" | tail -1)
is "$(wait_job $DB "$rid" 180)" completed "resume(job_id, conninfo) completes" ||
    echo "# $(T -c "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $rid")"
is "$(content $DB $SCHEMA.big)" "$(src_content $SCHEMA.big)" "no row twice: count, distinct ids and content hash equal the source's"
is "$(T -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE match = '✓')
            FROM pgclone.verify($SRC_LIT, '$SCHEMA', '{\"mode\": \"checksum\"}')")" "2 2" "checksum verify of both tables passes"
is "$(T -c "SELECT string_agg(part || ':' || worker_job_id, ',' ORDER BY part) FROM pgclone.job_task WHERE job_id = $id AND stage = 'rows' AND state = 'done'")" \
    "$old_done" "the old job's committed chunks stay done, by its own workers"
is "$(chunk_tasks $rid earlier) $(chunk_tasks $rid done)" "$done_before $((NCHUNKS - done_before))" \
    "the new job took them over as earlier and copied only the others"
is "$(T -c "SELECT count(*) FROM pgclone.job_task o JOIN pgclone.job_task n USING (ordinal, part)
            WHERE o.job_id = $id AND n.job_id = $rid AND o.stage = 'rows'
              AND (o.first_page, o.end_page) IS DISTINCT FROM (n.first_page, n.end_page)")" 0 \
    "with the same page boundaries as the old job"
is "$(T -c "SELECT rows_copied FROM pgclone.job_record_table WHERE job_id = $rid AND table_name = 'big'")" 60000 \
    "the table's record row counts the rows of all its chunks"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = '$SCHEMA.small'::regclass AND contype = 'f'")" 1 \
    "the foreign key onto big is in"
T -c "DROP FUNCTION public.slow_513_add()" -c "DROP FUNCTION public.slow_513()" >/dev/null

# --- 4. bad values, and functions where chunk_size does nothing ---------------------------------
err() { T -c "$1" 2>&1 | grep -m1 -o 'ERROR: .*'; }
is "$(err "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 2, \"chunk_size\": -1}')")" \
    'ERROR:  option "chunk_size" must not be negative' "chunk_size -1 is refused"
is "$(err "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 2, \"chunk_size\": \"256MB\"}')")" \
    'ERROR:  option "chunk_size" must be an integer number of bytes' "chunk_size \"256MB\" is refused"
is "$(err "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 2, \"chunk_size\": 1.5}')")" \
    'ERROR:  option "chunk_size" must be an integer number of bytes' "chunk_size 1.5 is refused"
is "$(err "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"chunk_size\": 1048576}')")" \
    'ERROR:  option "chunk_size" of pgclone.schema_async() needs "parallel" above 1' "without parallel it is refused"
is "$(err "SELECT pgclone.schema_async($SRC_LIT, '$SCHEMA', true, '{\"parallel\": 2, \"chunk_size\": 1048576, \"consistent\": false}')")" \
    'ERROR:  option "chunk_size" of pgclone.schema_async() needs one snapshot for the whole clone' \
    "with consistent false it is refused"
is "$(err "SELECT pgclone.schema($SRC_LIT, '$SCHEMA', true, '{\"chunk_size\": 1048576}')")" \
    'ERROR:  option "chunk_size" is not supported by pgclone.schema()' "pgclone.schema() refuses it"
is "$(err "SELECT pgclone.table($SRC_LIT, '$SCHEMA', 'big', true, 'x', '{\"chunk_size\": 0}')")" \
    'ERROR:  option "chunk_size" is not supported by pgclone.table()' "pgclone.table() refuses it"
is "$(err "SELECT pgclone.table_async($SRC_LIT, '$SCHEMA', 'big', true, 'x', '{\"chunk_size\": 0}')")" \
    'ERROR:  option "chunk_size" is not supported by pgclone.table_async()' "pgclone.table_async() refuses it"

echo "# 513_async_chunks.sh took $(($(date +%s) - started)) s"
done_testing

#!/usr/bin/env bash
# 507_async_pool_fidelity.sh -- a schema cloned by a parallel pool is the same clone that
# pgclone.schema() makes, and the options reach the workers (v4.4.0 did not carry them):
#  * test_schema, types_test (user-defined types), part_test (partitions attached after the
#    pool, their triggers), dep_test (search_path-dependent DDL): the pool's result text equals
#    the synchronous one, pgclone.diff() reports no drift, verify's checksum mode matches;
#  * "masks" and "exclude_tables" applied by the pool workers;
#  * tables of one schema using a type of another schema: created once, before the pool;
#  * {"snapshot_id": ...} of a transaction the caller keeps open: every connection of the pool
#    imports it (no coordinator), and rows committed after the export are not cloned;
#  * a generated column whose function reads another table of the schema: the pool loads that
#    table after every other (a worker would see the other table empty, uncommitted), so each
#    value is the source's;
#  * 300 tables on two workers, each reading its part's definitions in slices as it reaches
#    them: sequences, rows and pg_dump --schema-only equal the synchronous clone's.
. "$(dirname "$0")/lib/async_common.bash"

SYNC=pgclone_async_fid_sync
POOL=pgclone_async_fid_pool
cleanup() {
    drop_db $SYNC
    drop_db $POOL
    src -c "DROP SCHEMA IF EXISTS axt_use, axt_types, gen_pool, many_pool CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
make_db $SYNC
make_db $POOL
tgt $POOL -c "SELECT pgclone.clear_jobs()" >/dev/null
strip_time() { sed 's/ in [0-9.]* s\( with [0-9]* pool workers\{0,1\}\)\{0,1\}$//'; }

for schema in test_schema types_test part_test dep_test; do
    want=$(tgt $SYNC -c "SELECT pgclone.schema($SRC_LIT, '$schema', true)" 2>/dev/null | strip_time)
    id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, '$schema', true, '{\"parallel\": 3}')")
    is "$(wait_job $POOL "$id")" completed "$schema: the pool job completes"
    is "$(job_field $POOL "$id" result | strip_time)" "$want" "$schema: same result text as pgclone.schema()"
    is "$(tgt $POOL -c "SELECT (pgclone.diff($SRC_LIT, '$schema')::json->'summary'->>'in_sync')")" true \
        "$schema: pgclone.diff() finds no drift after the pool"
    is "$(tgt $POOL -c "SELECT count(*) FILTER (WHERE match <> '✓') FROM pgclone.verify($SRC_LIT, '$schema', '{\"mode\": \"checksum\"}')")" \
        0 "$schema: verify checksum mode matches every table"
done
is "$(tgt $POOL -c "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'part_test.measurements'::regclass")" "m_high,m_low" \
    "part_test: the partitions cloned by the pool are attached"
is "$(tgt $POOL -c "INSERT INTO part_test.measurements (id, k, v) VALUES (9, 150, 'z') RETURNING touched")" t \
    "part_test: the parent's trigger fires for rows routed to a partition"

# --- options carried to the workers -----------------------------------------------------------
tgt $POOL -c "DROP SCHEMA test_schema CASCADE" >/dev/null 2>&1
id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'test_schema', true, '{\"parallel\": 3,
      \"masks\": {\"employees\": {\"email\": \"email\", \"ssn\": \"null\"}}, \"exclude_tables\": [\"order_items\"]}')")
is "$(wait_job $POOL "$id")" completed "masks + exclude_tables: the pool job completes"
is "$(tgt $POOL -c "SELECT email FROM test_schema.employees WHERE id = 1")" 'a***@example.com' "masks: emails masked by the worker"
is "$(tgt $POOL -c "SELECT count(ssn) FROM test_schema.employees")" 0 "masks: every ssn is NULL"
is "$(tgt $POOL -c "SELECT to_regclass('test_schema.order_items') IS NULL AND to_regclass('test_schema.orders') IS NOT NULL")" t \
    "exclude_tables: order_items left out, orders cloned"

# --- a type of another schema -----------------------------------------------------------------
src >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA axt_types;
CREATE TYPE axt_types.level AS ENUM ('low', 'high');
CREATE SCHEMA axt_use;
CREATE TABLE axt_use.t1 (id int PRIMARY KEY, l axt_types.level);
CREATE TABLE axt_use.t2 (id int PRIMARY KEY, l axt_types.level);
CREATE TABLE axt_use.t3 (id int PRIMARY KEY, l axt_types.level[]);
INSERT INTO axt_use.t1 VALUES (1, 'low'), (2, 'high');
INSERT INTO axt_use.t2 VALUES (1, 'high');
INSERT INTO axt_use.t3 VALUES (1, '{low,high}');
SQL
id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'axt_use', true, '{\"parallel\": 3}')")
is "$(wait_job $POOL "$id")" completed "a type of another schema: three workers, one type, the job completes"
is "$(tgt $POOL -c "SELECT (SELECT count(*) FROM pg_type WHERE typname = 'level' AND typnamespace = 'axt_types'::regnamespace)
                      || ' ' || (SELECT string_agg(l::text, ',' ORDER BY id) FROM axt_use.t1)")" "1 low,high" \
    "a type of another schema: created once, values intact"

# --- a snapshot of your own -------------------------------------------------------------------
SNAP_OUT=$(mktemp)
trap 'cleanup; rm -f "$SNAP_OUT"' EXIT
printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ;" "SELECT pg_export_snapshot();" "\\! sleep 30" "COMMIT;" |
    PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q -At "$(src_ci source) application_name=fid_snapshot" >"$SNAP_OUT" 2>&1 &
SNAP_PID=$!
for ((i = 0; i < 250; i++)); do
    [[ -s $SNAP_OUT ]] && break
    sleep 0.02
done
snap=$(head -1 "$SNAP_OUT")
src -c "INSERT INTO axt_use.t2 VALUES (2, 'low')" >/dev/null
tgt $POOL -c "DROP SCHEMA axt_use CASCADE" >/dev/null 2>&1
id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'axt_use', true, $(lit "{\"parallel\": 2, \"snapshot_id\": \"$snap\"}"))")
is "$(wait_job $POOL "$id")" completed "snapshot_id: the pool job completes on the caller's snapshot ($snap)"
is "$(tgt $POOL -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $id AND op_type = 'snapshot_coordinator'")" 0 \
    "snapshot_id: no coordinator"
is "$(tgt $POOL -c "SELECT count(*) FROM axt_use.t2")" 1 "snapshot_id: the row inserted after the export is not cloned"
src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fid_snapshot'" >/dev/null
wait "$SNAP_PID" 2>/dev/null

# --- a generated column reading another table through a routine ------------------------------
# gen_pool.a is large, so a second worker copies gen_pool.b while the first still loads a.
src >/dev/null <<'SQL'
CREATE SCHEMA gen_pool;
CREATE TABLE gen_pool.a (id int PRIMARY KEY, v int);
INSERT INTO gen_pool.a SELECT g, g * 10 FROM generate_series(1, 300000) g;
CREATE FUNCTION gen_pool.v_of(integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT v FROM gen_pool.a WHERE id = $1';
CREATE TABLE gen_pool.b (id int PRIMARY KEY, g int GENERATED ALWAYS AS (gen_pool.v_of(id)) STORED);
INSERT INTO gen_pool.b SELECT g FROM generate_series(1, 200) g;
CREATE TABLE gen_pool.c (id int PRIMARY KEY);
INSERT INTO gen_pool.c SELECT generate_series(1, 50);
SQL
id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'gen_pool', true, '{\"parallel\": 2}')")
is "$(wait_job $POOL "$id" 300)" completed "generated column reading another table: the pool job completes"
is "$(tgt $POOL -c "SELECT count(*) FILTER (WHERE g IS NULL) || ' ' || sum(g) FROM gen_pool.b")" \
    "0 $(src -c "SELECT sum(g) FROM gen_pool.b")" "... every generated value is the source's (none computed from missing rows)"
like "$(tgt $POOL -c "SELECT result FROM pgclone.progress_detail() WHERE job_id = $id")" '3 tables \(300250 rows\)' \
    "... and the result counts the table the job loaded after the pool"

# --- each worker's part read in slices ---------------------------------------------------------
# 300 tables, two workers of 150 each: a worker reads its first 64 definitions, then the other 86
# when it reaches them (core::read_ahead_slices). Sequences moved ahead of their rows and comments
# in both slices of both parts; the pool's clone equals the synchronous one.
src >/dev/null <<'SQL'
CREATE SCHEMA many_pool;
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXECUTE format('CREATE TABLE many_pool.%I (id serial PRIMARY KEY, k int NOT NULL, v text)', 't' || lpad(i::text, 3, '0'));
    EXECUTE format('CREATE INDEX ON many_pool.%I (k)', 't' || lpad(i::text, 3, '0'));
    EXECUTE format('COMMENT ON COLUMN many_pool.%I.v IS %L', 't' || lpad(i::text, 3, '0'), 'v of ' || i || ' ''; --');
    EXECUTE format('INSERT INTO many_pool.%I (k, v) SELECT g, %L || g FROM generate_series(1, %s) g',
      't' || lpad(i::text, 3, '0'), 'row of ' || i || ': ', i % 7);
  END LOOP;
END $$;
SELECT setval('many_pool.t010_id_seq', 4010), setval('many_pool.t100_id_seq', 4100),
       setval('many_pool.t160_id_seq', 4160), setval('many_pool.t290_id_seq', 4290);
SQL
MANY_ROWS=$(table_rows_sql many_pool)
MANY_SEQS="SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ' ' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'many_pool'"
dump_many() { "$PGCLONE_PGBIN/pg_dump" --schema-only --no-owner --no-privileges -n many_pool "$(tgt_ci "$1")" | grep -v -e '^--' -e '^$' -e '^.restrict' -e '^.unrestrict'; }
tgt $SYNC -c "SELECT pgclone.schema($SRC_LIT, 'many_pool', true)" >/dev/null 2>&1
id=$(tgt $POOL -c "SELECT pgclone.schema_async($SRC_LIT, 'many_pool', true, '{\"parallel\": 2}')")
is "$(wait_job $POOL "$id" 300)" completed "300 tables, two workers reading their parts in slices: the job completes"
like "$(tgt $POOL -c "$MANY_SEQS")" 't010_id_seq=4010 .*t100_id_seq=4100 .*t160_id_seq=4160 .*t290_id_seq=4290' \
    "... sequences moved ahead of their rows, in both slices of both parts"
is "$(tgt $POOL -c "$MANY_SEQS")" "$(tgt $SYNC -c "$MANY_SEQS")" "... every sequence as the synchronous clone has it"
is "$(tgt $POOL -c "$MANY_ROWS")" "$(src -c "$MANY_ROWS")" "... every table's rows as on the source"
is "$(diff <(dump_many $SYNC) <(dump_many $POOL))" "" "... pg_dump --schema-only equals the synchronous clone's"

tgt $POOL -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

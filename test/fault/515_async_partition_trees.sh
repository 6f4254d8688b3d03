#!/usr/bin/env bash
# 515_async_partition_trees.sh -- a schema job clones the tables of a small partition tree itself,
# in one transaction, each partition created attached to its parent and the partitioned tables'
# indexes created once their partitions are (as a synchronous clone does): attached one by one
# at the end, thousands of partitions cost a rebuild of the parent's partition descriptor each.
#  * with "parallel" 2 the plain tables go to the pool, the tree to the job: the clone equals the
#    source in pg_dump --schema-only, in the index tree and in rows per partition; the tree's
#    tables share one transaction (txid_current() in an event trigger), the pool's do not;
#  * a tree with a table whose CHECK calls a routine stays with the pool and the attachments at
#    the end (such a table waits for every other);
#  * a partition and an index named to break a spliced statement arrive as named, in the tree;
#  * a failure inside the tree's transaction leaves nothing of the tree and keeps the pool's
#    tables; resume() clones the tree again, whole;
#  * a tree of more tables than four times max_locks_per_transaction is left to the pool (one
#    transaction holds a lock on each of its tables); without "parallel" the tree is one
#    transaction too.
. "$(dirname "$0")/lib/async_common.bash"

SRCDB=pgclone_pt_src
DB=pgclone_pt_tgt
scratch_dbs $DB $SRCDB
trap 'drop_scratch' EXIT
SRC_LIT=$(lit "$(src_ci $SRCDB)")
T() { tgt $DB "$@"; }
started=$(date +%s)
SRC_DB=$SRCDB src -v schema=pt -f "$(dirname "$0")/lib/range_tree.sql" >/dev/null
SRC_DB=$SRCDB src >/dev/null <<'SQL'
-- Names a careless splice would break, in the tree: a partition and an index of its own.
CREATE TABLE pt."r; DROP TABLE pt.plain1; --" PARTITION OF pt.r FOR VALUES FROM (100) TO (110);
CREATE INDEX "r_'q"" idx" ON pt."r; DROP TABLE pt.plain1; --" (k, name);
INSERT INTO pt.r VALUES (7, 105, 'in the oddly named partition');
CREATE TABLE pt.plain1 (id serial PRIMARY KEY, v text);
INSERT INTO pt.plain1 (v) SELECT 'v' || g FROM generate_series(1, 50) g;
CREATE TABLE pt.plain2 (id int PRIMARY KEY REFERENCES pt.plain1);
INSERT INTO pt.plain2 SELECT g FROM generate_series(1, 20) g;
-- A tree whose partitions' CHECK calls a routine of the schema.
CREATE FUNCTION pt.positive(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 0';
CREATE TABLE pt.g (id int NOT NULL, CONSTRAINT g_pos CHECK (pt.positive(id))) PARTITION BY LIST (id);
CREATE TABLE pt.g_1 PARTITION OF pt.g FOR VALUES IN (1, 2);
CREATE TABLE pt.g_2 PARTITION OF pt.g FOR VALUES IN (3);
INSERT INTO pt.g VALUES (1), (2), (3);
SQL

index_tree() { # SIDE [ARGS]: every index of schema pt with its table and parent index
    "$@" -c "SELECT c.relname || ' on ' || t.relname || ' <- ' || coalesce(p.relname, '-')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits h ON h.inhrelid = c.oid
        LEFT JOIN pg_class p ON p.oid = h.inhparent WHERE n.nspname = 'pt' ORDER BY 1"
}
rows_per_partition() { # SIDE [ARGS]
    "$@" -c "SELECT string_agg(p || '=' || n, ' ' ORDER BY p) FROM (
        SELECT tableoid::regclass::text p, count(*) n FROM pt.r GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM pt.g GROUP BY 1
        UNION ALL SELECT 'plain1', count(*) FROM pt.plain1 UNION ALL SELECT 'plain2', count(*) FROM pt.plain2) s"
}
# Which transaction created each table: an event trigger logs txid_current(), the top-level
# transaction's id (the same in a subtransaction).
ddl_log() {
    T -c "CREATE TABLE public.ddl_log (object text, txid bigint)" \
        -c "CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN INSERT INTO public.ddl_log SELECT object_identity, txid_current() FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE'; END\$\$" \
        -c "CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl()" >/dev/null
}
# transactions SCHEMA TABLE...: how many transactions created the tables named
transactions() {
    local schema=$1
    shift
    T -c "SELECT count(DISTINCT txid) FROM public.ddl_log WHERE object = ANY (ARRAY['$(printf "$schema.%s','" "$@")'])"
}
SRC_INDEX_TREE=$(SRC_DB=$SRCDB index_tree src)
SRC_ROWS=$(SRC_DB=$SRCDB rows_per_partition src)
SRC_DUMP=$(PGPASSWORD=$PGCLONE_SRC_PASSWORD schema_dump pt "$(src_ci $SRCDB)")
check_clone() { # NAME
    is "$(index_tree T)" "$SRC_INDEX_TREE" "$1: the index tree (keys and indexes attached to their parents') as on the source"
    is "$(rows_per_partition T)" "$SRC_ROWS" "$1: rows per partition as on the source"
    is "$(diff <(echo "$SRC_DUMP") <(schema_dump pt "$(tgt_ci $DB)"))" "" "$1: pg_dump --schema-only equals the source's"
}

# --- parallel 2: the tree to the job, the plain tables to the pool -------------------------------
make_db $DB
ddl_log
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'pt', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id")" completed "parallel 2: the job completes"
check_clone "parallel 2"
is "$(transactions pt r r_1 r_2 r_sub r_sub_a r_sub_b r_def r_chk)" 1 \
    "parallel 2: the tree's tables, partitions and sub-partitions, are created in one transaction"
is "$(transactions pt r plain1 plain2)" 3 "parallel 2: the plain tables are not (the pool's, each in its own)"
is "$(transactions pt g g_1 g_2)" 3 \
    "parallel 2: the tables of a tree whose CHECK calls a routine are created in transactions of their own"
is "$(T -c "SELECT count(*) FROM public.ddl_log WHERE object = 'pt.\"r; DROP TABLE pt.plain1; --\"' AND txid = (SELECT txid FROM public.ddl_log WHERE object = 'pt.r')")" 1 \
    "parallel 2: the partition whose name holds a quote, a semicolon and a comment is in the tree's transaction (its name ran as no SQL)"
is "$(T -c "SELECT count(*) FILTER (WHERE state = 'done') || '/' || count(*) FROM pgclone.job_task WHERE job_id = $id")" \
    "$(T -c "SELECT count(*) || '/' || count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pt' AND c.relkind IN ('r', 'p')")" \
    "parallel 2: every table's task is done, the tree's too"

# --- a failure in the tree's transaction; resume ----------------------------------------------
make_db $DB
T -c "CREATE FUNCTION refuse() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = 'pt.r_sub_b') THEN RAISE EXCEPTION 'no sub-partitions today'; END IF; END\$\$" \
    -c "CREATE EVENT TRIGGER refuse_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION refuse()" >/dev/null
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'pt', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id")" failed "a failure inside the tree's transaction fails the job"
like "$(job_field $DB "$id" error_message)" 'no sub-partitions today' "... with its own error"
is "$(T -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pt' AND c.relname ~ '^r(_|$)'")" 0 \
    "... nothing of the tree is left"
is "$(T -c "SELECT (SELECT count(*) FROM pt.plain1) || '/' || (SELECT count(*) FROM pt.plain2)")" "50/20" \
    "... the pool's tables are committed"
T -c "DROP EVENT TRIGGER refuse_tables" >/dev/null
ddl_log
new=$(T -c "SELECT pgclone.resume($id, $SRC_LIT)")
is "$(wait_job $DB "$new")" completed "resume() completes"
check_clone "resumed"
is "$(transactions pt r r_1 r_2 r_sub r_sub_a r_sub_b r_def r_chk)" 1 "resumed: the tree again in one transaction"

# --- a tree too large for one transaction's locks; no parallel --------------------------------
LOCKS=$(T -c "SELECT current_setting('max_locks_per_transaction')::int")
N=$((4 * LOCKS + 1)) # the root and N partitions: more tables than four times the setting
SRC_DB=$SRCDB src >/dev/null <<SQL
CREATE SCHEMA pt_many;
CREATE TABLE pt_many.m (id int NOT NULL) PARTITION BY LIST (id);
DO \$\$ BEGIN
  FOR i IN 1..$N LOOP
    EXECUTE format('CREATE TABLE pt_many.m_%s PARTITION OF pt_many.m FOR VALUES IN (%s)', i, i);
  END LOOP;
END \$\$;
INSERT INTO pt_many.m SELECT g FROM generate_series(1, $N) g;
SQL
make_db $DB
ddl_log
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'pt_many', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id" 300)" completed "a tree of $((N + 1)) tables (max_locks_per_transaction $LOCKS), parallel 2: the job completes"
is "$(T -c "SELECT count(*) || '/' || count(DISTINCT tableoid) FROM pt_many.m")" "$N/$N" "... every partition attached, with its row"
is "$(T -c "SELECT count(DISTINCT txid) FROM public.ddl_log WHERE object LIKE 'pt_many.%'")" "$((N + 1))" \
    "... each table in a transaction of its own: left to the pool"
make_db $DB
ddl_log
id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'pt', true)")
is "$(wait_job $DB "$id")" completed "without parallel: the job completes"
check_clone "without parallel"
is "$(transactions pt r r_1 r_2 r_sub r_sub_a r_sub_b r_def r_chk)" 1 "without parallel: the tree in one transaction"
echo "# 515 took $(($(date +%s) - started)) s"

done_testing

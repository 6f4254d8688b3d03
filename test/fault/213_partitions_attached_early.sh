#!/usr/bin/env bash
# 213_partitions_attached_early.sh -- a synchronous schema clone attaches each partition right
# after its CREATE TABLE (empty, no index) and creates a partitioned table's indexes and key once
# its partitions are attached and indexed, so that they adopt the partitions' own (as pg_restore
# orders it). Fidelity must not change: sub-partitions, a default partition, a partition whose
# column order differs from its parent's, partition-local indexes, an expression index on the
# parent, per-partition storage settings. Where attaching at creation could fail for a reason a
# clone tolerates, the partition is attached afterwards as before, in a subtransaction: a
# partition with a CHECK constraint (a parent's check must be on it first), every partition
# under masks. Source and target compare equal in pg_dump --schema-only, in the index tree
# and in rows per partition.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_pa_src
TGTDB=pgclone_pa_tgt
ERR=$(mktemp)
scratch_dbs $TGTDB $SRCDB
trap 'drop_scratch; rm -f "$ERR"' EXIT
SRC_DB=$SRCDB src -v schema=pa -f "$(dirname "$0")/lib/range_tree.sql" >/dev/null
SRC_DB=$SRCDB src >/dev/null <<'SQL'
-- A parent with a check: its partitions are attached after their rows and checks.
CREATE TABLE pa.c (id int PRIMARY KEY, v int CHECK (v > 0)) PARTITION BY LIST (id);
CREATE TABLE pa.c_1 PARTITION OF pa.c FOR VALUES IN (1, 2);
CREATE TABLE pa.c_2 PARTITION OF pa.c FOR VALUES IN (3);
INSERT INTO pa.c VALUES (1, 1), (2, 2), (3, 3);
-- Defaults of the parent, and a partition with defaults and a NOT NULL of its own: on a target
-- before PostgreSQL 18 both are created PARTITION OF (the parent's columns), the second then
-- given its own defaults (one dropped) and NOT NULL.
CREATE TABLE pa.d (id int NOT NULL, v text DEFAULT 'parent', w int DEFAULT 7) PARTITION BY LIST (id);
CREATE TABLE pa.d_1 PARTITION OF pa.d FOR VALUES IN (1);
CREATE TABLE pa.d_2 (id int NOT NULL, v text DEFAULT 'own', w int NOT NULL);
ALTER TABLE pa.d ATTACH PARTITION pa.d_2 FOR VALUES IN (2);
INSERT INTO pa.d (id) VALUES (1);
INSERT INTO pa.d (id, w) VALUES (2, 2);
-- A partition with a serial of its own: its sequence may get another name on the target.
CREATE TABLE pa.s (id int NOT NULL, k int) PARTITION BY LIST (k);
CREATE TABLE pa.s_1 (id serial NOT NULL, k int);
ALTER TABLE pa.s ATTACH PARTITION pa.s_1 FOR VALUES IN (1);
INSERT INTO pa.s_1 (k) VALUES (1), (1);
SQL

index_tree() { # DB SIDE: every index of schema pa with its table and parent index
    "$1" "${@:2}" -c "SELECT c.relname || ' on ' || t.relname || ' <- ' || coalesce(p.relname, '-')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits h ON h.inhrelid = c.oid
        LEFT JOIN pg_class p ON p.oid = h.inhparent WHERE n.nspname = 'pa' ORDER BY 1"
}
rows_per_partition() { # DB SIDE
    "$1" "${@:2}" -c "SELECT string_agg(p || '=' || n, ' ' ORDER BY p) FROM (
        SELECT tableoid::regclass::text p, count(*) n FROM pa.r GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM pa.c GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM pa.d GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM pa.s GROUP BY 1) s"
}

make_db $TGTDB
# Which DDL the clone ran on which table: an ATTACH PARTITION is an ALTER TABLE of the parent.
tgt $TGTDB -c "CREATE TABLE public.ddl_log (tag text, object text)" \
    -c "CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN INSERT INTO public.ddl_log SELECT command_tag, object_identity FROM pg_event_trigger_ddl_commands(); END\$\$" \
    -c "CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl()" >/dev/null
t0=$(date +%s.%N)
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'pa', true)" 2>"$ERR")
like "$out" '^OK: cloned schema pa: 16 tables \(3007 rows\)' "schema clone of partitioned tables: OK, no warning"
MSGS=$(cat "$ERR")
like "$MSGS" 'NOTICE:  pgclone: schema pa: 9 partitions attached at creation' \
    "the partitions of a parent without checks are attached at creation"
like "$MSGS" 'NOTICE:  pgclone: schema pa: attaching 3 partitions' \
    "... those with a check of their own or of their parent afterwards"
like "$MSGS" 'NOTICE:  pgclone: schema pa: creating [0-9]+ indexes of partitioned tables' \
    "the keys and indexes of the held-back partitioned tables after their partitions"
is "$(index_tree tgt $TGTDB)" "$(SRC_DB=$SRCDB index_tree src)" \
    "every index on the table and under the parent index it has on the source"
is "$(rows_per_partition tgt $TGTDB)" "$(SRC_DB=$SRCDB rows_per_partition src)" "rows per partition as on the source"
is "$(diff <(PGPASSWORD=$PGCLONE_SRC_PASSWORD schema_dump pa "$(src_ci $SRCDB)") <(schema_dump pa "$(tgt_ci $TGTDB)"))" "" \
    "pg_dump --schema-only of schema pa: source and target equal"
is "$(tgt $TGTDB -c "SELECT relallvisible > 0 FROM pg_class WHERE oid = 'pa.r_1'::regclass")" t \
    "a partition attached at creation still takes its rows with COPY FREEZE "
is "$(tgt $TGTDB -c "SELECT attname FROM pg_attribute WHERE attrelid = 'pa.r_2'::regclass AND attnum = 1")" name \
    "a partition keeps its own column order"
columns() { # DB SIDE TABLE: name, default and NOT NULL of each column
    "$1" "${@:2:$#-2}" -c "SELECT string_agg(a.attname || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') || ':' || a.attnotnull, ' ' ORDER BY a.attnum)
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = '${!#}'::regclass AND a.attnum > 0 AND NOT a.attisdropped"
}
for t in pa.d_1 pa.d_2; do
    is "$(columns tgt $TGTDB $t)" "$(SRC_DB=$SRCDB columns src $t)" "$t: each column's default and NOT NULL as on the source"
done
if [[ $(tgt $TGTDB -c "SELECT current_setting('server_version_num')::int < 180000") == t ]]; then
    # pa.d has no key or index: an ALTER TABLE of it could only be an ATTACH PARTITION.
    is "$(tgt $TGTDB -c "SELECT string_agg(DISTINCT tag || ' ' || object, ', ') FROM public.ddl_log WHERE object LIKE 'pa.d%'")" \
        "ALTER TABLE pa.d_2, CREATE TABLE pa.d, CREATE TABLE pa.d_1, CREATE TABLE pa.d_2" \
        "d_1 and d_2 (their parent's columns) were created PARTITION OF pa.d, not attached; d_2 then given its own defaults and NOT NULL"
else
    ok "# skip: PARTITION OF is not used on PostgreSQL 18 and later"
fi

# A relation on the target holds the name of s_1's sequence: the clone gives the sequence
# another name, and s_1's default must use that one.
make_db $TGTDB
tgt $TGTDB -c "CREATE SCHEMA pa" -c "CREATE TABLE pa.s_1_id_seq (x int)" >/dev/null
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'pa', true, '{\"conflict\": \"skip\"}')" 2>&1)
like "$out" 'OK: cloned schema pa: 16 tables' "a relation named like a partition's sequence on the target: OK"
is "$(tgt $TGTDB -c "SELECT pg_get_serial_sequence('pa.s_1', 'id')::regclass = (regexp_match(pg_get_expr(d.adbin, d.adrelid), \$\$nextval\('([^']+)'\$\$))[1]::regclass
                     FROM pg_attrdef d WHERE d.adrelid = 'pa.s_1'::regclass AND d.adnum = 1")
$(tgt $TGTDB -c "INSERT INTO pa.s_1 (k) VALUES (1) RETURNING id" | head -1)" "t
3" "... s_1's default draws from the sequence the clone made for it, where the source's stands"

# Masks: every partition is attached after its rows (a masked key could leave its bound).
make_db $TGTDB
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'pa', true, '{\"masks\": {\"r\": {\"name\": \"null\"}}}')" 2>"$ERR")
like "$out" '^OK: cloned schema pa: 16 tables \(3007 rows\)' "with masks: OK"
like "$(cat "$ERR")" 'NOTICE:  pgclone: schema pa: attaching 12 partitions' "... every partition attached after its rows"
is "$(index_tree tgt $TGTDB)" "$(SRC_DB=$SRCDB index_tree src)" "... the same index tree"
is "$(tgt $TGTDB -c "SELECT count(*) FILTER (WHERE name IS NULL) || '/' || count(*) FROM pa.r")" "3000/3000" \
    "... masked rows in every partition"
# The source's COPY of a table is sent before the target creates the table. A failure in between
# (here an event trigger refusing CREATE TABLE) fails the clone with its own error, and the same
# session clones again at once (the source connection of the failed clone was closed).
make_db $TGTDB
out=$(tgt $TGTDB -v ON_ERROR_STOP=0 -c "CREATE FUNCTION refuse() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = 'pa.r_1') THEN RAISE EXCEPTION 'no tables today'; END IF; END\$\$" \
    -c "CREATE EVENT TRIGGER refuse_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION refuse()" \
    -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'pa', true)" \
    -c "DROP EVENT TRIGGER refuse_tables" \
    -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'pa', true)" 2>&1)
like "$out" 'ERROR:  no tables today.*CREATE TABLE "pa"."r_1"' "a failure after a COPY was sent early: the clone fails with its own error"
like "$out" 'OK: cloned schema pa: 16 tables \(3007 rows\)' "... and the same session clones again"
echo "# 213 took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

done_testing

#!/usr/bin/env bash
# 217_partition_index_names.sh -- a partition's indexes and keys attached to its parent's keep the
# names the source gave them, and a partition's own duplicate of its parent's index stays its own.
# PostgreSQL lets the parent's index adopt the first matching index of each partition (in OID
# order) when it is created or when the partition is attached: so the clone creates a partition's
# attached indexes and keys first, under their source names, then the parent's, then the
# partition's others. The source has
#  * an index of a partition adopted by its parent's (own_idx, created before the parent's),
#  * a partition holding a duplicate of its own next to the attached copy (own2 on r2),
#  * a renamed partition key (r1_custom_pk), renamed indexes two levels down (r3a_renamed_k),
#  * a partition's own unique constraint and an attached index whose name breaks a careless
#    splice,
# and every path must give the same tree of indexes and constraints: schema() (partitions
# attached at creation), schema() under masks (attached afterwards), table() of the root (the
# partitions created with it), schema_async with parallel 2 (the tree in one transaction) and
# without a consistent snapshot (the pool, attached at the end), table() of one partition.
. "$(dirname "$0")/lib/async_common.bash"

SRCDB=pgclone_pn_src
DB=pgclone_pn_tgt
scratch_dbs $DB $SRCDB
trap 'drop_scratch' EXIT
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA pn;
CREATE TABLE pn.r (id int NOT NULL, k int NOT NULL, name text) PARTITION BY RANGE (id);
CREATE TABLE pn.r1 PARTITION OF pn.r FOR VALUES FROM (0) TO (100);
CREATE INDEX own_idx ON pn.r1 (name);
CREATE TABLE pn.r2 PARTITION OF pn.r FOR VALUES FROM (100) TO (200);
CREATE TABLE pn.r3 PARTITION OF pn.r FOR VALUES FROM (200) TO (300) PARTITION BY LIST (k);
CREATE TABLE pn.r3a PARTITION OF pn.r3 FOR VALUES IN (1, 2, 3);
ALTER TABLE pn.r ADD CONSTRAINT r_pk PRIMARY KEY (id, k);
CREATE INDEX r_name ON pn.r (name);
CREATE INDEX r_k ON pn.r (k);
CREATE INDEX own2 ON pn.r2 (name);
ALTER TABLE pn.r2 ADD CONSTRAINT r2_uq UNIQUE (name);
ALTER INDEX pn.r1_pkey RENAME TO r1_custom_pk;
ALTER INDEX pn.r3a_k_idx RENAME TO r3a_renamed_k;
ALTER INDEX pn.r3_name_idx RENAME TO r3_renamed_name;
ALTER INDEX pn.r2_k_idx RENAME TO "r2 k""; DROP TABLE pn.r1; --";
INSERT INTO pn.r SELECT g, 1 + g % 3, 'n' || g FROM generate_series(0, 299) g;
SQL

# Every index of schema pn: its table, the index it is attached to, the constraint it backs.
TREE_SQL="SELECT string_agg(t.relname || ':' || c.relname || '<-' || coalesce(p.relname, '-') || ':' ||
    coalesce((SELECT conname FROM pg_constraint WHERE conindid = c.oid AND conrelid = t.oid), '-'), E'\n'
    ORDER BY t.relname, c.relname)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits h ON h.inhrelid = c.oid
  LEFT JOIN pg_class p ON p.oid = h.inhparent WHERE n.nspname = 'pn'"
WANT=$(SRC_DB=$SRCDB src -c "$TREE_SQL")
like "$WANT" 'r1:own_idx<-r_name:-' "the source: own_idx is the index r_name adopted on r1"
like "$WANT" 'r2:own2<--:-' "... r2's duplicate own2 is its own"
SRC_DUMP=$(PGPASSWORD=$PGCLONE_SRC_PASSWORD schema_dump pn "$(src_ci $SRCDB)")
like "$SRC_DUMP" 'ALTER INDEX pn.r_pk ATTACH PARTITION pn.r1_custom_pk' "the source's pg_dump attaches the renamed key"

fresh() { drop_db $DB; make_db $DB; }
rows() { tgt $DB -c "SELECT count(*) || ' rows, ' || count(DISTINCT tableoid) || ' partitions' FROM pn.r"; }

fresh
out=$(tgt $DB -c "SET client_min_messages = warning" -c "SELECT pgclone.schema($SRC_LIT, 'pn', true)" 2>&1)
like "$out" '^OK: cloned schema pn: 5 tables \(300 rows\)' "schema(): OK"
is "$(tgt $DB -c "$TREE_SQL")" "$WANT" "schema(): every index and key under its source name, attached as on the source"
is "$(diff <(echo "$SRC_DUMP") <(schema_dump pn "$(tgt_ci $DB)"))" "" "schema(): pg_dump --schema-only equal"
is "$(rows)" "300 rows, 3 partitions" "schema(): the rows"
is "$(tgt $DB -c "SELECT count(*) FROM pn.r1")" 100 "the partition a spliced index name would have dropped is there"

fresh
out=$(tgt $DB -c "SET client_min_messages = warning" \
    -c "SELECT pgclone.schema($SRC_LIT, 'pn', true, '{\"masks\": {\"r1\": {\"name\": \"null\"}}}')" 2>&1)
like "$out" '^OK: cloned schema pn: 5 tables \(300 rows\)' "schema() under masks (partitions attached after their rows): OK"
is "$(tgt $DB -c "$TREE_SQL")" "$WANT" "... the same indexes and keys"

fresh
out=$(tgt $DB -c "SET client_min_messages = warning" -c "SELECT pgclone.table($SRC_LIT, 'pn', 'r', true)" 2>&1)
is "$out" "OK: cloned pn.r (300 rows)" "table() of the root, its partitions created with it: OK"
is "$(tgt $DB -c "$TREE_SQL")" "$WANT" "... the same indexes and keys"
is "$(diff <(echo "$SRC_DUMP") <(schema_dump pn "$(tgt_ci $DB)"))" "" "... pg_dump --schema-only equal"

fresh
id=$(tgt $DB -c "SELECT pgclone.schema_async($SRC_LIT, 'pn', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$id")" completed "schema_async, parallel 2 (the tree in the job's transaction): completed"
is "$(tgt $DB -c "$TREE_SQL")" "$WANT" "... the same indexes and keys"

fresh
id=$(tgt $DB -c "SELECT pgclone.schema_async($SRC_LIT, 'pn', true, '{\"parallel\": 2, \"consistent\": false}')")
is "$(wait_job $DB "$id")" completed "schema_async without one snapshot (the pool, partitions attached at the end): completed"
is "$(tgt $DB -c "$TREE_SQL")" "$WANT" "... the same indexes and keys"
is "$(rows)" "300 rows, 3 partitions" "... the rows"

# One partition on its own becomes a table of its own with all its indexes and keys.
fresh
out=$(tgt $DB -c "SET client_min_messages = warning" -c "SELECT pgclone.table($SRC_LIT, 'pn', 'r2', true)" 2>&1)
is "$out" "OK: cloned pn.r2 (100 rows)" "table() of one partition: OK"
is "$(tgt $DB -c "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'pn.r2'::regclass")" \
    'own2,r2 k"; DROP TABLE pn.r1; --,r2_name_idx,r2_pkey,r2_uq' "... with the indexes attached on the source too, under their names"

done_testing

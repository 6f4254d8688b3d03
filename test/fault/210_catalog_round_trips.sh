#!/usr/bin/env bash
# 210_catalog_round_trips.sh -- a schema clone reads the source catalog per object kind, not per
# table: with log_statement = all on a source database, a clone of a schema of 200 tables (serial
# PK, an index, a few rows each) runs fewer than 50 statements besides its COPYs, those of the
# second session that reads the definitions of the tables after the first 64 included; the COPYs
# of its small tables go to the source many to a message (at most 10 messages). The same
# schema holds tables, columns and sequences whose names would break unquoted SQL (the bulk
# readers and the batched sequence-position query must quote them): their rows and sequence
# positions arrive intact. NOTICEs: one per phase, no per-table line for fast tables (each table
# at client_min_messages = debug1); pgclone.table keeps its per-table NOTICE.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_rt_src
TGTDB=pgclone_rt_tgt
ERR=$(mktemp)
scratch_dbs $TGTDB $SRCDB
trap 'drop_scratch; rm -f "$ERR"' EXIT
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA rt;
DO $$
BEGIN
  FOR i IN 1..195 LOOP
    EXECUTE format('CREATE TABLE rt.t%s (id serial PRIMARY KEY, v text, n int)', i);
    EXECUTE format('CREATE INDEX ON rt.t%s (v)', i);
    EXECUTE format('INSERT INTO rt.t%s (v, n) SELECT ''r'' || g, g FROM generate_series(1, 3) g', i);
    -- A position of its own: the positions are read 50 sequences to a query.
    PERFORM setval(pg_get_serial_sequence(format('rt.t%s', i), 'id'), 1000 + i, i % 2 = 0);
  END LOOP;
END $$;
-- Names a careless splice would break: quotes, a semicolon, a comment, a backslash.
CREATE TABLE rt."we""ird; DROP TABLE rt.t1; --" (id serial PRIMARY KEY, "co""l" text);
INSERT INTO rt."we""ird; DROP TABLE rt.t1; --" ("co""l") VALUES ('a'), ('b');
SELECT setval(pg_get_serial_sequence('rt."we""ird; DROP TABLE rt.t1; --"', 'id'), 41);
CREATE TABLE rt."back\slash ) UNION SELECT 1" (id int GENERATED ALWAYS AS IDENTITY (START 7) PRIMARY KEY, x int);
INSERT INTO rt."back\slash ) UNION SELECT 1" (x) VALUES (1), (2), (3);
CREATE TABLE rt."Mixed Case" (id bigserial PRIMARY KEY, v text CHECK (v <> ''));
CREATE INDEX mixed_lower_v ON rt."Mixed Case" (lower(v));
CREATE INDEX mixed_v_c ON rt."Mixed Case" (v COLLATE "C");
INSERT INTO rt."Mixed Case" (v) VALUES ('x');
SELECT setval(pg_get_serial_sequence('rt."Mixed Case"', 'id'), 500, false);
CREATE SEQUENCE rt."free ""seq"" ;" START 3;
SELECT setval('rt."free ""seq"" ;"', 99);
-- Table settings run in one subtransaction for all tables; one that fails on the target (a rule
-- calling a function of an extension the target lacks) is a WARNING, the others stay.
CREATE EXTENSION pg_trgm;
CREATE RULE t2_log AS ON INSERT TO rt.t2 DO ALSO SELECT public.show_limit();
ALTER TABLE rt.t3 SET (fillfactor = 70);
ALTER TABLE rt.t3 ALTER COLUMN v SET (n_distinct = 5);
CREATE TABLE rt.parted (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);
CREATE TABLE rt.parted_1 PARTITION OF rt.parted FOR VALUES FROM (0) TO (10);
CREATE TABLE rt.parted_2 PARTITION OF rt.parted FOR VALUES FROM (10) TO (20);
INSERT INTO rt.parted VALUES (1, 1), (2, 15);
SQL
N_TABLES=$(SRC_DB=$SRCDB src -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'rt' AND c.relkind IN ('r', 'p')")
is "$N_TABLES" 201 "the source schema has 201 tables (partitions included)"
SRC_DB=postgres src -c "ALTER DATABASE $SRCDB SET log_statement = 'all'" >/dev/null
make_db $TGTDB

# Only what the clone's session logs from here on counts.
LOG_START=$(wc -l <"$PGCLONE_SRC_LOG")
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'rt', true)" 2>"$ERR")
like "$out" '^DONE WITH 1 WARNING: cloned schema rt: 201 tables \(593 rows\)' "schema clone of 201 tables: done"
is "$(grep -c 'WARNING' "$ERR")" 1 "schema clone: one WARNING"
like "$(cat "$ERR")" 'WARNING:  pgclone: skipped part of rt\.t2' "... the rule that calls a missing function"
is "$(tgt $TGTDB -c "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'rt.t3'::regclass")" "fillfactor=70" \
    "the settings of the other tables are kept: storage parameter"
is "$(tgt $TGTDB -c "SELECT 'n_distinct=5' = ANY (attoptions) FROM pg_attribute WHERE attrelid = 'rt.t3'::regclass AND attname = 'v'")" \
    "t" "... column option"
sleep 0.5 # the log is written by the server process; let it land

# Statements of the source database (log_line_prefix '%m [%p] %q%u@%d '): simple-protocol
# "statement:" lines and extended-protocol "execute" lines; a COPY is the data, not the catalog.
STMTS=$(tail -n +"$((LOG_START + 1))" "$PGCLONE_SRC_LOG" |
    grep -E "@$SRCDB (LOG|LOG:)? *(statement|execute [^:]*):" | grep -E 'LOG:  (statement|execute [^:]*): ')
# The COPYs of small tables go many to a message (clone/copy_ahead.hpp): one line each.
N_ALL=$(grep -c . <<<"$STMTS")
N_COPY_MESSAGES=$(grep -cE 'LOG:  (statement|execute [^:]*): COPY ' <<<"$STMTS")
N_COPY=$(grep -E 'LOG:  (statement|execute [^:]*): COPY ' <<<"$STMTS" | grep -o 'TO STDOUT' | wc -l)
N_CATALOG=$((N_ALL - N_COPY_MESSAGES))
like "$N_COPY" '^(199|200)$' "one COPY per table with rows ($N_COPY)"
if ((N_COPY_MESSAGES <= 10)); then
    ok "... sent in at most 10 messages ($N_COPY_MESSAGES)"
else
    not_ok "... sent in at most 10 messages ($N_COPY_MESSAGES)"
fi
if ((N_CATALOG < 50)); then
    ok "fewer than 50 statements besides the COPYs for 201 tables ($N_CATALOG)"
else
    not_ok "fewer than 50 statements besides the COPYs for 201 tables ($N_CATALOG)" \
        "$(grep -vE 'LOG:  (statement|execute [^:]*): COPY ' <<<"$STMTS" | sed -E 's/^.*LOG:  //' | cut -c1-100 | sort | uniq -c | sort -rn | head -15)"
fi

# The hostile names arrived, with their rows and their sequence positions.
is "$(tgt $TGTDB -c "SELECT string_agg(\"co\"\"l\", ',' ORDER BY id) FROM rt.\"we\"\"ird; DROP TABLE rt.t1; --\"")" "a,b" \
    "table and column with quotes, a semicolon and a comment: rows intact"
is "$(tgt $TGTDB -c "SELECT last_value || '/' || is_called FROM rt.\"we\"\"ird; DROP TABLE rt.t1; --_id_seq\"")" "41/true" \
    "its serial sequence stands where the source's does"
is "$(tgt $TGTDB -c "SELECT count(*) FROM rt.t1")" 3 "rt.t1 is there (no splice ran the name as SQL)"
is "$(tgt $TGTDB -c "SELECT last_value FROM pg_sequences WHERE schemaname = 'rt' AND sequencename LIKE 'back%'")" 9 \
    "identity sequence of a table with a backslash and a parenthesis in its name: at 9"
is "$(tgt $TGTDB -c "SELECT last_value || '/' || is_called FROM rt.\"Mixed Case_id_seq\"")" "500/false" \
    "bigserial of a mixed-case table: setval(500, false) kept"
is "$(tgt $TGTDB -c "SELECT last_value || '/' || is_called FROM rt.\"free \"\"seq\"\" ;\"")" "99/true" \
    "free sequence with quotes and a semicolon in its name: at 99"
SEQ_POSITIONS="SELECT string_agg(sequencename || '=' || COALESCE(last_value::text, 'unset'), ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'rt'"
SRC_POSITIONS=$(SRC_DB=$SRCDB src -c "$SEQ_POSITIONS")
is "$(tgt $TGTDB -c "$SEQ_POSITIONS")" "$SRC_POSITIONS" \
    "every one of the $(grep -o = <<<"$SRC_POSITIONS" | wc -l) sequences stands where the source's does (positions read in chunks of 50)"
is "$(tgt $TGTDB -c "SELECT last_value || '/' || is_called FROM rt.t7_id_seq") $(tgt $TGTDB -c "SELECT last_value || '/' || is_called FROM rt.t150_id_seq")" \
    "1007/false 1150/true" "... is_called too, in the first chunk and in a later one"
is "$(tgt $TGTDB -c "SELECT count(*) || '/' || count(DISTINCT tableoid) FROM rt.parted")" "2/2" \
    "partitioned table: rows in both partitions"

# An index of plain columns with core operator classes and collations cannot fail for a reason
# a clone tolerates: it is created in the clone's own transaction (its pg_class row has the xmin
# of the table's primary key), not in a subtransaction (an xid of its own). A core collation
# ("C") is such an object; an index with an expression keeps its subtransaction.
xmin_of() { tgt $TGTDB -c "SELECT xmin FROM pg_class WHERE oid = '$1'::regclass"; }
is "$(xmin_of rt.t1_v_idx)" "$(xmin_of rt.t1_pkey)" "plain index: no subtransaction of its own"
is "$(xmin_of rt.mixed_v_c)" "$(xmin_of 'rt."Mixed Case_pkey"')" "index with a core collation: no subtransaction"
if [[ $(xmin_of rt.mixed_lower_v) != "$(xmin_of 'rt."Mixed Case_pkey"')" ]]; then
    ok "expression index: created in a subtransaction of its own"
else
    not_ok "expression index: created in a subtransaction of its own"
fi
like "$(tgt $TGTDB -c "SELECT pg_get_indexdef('rt.mixed_lower_v'::regclass) || ' / ' || pg_get_indexdef('rt.mixed_v_c'::regclass)")" \
    'lower\(v\).* / .*COLLATE "C"' "both indexes of the mixed-case table are there"

# NOTICEs: the phases, the definitions read, the tables' total; no line per fast table.
MSGS=$(cat "$ERR")
like "$MSGS" 'NOTICE:  pgclone: schema rt: the definitions of 201 tables are read on a second session while they are cloned \(at [0-9.]+ s\)' \
    "NOTICE: the definitions of the 201 tables read ahead"
like "$MSGS" 'NOTICE:  pgclone: schema rt: cloned 201 tables \(593 rows\) in [0-9.]+ s \(at [0-9.]+ s\)' \
    "NOTICE: the tables phase with counts and elapsed time"
like "$MSGS" 'NOTICE:  pgclone: schema rt: 2 partitions attached at creation \(at [0-9.]+ s\)' \
    "NOTICE: every phase says when it began"
like "$MSGS" 'NOTICE:  pgclone: schema rt: creating 1 index of partitioned tables \(at [0-9.]+ s\)' \
    "NOTICE: ... the partitioned table's key after its partitions"
N_TABLE_NOTICES=$(grep -cE 'NOTICE:  pgclone: rt\.[^:]+: [0-9]+ rows?, ' <<<"$MSGS")
is "$N_TABLE_NOTICES" 0 "no per-table NOTICE for tables faster than a second"

make_db $TGTDB
out=$(tgt $TGTDB -c "SET client_min_messages = debug1" -c "SELECT pgclone.schema($(lit "$(src_ci $SRCDB)"), 'rt', true)" 2>"$ERR")
like "$out" '^DONE WITH 1 WARNING: cloned schema rt: 201 tables' "schema clone at client_min_messages = debug1: done"
N_TABLE_DEBUG=$(grep -cE 'DEBUG:  pgclone: rt\.[^:]+: [0-9]+ rows?, ' "$ERR")
is "$N_TABLE_DEBUG" 201 "... and a DEBUG line per table"

make_db $TGTDB
tgt $TGTDB -c "SELECT pgclone.table($(lit "$(src_ci $SRCDB)"), 'rt', 't7')" >/dev/null 2>"$ERR"
like "$(cat "$ERR")" 'NOTICE:  pgclone: rt\.t7: 3 rows, [0-9.]+ MB in [0-9.]+ s' "pgclone.table keeps its per-table NOTICE"

done_testing

#!/usr/bin/env bash
# 201_consistent_writer.sh -- v4.3.0 consistency under a live writer. A background session keeps
# inserting parent/child pairs (one transaction per pair) into the source while a schema clone
# runs. The consistent clone (the default) reads every table in one snapshot: the target has zero
# orphan child rows and its foreign key is created. The same clone with {"consistent": false}
# reads each table in its own snapshot and does see orphans -- which shows the check can fail.
. "$(dirname "$0")/lib/schema_common.bash"
. "$(dirname "$0")/lib/live_writer.bash"

TGTDB=pgclone_cw_tgt
cleanup() {
    kill_writer
    tgt postgres -c "DROP DATABASE IF EXISTS $TGTDB WITH (FORCE)" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS cw_test CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

# Parent first in name order, so a clone without a shared snapshot reads the child later.
src <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE SCHEMA cw_test;
CREATE TABLE cw_test.a_parent (id bigserial PRIMARY KEY, payload text);
CREATE TABLE cw_test.b_child (id bigserial PRIMARY KEY,
    parent_id bigint NOT NULL REFERENCES cw_test.a_parent (id), payload text);
INSERT INTO cw_test.a_parent (payload) SELECT repeat('p', 200) FROM generate_series(1, 100000);
INSERT INTO cw_test.b_child (parent_id, payload) SELECT id, repeat('c', 200) FROM cw_test.a_parent;
ANALYZE cw_test.a_parent, cw_test.b_child;
SQL
tgt postgres -c "CREATE DATABASE $TGTDB" >/dev/null
tgt $TGTDB -c "CREATE EXTENSION pgclone" >/dev/null

# Writer: one parent + one child per transaction, every ~2 ms, for at most $1 seconds (it is
# stopped as soon as the clone returns).
writer() {
    start_writer cw_writer "$1" "p bigint;" "INSERT INTO cw_test.a_parent (payload) VALUES ('live') RETURNING id INTO p;
                INSERT INTO cw_test.b_child (parent_id, payload) VALUES (p, 'live');"
}
live_rows() { src -c "SELECT count(*) FROM cw_test.b_child WHERE payload = 'live'"; }
orphans() {
    tgt $TGTDB -c "SELECT count(*) FROM cw_test.b_child c WHERE NOT EXISTS (SELECT 1 FROM cw_test.a_parent p WHERE p.id = c.parent_id)"
}

# --- consistent (default) ---------------------------------------------------------------------
writer 20
before=$(live_rows)
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'cw_test', true)" 2>/dev/null)
during=$(live_rows)
stop_writer
like "$out" '^OK: cloned schema cw_test: 2 tables \([0-9]+ rows\)' "consistent clone under a live writer: clean result"
if ((during > before)); then
    ok "the writer committed pairs while the clone ran ($before -> $during)"
else
    not_ok "the writer committed pairs while the clone ran ($before -> $during)"
fi
is "$(orphans)" "0" "consistent: zero orphan child rows on the target"
is "$(tgt $TGTDB -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'cw_test.b_child'::regclass AND contype = 'f'")" \
    "1" "consistent: the foreign key was created (it validates)"
is "$(tgt $TGTDB -c "SELECT (SELECT count(*) FROM cw_test.a_parent) = (SELECT count(*) FROM cw_test.b_child)")" "t" \
    "consistent: as many parents as children (one snapshot)"

# --- consistent = false: each table in its own snapshot -----------------------------------------
tgt $TGTDB -c "DROP SCHEMA cw_test CASCADE" >/dev/null 2>&1
writer 20
out=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'cw_test', true, '{\"consistent\": false}')" 2>/dev/null)
stop_writer
like "$out" '^DONE WITH 1 WARNING: cloned schema cw_test: 2 tables' \
    "consistent false: the foreign key cannot be created (one warning)"
n=$(orphans)
if ((n > 0)); then
    ok "consistent false: orphan child rows appear ($n): the orphan check can fail"
else
    not_ok "consistent false: orphan child rows appear ($n): the orphan check can fail"
fi

done_testing

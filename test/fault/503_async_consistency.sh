#!/usr/bin/env bash
# 503_async_consistency.sh -- v4.3.0 consistency of async clones under a live writer. A background
# session keeps inserting parent/child pairs (one transaction per pair) into the source while
# the clone runs:
#  * schema_async with {"parallel": 3} (snapshot coordinator + pool): every connection imports
#    one snapshot, so the target has zero orphan child rows, as many parents as children, and
#    the foreign key is created;
#  * sequential schema_async: the same with one connection;
#  * {"consistent": false} (control, sequential so that the child table is read after the
#    parent table): each table in its own snapshot; orphans appear, so the orphan check can fail;
#  * {"parallel": 3, "consistent": false}: no coordinator; the job completes.
. "$(dirname "$0")/lib/async_common.bash"
. "$(dirname "$0")/lib/live_writer.bash"

DB=pgclone_async_cw
cleanup() {
    kill_writer
    drop_db $DB
    src -c "DROP SCHEMA IF EXISTS acw_test CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
T() { tgt $DB "$@"; }

# The parent table first in name order, large tables so that the pool works for a while; the
# small tables make the pool take them in different orders.
src <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE SCHEMA acw_test;
CREATE TABLE acw_test.a_parent (id bigserial PRIMARY KEY, payload text);
CREATE TABLE acw_test.b_child (id bigserial PRIMARY KEY,
    parent_id bigint NOT NULL REFERENCES acw_test.a_parent (id), payload text);
CREATE TABLE acw_test.c_extra (id int PRIMARY KEY);
CREATE TABLE acw_test.d_extra (id int PRIMARY KEY);
INSERT INTO acw_test.a_parent (payload) SELECT repeat('p', 200) FROM generate_series(1, 150000);
INSERT INTO acw_test.b_child (parent_id, payload) SELECT id, repeat('c', 200) FROM acw_test.a_parent;
INSERT INTO acw_test.c_extra SELECT generate_series(1, 1000);
INSERT INTO acw_test.d_extra SELECT generate_series(1, 1000);
ANALYZE acw_test.a_parent, acw_test.b_child;
SQL
make_db $DB

# Writer: one parent + one child per transaction, every ~2 ms, until the clone is done.
writer() {
    start_writer acw_writer 60 "p bigint;" "INSERT INTO acw_test.a_parent (payload) VALUES ('live') RETURNING id INTO p;
                INSERT INTO acw_test.b_child (parent_id, payload) VALUES (p, 'live');"
}
live_rows() { src -c "SELECT count(*) FROM acw_test.b_child WHERE payload = 'live'"; }
orphans() {
    T -c "SELECT count(*) FROM acw_test.b_child c WHERE NOT EXISTS (SELECT 1 FROM acw_test.a_parent p WHERE p.id = c.parent_id)"
}

# run_clone LABEL OPTIONS : clones acw_test under the writer; checks status and writer activity.
run_clone() {
    T -c "DROP SCHEMA IF EXISTS acw_test CASCADE" >/dev/null 2>&1
    writer
    local before during id st
    before=$(live_rows)
    id=$(T -c "SELECT pgclone.schema_async($SRC_LIT, 'acw_test', true, $(lit "$2"))")
    st=$(wait_job $DB "$id" 300)
    during=$(live_rows)
    stop_writer
    is "$st" completed "$1: the job completes"
    if ((during > before)); then
        ok "$1: the writer committed pairs while the job ran ($before -> $during)"
    else
        not_ok "$1: the writer committed pairs while the job ran ($before -> $during)"
    fi
    JOB=$id
}

run_clone "parallel, consistent" '{"parallel": 3}'
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $JOB AND op_type = 'table'")" 3 \
    "parallel, consistent: 3 pool workers"
like "$(job_field $DB "$(T -c "SELECT job_id FROM pgclone.progress_detail() WHERE parent_job_id = $JOB AND op_type = 'snapshot_coordinator'")" result)" \
    '^OK: snapshot [0-9A-F-]+ held until 4 connections imported it$' \
    "parallel, consistent: the coordinator's snapshot was imported by the parent and 3 workers"
is "$(orphans)" 0 "parallel, consistent: zero orphan child rows"
is "$(T -c "SELECT (SELECT count(*) FROM acw_test.a_parent) = (SELECT count(*) FROM acw_test.b_child)")" t \
    "parallel, consistent: as many parents as children (one snapshot)"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'acw_test.b_child'::regclass AND contype = 'f'")" 1 \
    "parallel, consistent: the foreign key was created (it validates)"

run_clone "sequential, consistent" '{}'
is "$(orphans)" 0 "sequential, consistent: zero orphan child rows"
is "$(T -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'acw_test.b_child'::regclass AND contype = 'f'")" 1 \
    "sequential, consistent: the foreign key was created"

run_clone "sequential, consistent false" '{"consistent": false}'
n=$(orphans)
if ((n > 0)); then
    ok "sequential, consistent false: orphan child rows appear ($n): the orphan check can fail"
else
    not_ok "sequential, consistent false: orphan child rows appear ($n): the orphan check can fail"
fi
like "$(job_field $DB "$JOB" result)" '^DONE WITH 1 WARNING: cloned schema acw_test: 4 tables' \
    "sequential, consistent false: the foreign key cannot be created (one warning)"

run_clone "parallel, consistent false" '{"parallel": 3, "consistent": false}'
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $JOB AND op_type = 'snapshot_coordinator'")" 0 \
    "parallel, consistent false: no snapshot coordinator"
is "$(T -c "SELECT count(*) FROM pgclone.progress_detail() WHERE parent_job_id = $JOB AND op_type = 'table'")" 3 \
    "parallel, consistent false: 3 pool workers"

T -c "SELECT pgclone.clear_jobs()" >/dev/null
done_testing

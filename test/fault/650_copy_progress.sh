#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 650_copy_progress.sh -- a long synchronous clone shows how far it is: while the rows load,
# another session sees the copy in pg_stat_progress_copy with bytes_total set from the source's
# estimate (pg_relation_size of the source table), so bytes_processed / bytes_total is a percent
# done. A filtered copy (where) reports no total, as the estimate would not mean anything.
#
# The copy is slowed down on the target: an event trigger gives every table created in the
# test schema a BEFORE INSERT trigger that sleeps 2 ms per row, which COPY FROM fires.
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"
# shellcheck source=test/fault/lib/slow_copy.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/slow_copy.bash"

SCHEMA=fault_progress

fault_cleanup() {
    slow_copy_remove fault_progress
    tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}

src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" \
    -c "CREATE TABLE $SCHEMA.big (id int PRIMARY KEY, v text)" \
    -c "INSERT INTO $SCHEMA.big SELECT g, repeat('x', 400) FROM generate_series(1, 1500) g" \
    -c "ANALYZE $SCHEMA.big" >/dev/null || {
    not_ok "create the source table"
    finish
}
SOURCE_BYTES=$(src -c "SELECT pg_relation_size('$SCHEMA.big')")

tgt -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" \
    >/dev/null && slow_copy_install "$SCHEMA" fault_progress || {
    not_ok "create the slowing event trigger on the target"
    finish
}

SRC_Q=$(printf '%s' "$PGCLONE_SRC_CONNINFO" | sed "s/'/''/g")
start_clone() { # TARGET_NAME OPTIONS
    bg "clone_$1" env PGAPPNAME=fault_clone "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
        -c "SELECT pgclone.table('$SRC_Q', '$SCHEMA', 'big', true, '$1', '$2')"
}
# The clone's row in pg_stat_progress_copy: bytes_processed|bytes_total|command type. (Its relid
# names a table created in the clone's transaction: another session cannot see that name yet.)
progress() {
    tgt -c "SELECT p.bytes_processed || '|' || p.bytes_total || '|' || p.command || ' ' || p.type
            FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
            WHERE a.application_name = 'fault_clone' AND p.bytes_processed > 0"
}
copying() { [[ -n $(progress) ]]; }

# A. unfiltered: bytes_total is the source's size on disk
start_clone big_a '{}'
if wait_for 20000 copying; then
    IFS='|' read -r done total rel <<<"$(progress)"
    ok "A: the copy shows in pg_stat_progress_copy from another session"
    is "$total" "$SOURCE_BYTES" "A: bytes_total is the source table's size ($SOURCE_BYTES bytes)"
    check "A: bytes_processed ($done) is below bytes_total while it runs" test "$done" -lt "$total"
    is "$rel" "COPY FROM CALLBACK" "A: it is PostgreSQL's own COPY FROM, fed by the source"
else
    not_ok "A: the copy shows in pg_stat_progress_copy from another session"
    not_ok "A: bytes_total"
    not_ok "A: bytes_processed"
    not_ok "A: COPY FROM CALLBACK"
fi
bg_wait clone_big_a 60000
is "$(bg_out clone_big_a | tail -n 1)" "OK: cloned $SCHEMA.big_a (1500 rows)" "A: the clone ends normally"

# B. filtered: no total
start_clone big_b '{"where": "id > 0"}'
if wait_for 20000 copying; then
    IFS='|' read -r done total rel <<<"$(progress)"
    is "$total" "0" "B: a filtered copy reports no bytes_total"
else
    not_ok "B: a filtered copy reports no bytes_total"
fi
bg_wait clone_big_b 60000
is "$(bg_out clone_big_b | tail -n 1)" "OK: cloned $SCHEMA.big_b (1500 rows)" "B: the clone ends normally"

finish

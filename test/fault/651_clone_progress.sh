#!/usr/bin/env bash
# shellcheck disable=SC2317 # helper functions are called indirectly (wait_for, check)
# 651_clone_progress.sh -- a long synchronous schema clone can be watched from another session:
# pgclone.clone_progress shows its phase, how many of the plan's tables are done, the table being
# copied, the rows copied and the share of the source's estimated size copied so far. The row
# goes away when the clone ends, whether it succeeds or fails. Another role sees nothing of it
# unless it has the privileges of the caller or of pg_read_all_stats (the rule of
# pg_stat_activity). A table name with a quote, a semicolon and spaces comes back as it is.
#
# The copy is slowed down on the target (lib/slow_copy.bash).
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"
# shellcheck source=test/fault/lib/slow_copy.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/slow_copy.bash"

SCHEMA=fault_cprog
ODD="big'; DROP TABLE x; --"

fault_cleanup() {
    slow_copy_remove fault_cprog
    tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "DROP ROLE IF EXISTS fault_cprog_other" -c "DROP ROLE IF EXISTS fault_cprog_stats" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
}

src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" \
    -c "CREATE TABLE $SCHEMA.a (id int PRIMARY KEY)" -c "INSERT INTO $SCHEMA.a SELECT generate_series(1, 10)" \
    -c "CREATE TABLE $SCHEMA.\"$ODD\" (id int PRIMARY KEY, v text)" \
    -c "INSERT INTO $SCHEMA.\"$ODD\" SELECT g, repeat('x', 400) FROM generate_series(1, 1500) g" \
    -c "CREATE TABLE $SCHEMA.z (id int PRIMARY KEY)" -c "INSERT INTO $SCHEMA.z SELECT generate_series(1, 10)" \
    -c "ANALYZE" >/dev/null || {
    not_ok "create the source schema"
    finish
}

slow_copy_install "$SCHEMA" fault_cprog &&
    tgt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" \
        -c "CREATE ROLE fault_cprog_other LOGIN" -c "CREATE ROLE fault_cprog_stats LOGIN IN ROLE pg_read_all_stats" \
        -c "GRANT USAGE ON SCHEMA pgclone TO fault_cprog_other, fault_cprog_stats" \
        -c "GRANT EXECUTE ON FUNCTION pgclone.clone_progress_entries() TO fault_cprog_other, fault_cprog_stats" \
        -c "GRANT SELECT ON pgclone.clone_progress TO fault_cprog_other, fault_cprog_stats" >/dev/null || {
    not_ok "prepare the target"
    finish
}
as_role() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO user=$1" -c "$2"; }

SRC_Q=$(printf '%s' "$PGCLONE_SRC_CONNINFO" | sed "s/'/''/g")
ROW="SELECT kind || '|' || subject || '|' || phase || '|' || tables_total || '|' || tables_done || '|'
            || coalesce(current_table, '') || '|' || rows_copied || '|' || percent_copied
     FROM pgclone.clone_progress"
row() { tgt -c "$ROW"; }
copying_odd() { [[ $(row) == *"|tables|"*"$ODD"* ]] && [[ $(tgt -c "SELECT rows_copied > 10 FROM pgclone.clone_progress") == t ]]; }

is "$(tgt -c "SELECT count(*) FROM pgclone.clone_progress")" "0" "no clone running: no row"

bg clone env PGAPPNAME=fault_cprog "$PSQL" -X -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" \
    -c "SELECT pgclone.schema('$SRC_Q', '$SCHEMA', true)"
if wait_for 30000 copying_odd; then
    IFS='|' read -r kind subject phase total done current rows pct <<<"$(row)"
    ok "the clone shows in pgclone.clone_progress from another session, in its tables phase"
    is "$kind|$subject|$total" "schema|$SCHEMA|3" "kind, schema and the plan's 3 tables"
    check "tables done ($done) is below 3 while a table copies" test "$done" -lt 3
    is "$current" "\"$SCHEMA\".\"$ODD\"" "the table being copied, quoted (its odd name as it is)"
    check "rows copied ($rows) count the current table's rows" test "$rows" -gt 10
    check "percent copied ($pct) is between 0 and 100" awk -v p="$pct" 'BEGIN { exit !(p >= 0 && p < 100) }'
    is "$(tgt -c "SELECT pid = (SELECT pid FROM pg_stat_activity WHERE application_name = 'fault_cprog')
                  AND datname = current_database() AND usename = current_user AND started <= phase_started
                  FROM pgclone.clone_progress")" "t" "pid, database, role and times are the clone's"
    is "$(as_role fault_cprog_other "SELECT count(*) FROM pgclone.clone_progress")" "0" \
        "a role without the caller's privileges sees nothing of it"
    is "$(as_role fault_cprog_stats "SELECT subject FROM pgclone.clone_progress")" "$SCHEMA" \
        "a member of pg_read_all_stats sees it"
else
    not_ok "the clone shows in pgclone.clone_progress from another session ($(row))"
    for _ in 1 2 3 4 5 6 7 8; do not_ok "skipped: the clone was not seen"; done
fi
bg_wait clone 90000
contains "$(bg_out clone)" "OK: cloned schema $SCHEMA: 3 tables (1520 rows)" "the clone ends normally"
is "$(tgt -c "SELECT count(*) FROM pgclone.clone_progress")" "0" "its row is gone once it returned"

# A clone that fails half-way (cancelled while it copies) leaves no row behind.
tgt -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null
bg clone2 env PGAPPNAME=fault_cprog "$PSQL" -X -At "$PGCLONE_TGT_CONNINFO" \
    -c "SELECT pgclone.schema('$SRC_Q', '$SCHEMA', true)"
if wait_for 30000 copying_odd; then
    tgt -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_cprog'" >/dev/null
    bg_wait clone2 30000
    contains "$(bg_out clone2)" "canceling statement due to user request" "the cancelled clone fails"
    is "$(tgt -c "SELECT count(*) FROM pgclone.clone_progress")" "0" "a cancelled clone leaves no row"
else
    not_ok "the second clone was seen copying"
    not_ok "skipped"
fi

finish

# test/fault/lib/schema_common.bash -- shared helpers of the schema/database clone shell tests
# (test/fault/2NN_*.sh). Source it; it prints TAP-ish lines "ok N - ..." / "not ok N - ...".
# Works under test/run_all.sh (environment exported) and by hand against running clusters.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
if [[ -z ${PGCLONE_SRC_CONNINFO:-} ]]; then
    eval "$(bash "$ROOT/test/harness/cluster.sh" env)" || {
        echo "not ok 1 - test clusters are not running"
        exit 1
    }
fi
PSQL=${PGCLONE_PGBIN:+$PGCLONE_PGBIN/}psql
TAP_N=0
TAP_FAILED=0

ok() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $1"
}

not_ok() { # DESCRIPTION [DIAGNOSTIC]
    TAP_N=$((TAP_N + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $1"
    if [[ -n ${2:-} ]]; then
        printf '%s\n' "$2" | sed 's/^/#   /'
    fi
}

is() { # GOT WANT DESCRIPTION
    if [[ $1 == "$2" ]]; then ok "$3"; else not_ok "$3" "got:  $1"$'\n'"want: $2"; fi
}

like() { # GOT ERE DESCRIPTION
    if [[ $1 =~ $2 ]]; then ok "$3"; else not_ok "$3" "got:  $1"$'\n'"want match: $2"; fi
}

unlike() { # GOT ERE DESCRIPTION
    if [[ $1 =~ $2 ]]; then not_ok "$3" "got:  $1"$'\n'"must not match: $2"; else ok "$3"; fi
}

# Conninfo of database DB on the source / target.
src_ci() { printf '%s' "${PGCLONE_SRC_CONNINFO/dbname=source/dbname=$1}"; }
tgt_ci() { printf 'host=%s port=%s dbname=%s user=postgres' "$PGCLONE_SOCKDIR" "$PGCLONE_TGT_PORT" "$1"; }

# psql on the source (database "source" unless SRC_DB is set) / target database DB. Output: -At.
src() { PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$(src_ci "${SRC_DB:-source}")" "$@"; }
tgt() { # DB ARGS...
    local db=$1
    shift
    "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$(tgt_ci "$db")" "$@"
}

# schema_dump SCHEMA CONNINFO: pg_dump --schema-only of one schema without owners, privileges,
# comments, blank lines and the \restrict lines (their key differs on every run), to compare two
# servers' text.
schema_dump() {
    "$PGCLONE_PGBIN/pg_dump" --schema-only --no-owner --no-privileges -n "$1" "$2" | grep -v -e '^--' -e '^$' -e '^.restrict' -e '^.unrestrict'
}

# table_rows_sql SCHEMA [EXCEPT_TABLE]: a query giving a line "table md5" per plain table of
# SCHEMA (but EXCEPT_TABLE), the md5 of its rows as text in order: the same on two servers when
# every table holds the same rows.
table_rows_sql() {
    local except=${2:+" AND c.relname <> $(lit "$2")"}
    printf '%s' "SELECT string_agg(x, E'\n' ORDER BY x) FROM (SELECT c.relname || ' ' ||
    (xpath('/row/m/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS m FROM %I.%I t',
      ',', '', n.nspname, c.relname), false, true, '')))[1]::text AS x
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $(lit "$1") AND c.relkind = 'r'$except) s"
}

# A fresh target database with pgclone installed (dropped first if it exists).
make_db() {
    drop_db "$1"
    tgt postgres -c "CREATE DATABASE $1" >/dev/null && tgt "$1" -c "CREATE EXTENSION pgclone" >/dev/null
}
drop_db() { tgt postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1; }

# A scratch target database DB, a scratch source database SDB and target roles, all removed at
# exit (and first, should an earlier run have left them): the setup of the attack tests (61x).
# scratch_dbs DB SDB [ROLE...]
scratch_dbs() {
    SCRATCH_DB=$1 SCRATCH_SDB=$2
    shift 2
    SCRATCH_ROLES=("$@")
    trap drop_scratch EXIT
    drop_scratch
    SRC_DB=source src -c "CREATE DATABASE $SCRATCH_SDB" >/dev/null
}
drop_scratch() {
    local r
    drop_db "$SCRATCH_DB"
    SRC_DB=source src -c "DROP DATABASE IF EXISTS $SCRATCH_SDB WITH (FORCE)" >/dev/null 2>&1
    for r in "${SCRATCH_ROLES[@]}"; do
        tgt postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
    done
}

# SQL literal of a string.
lit() { printf "'%s'" "${1//\'/\'\'}"; }

done_testing() {
    echo "1..$TAP_N"
    ((TAP_FAILED == 0))
    exit $?
}

#!/usr/bin/env bash
# scripts/quickstart.sh -- from a fresh Debian machine to a real clone, as root:
#   installs the build dependencies, builds and installs pgclone, starts two throwaway clusters
#   (a "source" and a "target" with pgclone preloaded), seeds a small source database, runs
#   pgclone.table() and pgclone.table() with a filter, and prints what it did. The clusters are
#   stopped at the end unless PGCLONE_KEEP=1 (then it prints how to connect to them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "installing dependencies (apt-get)"
bash scripts/install_deps.sh >/tmp/pgclone-quickstart-apt.log 2>&1 || {
    tail -20 /tmp/pgclone-quickstart-apt.log
    exit 1
}

step "building and installing pgclone"
make -j"$(nproc)" >/tmp/pgclone-quickstart-build.log 2>&1 || {
    tail -30 /tmp/pgclone-quickstart-build.log
    exit 1
}
make install >>/tmp/pgclone-quickstart-build.log 2>&1
echo "installed $(pg_config --pkglibdir)/pgclone.so"

step "starting throwaway source and target clusters"
export PGCLONE_STATE_FILE=${PGCLONE_STATE_FILE:-/tmp/pgclone-quickstart.state}
bash test/harness/cluster.sh stop >/dev/null 2>&1 || true
bash test/harness/cluster.sh start
eval "$(bash test/harness/cluster.sh env)"
if [[ ${PGCLONE_KEEP:-0} != 1 ]]; then
    trap 'bash "$ROOT/test/harness/cluster.sh" stop >/dev/null 2>&1' EXIT
fi
PSQL=$PGCLONE_PGBIN/psql

step "seeding the source database (test/fixtures/seed.sql)"
PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGCLONE_SRC_CONNINFO" -f test/fixtures/seed.sql
PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X "$PGCLONE_SRC_CONNINFO" \
    -c "SELECT 'source' AS side, count(*) AS customers FROM test_schema.customers"

step "cloning on the target"
"$PSQL" -X -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO" <<'SQL'
\set src `echo "$PGCLONE_SRC_CONNINFO"`
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT pgclone.version();
-- one table with its data, indexes, constraints and triggers
SELECT pgclone.table(:'src', 'test_schema', 'customers', true);
-- a filtered column subset into another table
SELECT pgclone.table(:'src', 'test_schema', 'customers', true, 'active_customers',
                     '{"columns": ["id", "name", "email"], "where": "status = ''active''"}');
SELECT 'target' AS side, (SELECT count(*) FROM test_schema.customers) AS customers,
       (SELECT count(*) FROM test_schema.active_customers) AS active_customers;
\d test_schema.customers
SQL

step "done"
if [[ ${PGCLONE_KEEP:-0} == 1 ]]; then
    echo "clusters kept: psql \"$PGCLONE_TGT_CONNINFO\"  (stop: PGCLONE_STATE_FILE=$PGCLONE_STATE_FILE bash test/harness/cluster.sh stop)"
else
    echo "clusters stopped and removed"
fi

#!/usr/bin/env bash
# 206_snapshot_id.sh -- {"snapshot_id": ...}: a schema clone reads a snapshot the caller exported
# on the source (pg_export_snapshot), not the current data; once the exporting transaction has
# ended, the import fails with a hint naming the causes and the {"consistent": false} opt-out.
. "$(dirname "$0")/lib/schema_common.bash"

TGTDB=pgclone_snap_tgt
cleanup() {
    [[ -n ${SNAP_PID:-} ]] && kill "$SNAP_PID" 2>/dev/null
    src -c "DELETE FROM keeper_test.c WHERE id >= 100" >/dev/null 2>&1
    drop_db $TGTDB
}
trap cleanup EXIT
cleanup
make_db $TGTDB

# A session on the source exports its snapshot and keeps its transaction open.
coproc SNAP { PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q -At "$PGCLONE_SRC_CONNINFO" 2>&1; }
echo "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pg_export_snapshot();" >&"${SNAP[1]}"
read -r -t 10 snap <&"${SNAP[0]}"
like "$snap" '^[0-9A-F]+-[0-9A-F]+-[0-9]+$' "snapshot exported: $snap"

src -c "INSERT INTO keeper_test.c SELECT generate_series(100, 104)"
is "$(src -c "SELECT count(*) FROM keeper_test.c")" "6" "rows added after the export"

opts="{\"snapshot_id\": \"$snap\", \"matviews\": false}"
out=$(tgt $TGTDB -c "BEGIN" -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true, $(lit "$opts"))" \
    -c "SELECT count(*) FROM keeper_test.c" -c "ROLLBACK" 2>/dev/null)
like "$(sed -n 1p <<<"$out")" '^OK: cloned schema keeper_test: 3 tables \(6 rows\)' "clone with snapshot_id"
is "$(sed -n 2p <<<"$out")" "1" "the clone sees the exported snapshot, not the rows added later"
out=$(tgt $TGTDB -c "BEGIN" -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true, '{\"matviews\": false}')" \
    -c "SELECT count(*) FROM keeper_test.c" -c "ROLLBACK" 2>/dev/null)
is "$(sed -n 2p <<<"$out")" "6" "without snapshot_id the clone sees the current rows"

echo "COMMIT;" >&"${SNAP[1]}"
echo '\q' >&"${SNAP[1]}"
wait "$SNAP_PID" 2>/dev/null
err=$(tgt $TGTDB -c "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'keeper_test', true, $(lit "$opts"))" 2>&1 >/dev/null)
like "$(grep '^ERROR' <<<"$err")" "could not import snapshot \"$snap\" on the source server: invalid snapshot identifier" \
    "ended snapshot: the import error names it"
like "$(grep '^HINT' <<<"$err")" 'idle_in_transaction_session_timeout.*\{"consistent": false\}' \
    "ended snapshot: the hint names the causes and the opt-out"
is "$(tgt $TGTDB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'keeper_test'")" "0" "nothing created"

done_testing

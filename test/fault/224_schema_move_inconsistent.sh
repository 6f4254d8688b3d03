#!/usr/bin/env bash
# 224_schema_move_inconsistent.sh -- with {"consistent": false} the clone's source session starts
# a new transaction for each phase and table (snapshot::Keeper::next_unit). The search_path a
# schema move sets there (the source schema after pg_catalog, so that the source prints that
# schema's names unqualified) must survive it: before, it ended with the first transaction, and
# what was read after -- a table's policies, read with its settings after the tables -- named the
# source schema, on the target the wrong schema or none. A policy calling a function of the moved
# schema, a trigger and a view, cloned with a move and without one snapshot, all use the moved
# objects.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_iv_src
DB=pgclone_iv_tgt
scratch_dbs $DB $SRCDB
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA iv;
CREATE FUNCTION iv.visible(i int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT i > 0';
CREATE TABLE iv.t (id int PRIMARY KEY, note text);
INSERT INTO iv.t SELECT g, 'n' || g FROM generate_series(1, 5) g;
ALTER TABLE iv.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_visible ON iv.t USING (iv.visible(id));
CREATE FUNCTION iv.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE INSERT ON iv.t FOR EACH ROW EXECUTE FUNCTION iv.touch();
CREATE VIEW iv.v AS SELECT id FROM iv.t WHERE iv.visible(id);
SQL

make_db $DB
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'iv', true, '{\"target_schema\": \"iv_copy\", \"consistent\": false}')" 2>&1)
like "$out" 'OK: cloned schema iv: 1 table \(5 rows\)' "schema clone with target_schema and consistent false: OK"
unlike "$out" 'WARNING' "... without a warning"
is "$(tgt $DB -c "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid = 'iv_copy.t'::regclass")" \
    "iv_copy.visible(id)" "... the policy calls the moved function"
is "$(tgt $DB -c "SELECT tgfoid::regproc FROM pg_trigger WHERE tgrelid = 'iv_copy.t'::regclass AND tgname = 't_touch'")" \
    "iv_copy.touch" "... the trigger calls the moved function"
like "$(tgt $DB -c "SELECT pg_get_viewdef('iv_copy.v'::regclass)")" 'iv_copy\.visible' "... the view calls the moved function"
is "$(tgt $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'iv'")" 0 "... and nothing was made in a schema of the source's name"

done_testing

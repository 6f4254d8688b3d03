#!/usr/bin/env bash
# 223_schema_move_read_ahead.sh -- a schema clone of more than 128 tables reads the definitions
# of the tables after the first 64 on a second source session while the first are created
# (clone/schema_clone.cpp, start_read_ahead). With "target_schema" that session must print the
# definitions as the keeper does, with the source schema on its search_path: the names of the
# source schema unqualified, so that they land on the moved objects. Before, the tables read
# ahead named the source schema's types and sequences qualified: on a target that has a schema of
# that name they pointed into it. 150 tables, each with a serial key and a column of the schema's
# own enum type, are cloned with a move into a target that also has a schema "ra" with a type and
# a sequence of the same names; every table of the copy uses the moved type and its own moved
# sequence, none anything of "ra".
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_ra_src
DB=pgclone_ra_tgt
scratch_dbs $DB $SRCDB
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA ra;
CREATE TYPE ra.mood AS ENUM ('sad', 'ok', 'happy');
DO $$
BEGIN
  FOR i IN 1..150 LOOP
    EXECUTE format('CREATE TABLE ra.t%s (id serial PRIMARY KEY, feel ra.mood DEFAULT ''ok'')', i);
    EXECUTE format('INSERT INTO ra.t%s (feel) VALUES (''happy''), (''sad'')', i);
  END LOOP;
END $$;
SQL

make_db $DB
# The target has a schema of the source schema's name, with look-alikes of its objects.
tgt $DB -c "CREATE SCHEMA ra" -c "CREATE TYPE ra.mood AS ENUM ('sad', 'ok', 'happy')" \
    -c "CREATE SEQUENCE ra.t150_id_seq" >/dev/null
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'ra', true, '{\"target_schema\": \"ra_copy\"}')" 2>&1)
like "$out" 'OK: cloned schema ra: 150 tables \(300 rows\)' "schema clone of 150 tables with target_schema: OK"
like "$out" 'the definitions of 150 tables are read on a second session' "... the definitions were read ahead"
is "$(tgt $DB -c "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'ra_copy' AND c.relkind = 'r' AND a.attname = 'feel' AND a.atttypid = 'ra_copy.mood'::regtype")" \
    150 "... the enum column of every table has the moved type"
is "$(tgt $DB -c "SELECT count(*) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
  WHERE n.nspname = 'ra_copy' AND a.attname = 'id' AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(''ra_copy.%'")" \
    150 "... the key of every table takes its values from a sequence of the moved schema"
is "$(tgt $DB -c "SELECT count(*) FROM pg_depend d WHERE d.refobjid IN ('ra.mood'::regtype, 'ra.t150_id_seq'::regclass)
  AND d.deptype = 'n'")" 0 "... nothing depends on the target's own schema ra"
is "$(tgt $DB -c "SELECT count(*) FROM ra_copy.t150 WHERE feel = 'happy'") $(tgt $DB -c "SELECT nextval('ra_copy.t150_id_seq')")" \
    "1 3" "... the last table's rows and its sequence's position"

done_testing

#!/usr/bin/env bash
# 220_extension_config_condition.sh -- the condition of an extension's configuration table
# (pg_extension_config_dump's "WHERE ..." text, which pg_dump runs as it is) is the source's text:
# a database clone places it in its COPY only as one WHERE clause of one condition, checked with
# the target's parser as a "where" filter is. A source whose catalog says
#  * "WHERE false) TO STDOUT; COPY (SELECT 1) TO PROGRAM '...'; COPY (SELECT 1 WHERE false" (a
#    statement of its own, run on the source as the clone's source role if it were spliced),
#  * "LIMIT 1" (no WHERE clause),
# fails the clone with an error naming the table and the extension: no program ran on the
# source, nothing is left on the target. The target's parser reads the text with
# standard_conforming_strings on, as the source does, also when the calling session has it off
# (then '\' is one string to a careless check and none to the source): such a condition and
# such a "where" filter of pgclone.table are refused, and the session's setting stays off. The extension's own condition, with a comment after
# it, still copies the rows users added, and only those.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_ec_src
DB=pgclone_ec_tgt
scratch_dbs $DB $SRCDB
MARK=$(mktemp -u /tmp/pgclone-ec-pwned.XXXXXX)
trap 'drop_scratch; rm -f "$MARK"' EXIT
if [[ $(SRC_DB=$SRCDB src -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgclone_cfgtest'") != 1 ]]; then
    echo "ok 1 - extension configuration conditions # SKIP the source has no pgclone_cfgtest (test/config_ext)"
    echo "1..1"
    exit 0
fi
SRC_LIT=$(lit "$(src_ci $SRCDB)")
# The same in dollar quotes: read alike under standard_conforming_strings = off.
SRC_DQ="\$pgc\$$(src_ci $SRCDB)\$pgc\$"
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE EXTENSION pgclone_cfgtest;
INSERT INTO cfgtest.units VALUES (10, 'furlong', false), (11, 'fortnight', false);
INSERT INTO cfgtest.notes VALUES (1, 'a note');
SQL
set_condition() { # TEXT: the condition of cfgtest.units on the source
    SRC_DB=$SRCDB src -c "UPDATE pg_extension SET extcondition = ARRAY[$(lit "$1"), '']
        WHERE extname = 'pgclone_cfgtest'" >/dev/null
}
clone() {
    drop_db $DB
    make_db $DB
    tgt $DB -c "SELECT pgclone.database($SRC_LIT)" 2>&1
}

set_condition "WHERE NOT builtin -- the rows users add"
out=$(clone)
like "$out" 'OK: cloned database .*\(3 rows\)' "the extension's condition with a comment after it: OK (3 rows)"
is "$(tgt $DB -c "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM cfgtest.units")" \
    "1:metre,2:second,10:furlong,11:fortnight" "... the rows users added, once, next to the extension's own"
is "$(tgt $DB -c "SELECT string_agg(note, ',') FROM cfgtest.notes")" "a note" "... and the whole table without a condition"
drop_db $DB
make_db $DB
like "$(tgt $DB -c "SHOW standard_conforming_strings" -c "SET standard_conforming_strings = off" -c "SELECT pgclone.database($SRC_DQ)" -c "SHOW standard_conforming_strings" 2>/dev/null | tr '\n' ' ')" \
    '^on OK: cloned database .*\(3 rows\).* off $' "... under standard_conforming_strings = off, which is left as it was"

set_condition "WHERE false) TO STDOUT; COPY (SELECT 1) TO PROGRAM 'touch $MARK'; COPY (SELECT 1 WHERE false"
out=$(clone)
like "$out" 'ERROR:  the configuration condition of table cfgtest\.units of extension "pgclone_cfgtest" on the source is not one WHERE clause of one condition' \
    "a condition that adds statements: refused, naming the table and the extension"
like "$out" 'DETAIL:  ' "... with the parser's reason"
if [[ -e $MARK ]]; then
    not_ok "... and no program ran on the source"
else
    ok "... and no program ran on the source"
fi
is "$(tgt $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'cfgtest'")" 0 "... nothing is left on the target"

# The target's parser reads the text as the source does, with standard_conforming_strings on,
# whatever the calling session has: with it off, '\' would be one string here and no string
# there, and the text three statements on the source.
set_condition "WHERE '\\' IS NOT NULL)) AS f) TO STDOUT; COPY (SELECT 1) TO PROGRAM \$\$touch $MARK\$\$; COPY (SELECT 1 FROM (SELECT 1 WHERE (true --'"
drop_db $DB
make_db $DB
out=$(tgt $DB -c "SET standard_conforming_strings = off" -c "SELECT pgclone.database($SRC_DQ)" 2>&1)
like "$out" 'ERROR:  the configuration condition of table cfgtest\.units of extension "pgclone_cfgtest" on the source is not one WHERE clause of one condition' \
    "a condition that is one string under standard_conforming_strings = off: refused"
if [[ -e $MARK ]]; then
    not_ok "... and no program ran on the source"
else
    ok "... and no program ran on the source"
fi
# The same text as the "where" filter of pgclone.table (options in dollar quotes: read alike).
WHERE_JSON=$(printf '{"where": "%s"}' "'\\\\' IS NOT NULL)) AS f) TO STDOUT; COPY (SELECT 1) TO PROGRAM \$\$touch $MARK\$\$; COPY (SELECT 1 FROM (SELECT 1 WHERE (true --'")
is "$(tgt $DB -c "SET standard_conforming_strings = off" -c "SELECT pgclone.table($SRC_DQ, 'cfgtest', 'notes', true, 'notes_copy', \$j\$$WHERE_JSON\$j\$)" 2>&1 | grep -o 'ERROR:  where filter must be one boolean expression')" \
    "ERROR:  where filter must be one boolean expression" "... so is a where filter of pgclone.table under it"
if [[ -e $MARK ]]; then
    not_ok "... and no program ran on the source"
else
    ok "... and no program ran on the source"
fi

set_condition "LIMIT 1"
out=$(clone)
like "$out" 'ERROR:  the configuration condition of table cfgtest\.units of extension "pgclone_cfgtest" on the source is not a WHERE clause' \
    "a condition without WHERE: refused"

done_testing

#!/usr/bin/env bash
# 222_schema_move_callers_sql.sh -- with "target_schema" the clone's source session has the source
# schema on its search_path (target_schema.hpp). The caller's own SQL that pgclone sends to the
# source -- a table's "where" filter (checked, then the COPY under it) and a subset clone's filters
# and key joins -- names operators bare: `status = 'active'` on a varchar column looks for
# =(varchar, varchar), which pg_catalog lacks, so one the source schema's owner planted there
# would be chosen and run as the clone's source role. That SQL is sent with pg_catalog alone on
# the path, as without a move. The schema's owner plants =(varchar, varchar), raising an error
# when called; a table clone with a filter (and a mask of a column of the schema's own enum type,
# whose cast must then name the schema; another enum type's name would end that cast and add a
# statement if its re-read text were spliced in unquoted) and a subset schema clone over a
# varchar key both succeed with the right rows, and the operator never ran.
. "$(dirname "$0")/lib/schema_common.bash"

SRCDB=pgclone_cs_src
DB=pgclone_cs_tgt
scratch_dbs $DB $SRCDB
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA hs;
CREATE TYPE hs.mood AS ENUM ('sad', 'ok', 'happy');
-- A type name that would end the cast and add a statement if the re-read type text were spliced
-- in unquoted.
CREATE TYPE hs."tone"")::text; SELECT 1; --" AS ENUM ('low', 'high');
CREATE TABLE hs.accounts (code varchar(10) PRIMARY KEY, status varchar(10) NOT NULL, feel hs.mood,
                          tone hs."tone"")::text; SELECT 1; --");
INSERT INTO hs.accounts SELECT 'a' || g, CASE WHEN g % 2 = 0 THEN 'active' ELSE 'closed' END, 'ok', 'low'
FROM generate_series(1, 10) g;
CREATE TABLE hs.orders (id int PRIMARY KEY, account varchar(10) REFERENCES hs.accounts);
INSERT INTO hs.orders SELECT g, 'a' || (g % 10 + 1) FROM generate_series(1, 30) g;
CREATE FUNCTION hs.cap_eq(varchar, varchar) RETURNS boolean LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'captured: =(varchar, varchar) ran'; END$$;
CREATE OPERATOR hs.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = hs.cap_eq);
SQL
is "$(SRC_DB=$SRCDB src -c "SET search_path = pg_catalog, hs" -c "SELECT count(*) FROM hs.accounts WHERE status = 'active'" 2>&1 | grep -o 'captured: =(varchar, varchar) ran')" \
    "captured: =(varchar, varchar) ran" "the source: with hs on the search_path, a bare varchar = runs the planted operator"

make_db $DB
out=$(tgt $DB -c "SELECT pgclone.table($SRC_LIT, 'hs', 'accounts', true, NULL, '{\"target_schema\": \"hs_copy\", \"where\": \"status = ''active''\", \"mask\": {\"feel\": {\"type\": \"constant\", \"value\": \"happy\"}, \"tone\": {\"type\": \"constant\", \"value\": \"high\"}}}')" 2>&1)
like "$out" 'OK' "table clone with target_schema, a where filter on a varchar column and a mask of an enum column: OK"
unlike "$out" 'captured' "... the planted operator did not run"
is "$(tgt $DB -c "SELECT count(*) || ' ' || bool_and(status = 'active') || ' ' || bool_and(feel = 'happy') FROM hs_copy.accounts")" \
    "5 true true" "... the 5 active accounts, their enum column masked"
is "$(tgt $DB -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'hs_copy.accounts'::regclass AND attname = 'feel'")" \
    "hs_copy.mood" "... the enum column's type moved with the table"
is "$(tgt $DB -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'hs_copy.accounts'::regclass AND attname = 'tone'")" \
    'hs_copy."tone"")::text; SELECT 1; --"' "... a masked column of a type named to break a cast has the moved type"
is "$(tgt $DB -c "SELECT string_agg(DISTINCT tone::text, ',') FROM hs_copy.accounts" 2>&1)" high "... and every value masked"

# A subset schema clone: the accounts filter (bare = on varchar) and the key from orders to
# accounts (a varchar join) run on the source.
make_db $DB
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'hs', true, '{\"target_schema\": \"hs_sub\", \"where\": {\"accounts\": \"status = ''active''\"}, \"subset\": \"restrict\"}')" 2>&1)
like "$out" 'OK: cloned schema hs' "subset schema clone with target_schema over a varchar key: OK"
unlike "$out" 'captured' "... the planted operator did not run"
is "$(tgt $DB -c "SELECT (SELECT count(*) FROM hs_sub.accounts) || ' ' || (SELECT count(*) FROM hs_sub.orders) || ' ' || (SELECT count(*) FROM hs_sub.orders o WHERE NOT EXISTS (SELECT FROM hs_sub.accounts a WHERE a.code = o.account))")" \
    "5 15 0" "... 5 active accounts and only their 15 orders"
# The session's path is the move's again after the subset: the schema's types still print
# unqualified for the target (the enum column lands on the moved type).
is "$(tgt $DB -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'hs_sub.accounts'::regclass AND attname = 'feel'")" \
    "hs_sub.mood" "... the enum column's type moved with the schema"

done_testing

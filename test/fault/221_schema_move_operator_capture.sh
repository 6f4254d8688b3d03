#!/usr/bin/env bash
# 221_schema_move_operator_capture.sh -- with "target_schema" the clone's source session has the
# source schema on its search_path (after pg_catalog, so that the source prints that schema's
# names unqualified). An operator in that schema whose argument types match better than
# pg_catalog's (the CVE-2018-1058 pattern: ||(name, text), +(numeric, integer)) must never be
# chosen by a query pgclone sends: the queries use operators of exact pg_catalog types. The
# source schema's owner plants both, each raising an error when called; a schema clone with a
# move, a trigger (its table's name read with ||) and a random_int mask (numeric arithmetic)
# succeeds, and neither operator ran.
#
# Part 2, the catalog readers: a non-superuser role (mallory221) owns the moved schema "ms" and
# plants there, silently, operators of the operand types pgclone's catalog queries compare
# (=(oid, regclass), <>(oid, integer), >=(oid, integer), <(oid, integer), =(oid, integer),
# <>(regproc, integer), =(oid, regproc), =(name[], name[]), and ||(name, text), +(numeric,
# integer) again). Each planted function returns the pg_catalog operator's answer and records its
# call with RAISE LOG in the source's server log (the source transaction is READ ONLY, so no
# table could keep a record; LOG goes to the server log at log_min_messages = warning and never
# to the client). "ms" holds a serial key, indexes (one with a user operator class), a CHECK, a
# foreign key, a trigger, a partitioned table, an enum, a composite, a range, a domain, an
# aggregate, a user operator, a text search configuration, a view, a policy, grants, comments
# and an inheritance child. A schema clone before the planting (the baseline), then schema(),
# table() of four tables and schema_async with a pool under "target_schema": every clone has the
# source's objects and rows, and no planted operator ran, on the source nor (where the schema
# clone copied the planted operators into the target schema) on the target.
. "$(dirname "$0")/lib/async_common.bash"

SRCDB=pgclone_oc_src
DB=pgclone_oc_tgt
scratch_dbs $DB $SRCDB reader221
drop_src_roles() {
    local r
    for r in mallory221 reader221; do SRC_DB=source src -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
cleanup() {
    drop_scratch
    drop_src_roles
}
trap cleanup EXIT
drop_src_roles
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA hs;
CREATE TABLE hs.t (id int PRIMARY KEY, salary int);
INSERT INTO hs.t SELECT g, 1000 * g FROM generate_series(1, 5) g;
CREATE FUNCTION hs.t_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE INSERT ON hs.t FOR EACH ROW EXECUTE FUNCTION hs.t_touch();
CREATE FUNCTION hs.cap_concat(name, text) RETURNS text LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'captured: ||(name, text) ran'; END$$;
CREATE OPERATOR hs.|| (LEFTARG = name, RIGHTARG = text, FUNCTION = hs.cap_concat);
CREATE FUNCTION hs.cap_plus(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'captured: +(numeric, integer) ran'; END$$;
CREATE OPERATOR hs.+ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = hs.cap_plus);
SQL
is "$(SRC_DB=$SRCDB src -c "SET search_path = pg_catalog, hs" -c "SELECT count(*) FROM pg_namespace n WHERE n.nspname || '.' = 'x'" 2>&1 | grep -o 'captured: ||(name, text) ran')" \
    "captured: ||(name, text) ran" "the source: with hs on the search_path, a bare name || text runs the planted operator"

make_db $DB
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'hs', true, '{\"target_schema\": \"hs_copy\", \"masks\": {\"t\": {\"salary\": {\"type\": \"random_int\", \"min\": 10, \"max\": 20}}}}')" 2>&1)
like "$out" 'OK: cloned schema hs: 1 table \(5 rows\)' "schema clone with target_schema, a trigger and a random_int mask: OK"
unlike "$out" 'captured' "... neither planted operator ran"
is "$(tgt $DB -c "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'hs_copy.t'::regclass AND tgname = 't_touch'")" 1 "... the trigger is there"
is "$(tgt $DB -c "SELECT bool_and(salary BETWEEN 10 AND 20) FROM hs_copy.t")" t "... the salaries masked into 10..20"

@@PART2@@

done_testing

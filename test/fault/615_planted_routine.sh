#!/usr/bin/env bash
# 615_planted_routine.sh -- a routine the cloned tables call (here in a CHECK constraint, which
# the clone validates on the rows it loaded) runs with the rights of the role that clones. On the
# source app.amount_ok(integer) belongs to the source's owner; on the target mallory615 may create
# in schema app and made app.amount_ok(integer) first, with a body that makes her superuser when
# a superuser runs it. The clone refuses to use, keep or replace in place a routine that belongs to
# a role other than the caller, a superuser or the routine's owner on the source: an ERROR names
# the routine and its owner, nothing is created, and mallory615 gains nothing. schema() with every
# conflict strategy that would use or replace it, and table(), alike. A routine of the caller is used.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_615_rt
SDB=pgclone_615r_src
scratch_dbs $DB $SDB mallory615
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA app;
CREATE FUNCTION app.amount_ok(integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 0';
CREATE TABLE app.payments (id int PRIMARY KEY, amount int CHECK (app.amount_ok(amount)));
INSERT INTO app.payments VALUES (1, 10), (2, 20);
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<'SQL'
CREATE ROLE mallory615 LOGIN;
CREATE SCHEMA app;
GRANT USAGE, CREATE ON SCHEMA app TO mallory615;
SET ROLE mallory615;
CREATE FUNCTION app.amount_ok(integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE 'ALTER ROLE mallory615 SUPERUSER';
    EXCEPTION WHEN others THEN NULL;
    END;
    RETURN true;
END $$;
RESET ROLE;
SQL
is_super() { T -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory615'"; }
no_table() { is "$(T -c "SELECT to_regclass('app.payments') IS NULL")" t "$1"; }

want='function "app"."amount_ok"\(integer\) already exists on the target and belongs to role "mallory615"'
# The default strategy stops at the conflict before anything changes.
like "$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>&1)" 'ERROR: +function "app"."amount_ok"\(integer\) already exists on the target' \
    "schema() with conflict error: the existing routine is a conflict"
is "$(is_super)" f "... mallory615 did not become superuser"
for conflict in skip replace; do
    out=$(T -c "SELECT pgclone.schema($SRC, 'app', true, '{\"conflict\": \"$conflict\"}')" 2>&1)
    like "$out" "ERROR: +$want" "schema() with conflict $conflict: refused, naming the routine and its owner"
    is "$(is_super)" f "... mallory615 did not become superuser"
    no_table "... nothing was created"
done
like "$out" 'HINT: +Drop it, or give it to the role that clones' "the hint says how to go on"
is "$(T -c "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE oid = 'app.amount_ok(integer)'::regprocedure")" \
    mallory615 "replace did not take over her routine in place (it would keep her as owner)"

like "$(T -c "SELECT pgclone.table($SRC, 'app', 'payments', true)" 2>&1)" "ERROR: +$want" \
    "table(): the routine its CHECK calls is refused the same way"
is "$(is_super)" f "... mallory615 did not become superuser"
no_table "... nothing was created"

# A routine of the caller is the caller's own code: it is used.
T -c "DROP FUNCTION app.amount_ok(integer)" \
    -c "CREATE FUNCTION app.amount_ok(integer) RETURNS boolean LANGUAGE sql AS 'SELECT \$1 > 0'" >/dev/null
like "$(T -c "SELECT pgclone.schema($SRC, 'app', true, '{\"conflict\": \"skip\"}')" 2>&1)" \
    'OK: cloned schema app: 1 table \(2 rows\), .* 0 functions \(1 kept\)' "a routine of the caller is kept and used"
is "$(is_super)" f "mallory615 is still no superuser"

done_testing

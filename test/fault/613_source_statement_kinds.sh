#!/usr/bin/env bash
# 613_source_statement_kinds.sh -- a hostile source answers the catalog functions pgclone asks for
# whole definitions (pg_get_functiondef, pg_get_ruledef, pg_get_statisticsobjdef, pg_get_indexdef,
# pg_get_triggerdef) with another statement: "ALTER ROLE victim613 SUPERUSER" is exactly one
# statement, so the one-statement rule alone ran it as the cloning superuser, even in clones that
# run none of the source's code (pgclone.functions(), a schema clone without rows). Each such
# definition must be the kind of statement expected where it is used, or it is not run
# (docs/SECURITY.md "SQL built from names"). The source's superuser (or a server that only
# pretends to be PostgreSQL) is the attacker: the functions are replaced in pg_catalog of a
# database of the source's own.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_613_kinds
SDB=pgclone_613k_src
scratch_dbs $DB $SDB victim613
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA evil;
CREATE FUNCTION evil.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TABLE evil.t (a int, b int);
CREATE RULE r AS ON DELETE TO evil.t DO INSTEAD NOTHING;
CREATE STATISTICS evil.s ON a, b FROM evil.t;
CREATE MATERIALIZED VIEW evil.mv AS SELECT a FROM evil.t;
CREATE INDEX mv_a ON evil.mv (a);
CREATE VIEW evil.v AS SELECT a, b FROM evil.t;
CREATE FUNCTION evil.instead() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
CREATE TRIGGER v_ins INSTEAD OF INSERT ON evil.v FOR EACH ROW EXECUTE FUNCTION evil.instead();
-- The source now describes every one of them as a statement of its choosing.
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_functiondef(oid) RETURNS text LANGUAGE sql
    AS $$ SELECT 'ALTER ROLE victim613 SUPERUSER'::text $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_ruledef(oid) RETURNS text LANGUAGE sql
    AS $$ SELECT 'ALTER ROLE victim613 SUPERUSER;'::text $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_statisticsobjdef(oid) RETURNS text LANGUAGE sql
    AS $$ SELECT 'ALTER ROLE victim613 SUPERUSER'::text $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_indexdef(oid) RETURNS text LANGUAGE sql
    AS $$ SELECT 'ALTER ROLE victim613 SUPERUSER'::text $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_triggerdef(oid) RETURNS text LANGUAGE sql
    AS $$ SELECT 'ALTER ROLE victim613 SUPERUSER'::text $$;
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T -c "CREATE ROLE victim613" >/dev/null
victim_super() { T -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'victim613'"; }

# --- pgclone.functions(): runs no code of the source, creates routines only ----------------------
out=$(T -c "SELECT pgclone.functions($SRC, 'evil')" 2>&1)
is "$(victim_super)" f "functions(): a function definition that is ALTER ROLE is not run"
like "$out" 'a definition read from the source server is not the kind of statement expected here' \
    "functions(): the WARNING says why"
like "$out" 'It is ALTER ROLE' "... and names what it was"
T -c "DROP SCHEMA IF EXISTS evil CASCADE" >/dev/null 2>&1

# --- pgclone.schema() without rows: rules, statistics, materialized view indexes, view triggers ---
out=$(T -c "SELECT pgclone.schema($SRC, 'evil', false)" 2>&1)
is "$(victim_super)" f "schema() without rows: no definition that is ALTER ROLE is run"
is "$(grep -c 'not the kind of statement expected here' <<<"$out")" 6 \
    "... each of the two functions, the rule, the statistics object, the index and the view trigger is refused with a WARNING"
like "$out" 'DONE WITH [0-9]+ WARNINGS: cloned schema evil' "... and the clone reports them"

done_testing

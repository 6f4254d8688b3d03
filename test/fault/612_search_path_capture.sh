#!/usr/bin/env bash
# 612_search_path_capture.sh -- a plain role of the target cannot capture the source's code that a
# clone runs (docs/SECURITY.md "Privileges", "The clone's own search_path"):
#  * the source (benign) has a CHECK and an index expression calling its functions, whose bodies
#    call lower() by its bare name, as most application code does;
#  * on the target, mallory612 may CREATE in public (PostgreSQL 14's default) and puts there a
#    lower(varchar) that matches better than pg_catalog.lower(text) and tries to make mallory612
#    a superuser;
#  * the clone runs the CHECK during COPY and the index expression during CREATE INDEX as the
#    cloning superuser: under the caller's search_path ("$user", public) mallory612's function
#    ran; under the clone's own (pg_catalog, pg_temp) it never does;
#  * table, schema and schema_async with a pool; the caller's search_path is unchanged after.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_612_path
SDB=pgclone_612p_src
scratch_dbs $DB $SDB mallory612
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA app;
CREATE FUNCTION app.is_ok(v varchar) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT lower(v) <> '' $$;
CREATE FUNCTION app.norm(v varchar) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(v) $$;
CREATE TABLE app.t (id int PRIMARY KEY, v varchar CHECK (app.is_ok(v)));
CREATE INDEX t_norm ON app.t (app.norm(v));
INSERT INTO app.t VALUES (1, 'A'), (2, 'B');
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<'SQL'
CREATE ROLE mallory612 LOGIN;
GRANT CREATE ON SCHEMA public TO mallory612;
SET ROLE mallory612;
CREATE TABLE public.captured (who name, at text);
GRANT INSERT ON public.captured TO PUBLIC;
CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.captured VALUES (current_user, 'lower');
    BEGIN
        EXECUTE 'ALTER ROLE mallory612 SUPERUSER';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
    RETURN pg_catalog.lower($1::text);
END $$;
RESET ROLE;
SQL
captured() { T -c "SELECT count(*) || '/' || (SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory612') FROM public.captured"; }
drop_app() { T -c "DROP SCHEMA IF EXISTS app CASCADE" >/dev/null 2>&1; }

# The trap works: the superuser's own statement with its usual search_path runs mallory612's code.
is "$(T -c "SELECT lower('X'::varchar)")" x "setup: a bare lower(varchar) call resolves to mallory612's function"
T -c "DELETE FROM public.captured; ALTER ROLE mallory612 NOSUPERUSER" >/dev/null

# --- table ---------------------------------------------------------------------------------------
is "$(T -c "SELECT pgclone.table($SRC, 'app', 't', true); SHOW search_path" 2>/dev/null)" \
    "OK: cloned app.t (2 rows)
\"\$user\", public" "table(): cloned, and the caller's search_path is unchanged"
# (Checked without calling app.norm here: this session's own search_path would be captured.)
is "$(T -c "SELECT (SELECT count(*) FROM app.t) || '/' || count(*) FROM pg_index
            WHERE indrelid = 'app.t'::regclass AND indexprs IS NOT NULL")" 2/1 "table(): rows and the expression index are there"
is "$(captured)" "0/false" "table(): mallory612's lower() never ran during COPY or CREATE INDEX"
drop_app

# --- schema --------------------------------------------------------------------------------------
like "$(T -c "SELECT pgclone.schema($SRC, 'app', true)" 2>&1)" 'OK: cloned schema app: 1 table \(2 rows\)' "schema(): cloned"
is "$(captured)" "0/false" "schema(): mallory612's lower() never ran"
drop_app

# --- schema_async with a pool --------------------------------------------------------------------
j=$(T -c "SELECT pgclone.schema_async($SRC, 'app', true, '{\"parallel\": 2}')")
is "$(wait_job $DB "$j")" completed "schema_async (pool): completed"
is "$(T -c "SELECT count(*) FROM app.t")" 2 "schema_async (pool): rows are there"
is "$(captured)" "0/false" "schema_async (pool): mallory612's lower() never ran"

done_testing

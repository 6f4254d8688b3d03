#!/usr/bin/env bash
# 611_run_as.sh -- a hostile source (docs/SECURITY.md "Privileges"): a CHECK constraint calls a
# source-defined function that tries to make a role superuser while the target validates it.
#  * without run_as the function runs as the cloning superuser and succeeds (the documented risk
#    of restoring anything from an untrusted source, as with pg_restore);
#  * with {"run_as": role} the clone's DDL and rows run as that unprivileged role: the function
#    cannot escalate, not even with SET ROLE / RESET ROLE, and nobody becomes superuser -- for
#    table, schema, database, table_async, schema_async (pool too);
#  * the caller's identity comes back after the call, also when the clone fails;
#  * code run as that role cannot leave a deferred trigger behind that would fire as the caller
#    at COMMIT (sync and async), nor a session setting such as search_path;
#  * a caller who is not a member of the role, or an unknown role: a clear error, nothing created.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_610_runas
SDB=pgclone_610_src
ROLES="pgclone610_victim pgclone610_runner pgclone610_outsider pgclone611_bare"
cleanup() {
    drop_db $DB
    drop_db ${DB}_d
    local r
    for r in $ROLES; do tgt postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
    SRC_DB=source src -c "DROP DATABASE IF EXISTS $SDB WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

SRC_DB=source src -c "CREATE DATABASE $SDB" >/dev/null
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA hostile;
-- On the target it tries every way up: as it is, after RESET ROLE, after SET ROLE postgres.
CREATE FUNCTION hostile.escalate(int) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
    BEGIN EXECUTE 'ALTER ROLE pgclone610_victim SUPERUSER'; EXCEPTION WHEN others THEN NULL; END;
    BEGIN RESET ROLE; EXECUTE 'ALTER ROLE pgclone610_victim SUPERUSER'; EXCEPTION WHEN others THEN NULL; END;
    BEGIN SET ROLE postgres; EXECUTE 'ALTER ROLE pgclone610_victim SUPERUSER'; EXCEPTION WHEN others THEN NULL; END;
    RETURN true;
END $f$;
CREATE TABLE hostile.t (id int CHECK (hostile.escalate(id)));
INSERT INTO hostile.t SELECT generate_series(1, 3);
SQL
SRC=$(lit "$(src_ci $SDB)")

make_db $DB
T() { tgt $DB "$@"; }
T >/dev/null <<SQL
CREATE ROLE pgclone610_victim LOGIN;
CREATE ROLE pgclone610_runner LOGIN;
CREATE ROLE pgclone610_outsider LOGIN;
GRANT CREATE ON DATABASE $DB TO pgclone610_runner;
GRANT USAGE ON SCHEMA pgclone TO pgclone610_runner, pgclone610_outsider;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone610_runner, pgclone610_outsider;
SQL
victim_super() { T -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'pgclone610_victim'"; }
reset_victim() { T -c "ALTER ROLE pgclone610_victim NOSUPERUSER" >/dev/null; }

# --- the risk, without run_as -------------------------------------------------------------------
like "$(T -c "SELECT pgclone.schema($SRC, 'hostile', true)" 2>&1)" 'OK: cloned schema hostile' \
    "without run_as the hostile schema clones"
is "$(victim_super)" t "without run_as the source's CHECK function ran as the cloning superuser (the documented risk)"
reset_victim
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1

# --- run_as: pgclone.table (its CHECK calls the function, cloned first) ------------------------
like "$(T -c "SELECT pgclone.functions($SRC, 'hostile')" 2>&1)" 'OK' "the hostile function is on the target"
T -c "GRANT USAGE, CREATE ON SCHEMA hostile TO pgclone610_runner" >/dev/null
out=$(T -c "SELECT pgclone.table($SRC, 'hostile', 't', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)
like "$out" 'OK: cloned hostile.t \(3 rows\)' "table with run_as: the clone completes, the CHECK validated"
is "$(victim_super)" f "table with run_as: the hostile function could not make anyone superuser"
is "$(T -c "SELECT tableowner FROM pg_tables WHERE schemaname = 'hostile' AND tablename = 't'")" pgclone610_runner \
    "table with run_as: the table was created by the run_as role"
is "$(T -c "SELECT count(*) FROM hostile.t")" 3 "table with run_as: the rows arrived"
is "$(T -c "SELECT pgclone.table($SRC, 'hostile', 't', true, 'again', '{\"run_as\": \"pgclone610_runner\"}'), current_user, session_user" 2>/dev/null)" \
    "OK: cloned hostile.again (3 rows)|postgres|postgres" "the caller's identity is back after the call"
out=$(T -c "SELECT pgclone.table($SRC, 'hostile', 'nosuch', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)
like "$out" 'ERROR' "a failing clone with run_as fails"
is "$(T -c "DO \$\$ BEGIN
              PERFORM pgclone.table($SRC, 'hostile', 'nosuch', true, NULL, '{\"run_as\": \"pgclone610_runner\"}');
            EXCEPTION WHEN others THEN NULL; END \$\$;
            CREATE TABLE hostile.after_failure (); SELECT current_user || '/' || tableowner FROM pg_tables WHERE tablename = 'after_failure'" 2>&1)" \
    "postgres/postgres" "after a failed clone with run_as the caller is the caller again"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1

# --- run_as: schema, database -------------------------------------------------------------------
like "$(T -c "SELECT pgclone.schema($SRC, 'hostile', true, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)" \
    'OK: cloned schema hostile' "schema with run_as: the clone completes"
is "$(victim_super)" f "schema with run_as: nobody became superuser"
is "$(T -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'hostile'")" pgclone610_runner \
    "schema with run_as: the schema belongs to the run_as role"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1
like "$(T -c "SELECT pgclone.database($SRC, true, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)" \
    'OK: cloned database' "database with run_as: the clone completes"
is "$(victim_super)" f "database with run_as: nobody became superuser"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1

# --- run_as: async ------------------------------------------------------------------------------
j=$(T -c "SELECT pgclone.table_async($SRC, 'hostile', 't', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')")
is "$(wait_job $DB "$j")" completed "table_async with run_as: the job completes"
is "$(victim_super)" f "table_async with run_as: nobody became superuser"
is "$(T -c "SELECT tableowner FROM pg_tables WHERE schemaname = 'hostile' AND tablename = 't'")" pgclone610_runner \
    "table_async with run_as: the worker created the table as the run_as role"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1
j=$(T -c "SELECT pgclone.schema_async($SRC, 'hostile', true, '{\"run_as\": \"pgclone610_runner\"}')")
is "$(wait_job $DB "$j")" completed "schema_async with run_as: the job completes"
is "$(victim_super)" f "schema_async with run_as: nobody became superuser"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1
SRC_DB=$SDB src -c "CREATE TABLE hostile.t2 (LIKE hostile.t INCLUDING ALL); INSERT INTO hostile.t2 VALUES (7)" >/dev/null
j=$(T -c "SELECT pgclone.schema_async($SRC, 'hostile', true, '{\"run_as\": \"pgclone610_runner\", \"parallel\": 2}')")
is "$(wait_job $DB "$j")" completed "schema_async pool with run_as: the job completes"
is "$(victim_super)" f "schema_async pool with run_as: nobody became superuser"
is "$(T -c "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'hostile'")" pgclone610_runner \
    "schema_async pool with run_as: the pool workers created the tables as the run_as role"
T -c "DROP SCHEMA hostile CASCADE" >/dev/null 2>&1

# --- run_as: nothing is left behind to run as the caller after the switch back ------------------
# The hostile CHECK function, run as the run_as role, queues a deferred constraint trigger whose
# function makes the victim superuser: it would fire at COMMIT, after the clone switched back to
# the caller. The run_as role works as a security-restricted operation (like CREATE INDEX as the
# table owner), so PostgreSQL refuses to queue it.
SRC_DB=$SDB src >/dev/null <<SQL
CREATE SCHEMA deferred;
CREATE FUNCTION deferred.arm(int) RETURNS boolean LANGUAGE plpgsql AS \$f\$
BEGIN
    IF pg_catalog.current_database() = '$DB' AND pg_catalog.to_regclass('deferred.armed') IS NULL THEN
        EXECUTE 'CREATE TABLE deferred.armed (x int)';
        EXECUTE 'CREATE FUNCTION deferred.fire() RETURNS trigger LANGUAGE plpgsql AS
                 \$\$BEGIN EXECUTE ''ALTER ROLE pgclone610_victim SUPERUSER''; RETURN NULL; END\$\$';
        EXECUTE 'CREATE CONSTRAINT TRIGGER armed AFTER INSERT ON deferred.armed
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deferred.fire()';
        EXECUTE 'INSERT INTO deferred.armed VALUES (1)';
    END IF;
    RETURN true;
END \$f\$;
CREATE TABLE deferred.t (id int CHECK (deferred.arm(id)));
INSERT INTO deferred.t VALUES (1), (2);
SQL
out=$(T -c "SELECT pgclone.schema($SRC, 'deferred', true, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)
like "$out" 'cannot fire deferred trigger within security-restricted operation' \
    "schema with run_as: the deferred trigger the source's function queued is refused"
is "$(victim_super)" f "schema with run_as: no deferred trigger ran as the caller at COMMIT"
reset_victim
T -c "DROP SCHEMA deferred CASCADE" >/dev/null 2>&1
j=$(T -c "SELECT pgclone.table_async($SRC, 'deferred', 't', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')")
is "$(wait_job $DB "$j")" completed "table_async with run_as: the job completes"
like "$(T -c "SELECT string_agg(m::text, ' ') FROM pgclone.job_messages($j) AS m")" \
    'cannot fire deferred trigger within security-restricted operation' "table_async with run_as: the deferred trigger is refused"
is "$(victim_super)" f "table_async with run_as: no deferred trigger ran as the job's role at COMMIT"
T -c "DROP SCHEMA IF EXISTS deferred CASCADE" >/dev/null 2>&1

# A setting the source's function changes for the session (a search_path that puts a schema of
# the run_as role before pg_catalog, so that the caller's next statements would call its
# functions) is undone when the clone switches back.
SRC_DB=$SDB src >/dev/null <<SQL
CREATE SCHEMA gucs;
CREATE FUNCTION gucs.set_path(int) RETURNS boolean LANGUAGE plpgsql AS \$f\$
BEGIN
    IF pg_catalog.current_database() = '$DB' THEN
        PERFORM pg_catalog.set_config('search_path', 'gucs, pg_catalog', false);
    END IF;
    RETURN true;
END \$f\$;
CREATE TABLE gucs.t (id int CHECK (gucs.set_path(id)));
INSERT INTO gucs.t VALUES (1);
SQL
is "$(T -c "SELECT pgclone.schema($SRC, 'gucs', true, '{\"run_as\": \"pgclone610_runner\"}') LIKE 'OK: cloned schema gucs: 1 table (1 row)%'" -c "SHOW search_path" 2>/dev/null)" \
    't
"$user", public' "schema with run_as: the caller's search_path is its own after the clone, not the one the source's function set"
T -c "DROP SCHEMA gucs CASCADE" >/dev/null 2>&1

# --- a run_as role with no grant on schema pgclone, in a pool ----------------------------------------
# The jobs' records are found without the role's rights on schema pgclone, and each pool worker
# checks the password rule inside a transaction (outside one, with the role cache holding the
# run_as role, the first pool worker crashed).
T -c "CREATE ROLE pgclone611_bare LOGIN" -c "GRANT CREATE ON DATABASE $DB TO pgclone611_bare" >/dev/null
SRC_DB=$SDB src -c "CREATE SCHEMA bare; CREATE TABLE bare.t1 (id int PRIMARY KEY); CREATE TABLE bare.t2 (id int PRIMARY KEY);
                    INSERT INTO bare.t1 VALUES (1), (2); INSERT INTO bare.t2 VALUES (3)" >/dev/null
for opts in '{"run_as": "pgclone611_bare", "parallel": 2}' '{"run_as": "pgclone611_bare", "parallel": 2, "consistent": false}'; do
    j=$(T -c "SELECT pgclone.schema_async($SRC, 'bare', true, $(lit "$opts"))")
    is "$(wait_job $DB "$j")" completed "schema_async $opts: the job completes"
    is "$(T -c "SELECT (SELECT count(*) FROM bare.t1) || ' ' || (SELECT count(*) FROM bare.t2) || ' ' ||
                (SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'bare')")" \
        "2 1 pgclone611_bare" "... every row, the tables owned by the run_as role"
    T -c "DROP SCHEMA bare CASCADE" >/dev/null 2>&1
done

# --- who may use run_as -------------------------------------------------------------------------
as() { # ROLE ARGS...
    local role=$1
    shift
    "$PSQL" -X -q -At "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=$DB user=$role" "$@"
}
out=$(as pgclone610_outsider -c "SELECT pgclone.table($SRC, 'hostile', 't', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)
like "$out" 'permission denied to run the clone as role "pgclone610_runner"' "a non-member cannot run a clone as the role"
out=$(as pgclone610_outsider -v VERBOSITY=verbose -c "SELECT pgclone.table_async($SRC, 'hostile', 't', true, NULL, '{\"run_as\": \"pgclone610_runner\"}')" 2>&1)
like "$out" '42501.*permission denied to run the clone as role' "table_async: refused up front with SQLSTATE 42501"
out=$(T -v VERBOSITY=verbose -c "SELECT pgclone.schema($SRC, 'hostile', true, '{\"run_as\": \"no such role\"}')" 2>&1)
like "$out" '42704.*role "no such role" named in option "run_as" does not exist' "an unknown role: a clear error"
is "$(T -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'hostile'")" 0 "nothing was created by the refused calls"

done_testing

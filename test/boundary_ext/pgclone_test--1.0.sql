-- pgclone_test 1.0: TEST-ONLY functions for the C++/PostgreSQL boundary tests
-- (test/pgtap/100_boundary.sql). Not part of the pgclone product.
\echo Use "CREATE EXTENSION pgclone_test" to load this file. \quit

CREATE FUNCTION throw_std(message text) RETURNS void
    LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'pgclone_test_throw_std';
COMMENT ON FUNCTION throw_std(text) IS
    'Test only: throws std::runtime_error(message) inside pg::invoke';

CREATE FUNCTION throw_core(message text, sqlstate text, detail text DEFAULT NULL, hint text DEFAULT NULL)
    RETURNS void LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_throw_core';
COMMENT ON FUNCTION throw_core(text, text, text, text) IS
    'Test only: throws core::Error(message, sqlstate, detail, hint) inside pg::invoke';

CREATE FUNCTION throw_unknown() RETURNS void
    LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_throw_unknown';
COMMENT ON FUNCTION throw_unknown() IS
    'Test only: throws a non-std::exception value (an int) inside pg::invoke';

CREATE FUNCTION pg_error_under_call(sqlstate text, message text, detail text DEFAULT NULL, hint text DEFAULT NULL)
    RETURNS void LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_pg_error_under_call';
COMMENT ON FUNCTION pg_error_under_call(text, text, text, text) IS
    'Test only: ereport(ERROR) inside pg::call while a C++ object with a counting destructor is alive';

CREATE FUNCTION error_via_spi(sql text) RETURNS bigint
    LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'pgclone_test_error_via_spi';
COMMENT ON FUNCTION error_via_spi(text) IS
    'Test only: runs sql through pg::Spi with a counting C++ object alive; returns rows processed';

CREATE FUNCTION throw_inside_spi(message text) RETURNS void
    LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'pgclone_test_throw_inside_spi';
COMMENT ON FUNCTION throw_inside_spi(text) IS
    'Test only: throws a C++ exception while an SPI connection is open and unfinished';

CREATE FUNCTION try_in_subtransaction(sql text) RETURNS text
    LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'pgclone_test_try_in_subtransaction';
COMMENT ON FUNCTION try_in_subtransaction(text) IS
    'Test only: pg::Spi::exec_in_subtransaction(sql); NULL on success, else the swallowed error text';

CREATE FUNCTION wait_latch(seconds float8, poll_ms integer DEFAULT 1000) RETURNS float8
    LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_wait_latch';
COMMENT ON FUNCTION wait_latch(float8, integer) IS
    'Test only: waits on the process latch (slices of poll_ms) checking interrupts; returns seconds waited';

CREATE FUNCTION spin(seconds float8) RETURNS float8
    LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_spin';
COMMENT ON FUNCTION spin(float8) IS
    'Test only: busy C++ loop calling pg::check_for_interrupts(); returns seconds spun';

CREATE FUNCTION destructor_runs() RETURNS bigint
    LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_get_destructor_runs';
COMMENT ON FUNCTION destructor_runs() IS
    'Test only: how many test C++ objects were destroyed in this backend';

CREATE FUNCTION last_caught_sqlstate() RETURNS text
    LANGUAGE c AS 'MODULE_PATHNAME', 'pgclone_test_get_last_caught_sqlstate';
COMMENT ON FUNCTION last_caught_sqlstate() IS
    'Test only: SQLSTATE of the last PostgreSQL error a C++ catch block saw as pg::PgError in this backend';

-- Nobody but the superuser who created them may call these.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'pgclone_test'::regnamespace LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

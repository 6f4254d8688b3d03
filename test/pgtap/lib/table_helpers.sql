-- test/pgtap/lib/table_helpers.sql -- helpers shared by the table pgTAP files (010-013),
-- included with \ir: runs inside the including file's transaction, creates only pg_temp functions.

-- Runs a statement and returns NULL, or {sqlstate, message, detail, hint} of its error.
CREATE FUNCTION pg_temp.caught(sql text) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN ARRAY[st, msg, det, hnt];
END
$$;

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT current_setting('pgclone_test.source') $$;

-- pgclone.table() with the test source; returns the result text, or 'ERROR <sqlstate>:
-- <message>' so that one failing clone shows up as one failed test and the file goes on.
CREATE FUNCTION pg_temp.clone(sch text, tbl text, include_data boolean DEFAULT true,
                              target text DEFAULT NULL, options text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN pgclone.table(pg_temp.src(), sch, tbl, include_data, target, options);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END
$$;

-- The first column of the first row of a statement as text, or 'ERROR <sqlstate>: <message>'.
-- Statements on cloned tables go through it, so a missing table fails a test, not the file.
CREATE FUNCTION pg_temp.run(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE sql INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END
$$;

-- Rows stored in exactly this relation (not in its partitions).
CREATE FUNCTION pg_temp.rows_in(rel regclass) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ONLY %s', rel) INTO n;
    RETURN n;
END
$$;

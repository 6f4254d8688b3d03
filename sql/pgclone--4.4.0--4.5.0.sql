-- pgclone 4.4.0 -> 4.5.0: additions beyond the v4.4.0 SQL surface.
\echo Use "ALTER EXTENSION pgclone UPDATE TO '4.5.0'" to load this file. \quit

-- ===== roles and checks (verify, diff, preflight) =====

-- verify with options: {"mode": "fast" | "exact" | "checksum"}. The output
-- settings are pinned so that a row prints the same text here as on the
-- source, where the checksum pins the same values.
CREATE FUNCTION pgclone.verify(
    source_conninfo text,
    schema_name text,
    options text)
RETURNS TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)
AS 'MODULE_PATHNAME', 'pgclone_verify'
LANGUAGE C VOLATILE
SET search_path = pg_catalog
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET bytea_output = 'hex'
SET lc_monetary = 'C'
SET extra_float_digits = 3;
COMMENT ON FUNCTION pgclone.verify(text, text, text) IS
'Compare tables of the source schema (NULL: all user schemas) with the target. options (JSON): {"mode": "fast"} planner statistics (default), {"mode": "exact"} count(*) on both sides under one source snapshot, {"mode": "checksum"} counts plus an order-independent hash of every row';
REVOKE ALL ON FUNCTION pgclone.verify(text, text, text) FROM PUBLIC;

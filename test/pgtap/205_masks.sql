-- 205_masks.sql -- v4.4.0 in-line masking for schema and database clones ("masks").
--
-- NEEDS THE MASKING BRANCH: every table of a schema clone is cloned with its mask as the
-- single-table "mask" option, which the masking helper implements in the COPY path. Until that
-- branch is merged, the table clone refuses "mask" (feature_not_supported) and the clones in this
-- file fail. The checks of "masks" keys themselves (unknown table names) are in 204_filters.sql
-- and pass without it.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(12);

-- schema clone: one table masked, the others not
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"masks": {"employees": {"email": "email", "ssn": "null"}}}'),
    '^OK: cloned schema filter_test: 8 tables \(15 rows\)', 'schema clone with masks');
SELECT is((SELECT array_agg(email ORDER BY id) FROM filter_test.employees),
    ARRAY['a***@example.com', 'b***@example.com'], 'email masked in the COPY stream');
SELECT is((SELECT count(*) FROM filter_test.employees WHERE ssn IS NOT NULL), 0::bigint, 'ssn nulled');
SELECT is((SELECT array_agg(full_name ORDER BY id) FROM filter_test.employees),
    ARRAY['Alice Johnson', 'Bob Martinez'], 'unlisted columns unmasked');
SELECT is((SELECT array_agg(name ORDER BY id) FROM filter_test.customers), ARRAY['Ann', 'Ben', 'Cid'],
    'tables not listed are cloned unmasked');

-- masks combine with the table filters
DROP SCHEMA filter_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": ["employees", "customers"], "masks": {"employees": {"ssn": "null"}}}'),
    -- the view recent_orders reads order_2024, which the filter leaves out: one WARNING
    '^DONE WITH 1 WARNING: cloned schema filter_test: 2 tables \(5 rows\)', 'masks with tables filter');
SELECT is((SELECT count(*) FROM filter_test.employees WHERE ssn IS NULL), 2::bigint, 'filter + mask: ssn nulled');

-- database clone: "schema.table" keys win over bare names; bare names apply in every schema
DROP SCHEMA filter_test CASCADE;
DROP SCHEMA IF EXISTS test_schema CASCADE;
SELECT matches(pgclone.database(current_setting('pgclone_test.source'), true,
    '{"tables": ["employees"], "masks": {"employees": {"email": "email"}, "filter_test.employees": {"ssn": "null"}}}'),
    ': [0-9]+ tables \([0-9]+ rows\)', 'database clone with qualified and bare mask keys');
SELECT is((SELECT email FROM test_schema.employees WHERE id = 1), 'a***@example.com',
    'bare key applies in test_schema');
SELECT is((SELECT ssn FROM test_schema.employees WHERE id = 1), '123-45-6789', 'bare key masks only its columns');
SELECT is((SELECT email FROM filter_test.employees WHERE id = 1), 'alice@example.com',
    'qualified key wins over the bare key in filter_test');
SELECT is((SELECT count(*) FROM filter_test.employees WHERE ssn IS NULL), 2::bigint,
    'qualified key masks filter_test.employees');

SELECT * FROM finish();
ROLLBACK;

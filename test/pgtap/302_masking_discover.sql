-- 302_masking_discover.sql -- manual guide test 9: pgclone.discover_sensitive(), and that its output
-- works directly as the "mask" option (with the require_masks gate on).
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(10);

SELECT is(pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'test_schema'),
    '{"customers": {"email": "email"}, "employees": {"email": "email", "full_name": "name", "phone": "phone", "salary": "random_int", "ssn": "null"}}',
    '9: sensitive columns grouped by table, keys in order (the guide''s employees object exactly)');

SELECT is(pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'masking_test'),
    '{"customers": {"email": "email", "phone": "phone"}, "orders": {"customer_email": "email"}, "profiles": {"Home \"Address\"": "null", "date_of_birth": {"type": "constant", "value": "1900-01-01"}, "ip_address": "null", "password_hash": {"type": "constant", "value": "REDACTED"}}}',
    'recommendations fit the column: NOT NULL date and text get constants, generated columns are skipped');

SELECT is(pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'public'), '{}',
          'a schema without sensitive columns gives {}');

-- The output is usable as the mask option as it is.
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_discovered',
                        json_build_object('mask', pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'test_schema')::json -> 'employees',
                                          'require_masks', true)::text),
          'OK: cloned test_schema.emp_discovered (5 rows)', 'discover output -> mask option, require_masks satisfied');
SELECT results_eq('SELECT full_name, email, phone, ssn FROM test_schema.emp_discovered WHERE id IN (1, 5) ORDER BY id',
    $$VALUES ('XXXX', 'a***@example.com', '***-4567', NULL::text), ('XXXX', 'e***@example.com', NULL, NULL)$$,
    'the discovered masks were applied');
SELECT is((SELECT count(*) FROM test_schema.emp_discovered WHERE salary BETWEEN 0 AND 100000), 5::bigint,
          'bare "random_int" draws from the default range 0..100000');

SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'profiles', true, 'profiles_discovered',
                        json_build_object('mask', pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'masking_test')::json -> 'profiles',
                                          'require_masks', true)::text),
          'OK: cloned masking_test.profiles_discovered (2 rows)', 'the profiles recommendations compile and run too');
SELECT results_eq($$SELECT "Home ""Address""", date_of_birth, ip_address, password_hash, display FROM masking_test.profiles_discovered ORDER BY id$$,
    $$VALUES (NULL::text, '1900-01-01'::date, NULL::inet, 'REDACTED', 'ALLY'), (NULL, '1900-01-01', NULL, 'REDACTED', 'BO')$$,
    'odd column name masked; generated column recomputed on the target');

SELECT throws_ok($$SELECT pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'no_such_schema')$$,
                 '3F000', 'schema "no_such_schema" does not exist on the source server', 'unknown schema');
SELECT throws_ok($$SELECT pgclone.discover_sensitive(current_setting('pgclone_test.source'), NULL)$$,
                 '22004', 'schema_name must not be null', 'NULL schema is an error, not a NULL result');

SELECT * FROM finish();
ROLLBACK;

-- 305_masking_report.sql -- manual guide test 14: pgclone.masking_report() before and after a policy.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(8);

SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true);
SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'customers', true);
CREATE ROLE data_admin;

-- 14.1 unmasked schema
SELECT results_eq($$SELECT * FROM pgclone.masking_report('test_schema')$$,
    $$VALUES ('test_schema', 'customers', 'email', 'Email', 'UNMASKED', 'Apply mask strategy: email'),
             ('test_schema', 'employees', 'full_name', 'PII - Name', 'UNMASKED', 'Apply mask strategy: name'),
             ('test_schema', 'employees', 'email', 'Email', 'UNMASKED', 'Apply mask strategy: email'),
             ('test_schema', 'employees', 'phone', 'Phone', 'UNMASKED', 'Apply mask strategy: phone'),
             ('test_schema', 'employees', 'ssn', 'National ID', 'UNMASKED', 'Apply mask strategy: null'),
             ('test_schema', 'employees', 'salary', 'Financial', 'UNMASKED', 'Apply mask strategy: random_int')$$,
    '14.1 sensitive columns with category, UNMASKED and the strategy to apply');

-- 14.2 apply a policy, re-check
SELECT pgclone.create_masking_policy('test_schema', 'employees', '{"email": "email", "full_name": "name", "ssn": "null"}', 'data_admin');
SELECT results_eq($$SELECT column_name, mask_status, recommendation FROM pgclone.masking_report('test_schema') WHERE table_name = 'employees'$$,
    $$VALUES ('full_name', 'MASKED (view)', 'OK - masked via employees_masked view'),
             ('email', 'MASKED (view)', 'OK - masked via employees_masked view'),
             ('phone', 'UNMASKED', 'Apply mask strategy: phone'),
             ('ssn', 'MASKED (view)', 'OK - masked via employees_masked view'),
             ('salary', 'UNMASKED', 'Apply mask strategy: random_int')$$,
    '14.2 the columns the policy masks are MASKED (view); the ones its view passes through stay UNMASKED');
SELECT is((SELECT count(*) FROM pgclone.masking_report('test_schema') WHERE table_name LIKE '%masked'), 0::bigint,
          'the policy view itself is not reported');
SELECT pgclone.drop_masking_policy('test_schema', 'employees');
SELECT is((SELECT count(*) FROM pgclone.masking_report('test_schema') WHERE mask_status <> 'UNMASKED'), 0::bigint,
          'after the policy is dropped, everything is UNMASKED again');

-- A *_masked view pgclone did not create counts as masking its table (the v3.6.0 rule).
CREATE TABLE test_schema.users (id int, email text, password text NOT NULL, nickname text);
CREATE VIEW test_schema.users_masked AS SELECT id, 'hidden'::text AS email FROM test_schema.users;
SELECT results_eq($$SELECT column_name, sensitivity, mask_status, recommendation FROM pgclone.masking_report('test_schema') WHERE table_name = 'users'$$,
    $$VALUES ('email', 'Email', 'MASKED (view)', 'OK - masked via users_masked view'),
             ('password', 'Credential', 'MASKED (view)', 'OK - masked via users_masked view')$$,
    'hand-made users_masked view: the spec example rows');
DROP VIEW test_schema.users_masked;
SELECT is((SELECT recommendation FROM pgclone.masking_report('test_schema') WHERE table_name = 'users' AND column_name = 'password'),
          'Apply mask strategy: {"type": "constant", "value": "REDACTED"}',
          'a NOT NULL credential gets a recommendation that fits it');

SELECT throws_ok($$SELECT * FROM pgclone.masking_report('no_such_schema')$$, '3F000',
                 'schema "no_such_schema" does not exist', 'unknown schema');
SELECT throws_ok($$SELECT * FROM pgclone.masking_report(NULL)$$, '22004',
                 'schema_name must not be null', 'NULL schema');

SELECT * FROM finish();
ROLLBACK;

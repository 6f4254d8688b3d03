-- 304_masking_policy.sql -- manual guide test 11: dynamic masking with pgclone.create_masking_policy()
-- and pgclone.drop_masking_policy(), which must restore exactly the privileges there were.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(30);

-- 11.1 prepare (roles are created in this transaction and rolled back with it)
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true),
          'OK: cloned test_schema.employees (5 rows)', '11.1 clone employees');
CREATE ROLE data_admin LOGIN PASSWORD 'admin123';
CREATE ROLE plain_user;
GRANT USAGE ON SCHEMA test_schema TO plain_user;
-- plain_user may call the function, but does not own the table.
GRANT USAGE ON SCHEMA pgclone TO plain_user;
GRANT EXECUTE ON FUNCTION pgclone.drop_masking_policy(text, text) TO plain_user;

-- 11.2 create the policy
SELECT is(pgclone.create_masking_policy('test_schema', 'employees',
              '{"email": "email", "full_name": "name", "ssn": "null", "salary": {"type": "random_int", "min": 40000, "max": 200000}}',
              'data_admin'),
          'OK: created masking policy on test_schema.employees (view test_schema.employees_masked, 4 masked columns, privileged role data_admin)',
          '11.2 result text');
SELECT has_view('test_schema', 'employees_masked', '11.2 view employees_masked exists');
SELECT columns_are('test_schema', 'employees_masked',
                   ARRAY['id', 'full_name', 'email', 'phone', 'ssn', 'salary', 'notes', 'created_at'],
                   '11.2 the view has every column of the table');

-- 11.3 masked view
SELECT results_eq('SELECT id, full_name, email, phone, ssn, notes FROM test_schema.employees_masked ORDER BY id',
    $$VALUES (1, 'XXXX', 'a***@example.com', '+1-555-123-4567', NULL::text, 'Team lead, platform group'),
             (2, 'XXXX', 'b***@example.com', '+1-555-234-5678', NULL, NULL),
             (3, 'XXXX', 'c***@example.org', '+44 20 7946 0958', NULL, 'Works remotely from London'),
             (4, 'XXXX', 'd***@example.net', '(555) 987-6543', NULL, 'Part-time'),
             (5, 'XXXX', 'e***@example.com', NULL, NULL, NULL)$$,
    '11.3 XXXX names, masked emails, NULL ssn; unmasked columns pass through');
SELECT is((SELECT count(*) FROM test_schema.employees_masked WHERE salary BETWEEN 40000 AND 200000), 5::bigint,
          '11.3 random salaries in 40000..200000');
SELECT col_type_is('test_schema', 'employees_masked', 'salary', 'integer', '11.3 masked columns keep their type');

-- 11.4 original data intact
SELECT results_eq('SELECT full_name, email, ssn, salary FROM test_schema.employees WHERE id = 1',
    $$VALUES ('Alice Johnson', 'alice@example.com', '123-45-6789', 95000)$$, '11.4 base table unchanged');

-- 11.5 role-based access
SELECT ok(has_table_privilege('data_admin', 'test_schema.employees', 'SELECT'), '11.5 data_admin may read the base table');
SELECT ok(has_schema_privilege('data_admin', 'test_schema', 'USAGE'), '11.5 ... and use its schema');
SET ROLE data_admin;
SELECT results_eq('SELECT full_name, email, ssn FROM test_schema.employees WHERE id = 1',
    $$VALUES ('Alice Johnson', 'alice@example.com', '123-45-6789')$$, '11.5 data_admin sees unmasked data');
RESET ROLE;
SELECT ok(NOT has_table_privilege('public', 'test_schema.employees', 'SELECT'), 'PUBLIC may not read the base table');
SELECT ok(has_table_privilege('public', 'test_schema.employees_masked', 'SELECT'), 'PUBLIC may read the view');
SET ROLE plain_user;
SELECT throws_ok('SELECT * FROM test_schema.employees', '42501', NULL, 'another role cannot read the base table');
SELECT is((SELECT email FROM test_schema.employees_masked WHERE id = 1), 'a***@example.com',
          '... but reads the masked view');
SELECT throws_ok($$SELECT pgclone.drop_masking_policy('test_schema', 'employees')$$, '42501',
                 'must be owner of table "test_schema"."employees"', 'only the owner may drop the policy');
RESET ROLE;

-- Errors
SELECT throws_ok($$SELECT pgclone.create_masking_policy('test_schema', 'employees', '{"email": "hash"}', 'data_admin')$$,
                 '42P07', 'relation "test_schema"."employees_masked" already exists', 'a second policy on the same table');
SELECT throws_ok($$SELECT pgclone.create_masking_policy('test_schema', 'employees', '{"email": "email"}', 'no_such_role')$$,
                 '42704', 'role "no_such_role" does not exist', 'unknown role');
SELECT throws_ok($$SELECT pgclone.create_masking_policy('test_schema', 'no_such_table', '{"email": "email"}', 'data_admin')$$,
                 '42P01', 'table "test_schema"."no_such_table" does not exist', 'unknown table');
SELECT throws_ok($$SELECT pgclone.create_masking_policy('test_schema', 'employees', '{"email": {"type": "pseudonymize", "salt": "abcdefgh12"}}', 'data_admin')$$,
                 '0A000', 'mask strategy "pseudonymize" cannot be used in a masking policy', 'pseudonymize would put the key in the view definition');

-- 11.6 drop
SELECT is(pgclone.drop_masking_policy('test_schema', 'employees'),
          'OK: dropped masking policy on test_schema.employees (view test_schema.employees_masked)', '11.6 result text');
SELECT is_empty($$SELECT viewname FROM pg_views WHERE schemaname = 'test_schema' AND viewname = 'employees_masked'$$,
                '11.6 view dropped');
SELECT ok(NOT has_table_privilege('data_admin', 'test_schema.employees', 'SELECT'), '11.6 the SELECT granted to data_admin is revoked');
SELECT ok(NOT has_schema_privilege('data_admin', 'test_schema', 'USAGE'), '11.6 ... and so is USAGE on the schema');
SELECT throws_ok($$SELECT pgclone.drop_masking_policy('test_schema', 'employees')$$,
                 '42704', 'no masking policy exists on table "test_schema"."employees"', 'drop without a policy');

-- PUBLIC access is restored as it was, column privileges included; a role's own grant survives.
GRANT SELECT ON test_schema.employees TO PUBLIC;
GRANT UPDATE (notes) ON test_schema.employees TO PUBLIC;
GRANT SELECT ON test_schema.employees TO data_admin;
SELECT pgclone.create_masking_policy('test_schema', 'employees', '{"ssn": "null"}', 'data_admin');
SELECT ok(NOT has_table_privilege('public', 'test_schema.employees', 'SELECT')
          AND NOT has_column_privilege('public', 'test_schema.employees', 'notes', 'UPDATE'),
          'the policy revokes table and column privileges of PUBLIC');
SELECT pgclone.drop_masking_policy('test_schema', 'employees');
SELECT ok(has_table_privilege('public', 'test_schema.employees', 'SELECT'), 'PUBLIC has SELECT again');
SELECT ok(has_column_privilege('public', 'test_schema.employees', 'notes', 'UPDATE')
          AND NOT has_column_privilege('public', 'test_schema.employees', 'email', 'UPDATE'),
          'PUBLIC has UPDATE (notes) again, and nothing more');
SELECT ok(has_table_privilege('data_admin', 'test_schema.employees', 'SELECT'),
          'data_admin keeps the SELECT it had before the policy');
SELECT is((SELECT count(*) FROM pg_views WHERE schemaname = 'test_schema'), 0::bigint, 'no view left');

SELECT * FROM finish();
ROLLBACK;

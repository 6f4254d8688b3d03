-- 303_masking_in_place.sql -- manual guide test 10: static masking with pgclone.mask_in_place(), and
-- pseudonymization in place checked against pgcrypto's hmac().
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SELECT plan(17);

-- 10.1 clone without masking first
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_for_static_mask'),
          'OK: cloned test_schema.emp_for_static_mask (5 rows)', '10.1 unmasked clone');
SELECT results_eq('SELECT full_name, email, ssn FROM test_schema.emp_for_static_mask WHERE id = 1',
    $$VALUES ('Alice Johnson', 'alice@example.com', '123-45-6789')$$, '10.1 original data visible');

-- 10.2 apply in-place masking
SELECT is(pgclone.mask_in_place('test_schema', 'emp_for_static_mask', '{"email": "email", "full_name": "name", "ssn": "null"}'),
          'OK: masked 5 rows in test_schema.emp_for_static_mask (3 columns)', '10.2 result text');
SELECT results_eq('SELECT full_name, email, ssn FROM test_schema.emp_for_static_mask ORDER BY id',
    $$VALUES ('XXXX', 'a***@example.com', NULL::text), ('XXXX', 'b***@example.com', NULL),
             ('XXXX', 'c***@example.org', NULL), ('XXXX', 'd***@example.net', NULL), ('XXXX', 'e***@example.com', NULL)$$,
    '10.2 full_name = XXXX, email masked, ssn NULL');
SELECT results_eq('SELECT phone, salary FROM test_schema.emp_for_static_mask WHERE id = 1',
    $$VALUES ('+1-555-123-4567', 95000)$$, '10.2 columns not in the mask are untouched');

-- Singular forms.
SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_one', '{"where": "id = 1"}');
SELECT is(pgclone.mask_in_place('test_schema', 'emp_one', '{"salary": {"type": "random_int", "min": 1, "max": 1}}'),
          'OK: masked 1 row in test_schema.emp_one (1 column)', 'one row, one column');
SELECT is((SELECT salary FROM test_schema.emp_one), 1, 'random_int 1..1 gives 1');

-- Pseudonymization in place: HMAC-SHA-256(salt, value), the same as pgcrypto computes.
SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_pseudo');
SELECT is(pgclone.mask_in_place('test_schema', 'emp_pseudo',
              '{"email": {"type": "pseudonymize", "salt": "pepper-2024-xyz"}, "phone": {"type": "pseudonymize", "salt": "pepper-2024-xyz", "format": "digits"}}'),
          'OK: masked 5 rows in test_schema.emp_pseudo (2 columns)', 'pseudonymize in place');
SELECT results_eq('SELECT id, email FROM test_schema.emp_pseudo ORDER BY id',
    $$SELECT id, encode(hmac(email, 'pepper-2024-xyz', 'sha256'), 'hex')
      FROM (VALUES (1, 'alice@example.com'), (2, 'bob.martinez@example.com'), (3, 'carol.nguyen@example.org'),
                   (4, 'david.okafor@example.net'), (5, 'eve.lindqvist@example.com')) AS o(id, email)$$,
    'hex format = encode(hmac(value, salt, ''sha256''), ''hex'')');
SELECT results_eq($$SELECT id, regexp_replace(phone, '[0-9]', 'd', 'g') FROM test_schema.emp_pseudo ORDER BY id$$,
    $$VALUES (1, '+d-ddd-ddd-dddd'), (2, '+d-ddd-ddd-dddd'), (3, '+dd dd dddd dddd'), (4, '(ddd) ddd-dddd'), (5, NULL)$$,
    'digits format: digits stay digits, everything else and the length are kept, NULL stays NULL');
SELECT isnt((SELECT phone FROM test_schema.emp_pseudo WHERE id = 1), '+1-555-123-4567', 'digits format changed the digits');
SELECT is(current_setting('pgclone_mask.k1i', true), '', 'the key settings are cleared after the UPDATE');

-- Errors: nothing changes.
SELECT throws_ok($$SELECT pgclone.mask_in_place('test_schema', 'no_such_table', '{"email": "email"}')$$,
                 '42P01', 'table "test_schema"."no_such_table" does not exist', 'unknown table');
SELECT throws_ok($$SELECT pgclone.mask_in_place('no_such_schema', 'employees', '{"email": "email"}')$$,
                 '3F000', 'schema "no_such_schema" does not exist', 'unknown schema');
SELECT throws_ok($$SELECT pgclone.mask_in_place('test_schema', 'emp_one', '{}')$$,
                 '22023', 'mask_json must name at least one column', 'empty mask');
SELECT throws_ok($$SELECT pgclone.mask_in_place('test_schema', 'emp_one', '{"email": "email", "email": "hash"}')$$,
                 '22023', 'mask_json contains key "email" more than once', 'duplicate key');
SELECT throws_ok($$SELECT pgclone.mask_in_place('test_schema', 'emp_one', NULL)$$,
                 '22004', 'mask_json must not be null', 'NULL mask');

SELECT * FROM finish();
ROLLBACK;

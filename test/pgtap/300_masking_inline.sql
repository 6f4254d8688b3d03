-- 300_masking_inline.sql -- manual guide test 8 (8.1-8.9): in-line masking during pgclone.table().
-- The masks run on the source inside COPY (SELECT ...); every value is checked exactly.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(26);

-- 8.1 email
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_email_masked', '{"mask": {"email": "email"}}'),
          'OK: cloned test_schema.emp_email_masked (5 rows)', '8.1 clone with an email mask');
SELECT results_eq('SELECT id, full_name, email FROM test_schema.emp_email_masked ORDER BY id',
    $$VALUES (1, 'Alice Johnson', 'a***@example.com'), (2, 'Bob Martinez', 'b***@example.com'),
             (3, 'Carol Nguyen', 'c***@example.org'), (4, 'David Okafor', 'd***@example.net'),
             (5, 'Eve Lindqvist', 'e***@example.com')$$,
    '8.1 alice@example.com -> a***@example.com; other columns unchanged');

-- 8.2 name
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_name_masked', '{"mask": {"full_name": "name"}}'),
          'OK: cloned test_schema.emp_name_masked (5 rows)', '8.2 clone with a name mask');
SELECT results_eq('SELECT id, full_name FROM test_schema.emp_name_masked ORDER BY id',
    $$VALUES (1, 'XXXX'), (2, 'XXXX'), (3, 'XXXX'), (4, 'XXXX'), (5, 'XXXX')$$,
    '8.2 every full_name is XXXX');

-- 8.3 phone
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_phone_masked', '{"mask": {"phone": "phone"}}'),
          'OK: cloned test_schema.emp_phone_masked (5 rows)', '8.3 clone with a phone mask');
SELECT results_eq('SELECT id, phone FROM test_schema.emp_phone_masked ORDER BY id',
    $$VALUES (1, '***-4567'), (2, '***-5678'), (3, '***-0958'), (4, '***-6543'), (5, NULL::text)$$,
    '8.3 +1-555-123-4567 -> ***-4567; Eve''s NULL phone stays NULL');

-- 8.4 hash
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_hash_masked', '{"mask": {"email": "hash"}}'),
          'OK: cloned test_schema.emp_hash_masked (5 rows)', '8.4 clone with a hash mask');
SELECT results_eq('SELECT id, email FROM test_schema.emp_hash_masked ORDER BY id',
    $$VALUES (1, md5('alice@example.com')), (2, md5('bob.martinez@example.com')),
             (3, md5('carol.nguyen@example.org')), (4, md5('david.okafor@example.net')),
             (5, md5('eve.lindqvist@example.com'))$$,
    '8.4 emails are their MD5');
SELECT is((SELECT count(*) FROM test_schema.emp_hash_masked WHERE email ~ '^[0-9a-f]{32}$'), 5::bigint,
          '8.4 every hash is 32 hex characters');
SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                     'emp_hash_masked_again', '{"mask": {"email": "hash"}}');
SELECT results_eq('SELECT id, email FROM test_schema.emp_hash_masked ORDER BY id',
                  'SELECT id, email FROM test_schema.emp_hash_masked_again ORDER BY id',
                  '8.4 same input -> same hash in a second clone (deterministic)');

-- 8.5 null
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_null_masked', '{"mask": {"ssn": "null"}}'),
          'OK: cloned test_schema.emp_null_masked (5 rows)', '8.5 clone with a null mask');
SELECT is((SELECT count(*) FROM test_schema.emp_null_masked WHERE ssn IS NULL), 5::bigint,
          '8.5 every ssn is NULL');

-- 8.6 partial
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_partial_masked', '{"mask": {"full_name": {"type": "partial", "prefix": 2, "suffix": 3}}}'),
          'OK: cloned test_schema.emp_partial_masked (5 rows)', '8.6 clone with a partial mask');
SELECT results_eq('SELECT id, full_name FROM test_schema.emp_partial_masked ORDER BY id',
    $$VALUES (1, 'Al***son'), (2, 'Bo***nez'), (3, 'Ca***yen'), (4, 'Da***for'), (5, 'Ev***ist')$$,
    '8.6 Alice Johnson -> Al***son');

-- 8.7 random_int
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_rand_masked', '{"mask": {"salary": {"type": "random_int", "min": 30000, "max": 150000}}}'),
          'OK: cloned test_schema.emp_rand_masked (5 rows)', '8.7 clone with a random_int mask');
SELECT is((SELECT count(*) FROM test_schema.emp_rand_masked WHERE salary BETWEEN 30000 AND 150000), 5::bigint,
          '8.7 every salary is between 30000 and 150000');
SELECT col_type_is('test_schema', 'emp_rand_masked', 'salary', 'integer', '8.7 salary keeps its type');
SELECT cmp_ok((SELECT count(*) FROM test_schema.emp_rand_masked e
                JOIN (VALUES (1, 95000), (2, 72000), (3, 88000), (4, 61000), (5, 105000)) AS o(id, salary)
                  ON o.id = e.id AND o.salary = e.salary), '<', 5::bigint,
              '8.7 the salaries are not the original ones');

-- 8.8 constant
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_const_masked', '{"mask": {"notes": {"type": "constant", "value": "REDACTED"}}}'),
          'OK: cloned test_schema.emp_const_masked (5 rows)', '8.8 clone with a constant mask');
SELECT results_eq('SELECT id, notes FROM test_schema.emp_const_masked ORDER BY id',
    $$VALUES (1, 'REDACTED'), (2, 'REDACTED'), (3, 'REDACTED'), (4, 'REDACTED'), (5, 'REDACTED')$$,
    '8.8 every note is REDACTED, the NULL ones (ids 2 and 5) included');

-- 8.9 all combined
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_full_masked',
                        '{"mask": {"email": "email", "full_name": "name", "phone": "phone", "ssn": "null", "salary": {"type": "random_int", "min": 40000, "max": 200000}, "notes": {"type": "constant", "value": "REDACTED"}}}'),
          'OK: cloned test_schema.emp_full_masked (5 rows)', '8.9 clone with six masks');
SELECT results_eq('SELECT id, full_name, email, phone, ssn, notes, created_at FROM test_schema.emp_full_masked ORDER BY id',
    $$VALUES (1, 'XXXX', 'a***@example.com', '***-4567', NULL::text, 'REDACTED', '2023-06-01 09:00:00+00'::timestamptz),
             (2, 'XXXX', 'b***@example.com', '***-5678', NULL, 'REDACTED', '2023-07-15 09:00:00+00'),
             (3, 'XXXX', 'c***@example.org', '***-0958', NULL, 'REDACTED', '2023-09-01 09:00:00+00'),
             (4, 'XXXX', 'd***@example.net', '***-6543', NULL, 'REDACTED', '2024-01-08 09:00:00+00'),
             (5, 'XXXX', 'e***@example.com', NULL, NULL, 'REDACTED', '2024-02-19 09:00:00+00')$$,
    '8.9 every sensitive column masked; id and created_at unchanged');
SELECT is((SELECT count(*) FROM test_schema.emp_full_masked WHERE salary BETWEEN 40000 AND 200000), 5::bigint,
          '8.9 salaries in 40000..200000');

-- The masked clone keeps the table's structure: primary key, NOT NULL, column order.
SELECT col_is_pk('test_schema', 'emp_full_masked', 'id', '8.9 primary key created after the masked load');
SELECT col_not_null('test_schema', 'emp_full_masked', 'full_name', '8.9 full_name stays NOT NULL');

-- A row filter runs on the unmasked source values, the mask on what it selects.
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true,
                        'emp_where_masked', '{"where": "email LIKE ''%example.com''", "mask": {"email": "email"}}'),
          'OK: cloned test_schema.emp_where_masked (3 rows)', 'where + mask: 3 rows selected by the original email');

SELECT * FROM finish();
ROLLBACK;

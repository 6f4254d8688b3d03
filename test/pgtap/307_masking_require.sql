-- 307_masking_require.sql -- the fail-closed gate {"require_masks": true} (an addition beyond v4.4.0):
-- a clone that would copy a sensitive column unmasked refuses to start and creates nothing.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(11);

CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text; s text;
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, s = RETURNED_SQLSTATE;
    RETURN concat_ws(' | ', s, m, nullif(d, ''), nullif(h, ''));
END $$;

CREATE TEMP TABLE schemas_before AS SELECT count(*) AS n FROM pg_namespace WHERE nspname IN ('test_schema', 'masking_test');

SELECT is(pg_temp.error_of($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_req', '{"require_masks": true}')$$),
    '22023 | table "test_schema"."employees" has sensitive columns without a mask | Unmasked sensitive columns: test_schema.employees.full_name (PII - Name), test_schema.employees.email (Email), test_schema.employees.phone (Phone), test_schema.employees.ssn (National ID), test_schema.employees.salary (Financial). The option "require_masks" refuses to copy them unmasked. | Add a mask for each of them to the "mask" option (pgclone.discover_sensitive() suggests one), or leave out {"require_masks": true}.',
    'no mask: refused, every sensitive column listed with its category');
SELECT is(pg_temp.error_of($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_req', '{"require_masks": true, "mask": {"email": "email", "full_name": "name", "phone": "phone"}}')$$),
    '22023 | table "test_schema"."employees" has sensitive columns without a mask | Unmasked sensitive columns: test_schema.employees.ssn (National ID), test_schema.employees.salary (Financial). The option "require_masks" refuses to copy them unmasked. | Add a mask for each of them to the "mask" option (pgclone.discover_sensitive() suggests one), or leave out {"require_masks": true}.',
    'partial mask: the columns still unmasked are listed');
SELECT alike(pg_temp.error_of($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'profiles', true, 'profiles_req', '{"require_masks": true}')$$),
    '22023 | table "masking_test"."profiles" has sensitive columns without a mask | Unmasked sensitive columns: masking_test.profiles.Home "Address" (Address), masking_test.profiles.date_of_birth (Date of Birth), masking_test.profiles.ip_address (IP Address), masking_test.profiles.password_hash (Credential). %',
    'other categories; the generated column is not required to be masked');

SELECT is((SELECT count(*) FROM pg_class WHERE relname IN ('emp_req', 'profiles_req') OR relname LIKE 'emp\_req\_%'), 0::bigint,
          'the refused clones created no relation');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname IN ('test_schema', 'masking_test')), (SELECT n FROM schemas_before),
          '... and no schema');

SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_req',
              '{"require_masks": true, "mask": {"email": "email", "full_name": "name", "phone": "phone", "ssn": "null", "salary": {"type": "random_int", "min": 1, "max": 9}}}'),
          'OK: cloned test_schema.emp_req (5 rows)', 'every sensitive column masked: the clone runs');
SELECT is((SELECT count(*) FROM test_schema.emp_req WHERE ssn IS NULL AND salary BETWEEN 1 AND 9 AND full_name = 'XXXX'), 5::bigint,
          '... with the masks applied');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, 'emp_req_subset',
              '{"require_masks": true, "columns": ["id", "notes", "created_at"]}'),
          'OK: cloned test_schema.emp_req_subset (5 rows)', 'a column subset without sensitive columns needs no mask');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', false, 'emp_req_empty',
              '{"require_masks": true}'),
          'OK: cloned test_schema.emp_req_empty (0 rows)', 'a structure-only clone copies no value and needs no mask');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'public', 'simple_test', true, 'simple_req',
              '{"require_masks": true}'),
          'OK: cloned public.simple_req (3 rows)', 'a table without sensitive columns clones as usual');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'orders', true, 'orders_req2', '{"require_masks": "yes"}')$$,
                 '22023', 'option "require_masks" must be a boolean', 'require_masks must be a boolean');

SELECT * FROM finish();
ROLLBACK;

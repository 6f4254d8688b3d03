-- 301_masking_invalid.sql -- invalid masks are clear errors raised before any data moves, they
-- leave nothing behind on the target, and no error ever shows a pseudonymization salt.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(28);

-- message | detail | hint of the error a statement raises (its own context left out: it would
-- quote the statement, which holds the salt the test passed in).
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text;
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', m, nullif(d, ''), nullif(h, ''));
END $$;

CREATE FUNCTION pg_temp.clone(target text, options text) RETURNS text LANGUAGE sql AS $$
    SELECT pgclone.table(current_setting('pgclone_test.source'), 'test_schema', 'employees', true, target, options)
$$;

CREATE TEMP TABLE relations_before AS SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'emp\_bad%';
CREATE TEMP TABLE schemas_before AS SELECT count(*) AS n FROM pg_namespace WHERE nspname IN ('test_schema', 'masking_test');

SELECT throws_ok($$SELECT pg_temp.clone('emp_bad1', '{"mask": {"email": "scramble"}}')$$, '22023',
    'unknown mask strategy "scramble" for column "email" of table "test_schema"."employees"; valid strategies are: email, name, phone, hash, null, partial, random_int, constant, pseudonymize',
    'unknown strategy: error lists the valid ones');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad2', '{"mask": {"salary": "email"}}')$$, '42804',
    'mask strategy "email" cannot be applied to column "salary" of table "test_schema"."employees" of type integer',
    'email on an integer column');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad3', '{"mask": {"no_such_col": "email"}}')$$, '42703',
    'column "no_such_col" of table "test_schema"."employees" does not exist',
    'mask on a column that does not exist');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad4', '{"mask": {"salary": {"type": "random_int", "min": 200000, "max": 100}}}')$$, '22023',
    'parameter "min" of mask strategy "random_int" for column "salary" of table "test_schema"."employees" must not be greater than "max"',
    'inverted random_int range');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad5', '{"mask": {"salary": {"type": "random_int", "min": 1}}}')$$, '22023',
    'mask strategy "random_int" for column "salary" of table "test_schema"."employees" requires parameters "min" and "max"',
    'random_int without max');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad6', '{"mask": {"full_name": {"type": "partial"}}}')$$, '22023',
    'mask strategy "partial" for column "full_name" of table "test_schema"."employees" requires parameter "prefix" or "suffix"',
    'partial without prefix and suffix');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad7', '{"mask": {"full_name": {"type": "partial", "prefix": 2, "sufix": 3}}}')$$, '22023',
    'unknown parameter "sufix" for mask strategy "partial" on column "full_name" of table "test_schema"."employees"',
    'a misspelt parameter is not ignored');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad8', '{"mask": {"full_name": "null"}}')$$, '22023',
    'mask strategy "null" cannot be applied to NOT NULL column "full_name" of table "test_schema"."employees"',
    'null on a NOT NULL column');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad9', '{"mask": {"salary": {"type": "constant", "value": "REDACTED"}}}')$$, '22P02',
    'could not apply the mask of table "test_schema"."employees" on the source server: invalid input syntax for type integer: "REDACTED"',
    'a constant that is no valid integer fails when the source plans the masked query');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad10', '{"columns": ["id", "full_name"], "mask": {"email": "email"}}')$$, '42703',
    'column "email" of table "test_schema"."employees" does not exist',
    'mask on a column left out by the "columns" option');
SELECT alike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad10', '{"columns": ["id", "full_name"], "mask": {"email": "email"}}')$$),
             '% | The mask names it, but the "columns" option leaves it out. | Mask only columns that are cloned.',
             '... and the detail says why');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad11', '{"mask": {"email": 5}}')$$, '22023',
    'mask for column "email" must be a strategy name or an object',
    'mask spec of the wrong JSON type');
SELECT throws_ok($$SELECT pg_temp.clone('emp_bad12', '{"mask": {"email": {"prefix": 1}}}')$$, '22023',
    'mask for column "email" of table "test_schema"."employees" needs a "type" naming its strategy',
    'mask object without "type"');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'profiles', true,
                                        'profiles_bad', '{"mask": {"display": "name"}}')$$, '0A000',
    'generated column "display" of table "masking_test"."profiles" cannot be masked',
    'generated column');
SELECT throws_ok($$SELECT pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'profiles', true,
                                        'profiles_bad', '{"mask": {"level": {"type": "random_int", "min": 0, "max": 40000}}}')$$, '42804',
    'range of mask strategy "random_int" does not fit column "level" of table "masking_test"."profiles" of type smallint',
    'random_int range wider than smallint');

-- Nothing is left behind: no table, no schema.
SELECT is((SELECT count(*) FROM pg_class WHERE relname LIKE 'emp\_bad%' OR relname = 'profiles_bad'),
          (SELECT n FROM relations_before), 'no table, index or sequence of a failed masked clone exists');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname IN ('test_schema', 'masking_test')),
          (SELECT n FROM schemas_before), 'the failed clones created no schema');

-- The same mask spec errors from mask_in_place and create_masking_policy.
SELECT pg_temp.clone('emp_ok', NULL);
SELECT throws_ok($$SELECT pgclone.mask_in_place('test_schema', 'emp_ok', '{"salary": "email"}')$$, '42804',
    'mask strategy "email" cannot be applied to column "salary" of table "test_schema"."emp_ok" of type integer',
    'mask_in_place: same compiler, same error');
SELECT results_eq('SELECT full_name, email FROM test_schema.emp_ok WHERE id = 1',
    $$VALUES ('Alice Johnson', 'alice@example.com')$$, 'mask_in_place: a failed call changed no row');

-- The salt never appears in an error.
SELECT unalike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad20', '{"mask": {"email": {"type": "pseudonymize", "salt": "TopSecretSalt42}}}')$$),
               '%TopSecretSalt42%', 'broken options JSON after the salt: salt not echoed');
SELECT alike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad20', '{"mask": {"email": {"type": "pseudonymize", "salt": "TopSecretSalt42}}}')$$),
            'invalid JSON in options: %', '... and the error is the JSON error');
SELECT unalike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad21', '{"mask": {"salary": {"type": "pseudonymize", "salt": "TopSecretSalt42"}}}')$$),
               '%TopSecretSalt42%', 'pseudonymize on an integer column: salt not echoed');
SELECT unalike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad22', '{"mask": {"email": {"type": "pseudonymize", "salt": "Sh0rt"}}}')$$),
               '%Sh0rt%', 'too short a salt: salt not echoed');
SELECT alike(pg_temp.error_of($$SELECT pg_temp.clone('emp_bad22', '{"mask": {"email": {"type": "pseudonymize", "salt": "Sh0rt"}}}')$$),
            'parameter "salt" of mask strategy "pseudonymize" for column "email" of table "test_schema"."employees" must be a string of 8 to 64 bytes',
            '... and the error says what a salt must be');
SELECT unalike(pg_temp.error_of($$SELECT pgclone.mask_in_place('test_schema', 'emp_ok', '{"nope": {"type": "pseudonymize", "salt": "TopSecretSalt42"}}')$$),
               '%TopSecretSalt42%', 'mask_in_place on a missing column: salt not echoed');
SELECT unalike(pg_temp.error_of($$SELECT pgclone.mask_in_place('test_schema', 'emp_ok', '{"email": {"type": "pseudonymize", "salt": 12345678901}}')$$),
               '%12345678901%', 'a salt of the wrong JSON type is not echoed either');
SELECT unalike(pg_temp.error_of($$SELECT pgclone.mask_in_place('test_schema', 'emp_ok', '{"email": {"type": "pseudonymize", "salt": "TopSecretSalt42"')$$),
               '%TopSecretSalt42%', 'mask_in_place with broken mask_json: salt not echoed');
SELECT unalike(pg_temp.error_of($$SELECT pgclone.create_masking_policy('test_schema', 'emp_ok', '{"email": {"type": "pseudonymize", "salt": "TopSecretSalt42"}}', 'postgres')$$),
               '%TopSecretSalt42%', 'masking policy refusing pseudonymize: salt not echoed');

SELECT * FROM finish();
ROLLBACK;

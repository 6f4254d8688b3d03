-- 450_upgrade_4_5_0.sql -- the 4.5.0 addition (verify with options) ships as an update script:
-- CREATE EXTENSION ... VERSION '4.4.0' has the 4.4.0 surface only, ALTER EXTENSION ... UPDATE
-- adds the new overload, and a plain CREATE EXTENSION installs 4.4.0 plus the update.
BEGIN;
SELECT plan(11);

DROP EXTENSION IF EXISTS pgclone CASCADE;
CREATE EXTENSION pgclone VERSION '4.4.0';
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.4.0', 'installed at 4.4.0');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('pgclone.verify(text, text, text)')),
          '4.4.0 has no verify(text, text, text)');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text'], '4.4.0 has verify(text, text)');

ALTER EXTENSION pgclone UPDATE;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.5.0', 'ALTER EXTENSION UPDATE reaches 4.5.0');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text', 'text'], 'the update adds verify(text, text, text)');
SELECT ok(NOT has_function_privilege('public', 'pgclone.verify(text, text, text)', 'EXECUTE'),
          'EXECUTE on the new overload is not granted to PUBLIC');
SELECT ok(EXISTS (SELECT 1 FROM pg_depend WHERE objid = 'pgclone.verify(text, text, text)'::regprocedure
                  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pgclone') AND deptype = 'e'),
          'the new overload is a member of the extension');
SELECT is((SELECT match FROM pgclone.verify(current_setting('pgclone_test.source'), 'test_schema', '{"mode": "exact"}')
           WHERE table_name = 'customers'),
          (SELECT match FROM pgclone.verify(current_setting('pgclone_test.source'), 'test_schema')
           WHERE table_name = 'customers'),
          'the updated extension runs verify with options');

DROP EXTENSION pgclone;
CREATE EXTENSION pgclone;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.5.0',
          'CREATE EXTENSION without VERSION installs 4.5.0');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text', 'text'], 'and has verify(text, text, text)');
SELECT is(pgclone.version(), 'pgclone 4.5.0', 'pgclone.version() reports 4.5.0');

SELECT * FROM finish();
ROLLBACK;

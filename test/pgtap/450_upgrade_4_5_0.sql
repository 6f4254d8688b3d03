-- 450_upgrade_4_5_0.sql -- the 4.5.0 addition (verify with options) ships as an update script:
-- CREATE EXTENSION ... VERSION '4.4.0' has the 4.4.0 surface only, ALTER EXTENSION ... UPDATE
-- adds the new overload, and CREATE EXTENSION ... VERSION '4.5.0' installs 4.4.0 plus the update.
-- (Updates to 4.6.0 and the current install: 601_upgrade_4_6_0.sql.)
BEGIN;
SELECT plan(12);

DROP EXTENSION IF EXISTS pgclone CASCADE;
CREATE EXTENSION pgclone VERSION '4.4.0';
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.4.0', 'installed at 4.4.0');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('pgclone.verify(text, text, text)')),
          '4.4.0 has no verify(text, text, text)');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text'], '4.4.0 has verify(text, text)');

ALTER EXTENSION pgclone UPDATE TO '4.5.0';
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

-- Fingerprint of every member object of the extension, to compare the two install paths.
CREATE TEMP VIEW pgclone_members AS
SELECT string_agg(pg_describe_object(d.classid, d.objid, d.objsubid) || ' ' ||
                  coalesce(md5((SELECT row(p.proargnames, p.proargtypes::text, p.prorettype, p.prosrc, p.proisstrict,
                                         p.provolatile, p.proretset, pg_get_expr(p.proargdefaults, 0),
                                         obj_description(p.oid, 'pg_proc'), p.proacl)::text
                                FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid)), '') ||
                  coalesce(md5((SELECT pg_get_viewdef(d.objid) WHERE d.classid = 'pg_class'::regclass)), ''),
                  E'\n' ORDER BY 1)
FROM pg_depend d
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pgclone') AND d.deptype = 'e';
CREATE TEMP TABLE upgraded_members AS SELECT * FROM pgclone_members;

DROP EXTENSION pgclone;
CREATE EXTENSION pgclone VERSION '4.5.0';
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '4.5.0',
          'CREATE EXTENSION VERSION ''4.5.0'' installs 4.5.0');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text', 'text'], 'and has verify(text, text, text)');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pgclone.jobs_view'::regclass AND attname = 'current_table'),
          'a 4.5.0 install is the 4.5.0 surface (its jobs_view has no current_table)');
SELECT is((SELECT * FROM pgclone_members), (SELECT * FROM upgraded_members),
          'a 4.5.0 install and 4.4.0 + ALTER EXTENSION UPDATE have the same objects, definitions and ACLs');

SELECT * FROM finish();
ROLLBACK;

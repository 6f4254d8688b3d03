-- 015_table_binary_safety.sql -- binary COPY is used only for types whose binary form means the
-- same on both servers. reg* values travel as OIDs in binary (names in text) and aclitem has no
-- binary input: a table with such columns must be copied as text and arrive with the same values.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(7);

DROP SCHEMA IF EXISTS fidelity CASCADE;
-- The reg* values name objects that must exist on the target for their text form to load.
SELECT matches(pgclone.table(current_setting('pgclone_test.source'), 'fidelity', 'everything', false),
    '^OK: cloned fidelity.everything \(0 rows', 'the referenced table exists on the target');
SELECT matches(pgclone.table(current_setting('pgclone_test.source'), 'fidelity', 'udt_table', false),
    '^OK: cloned fidelity.udt_table \(0 rows', 'the referenced types exist on the target');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'fidelity', 'oid_kinds', true),
    'OK: cloned fidelity.oid_kinds (1 row)', 'table with reg*, reg*[] and aclitem columns cloned');
SELECT is((SELECT rc::text FROM fidelity.oid_kinds), 'fidelity.everything', 'regclass arrives as the same name');
SELECT is((SELECT rt::text || ' ' || rts::text FROM fidelity.oid_kinds), 'fidelity.mood {integer,fidelity.pair}',
    'regtype and regtype[] arrive as the same names');
SELECT is((SELECT acl::text FROM fidelity.oid_kinds), 'postgres=r/postgres', 'aclitem arrives');
SELECT is((SELECT o FROM fidelity.oid_kinds), 42::oid, 'a plain oid column arrives as the number');

SELECT * FROM finish();
ROLLBACK;

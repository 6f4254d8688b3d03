-- 308_masking_forged_record.sql -- drop_masking_policy reads back what create_masking_policy
-- changed from the view's COMMENT, which the table's owner can edit. A forged record must not
-- reach GRANT/REVOKE: anything but plain privilege keywords makes it "not a pgclone masking policy".
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(3);

CREATE ROLE pgclone_forger NOSUPERUSER;
CREATE SCHEMA forge AUTHORIZATION pgclone_forger;
SET ROLE pgclone_forger;
CREATE TABLE forge.t (id int, email text);
CREATE VIEW forge.t_masked AS SELECT id FROM forge.t;
COMMENT ON VIEW forge.t_masked IS 'pgclone masking policy {"table": "t", "masked_columns": {"email": "email"}, '
    '"privileged_role": "pgclone_forger", "public_table_privileges": ["SELECT ON TABLE forge.t TO PUBLIC; '
    'ALTER ROLE pgclone_forger SUPERUSER; GRANT SELECT"], "public_column_privileges": {}, '
    '"granted_table_privileges": [], "granted_schema_usage": false}';
RESET ROLE;

SELECT throws_ok($$SELECT pgclone.drop_masking_policy('forge', 't')$$, '22023', NULL,
    'a record with something else than privilege keywords is refused');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'pgclone_forger'), false, 'the forger did not become superuser');
SELECT is(to_regclass('forge.t_masked')::text, 'forge.t_masked', 'the view is still there (nothing was changed)');

SELECT * FROM finish();
ROLLBACK;

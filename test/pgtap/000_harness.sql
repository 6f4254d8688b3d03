-- 000_harness.sql -- checks the test harness itself (no pgclone needed).
-- Runs in the target database created by test/harness/cluster.sh.
BEGIN;
SELECT plan(9);

SELECT is(current_database(), 'target', 'connected to the target database');
SELECT is(current_user::text, 'postgres', 'connected as the postgres superuser');

-- The source conninfo is provided to every file through a custom setting.
SELECT isnt(nullif(current_setting('pgclone_test.source', true), ''), NULL,
            'pgclone_test.source is set and non-empty');
SELECT matches(current_setting('pgclone_test.source', true),
               '(^| )dbname=source( |$)', 'pgclone_test.source points at the source database');
SELECT matches(current_setting('pgclone_test.source', true),
               '(^| )password=\S+', 'pgclone_test.source carries a password (source uses scram-sha-256)');
SELECT doesnt_match(current_setting('pgclone_test.source', true),
                    '(^| )port=' || current_setting('port') || '( |$)',
                    'pgclone_test.source is not the target server itself');

-- pgclone must be preloaded unless the harness was started with --no-preload.
SELECT CASE
    WHEN current_setting('pgclone_test.preload', true) IS DISTINCT FROM 'off' THEN
        matches(current_setting('shared_preload_libraries'), '(^|[\s,])"?pgclone"?($|[\s,])',
                'shared_preload_libraries contains pgclone')
    ELSE skip('target started with --no-preload (pgclone_test.preload = off)', 1)
END;

SELECT cmp_ok(current_setting('max_worker_processes')::int, '>=', 16,
              'max_worker_processes >= 16 for background clone workers');

SELECT is(current_setting('server_encoding'), 'UTF8', 'target cluster uses UTF8');

SELECT * FROM finish();
ROLLBACK;

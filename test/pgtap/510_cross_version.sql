-- 510_cross_version.sql -- what differs in the source's catalog between PostgreSQL 14 and 18
-- (test/fixtures/xver.sql): generated columns (dependencies recorded differently by 14, VIRTUAL
-- by default on 18), NOT NULL constraints as pg_constraint rows (18), and view definitions
-- printed without qualifiers by 16+. Run against the 15 source by test/run_all.sh and against
-- 14/16/17/18 sources by test/cross/run_cross.sh; every expected value holds for all of them.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(17);

CREATE FUNCTION pg_temp.src() RETURNS text LANGUAGE sql AS $$ SELECT current_setting('pgclone_test.source') $$;
-- The source's major version (recorded by the harness; the same build as the target otherwise).
CREATE FUNCTION pg_temp.source_major() RETURNS int LANGUAGE sql AS $$
    SELECT coalesce(nullif(current_setting('pgclone_test.source_version_num', true), ''),
                    current_setting('server_version_num'))::int / 10000
$$;
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

DROP SCHEMA IF EXISTS xver CASCADE;
CREATE SCHEMA xver;

-- A generated column cannot be cloned without the columns it is computed from: found from the
-- source's pg_depend, which PostgreSQL 14 fills differently from 15+.
SELECT is(pg_temp.error_of($$SELECT pgclone.table(pg_temp.src(), 'xver', 'items', true, 'items_bad',
                                                '{"columns": ["id", "total"]}')$$),
          '22023: generated column "total" cannot be cloned without the columns it is computed from',
          'columns: a generated column without price and qty is refused');
SELECT hasnt_table('xver', 'items_bad', 'columns: ... and nothing was created');

-- The table: the generated column (virtual on an 18 source) is a stored generated column here,
-- with the same values; NOT NULL (a named constraint on 18) is kept.
SELECT is(pgclone.table(pg_temp.src(), 'xver', 'items', true), 'OK: cloned xver.items (3 rows)', 'clone xver.items');
SELECT is((SELECT array_agg(total ORDER BY id) FROM xver.items), '{10.00,2.50,0.00}'::numeric[],
          'total has the source values');
SELECT is((SELECT attgenerated::text FROM pg_attribute WHERE attrelid = 'xver.items'::regclass AND attname = 'total'),
          's', 'total is a stored generated column on the target');
SELECT is(pg_get_expr(d.adbin, d.adrelid), '(price * (qty)::numeric)', 'total keeps its expression')
FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE d.adrelid = 'xver.items'::regclass AND a.attname = 'total';
INSERT INTO xver.items (id, price, qty, note) VALUES (4, 3.00, 3, 'd');
SELECT is((SELECT total FROM xver.items WHERE id = 4), 9.00, 'the target computes total for new rows');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = 'xver.items'::regclass AND attnum > 0 AND attnotnull),
          ARRAY['id', 'price', 'qty', 'note'], 'NOT NULL columns as on the source');
SELECT is((SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint WHERE conrelid = 'xver.items'::regclass),
          ARRAY['items_pkey'], 'no stray constraint from the source''s NOT NULL rows');

-- The schema: views printed either way by the source are created and compare equal.
DROP SCHEMA xver CASCADE;
SELECT matches(pgclone.schema(pg_temp.src(), 'xver', true),
               '^OK: cloned schema xver: 1 table \(3 rows\), 3 views, 0 materialized views, ',
               'clone schema xver');
SELECT is((SELECT count(*)::int FROM xver.cheap), 2, 'view cheap (one relation, alias) works');
SELECT is((SELECT array_agg(total ORDER BY id) FROM xver.totals), '{10.00,2.50,0.00}'::numeric[],
          'view totals (one relation) works');
SELECT is((SELECT count(*)::int FROM xver.pairs), 3, 'view pairs (a join) works');

CREATE TEMP TABLE d AS SELECT pgclone.diff(pg_temp.src(), 'xver')::jsonb AS doc;
SELECT is((SELECT doc->'views' FROM d), '{"only_in_source": [], "only_in_target": [], "modified": [],
          "detail": {"only_in_source": [], "only_in_target": [], "modified": []}}'::jsonb,
          'diff: the views are in sync whatever the source version prints');
SELECT is((SELECT jsonb_build_array(doc #> '{summary,only_in_source}', doc #> '{summary,only_in_target}') FROM d),
          '[0, 0]'::jsonb,
          'diff: nothing only on one side');
-- A virtual column (18+) is stored here: the one real difference diff must still report.
SELECT is((SELECT doc #> '{tables,detail,modified}' FROM d),
          CASE WHEN pg_temp.source_major() >= 18
               THEN '[{"name": "items", "columns": {"only_in_source": [], "only_in_target": [], "modified":
                      [{"name": "total", "changes": ["default"],
                        "source": {"type": "numeric", "nullable": true,
                                   "default": "GENERATED ALWAYS AS ((price * (qty)::numeric)) VIRTUAL"},
                        "target": {"type": "numeric", "nullable": true,
                                   "default": "GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED"}}]}}]'::jsonb
               ELSE '[]'::jsonb END,
          'diff: tables in sync, except a virtual column that is stored on the target');
SELECT is((SELECT doc->'in_sync' FROM d), to_jsonb(pg_temp.source_major() < 18), 'diff: in_sync');

SELECT * FROM finish();
ROLLBACK;

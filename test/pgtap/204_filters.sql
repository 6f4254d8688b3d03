-- 204_filters.sql -- v4.4.0 table subset filters: "tables" / "exclude_tables" are POSIX regexes
-- anchored as ^(pattern)$, evaluated by the source; excludes after includes; sequences, views,
-- materialized views and functions are still cloned in full; an invalid regex fails with the
-- source's error; "masks" keys that match no table are refused before anything is created.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(21);

CREATE FUNCTION pg_temp.tables_of(s text) RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(tablename::text ORDER BY tablename), '{}') FROM pg_tables WHERE schemaname = s
$$;

-- The example of the release notes: order_* partitions plus customers, minus anything archived.
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": ["order_[0-9]+", "customers.*"], "exclude_tables": [".*_archive"]}'),
    '^OK: cloned schema filter_test: 3 tables \(8 rows\), 1 view, 0 materialized views, 0 functions, 1 sequence, ',
    'include + exclude: result text');
SELECT is(pg_temp.tables_of('filter_test'), ARRAY['customers', 'order_2024', 'order_2025'],
    'include + exclude: customers_archive excluded after being included, others never included');
SELECT is((SELECT count(*) FROM filter_test.order_2025), 3::bigint, 'filtered tables carry all their rows');
SELECT is((SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'filter_test.order_2024'::regclass
           AND contype = 'f'), 'filter_test.customers', 'foreign keys between kept tables are created');
SELECT is((SELECT last_value FROM filter_test.ticket_seq), 42::bigint, 'sequences are cloned in full');
SELECT is((SELECT count(*) FROM filter_test.recent_orders), 5::bigint, 'views are cloned in full');

-- Anchoring: "order" alone matches no table (no partial matches). The view recent_orders reads
-- tables that were filtered out, so it cannot be created: a warning, and the clone goes on.
DROP SCHEMA filter_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true, '{"tables": ["order"]}'),
    '^DONE WITH 1 WARNING: cloned schema filter_test: 0 tables \(0 rows\), 0 views, .* 1 sequence, ',
    'patterns are anchored: "order" matches no table');
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": ["order"], "conflict": "skip"}'), '^DONE WITH 1 WARNING: .* 0 sequences \(1 kept\), ',
    'second run with conflict skip keeps the existing sequence');

-- Excludes alone
DROP SCHEMA filter_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"exclude_tables": [".*_archive", "audit_log"]}'), '^OK: cloned schema filter_test: 5 tables \(11 rows\)',
    'exclude only');
SELECT is(pg_temp.tables_of('filter_test'), ARRAY['Order Notes', 'customers', 'employees', 'order_2024', 'order_2025'],
    'exclude only: every other table');

-- Regex features: alternation, character classes, a quoted mixed-case name with a space
DROP SCHEMA filter_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": ["(audit|employee)[a-z_]*", "Order Notes"]}'),
    '^DONE WITH 1 WARNING: cloned schema filter_test: 3 tables \(5 rows\)',
    'alternation, classes and a name with a space');
SELECT is(pg_temp.tables_of('filter_test'), ARRAY['Order Notes', 'audit_log', 'employees'], 'regex features: tables');

-- A pattern is data, never SQL
DROP SCHEMA filter_test CASCADE;
SELECT matches(pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    $${"tables": ["x') OR true OR ('"]}$$), ': 0 tables \(0 rows\)', 'a pattern cannot inject SQL');

-- Invalid regex: the source's error, nothing created
DROP SCHEMA filter_test CASCADE;
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": ["order_[0-9+"]}')$$, '2201B', 'invalid regular expression: brackets [] not balanced',
    'invalid regex: the source''s invalid_regular_expression error');
SELECT hasnt_schema('filter_test', 'invalid regex: nothing created');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"exclude_tables": ["(unclosed"]}')$$, '2201B', NULL, 'invalid exclude regex fails too');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"tables": "customers"}')$$, '22023', 'option "tables" must be an array of strings', 'tables must be an array');

-- masks keys are checked against the source's tables before anything is created
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"masks": {"employes": {"email": "email"}}}')$$, '22023',
    'option "masks" names a table that does not exist on the source: "employes"', 'misspelt masks key refused');
SELECT throws_ok($$SELECT pgclone.database(current_setting('pgclone_test.source'), true,
    '{"masks": {"hr.employees": {"email": "email"}, "nope": {"x": "null"}}}')$$, '22023',
    'option "masks" names tables that do not exist on the source: "hr.employees", "nope"',
    'database: unknown qualified and bare masks keys refused');
SELECT hasnt_schema('filter_test', 'refused masks: nothing created');
SELECT throws_ok($$SELECT pgclone.schema(current_setting('pgclone_test.source'), 'filter_test', true,
    '{"mask": {"email": "email"}}')$$, '22023', 'option "mask" is not supported by pgclone.schema()',
    'the single-table "mask" option is refused (use "masks")');

SELECT * FROM finish();
ROLLBACK;

-- 630_mask_reach.sql -- masks reach every row they were meant for (issue "Safe to point at
-- production", items 1-4): a mask of a partitioned table covers every partition at any depth,
-- require_masks judges a whole plan before any row moves, a where filter cannot replace the rows
-- the masks apply to, and a masking policy takes PUBLIC's rights on every partition and gives
-- back exactly those. Fixture: test/fixtures/mask_reach.sql.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(61);

\ir lib/table_helpers.sql

-- "sqlstate | message | detail" of the error a statement raises, or 'no error'.
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN e IS NULL THEN 'no error' ELSE concat_ws(' | ', e[1], e[2], nullif(e[3], '')) END
    FROM (SELECT pg_temp.caught(stmt) AS e) AS x
$$;

CREATE FUNCTION pg_temp.schema_clone(opts text) RETURNS text LANGUAGE sql AS $$
    SELECT pgclone.schema(current_setting('pgclone_test.source'), 'mask_reach', true, opts)
$$;

-- Rows whose email or ssn arrived as the source has them.
CREATE FUNCTION pg_temp.unmasked(rel regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s WHERE email LIKE %L OR ssn LIKE %L', rel, 'person%@real.example', 'SSN-%') INTO n;
    RETURN n;
END $$;

-- 1. A mask keyed by the partitioned table reaches every partition, at any depth.
SELECT matches(pg_temp.schema_clone('{"masks": {"people": {"email": "hash", "ssn": "null"}}}'),
               '^(OK|DONE)', 'schema clone with a mask of the partitioned table');
SELECT is((SELECT count(*) FROM mask_reach.people), 7::bigint, '... all 7 rows arrive');
SELECT is(pg_temp.unmasked('mask_reach.people'), 0::bigint, '... none of them unmasked');
SELECT is(pg_temp.unmasked('mask_reach.people_eu_low'), 0::bigint, '... a partition two levels down is masked');
SELECT is(pg_temp.unmasked('mask_reach.people_other'), 0::bigint, '... the default partition is masked');
SELECT is((SELECT count(*) FROM mask_reach.people WHERE email ~ '^[0-9a-f]{32}$'), 7::bigint,
          '... with the parent''s strategy (hash)');
SELECT is((SELECT count(*) FROM mask_reach.people_mv WHERE email ~ '^[0-9a-f]{32}$' AND ssn IS NULL), 7::bigint,
          '... and a materialized view over it is filled on the target from the masked rows, not copied');
DROP SCHEMA mask_reach CASCADE;

-- 2. A key naming a partition itself wins over its parent's; an intermediate parent's key
--    reaches its own partitions only.
SELECT matches(pg_temp.schema_clone('{"masks": {"people": {"email": "hash", "ssn": "null"}, "people_us": {"email": "null", "ssn": "null"}}}'),
               '^(OK|DONE)', 'schema clone with a partition''s own mask');
SELECT is((SELECT count(*) FROM mask_reach.people_us WHERE email IS NULL), 3::bigint, '... the partition''s own mask is used');
SELECT is((SELECT count(*) FROM mask_reach.people_eu WHERE email ~ '^[0-9a-f]{32}$'), 3::bigint, '... the others keep the parent''s');
DROP SCHEMA mask_reach CASCADE;
SELECT matches(pg_temp.schema_clone('{"masks": {"people_eu": {"email": "hash", "ssn": "null"}}}'),
               '^(OK|DONE)', 'schema clone with a mask of an intermediate partitioned table');
SELECT is(pg_temp.unmasked('mask_reach.people_eu'), 0::bigint, '... masks the partitions below it');
SELECT is(pg_temp.unmasked('mask_reach.people_us'), 3::bigint, '... and not its siblings');
DROP SCHEMA mask_reach CASCADE;

-- 3. discover_sensitive() keys its advice by the parent; used as "masks" it leaves nothing unmasked.
SELECT matches(pg_temp.schema_clone(json_build_object('masks',
                   pgclone.discover_sensitive(current_setting('pgclone_test.source'), 'mask_reach')::json)::text),
               '^(OK|DONE)', 'schema clone with discover_sensitive() as masks');
SELECT is(pg_temp.unmasked('mask_reach.people'), 0::bigint, '... no partition''s rows arrive unmasked');

-- 4. mask_in_place on a partitioned table masks every partition.
SELECT is(pgclone.mask_in_place('mask_reach', 'people', '{"email": "name"}'),
          'OK: masked 7 rows in mask_reach.people (1 column)', 'mask_in_place on the partitioned table');
SELECT is((SELECT count(*) FROM mask_reach.people_eu_high WHERE email = 'XXXX'), 1::bigint, '... reaches a partition two levels down');
DROP SCHEMA mask_reach CASCADE;

-- 5. require_masks judges every table of the plan, partitions included, at once, and refuses
--    before anything exists on the target.
SELECT is(pg_temp.error_of($$SELECT pg_temp.schema_clone('{"require_masks": true, "masks": {"people": {"email": "hash"}}}')$$),
    '22023 | 4 tables have sensitive columns without a mask | Unmasked sensitive columns: mask_reach.people_other.ssn (National ID), mask_reach.people_us.ssn (National ID), mask_reach.people_eu_high.ssn (National ID), mask_reach.people_eu_low.ssn (National ID). The option "require_masks" refuses to copy them unmasked.',
    'require_masks: one refusal listing every unmasked column of every partition');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'mask_reach'), 0::bigint, '... and nothing was created');
SELECT matches(pg_temp.schema_clone('{"require_masks": true, "masks": {"people": {"email": "hash", "ssn": "null"}}}'),
               '^(OK|DONE)', 'require_masks passes when the parent''s mask covers every partition');
SELECT is(pg_temp.unmasked('mask_reach.people'), 0::bigint, '... and the rows are masked');
DROP SCHEMA mask_reach CASCADE;

-- 6. The where filter: one boolean expression over the table's rows, checked by PostgreSQL's parser.
CREATE FUNCTION pg_temp.filtered(filter text, opts jsonb DEFAULT '{}') RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.error_of(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
        current_setting('pgclone_test.source'), 'mask_reach', 'people_us', 'us_copy',
        (opts || jsonb_build_object('where', filter, 'mask', '{"email": "hash", "ssn": "null"}'::jsonb))::text))
$$;
SELECT is(pg_temp.filtered('false UNION ALL SELECT * FROM mask_reach.people_us'),
    '22023 | where filter must be one boolean expression over the table''s rows | It does not parse as an expression: syntax error at or near "UNION".',
    'a UNION in the filter is refused');
SELECT is(pg_temp.filtered('true) UNION ALL (SELECT 1, ''us'', payload, payload, payload FROM mask_reach.secrets'),
    '22023 | where filter must be one boolean expression over the table''s rows | It adds a set operation (UNION, INTERSECT or EXCEPT) to the query.',
    'a UNION that closes the parenthesis is refused');
SELECT matches(pg_temp.filtered('true) ORDER BY (1'), '^22023 \| where filter must be one boolean expression .* adds another clause', 'ORDER BY is refused');
SELECT matches(pg_temp.filtered('true) LIMIT (1'), '^22023 \| where filter must be one boolean expression .* adds another clause', 'LIMIT is refused');
SELECT matches(pg_temp.filtered('true) GROUP BY (id'), '^22023 \| where filter must be one boolean expression .* adds another clause', 'GROUP BY is refused');
SELECT matches(pg_temp.filtered(E'true) FOR UPDATE --'), '^22023 \| where filter must be one boolean expression', 'FOR UPDATE is refused');
SELECT matches(pg_temp.filtered('1=1; DROP TABLE test_schema.customers; --'), '^22023 \| where filter must be one boolean expression .*syntax error at or near ";"', 'a second statement is refused');
SELECT matches(pg_temp.filtered('true)) AS x, LATERAL (SELECT * FROM mask_reach.secrets'), '^22023 \| where filter must be one boolean expression', 'breaking out of the inner query is refused');
SELECT matches(pg_temp.filtered(''), '^22023 \| option "where" must not be empty', 'an empty filter is refused');
SELECT is((SELECT count(*) FROM pg_class WHERE relname = 'us_copy'), 0::bigint, 'no refused filter created anything');

SELECT is(pg_temp.filtered('id IN (SELECT id FROM mask_reach.aaa_plain)'), 'no error', 'a subquery that only filters is accepted');
SELECT is((SELECT array_agg(id ORDER BY id) FROM mask_reach.us_copy), ARRAY[3], '... and keeps the rows it selects');
SELECT is(pg_temp.unmasked('mask_reach.us_copy'), 0::bigint, '... masked');
DROP TABLE mask_reach.us_copy;
SELECT is(pg_temp.filtered(E'id > 3 -- keep the newer ones'), 'no error', 'a trailing comment is harmless now');
SELECT is((SELECT count(*) FROM mask_reach.us_copy), 2::bigint, '... and the filter applies');
DROP TABLE mask_reach.us_copy;
SELECT is(pg_temp.filtered('note <> ''x; DROP TABLE y; --'''), 'no error', 'statement text inside a literal is data');
SELECT is(pg_temp.unmasked('mask_reach.us_copy'), 0::bigint, '... every row the filter lets through is masked');
DROP SCHEMA mask_reach CASCADE;

-- 7. A masking policy on a partitioned table takes PUBLIC's rights on every partition too, and
--    drop_masking_policy gives back exactly what was taken.
SELECT pgclone.schema(current_setting('pgclone_test.source'), 'mask_reach', true);
CREATE ROLE pgclone_mr_reader NOLOGIN;
GRANT USAGE ON SCHEMA mask_reach TO PUBLIC;
GRANT SELECT ON mask_reach.people, mask_reach.people_us, mask_reach.people_eu_low TO PUBLIC;
GRANT INSERT ON mask_reach.people_eu_high TO PUBLIC;
-- A partition whose name would break SQL built from it unquoted.
CREATE TABLE mask_reach."odd ""part""; --" PARTITION OF mask_reach.people FOR VALUES IN ('zz');
GRANT SELECT ON mask_reach."odd ""part""; --" TO PUBLIC;
SELECT ok(has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_low', 'SELECT'), 'before: PUBLIC reads a partition');
SELECT matches(pgclone.create_masking_policy('mask_reach', 'people', '{"email": "hash", "ssn": "null"}', 'postgres'),
               '^OK: created masking policy on mask_reach.people', 'create a policy on the partitioned table');
SELECT ok(NOT has_table_privilege('pgclone_mr_reader', 'mask_reach.people_us', 'SELECT'), '... PUBLIC no longer reads a partition');
SELECT ok(NOT has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_low', 'SELECT'), '... nor one two levels down');
SELECT ok(NOT has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_high', 'INSERT'), '... and loses its other rights there');
SELECT ok(NOT has_table_privilege('pgclone_mr_reader', 'mask_reach."odd ""part""; --"', 'SELECT'), '... also on a partition with an odd name');
SELECT matches(pgclone.drop_masking_policy('mask_reach', 'people'), '^OK: dropped masking policy', 'drop the policy');
SELECT is(ARRAY[has_table_privilege('pgclone_mr_reader', 'mask_reach.people', 'SELECT'),
                has_table_privilege('pgclone_mr_reader', 'mask_reach.people_us', 'SELECT'),
                has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_low', 'SELECT'),
                has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_high', 'INSERT'),
                has_table_privilege('pgclone_mr_reader', 'mask_reach.people_eu_high', 'SELECT'),
                has_table_privilege('pgclone_mr_reader', 'mask_reach.people_other', 'SELECT')],
          ARRAY[true, true, true, true, false, false], '... PUBLIC has exactly what it had before, partition by partition');
SELECT ok(has_table_privilege('pgclone_mr_reader', 'mask_reach."odd ""part""; --"', 'SELECT'), '... the oddly named one included');

-- 8. A policy made before policies recorded their privileges (a view without the record):
--    dropping it gives SELECT back to PUBLIC, as the manual says (11.6).
REVOKE ALL ON mask_reach.aaa_plain FROM PUBLIC;
CREATE VIEW mask_reach.aaa_plain_masked AS SELECT id, 'XXXX'::text AS label FROM mask_reach.aaa_plain;
SELECT is(pgclone.drop_masking_policy('mask_reach', 'aaa_plain'), 'OK: dropped masking policy on mask_reach.aaa_plain (view mask_reach.aaa_plain_masked)',
          'an unrecorded policy is dropped');
SELECT ok(has_table_privilege('pgclone_mr_reader', 'mask_reach.aaa_plain', 'SELECT'), '... and SELECT is restored to PUBLIC');
CREATE VIEW mask_reach.secrets_masked AS SELECT 1 AS one;
SELECT matches(pg_temp.error_of($$SELECT pgclone.drop_masking_policy('mask_reach', 'secrets')$$), '^22023 \| view .* is not a pgclone masking policy',
               'a *_masked view that does not read the table is not taken for a policy');

-- 9. Table inheritance: a query of the parent shows its children's rows, so the parent's mask
--    reaches every INHERITS child at any depth, and a child's own key wins.
CREATE FUNCTION pg_temp.inherit_clone(opts text) RETURNS text LANGUAGE sql AS $$
    SELECT pgclone.schema(current_setting('pgclone_test.source'), 'mask_inherit', true, opts)
$$;
SELECT matches(pg_temp.inherit_clone('{"masks": {"customers": {"email": "hash", "ssn": "null"}}}'),
               '^(OK|DONE)', 'schema clone with a mask of an inheritance parent');
SELECT is((SELECT count(*) FROM mask_inherit.customers), 4::bigint, '... the parent shows all 4 rows, its children''s included');
SELECT is((SELECT count(*) FROM ONLY mask_inherit.customers), 1::bigint, '... and holds only its own row (a masked copy reads ONLY the table)');
SELECT is(pg_temp.unmasked('mask_inherit.customers'), 0::bigint, '... none of them unmasked');
SELECT is(pg_temp.unmasked('mask_inherit.customers_vip_gold'), 0::bigint, '... a child two levels down is masked');
SELECT is((SELECT count(*) FROM mask_inherit.customer_emails), 4::bigint,
          '... a materialized view over the parent is filled after the inheritance links, with all 4 rows as on the source');
SELECT is((SELECT count(*) FROM mask_inherit.customer_emails WHERE email LIKE '%@real.example'), 0::bigint,
          '... from the masked rows');
DROP SCHEMA mask_inherit CASCADE;
SELECT matches(pg_temp.inherit_clone('{"masks": {"customers": {"email": "hash", "ssn": "null"}, "customers_vip": {"email": "null", "ssn": "null"}}}'),
               '^(OK|DONE)', 'schema clone with a child''s own mask');
SELECT is((SELECT count(*) FROM mask_inherit.customers_vip WHERE email IS NULL), 3::bigint,
          '... the child''s own mask wins, and reaches its own child');
DROP SCHEMA mask_inherit CASCADE;
SELECT matches(pg_temp.inherit_clone('{"require_masks": true, "masks": {"customers": {"email": "hash", "ssn": "null"}}}'),
               '^(OK|DONE)', 'require_masks passes when the parent''s mask covers every inheritance child');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'mask_inherit', 'customers', true, 'customers_copy', '{"where": "id > 0"}'),
          'OK: cloned mask_inherit.customers_copy (1 row)', 'a filtered table clone of an inheritance parent copies its own rows, as an unfiltered one');
DROP SCHEMA mask_inherit CASCADE;

SELECT * FROM finish();
ROLLBACK;

-- 211_subset.sql -- subset clones (docs/SCHEMA_DATABASE.md "Subset clones") on the fixture
-- test/fixtures/subset.sql: per mode (parents, restrict, children, none) the kept rows of every
-- table equal a reference query that states the mode's rule over a full clone of the same
-- source (schema subset_full), and every foreign key of the subset is created and validated
-- (none: the ones that do not hold are skipped with WARNINGs). A masked key column (customers.email,
-- referenced by orders.customer_email, both masked with "hash") keeps its foreign key valid.
-- Hostile filters, unknown keys and options that do not fit are refused before anything exists.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgclone;
SELECT plan(74);
\ir lib/table_helpers.sql

-- The whole source, as the reference queries' input.
SELECT matches(pgclone.schema(pg_temp.src(), 'subset_test', true, '{"target_schema": "subset_full"}'),
    '^OK: cloned schema subset_test', 'full clone for the reference queries');

-- ids of a table of the subset clone (s = subset_test) or of a reference query.
CREATE FUNCTION pg_temp.ids(q text) RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE r int[];
BEGIN
    EXECUTE 'SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM (' || q || ') x' INTO r;
    RETURN r;
END $$;

-- Every foreign key of subset_test is there and validated.
CREATE FUNCTION pg_temp.fks_valid() RETURNS text LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE convalidated) || ' of ' || count(*) FROM pg_constraint
    WHERE contype = 'f' AND conparentid = 0
      AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'subset_test')
$$;

-- One clone per mode with the same masks; checks follow.
CREATE FUNCTION pg_temp.subset_clone(opts text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    DROP SCHEMA IF EXISTS subset_test CASCADE;
    RETURN pgclone.schema(pg_temp.src(), 'subset_test', true,
        (opts::jsonb || '{"masks": {"customers": {"email": "hash"}, "orders": {"customer_email": "hash"}}}')::text);
END $$;

SET client_min_messages = warning;

------------------------------------------------------------------------------------------------
-- parents: every row kept references only kept rows; referenced rows are pulled in.
SELECT matches(pg_temp.subset_clone($${"where": {"orders": "id <= 50", "order_items": "false",
    "customers": "false", "products": "false", "staff": "id = 77", "members": "id = 3",
    "events": "id % 50 = 0", "shipments": "order_id <= 20", "event_notes": "id <= 3",
    "subset_test.odd \"ref\"; --": "id <= 2"}}$$),
    '^OK: cloned schema subset_test: 14 tables .*; subset \(parents\): .*subset_test\.orders: 50 of about 1000 rows, ',
    'parents: the result names the kept rows of each table');
SELECT is(pg_temp.fks_valid(), '11 of 11', 'parents: every foreign key created and validated');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.shipments'),
          pg_temp.ids('SELECT id FROM subset_full.shipments WHERE order_id <= 20'), 'parents: shipments = filter');
CREATE TEMP VIEW ref_items AS SELECT * FROM subset_full.order_items
    WHERE (order_id, line) IN (SELECT order_id, line FROM subset_full.shipments WHERE order_id <= 20);
SELECT is((SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM subset_test.order_items),
          (SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM ref_items),
          'parents: order lines = those the kept shipments reference (composite key)');
CREATE TEMP VIEW ref_orders AS SELECT * FROM subset_full.orders
    WHERE id <= 50 OR id IN (SELECT order_id FROM ref_items);
SELECT is(pg_temp.ids('SELECT id FROM subset_test.orders'), pg_temp.ids('SELECT id FROM ref_orders'),
          'parents: orders = filter + those of kept lines');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.products'),
          pg_temp.ids('SELECT id FROM subset_full.products WHERE id IN (SELECT product_id FROM ref_items)'),
          'parents: products = those kept lines reference');
CREATE TEMP VIEW ref_events AS SELECT * FROM subset_full.events WHERE id % 50 = 0
    OR (id, at) IN (SELECT event_id, event_at FROM subset_full.event_notes WHERE id <= 3);
SELECT is(pg_temp.ids('SELECT id FROM subset_test.events'), pg_temp.ids('SELECT id FROM ref_events'),
          'parents: events (partitioned) = filter + those kept notes reference');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.events_2024'),
          pg_temp.ids('SELECT id FROM ref_events WHERE at < ''2025-01-01'''), 'parents: rows in their partition');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.customers'),
          pg_temp.ids($$SELECT id FROM subset_full.customers WHERE id IN (SELECT customer_id FROM ref_orders)
              OR email IN (SELECT customer_email FROM ref_orders) OR id IN (SELECT customer_id FROM ref_events)
              OR id IN (SELECT "cust ""id""" FROM subset_full."odd ""ref""; --" WHERE id <= 2)$$),
          'parents: customers = those kept orders, events and odd rows reference, by either key');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.staff'),
          pg_temp.ids($$WITH RECURSIVE chain AS (SELECT * FROM subset_full.staff WHERE id = 77
              UNION SELECT e.* FROM subset_full.staff e JOIN chain c ON e.id = c.manager_id) SELECT id FROM chain$$),
          'parents: staff = 77 and its manager chain (self-reference)');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.members'),
          pg_temp.ids('SELECT id FROM subset_full.members WHERE id = 3 OR id IN (SELECT lead_id FROM subset_full.teams)'),
          'parents: members = filter + the leads of the (unfiltered) teams (cycle)');
SELECT is((SELECT count(*) FROM subset_test.teams), 10::bigint, 'parents: a table without a filter keeps every row');
SELECT is(pg_temp.ids('SELECT id FROM subset_test."odd ""ref""; --"'), '{1,2}'::int[],
          'parents: a schema-qualified key with quotes and a semicolon in the table name');
SELECT is((SELECT array_agg(email ORDER BY id) FROM subset_test.customers),
          (SELECT array_agg(md5(email) ORDER BY id) FROM subset_full.customers
           WHERE id IN (SELECT id FROM subset_test.customers)),
          'parents: the key column is masked on the target');
SELECT is((SELECT count(*) FROM subset_test.orders o JOIN subset_test.customers c ON c.email = o.customer_email
           AND c.id = o.customer_id), 50::bigint, 'parents: the masked key still joins each order to its customer');

-- verify of the subset: the source side counts the rows the subset keeps.
CREATE TEMP TABLE parents_opts AS SELECT $${"where": {"orders": "id <= 50", "order_items": "false",
    "customers": "false", "products": "false", "staff": "id = 77", "members": "id = 3",
    "events": "id % 50 = 0", "shipments": "order_id <= 20", "event_notes": "id <= 3",
    "subset_test.odd \"ref\"; --": "id <= 2"}, "masks": {"customers": {"email": "hash"}}}$$::text AS o;
SELECT is((SELECT string_agg(table_name || ' ' || source_rows || ' ' || match, ', ' ORDER BY table_name)
           FROM pgclone.verify(pg_temp.src(), 'subset_test', (SELECT '{"subset": ' || o || '}' FROM parents_opts))
           WHERE match <> '✓'), NULL, 'verify with the subset: every table matches (exact counts of the kept rows)');
SELECT is((SELECT source_rows FROM pgclone.verify(pg_temp.src(), 'subset_test', (SELECT '{"subset": ' || o || '}' FROM parents_opts))
           WHERE table_name = 'events'), (SELECT count(*) FROM subset_test.events), 'verify with the subset: a partitioned table counts its kept rows');
SELECT is((SELECT string_agg(table_name, ',' ORDER BY table_name) FROM pgclone.verify(pg_temp.src(), 'subset_test',
           (SELECT '{"mode": "checksum", "subset": ' || o || '}' FROM parents_opts)) WHERE match <> '✓'), 'customers,orders',
          'verify checksum with the subset: only the masked tables differ');
SELECT is((SELECT count(*) FROM pgclone.verify(pg_temp.src(), 'subset_test', '{"mode": "exact"}') WHERE match = '✗'),
          10::bigint, 'verify without the subset: the filtered tables differ from the whole source');

------------------------------------------------------------------------------------------------
-- restrict: rows whose parent was filtered out are dropped, transitively.
SELECT matches(pg_temp.subset_clone($${"subset": "restrict", "where": {"customers": "id <= 100",
    "orders": "id <= 500", "products": "id <> 7", "staff": "id <> 3", "members": "id <> 12",
    "events": "id % 2 = 0"}}$$),
    '^OK: cloned schema subset_test: .*; subset \(restrict\): .*\(\d+ dropped by keys\)',
    'restrict: the result counts the rows dropped by keys');
SELECT is(pg_temp.fks_valid(), '11 of 11', 'restrict: every foreign key created and validated');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.customers'), pg_temp.ids('SELECT id FROM subset_full.customers WHERE id <= 100'),
          'restrict: customers = filter');
CREATE TEMP VIEW rr_orders AS SELECT * FROM subset_full.orders WHERE id <= 500 AND customer_id <= 100;
SELECT is(pg_temp.ids('SELECT id FROM subset_test.orders'), pg_temp.ids('SELECT id FROM rr_orders'),
          'restrict: orders = filter, minus those of dropped customers');
CREATE TEMP VIEW rr_items AS SELECT * FROM subset_full.order_items
    WHERE order_id IN (SELECT id FROM rr_orders) AND product_id <> 7;
SELECT is((SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM subset_test.order_items),
          (SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM rr_items),
          'restrict: an unfiltered table loses the lines of dropped orders and products');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.shipments'),
          pg_temp.ids('SELECT id FROM subset_full.shipments WHERE (order_id, line) IN (SELECT order_id, line FROM rr_items)'),
          'restrict: shipments follow (composite key)');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.staff'),
          pg_temp.ids($$WITH RECURSIVE gone AS (SELECT id FROM subset_full.staff WHERE id = 3
              UNION SELECT e.id FROM subset_full.staff e JOIN gone g ON e.manager_id = g.id)
              SELECT id FROM subset_full.staff WHERE id NOT IN (SELECT id FROM gone)$$),
          'restrict: staff below a dropped manager are dropped (self-reference)');
CREATE TEMP VIEW rr_gone AS WITH RECURSIVE gone(kind, id) AS (SELECT 'm', 12
    UNION SELECT x.kind, x.id FROM gone g CROSS JOIN LATERAL (
        SELECT 't'::text AS kind, t.id FROM subset_full.teams t WHERE g.kind = 'm' AND t.lead_id = g.id
        UNION ALL SELECT 'm', m.id FROM subset_full.members m WHERE g.kind = 't' AND m.team_id = g.id) x)
    SELECT * FROM gone;
SELECT is(pg_temp.ids('SELECT id FROM subset_test.members'),
          pg_temp.ids($$SELECT id FROM subset_full.members WHERE id NOT IN (SELECT id FROM rr_gone WHERE kind = 'm')$$),
          'restrict: members of the cycle');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.teams'),
          pg_temp.ids($$SELECT id FROM subset_full.teams WHERE id NOT IN (SELECT id FROM rr_gone WHERE kind = 't')$$),
          'restrict: teams of the cycle');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.events'),
          pg_temp.ids('SELECT id FROM subset_full.events WHERE id % 2 = 0 AND customer_id <= 100'),
          'restrict: events (partitioned) lose those of dropped customers');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.event_notes'),
          pg_temp.ids($$SELECT id FROM subset_full.event_notes WHERE (event_id, event_at) IN
              (SELECT id, at FROM subset_full.events WHERE id % 2 = 0 AND customer_id <= 100)$$),
          'restrict: notes of dropped events are dropped (key to a partitioned table)');

------------------------------------------------------------------------------------------------
-- children: rows referencing kept rows are pulled in, transitively; then their parents.
SELECT matches(pg_temp.subset_clone($${"subset": "children", "where": {"orders": "id <= 5",
    "order_items": "false", "shipments": "false", "customers": "false", "products": "false",
    "staff": "id = 2", "members": "id = 3", "teams": "false", "events": "false",
    "event_notes": "false", "odd \"ref\"; --": "false"}}$$),
    '^OK: cloned schema subset_test: .*; subset \(children\): ', 'children: clone');
SELECT is(pg_temp.fks_valid(), '11 of 11', 'children: every foreign key created and validated');
SELECT is((SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM subset_test.order_items),
          (SELECT array_agg(order_id * 10 + line ORDER BY order_id, line) FROM subset_full.order_items WHERE order_id <= 5),
          'children: the lines of the kept orders');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.shipments'),
          pg_temp.ids('SELECT id FROM subset_full.shipments WHERE order_id <= 5'), 'children: and their shipments');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.products'),
          pg_temp.ids('SELECT id FROM subset_full.products WHERE id IN (SELECT product_id FROM subset_full.order_items WHERE order_id <= 5)'),
          'children: then the products the lines reference');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.customers'),
          pg_temp.ids('SELECT id FROM subset_full.customers WHERE id IN (SELECT customer_id FROM subset_full.orders WHERE id <= 5)'),
          'children: and the customers of the orders (whose other orders are not pulled)');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.orders'), '{1,2,3,4,5}'::int[], 'children: orders = filter');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.staff'),
          pg_temp.ids($$WITH RECURSIVE below AS (SELECT id FROM subset_full.staff WHERE id = 2
              UNION SELECT e.id FROM subset_full.staff e JOIN below b ON e.manager_id = b.id)
              SELECT id FROM below UNION SELECT 1$$),
          'children: employee 2, everyone below, and the manager above (self-reference)');
CREATE TEMP VIEW rc_cycle AS WITH RECURSIVE up(kind, id) AS (SELECT 'm', 3
    UNION SELECT x.kind, x.id FROM up u CROSS JOIN LATERAL (
        SELECT 't'::text AS kind, m.team_id AS id FROM subset_full.members m WHERE u.kind = 'm' AND m.id = u.id
        UNION ALL SELECT 'm', t.lead_id FROM subset_full.teams t WHERE u.kind = 't' AND t.id = u.id) x)
    SELECT * FROM up;
SELECT is(pg_temp.ids('SELECT id FROM subset_test.members'), pg_temp.ids($$SELECT id FROM rc_cycle WHERE kind = 'm'$$),
          'children: members around the cycle');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.teams'), pg_temp.ids($$SELECT id FROM rc_cycle WHERE kind = 't'$$),
          'children: teams around the cycle');

------------------------------------------------------------------------------------------------
-- none: each table its filter; keys that do not hold are skipped with a WARNING.
SELECT matches(pg_temp.subset_clone($${"subset": "none", "where": {"orders": "id <= 50", "customers": "id <= 10"}}$$),
    '^DONE WITH 6 WARNINGS: cloned schema subset_test: .*; subset \(none\): subset_test.customers: 10 of about 200 rows, subset_test.orders: 50 of about 1000 rows$',
    'none: filters without following keys; the broken keys are WARNINGs');
SELECT is(pg_temp.fks_valid(), '7 of 7', 'none: the keys that hold are created');
SELECT is((SELECT count(*) FROM subset_test.order_items), 3000::bigint, 'none: unfiltered tables keep every row');

------------------------------------------------------------------------------------------------
-- sample: repeatable with a seed; a sampled table's parents are pulled in.
SELECT matches(pg_temp.subset_clone('{"sample": {"order_items": 10}, "sample_method": "BERNOULLI", "seed": 7, "where": {"orders": "false", "products": "false", "shipments": "false"}}'),
    '^OK: .*subset \(parents\): ', 'sample: clone');
CREATE TEMP TABLE first_sample AS SELECT order_id, line FROM subset_test.order_items;
SELECT ok((SELECT count(*) FROM first_sample) BETWEEN 150 AND 450, 'sample: about 10 % of the order lines');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.orders'),
          pg_temp.ids('SELECT DISTINCT order_id AS id FROM first_sample'), 'sample: the orders of the sampled lines');
SELECT is(pg_temp.fks_valid(), '11 of 11', 'sample: every foreign key validated');
SELECT matches(pg_temp.subset_clone('{"sample": {"order_items": 10}, "sample_method": "BERNOULLI", "seed": 7, "where": {"orders": "false", "products": "false", "shipments": "false"}}'),
    '^OK: ', 'sample: the same clone again');
SELECT is((SELECT count(*) FROM (SELECT order_id, line FROM subset_test.order_items
           EXCEPT SELECT * FROM first_sample) d), 0::bigint, 'sample: the same seed keeps the same rows');

------------------------------------------------------------------------------------------------
-- A key naming a partition filters that partition only.
SELECT matches(pg_temp.subset_clone('{"where": {"events_2024": "id % 100 = 0", "event_notes": "false"}}'),
    '^OK: .*subset \(parents\): subset_test\.events_2024: ', 'a partition as a key: clone');
SELECT is(pg_temp.ids('SELECT id FROM subset_test.events_2024'),
          pg_temp.ids('SELECT id FROM subset_full.events_2024 WHERE id % 100 = 0'), 'a partition as a key: its filter');
SELECT is((SELECT count(*) FROM subset_test.events_2025), (SELECT count(*) FROM subset_full.events_2025),
          'a partition as a key: the other partition keeps every row');

------------------------------------------------------------------------------------------------
-- An inheritance parent copied through a query (masks, a filter) brings its own rows only.
SELECT matches(pgclone.schema(pg_temp.src(), 'subset_inh', true, '{"masks": {"inh_parent": {"email": "hash"}}}'),
    '^OK: cloned schema subset_inh: 2 tables \(2 rows\)', 'inheritance: masked parent, 2 rows in all');
SELECT is((SELECT array_agg(id ORDER BY id) FROM ONLY subset_inh.inh_parent), '{1}'::int[],
          'inheritance: the masked parent holds its own row, not its child''s');
DROP SCHEMA subset_inh CASCADE;
SELECT matches(pgclone.schema(pg_temp.src(), 'subset_inh', true, '{"where": {"inh_parent": "true"}, "subset": "none"}'),
    '^OK: cloned schema subset_inh: 2 tables \(2 rows\)', 'inheritance: filtered parent, 2 rows in all');
DROP SCHEMA subset_inh CASCADE;

------------------------------------------------------------------------------------------------
-- A dry run finds the subset and creates nothing.
DROP SCHEMA IF EXISTS subset_test CASCADE;
SELECT is(pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"dry_run": true, "subset": "restrict", "where": {"orders": "id <= 5"}}')::jsonb #>> '{filters,subset_rows,subset_test.orders}',
    'subset_test.orders: 5 of about 1000 rows', 'dry run: the rows the subset keeps, per table');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'subset_test'), 0::bigint, 'dry run: nothing created');

------------------------------------------------------------------------------------------------
-- Refusals: nothing is created.
DROP SCHEMA IF EXISTS subset_test CASCADE;
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id = 1; DROP TABLE subset_test.audit_log"}}')$$))[1:2],
    ARRAY['22023', 'where filter must be one boolean expression over the table''s rows (the filter of table "orders")'],
    'a second statement in a filter is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id = 1) UNION SELECT * FROM subset_test.orders WHERE (true"}}')$$))[1],
    '22023', 'a filter that closes the where clause is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id = 1 --"}}')$$)), NULL, 'a trailing comment cannot swallow the rest of the query');
DROP SCHEMA IF EXISTS subset_test CASCADE;
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id IN (WITH d AS (DELETE FROM subset_test.audit_log RETURNING id) SELECT id FROM d)"}}')$$))[1],
    '0A000', 'a subquery that writes fails on the source (read-only, top-level WITH only)');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "no_such_column = 1"}}')$$))[1:2],
    ARRAY['42703', 'where filter cannot be applied to table "subset_test"."orders" on the source server: column "no_such_column" does not exist'],
    'a filter on a column the table lacks names the table');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true, '{"where": {"ordres": "true"}}')$$))[1:2],
    ARRAY['22023', 'option "where" names a table that is not cloned: "ordres"'], 'an unknown table key is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true, '{"sample": {"orders": 0}}')$$))[1],
    '22023', 'a sample of 0 % is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true, '{"subset": "parents"}')$$))[2],
    'option "subset" needs option "where" or "sample"', 'subset without a filter is refused');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true, '{"where": "id = 1"}')$$))[2],
    'option "where" of pgclone.schema() must be an object mapping tables to filters', 'a string where is refused by schema()');
SELECT is((pg_temp.caught($$SELECT pgclone.table(pg_temp.src(), 'subset_test', 'orders', true, NULL, '{"where": {"orders": "true"}}')$$))[2],
    'option "where" is not supported by pgclone.table()', 'an object where is refused by table()');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "true"}, "consistent": false}')$$))[2],
    'option "subset": "parents" needs one snapshot for the whole clone', 'following keys needs one snapshot');
SELECT is((pg_temp.caught($$SELECT pgclone.schema_async(pg_temp.src(), 'subset_test', true,
    '{"sample": {"orders": 5}, "parallel": 2}')$$))[2],
    'option "sample" of pgclone.schema_async() with "parallel" needs option "seed"',
    'schema_async with a pool needs a repeatable sample');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id < 5"}, "masks": {"customers": {"email": "hash"}}}')$$))[1:3],
    ARRAY['22023', 'foreign key "orders_customer_email_fkey" of the subset would not hold on the target',
          'subset_test.orders.customer_email is not masked and subset_test.customers.email is masked with "hash": the masked values would not match.'],
    'a key column masked on one side only is refused before anything is created');
SELECT is((pg_temp.caught($$SELECT pgclone.schema(pg_temp.src(), 'subset_test', true,
    '{"where": {"orders": "id < 5"}, "masks": {"customers": {"email": "email"}, "orders": {"customer_email": "email"}}}')$$))[3],
    'subset_test.orders.customer_email is masked with "email" and subset_test.customers.email is masked with "email": "email" does not keep distinct values distinct.',
    'a key column masked with a strategy that merges values is refused');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'subset_test'), 0::bigint, 'nothing was created');
SELECT is((SELECT count(*) FROM subset_full.audit_log), 5::bigint, 'the source was not written');

SELECT * FROM finish();
ROLLBACK;

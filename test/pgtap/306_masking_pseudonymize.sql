-- 306_masking_pseudonymize.sql -- the "pseudonymize" strategy (an addition beyond v4.4.0): keyed,
-- deterministic HMAC-SHA-256, so masked keys still join across tables and clones; checked against
-- pgcrypto's hmac().
BEGIN;
SET client_min_messages = error;
CREATE EXTENSION IF NOT EXISTS pgclone;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SELECT plan(14);

-- customers first (the referenced table), then orders with the same salt.
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'customers', true, NULL,
              '{"mask": {"email": {"type": "pseudonymize", "salt": "k3y-for-tests"}, "ext_id": {"type": "pseudonymize", "salt": "k3y-for-tests"}, "phone": {"type": "pseudonymize", "salt": "k3y-for-tests", "format": "digits"}}}'),
          'OK: cloned masking_test.customers (4 rows)', 'customers cloned with pseudonymized keys');
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'orders', true, NULL,
              '{"mask": {"customer_email": {"type": "pseudonymize", "salt": "k3y-for-tests"}, "customer_ext": {"type": "pseudonymize", "salt": "k3y-for-tests"}}}'),
          'OK: cloned masking_test.orders (6 rows)', 'orders cloned with the same salt: no warning, both foreign keys created');

SELECT results_eq($$SELECT email FROM masking_test.customers ORDER BY email$$,
    $$SELECT encode(hmac(e, 'k3y-for-tests', 'sha256'), 'hex')
      FROM unnest(ARRAY['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']) AS e ORDER BY 1$$,
    'email = hex(HMAC-SHA-256(salt, email)), as pgcrypto computes it');
SELECT results_eq($$SELECT ext_id FROM masking_test.customers ORDER BY 1$$,
    $$SELECT substr(encode(hmac(u, 'k3y-for-tests', 'sha256'), 'hex'), 1, 32)::uuid
      FROM unnest(ARRAY['00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000b',
                        '00000000-0000-0000-0000-00000000000c', '00000000-0000-0000-0000-00000000000d']) AS u ORDER BY 1$$,
    'a uuid column gets the first 128 bits of the HMAC as a uuid');
SELECT is((SELECT count(*) FROM masking_test.customers WHERE email LIKE '%@%'), 0::bigint, 'no original e-mail reached the target');

SELECT fk_ok('masking_test', 'orders', 'customer_email', 'masking_test', 'customers', 'email',
             'the foreign key on the pseudonymized e-mail holds on the target');
SELECT fk_ok('masking_test', 'orders', 'customer_ext', 'masking_test', 'customers', 'ext_id',
             'the foreign key on the pseudonymized uuid holds on the target');
SELECT results_eq($$SELECT count(*) FROM masking_test.orders o JOIN masking_test.customers c ON c.email = o.customer_email GROUP BY c.email ORDER BY 1 DESC$$,
    $$VALUES (3::bigint), (2::bigint), (1::bigint)$$, 'masked keys join: 3, 2 and 1 orders per customer, as on the source');
SELECT is((SELECT count(*) FROM masking_test.orders o JOIN masking_test.customers c ON c.ext_id = o.customer_ext), 5::bigint,
          'the uuid keys join too (5 orders have one)');

-- Same salt, another clone: the same values (deterministic).
SELECT pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'customers', true, 'customers_again',
                     '{"mask": {"email": {"type": "pseudonymize", "salt": "k3y-for-tests"}}}');
SELECT set_eq('SELECT email FROM masking_test.customers_again', 'SELECT email FROM masking_test.customers',
              'a second clone with the same salt gives the same pseudonyms');

-- Another salt: other values, and the keys no longer join (the foreign keys are skipped with warnings).
SELECT is(pgclone.table(current_setting('pgclone_test.source'), 'masking_test', 'orders', true, 'orders_other_salt',
              '{"mask": {"customer_email": {"type": "pseudonymize", "salt": "another-key-99"}, "customer_ext": {"type": "pseudonymize", "salt": "another-key-99"}}}'),
          'OK: cloned masking_test.orders_other_salt (6 rows, 2 warnings)', 'another salt: both foreign keys fail to validate and are skipped');
SELECT is((SELECT count(*) FROM masking_test.orders_other_salt o JOIN masking_test.customers c ON c.email = o.customer_email), 0::bigint,
          'pseudonyms of another salt do not join');

-- Format "digits": digits replaced, everything else and the length kept, NULL stays NULL.
SELECT results_eq($$SELECT regexp_replace(phone, '[0-9]', 'd', 'g') FROM masking_test.customers ORDER BY ext_id::text$$,
    $$SELECT regexp_replace(p, '[0-9]', 'd', 'g')
      FROM (VALUES ('00000000-0000-0000-0000-00000000000a', '+1-555-000-1111'), ('00000000-0000-0000-0000-00000000000b', '(555) 222-3333'),
                   ('00000000-0000-0000-0000-00000000000c', NULL), ('00000000-0000-0000-0000-00000000000d', '555 444 5555')) AS v(u, p)
      ORDER BY substr(encode(hmac(u, 'k3y-for-tests', 'sha256'), 'hex'), 1, 32)$$,
    'digits format keeps the shape of each phone number');
SELECT is((SELECT count(*) FROM masking_test.customers WHERE phone IN ('+1-555-000-1111', '(555) 222-3333', '555 444 5555')), 0::bigint,
          'no original phone number reached the target');

SELECT * FROM finish();
ROLLBACK;

#!/usr/bin/env bash
# 211_subset_writer.sh -- a subset clone under a live writer leaves no orphan. A background
# session keeps inserting customer/order/line triples (one transaction each) and deleting old
# triples (so rows the subset pulls in by keys vanish from the source while the clone runs). The
# subset ("children": the lines of the kept orders, then the customers they reference) is found
# and copied in the clone's one snapshot: every foreign key is created and validated, and every
# kept order has its line and its customer. The control, a filter without keys to follow
# ("subset": "none") and {"consistent": false}, reads each table in its own transaction and does
# leave orphans -- which shows the check can fail.
. "$(dirname "$0")/lib/schema_common.bash"
. "$(dirname "$0")/lib/live_writer.bash"

TGTDB=pgclone_sw_tgt
cleanup() {
    kill_writer
    tgt postgres -c "DROP DATABASE IF EXISTS $TGTDB WITH (FORCE)" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS sw_test CASCADE" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

# Customers first in name order, so a clone without one snapshot reads the orders later.
src <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE SCHEMA sw_test;
CREATE TABLE sw_test.a_customer (id bigserial PRIMARY KEY, payload text);
CREATE TABLE sw_test.b_order (id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES sw_test.a_customer (id), payload text);
CREATE TABLE sw_test.c_line (id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES sw_test.b_order (id), payload text);
INSERT INTO sw_test.a_customer (payload) SELECT repeat('c', 200) FROM generate_series(1, 100000);
INSERT INTO sw_test.b_order (customer_id, payload) SELECT id, repeat('o', 200) FROM sw_test.a_customer;
INSERT INTO sw_test.c_line (order_id, payload) SELECT id, repeat('l', 200) FROM sw_test.b_order;
ANALYZE sw_test.a_customer, sw_test.b_order, sw_test.c_line;
SQL
tgt postgres -c "CREATE DATABASE $TGTDB" >/dev/null
tgt $TGTDB -c "CREATE EXTENSION pgclone" >/dev/null

# Writer: per transaction one new triple, and the oldest remaining triple deleted, every ~2 ms.
writer() {
    start_writer sw_writer "$1" "c bigint; o bigint; old bigint := 0;" "INSERT INTO sw_test.a_customer (payload) VALUES ('live') RETURNING id INTO c;
                INSERT INTO sw_test.b_order (customer_id, payload) VALUES (c, 'live') RETURNING id INTO o;
                INSERT INTO sw_test.c_line (order_id, payload) VALUES (o, 'live');
                SELECT min(id) INTO old FROM sw_test.b_order WHERE id > old AND id % 7 = 0;
                DELETE FROM sw_test.c_line WHERE order_id = old;
                DELETE FROM sw_test.b_order WHERE id = old RETURNING customer_id INTO c;
                DELETE FROM sw_test.a_customer WHERE id = c;"
}
live_rows() { src -c "SELECT count(*) FROM sw_test.c_line WHERE payload = 'live'"; }
q() { tgt $TGTDB -c "$1"; }

# --- one snapshot -----------------------------------------------------------------------------
writer 30
before=$(live_rows)
out=$(q "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'sw_test', true, '{\"subset\": \"children\",
    \"where\": {\"b_order\": \"id % 7 = 0 OR payload = ''live''\", \"a_customer\": \"false\", \"c_line\": \"false\"}}')" 2>&1)
during=$(live_rows)
stop_writer
like "$out" 'OK: cloned schema sw_test: 3 tables \([0-9]+ rows\).*; subset \(children\): ' "subset clone under a live writer: clean result"
if ((during > before)); then
    ok "the writer committed triples while the clone ran ($before -> $during)"
else
    not_ok "the writer committed triples while the clone ran ($before -> $during)"
fi
is "$(q "SELECT count(*) FILTER (WHERE convalidated) || '/' || count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'sw_test'::regnamespace")" \
    "2/2" "every foreign key created and validated"
is "$(q "SELECT count(*) FROM sw_test.b_order o WHERE NOT EXISTS (SELECT FROM sw_test.a_customer c WHERE c.id = o.customer_id)")" \
    0 "zero orders without their customer"
is "$(q "SELECT count(*) FROM sw_test.b_order o WHERE NOT EXISTS (SELECT FROM sw_test.c_line l WHERE l.order_id = o.id)")" \
    0 "every kept order has its line (children)"
is "$(q "SELECT (SELECT count(*) FROM sw_test.b_order) = (SELECT count(*) FROM sw_test.c_line)
          AND (SELECT count(*) FROM sw_test.b_order) = (SELECT count(*) FROM sw_test.a_customer)")" t \
    "as many customers and lines as orders (one snapshot)"
n=$(q "SELECT count(*) FROM sw_test.b_order")
if ((n > 14000)); then ok "the subset holds the filtered orders ($n)"; else not_ok "the subset holds the filtered orders ($n)"; fi

# --- control: no keys followed, each table in its own transaction -------------------------------
q "DROP SCHEMA sw_test CASCADE" >/dev/null 2>&1
writer 30
out=$(q "SELECT pgclone.schema($(lit "$PGCLONE_SRC_CONNINFO"), 'sw_test', true, '{\"subset\": \"none\", \"consistent\": false,
    \"where\": {\"b_order\": \"id % 7 = 0 OR payload = ''live''\"}}')" 2>/dev/null)
stop_writer
like "$out" '^DONE WITH [0-9]+ WARNINGS?: cloned schema sw_test' "control: a foreign key cannot be created"
n=$(q "SELECT count(*) FROM sw_test.b_order o WHERE NOT EXISTS (SELECT FROM sw_test.a_customer c WHERE c.id = o.customer_id)")
if ((n > 0)); then
    ok "control: orders without their customer appear ($n): the orphan check can fail"
else
    not_ok "control: orders without their customer appear ($n): the orphan check can fail"
fi

done_testing

#!/usr/bin/env bash
# 616_partition_bound_constants.sh -- a hostile source answers pg_get_expr(relpartbound) for a
# partition with a bound that is not constants: a function call, an operator, a subquery, a
# COLLATE clause, a table constraint before the bound, a comment or a second statement after it.
# PostgreSQL evaluates a bound's expressions once, when it creates or attaches the partition, as
# the cloning role; a real catalog keeps bounds as constants and pg_get_expr prints literals. So
# the bound is read with the target's parser and anything but DEFAULT, a hash bound and
# literals / NULL / MINVALUE / MAXVALUE is refused before anything is created
# (pg/partition_bound.cpp), in a table clone (partition trees), a schema clone and a schema job
# (the schema reader). The witness: a sequence on the target that a bound calling nextval()
# would advance (nextval is not rolled back with the failed clone). Then real bounds of every
# kind still clone identically. The source's superuser is the attacker: pg_get_expr is replaced
# in pg_catalog of a database of the source's own, the original kept under another name.
. "$(dirname "$0")/lib/async_common.bash"

DB=pgclone_616_bound
SDB=pgclone_616b_src
scratch_dbs $DB $SDB
t0=$(date +%s.%N)
SRC_DB=$SDB src >/dev/null <<'SQL'
CREATE SCHEMA evil;
CREATE TABLE evil.p (a int, b text) PARTITION BY LIST (a);
CREATE TABLE evil.p_ok PARTITION OF evil.p FOR VALUES IN (1, 2);
CREATE TABLE evil.p_bad PARTITION OF evil.p FOR VALUES IN (3);
INSERT INTO evil.p VALUES (1, 'x'), (3, 'y');
ALTER TABLE evil.p_ok ALTER COLUMN b SET DEFAULT 'ok';
-- The bound the source prints for evil.p_bad: fake.bound when set, else the real one.
CREATE SCHEMA fake;
CREATE TABLE fake.bound (bound text);
INSERT INTO fake.bound VALUES (NULL);
CREATE FUNCTION fake.real_get_expr(pg_catalog.pg_node_tree, pg_catalog.oid) RETURNS text
    LANGUAGE internal STABLE STRICT AS 'pg_get_expr';
-- And the default of evil.p_ok.b: fake.dflt when set (a partition created PARTITION OF its parent
-- gets a default of its own with ALTER TABLE ... SET DEFAULT).
CREATE TABLE fake.dflt (dflt text);
INSERT INTO fake.dflt VALUES (NULL);
CREATE FUNCTION fake.bound_for(tree text, rel oid) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT bound FROM fake.bound WHERE rel = 'evil.p_bad'::pg_catalog.regclass AND tree LIKE '{PARTITIONBOUNDSPEC%'
    UNION ALL
    SELECT dflt FROM fake.dflt WHERE rel = 'evil.p_ok'::pg_catalog.regclass AND tree NOT LIKE '{PARTITIONBOUNDSPEC%' $$;
-- A built-in function is called by its oid without a look at pg_proc; a query calling this one
-- reaches the replacement because the planner inlines an SQL function (hence a body without a
-- subquery, and not strict).
CREATE OR REPLACE FUNCTION pg_catalog.pg_get_expr(pg_catalog.pg_node_tree, pg_catalog.oid) RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT COALESCE(fake.bound_for($1::pg_catalog.text, $2), fake.real_get_expr($1, $2)) $$;

-- Real bounds of every kind.
CREATE SCHEMA real;
CREATE TABLE real.r (a int, d date, t text) PARTITION BY RANGE (a, d, t);
CREATE TABLE real.r_lo PARTITION OF real.r FOR VALUES FROM (MINVALUE, MINVALUE, MINVALUE) TO (-5, '2020-01-01', 'it''s');
CREATE TABLE real.r_hi PARTITION OF real.r FOR VALUES FROM (-5, '2020-01-01', 'it''s') TO (MAXVALUE, MAXVALUE, MAXVALUE);
CREATE TABLE real.ts (at timestamptz, n numeric) PARTITION BY RANGE (at);
CREATE TABLE real.ts_2020 PARTITION OF real.ts FOR VALUES FROM ('2020-01-01 00:00+00') TO ('2021-01-01 00:00+00')
    PARTITION BY RANGE (n);
CREATE TABLE real.ts_2020_neg PARTITION OF real.ts_2020 FOR VALUES FROM (MINVALUE) TO (-1.5);
CREATE TABLE real.ts_2020_pos PARTITION OF real.ts_2020 FOR VALUES FROM (-1.5) TO (MAXVALUE);
CREATE TABLE real.ts_def PARTITION OF real.ts DEFAULT;
CREATE TABLE real.l (c text COLLATE "C") PARTITION BY LIST (c);
CREATE TABLE real.l_1 PARTITION OF real.l FOR VALUES IN ('a', NULL, 'b''c', 'x\y', '-- not a comment; nor this');
CREATE TABLE real.l_def PARTITION OF real.l DEFAULT;
CREATE TABLE real.lb (b bool) PARTITION BY LIST (b);
CREATE TABLE real.lb_t PARTITION OF real.lb FOR VALUES IN (true);
CREATE TABLE real.lb_f PARTITION OF real.lb FOR VALUES IN (false, NULL);
CREATE TABLE real.h (id bigint) PARTITION BY HASH (id);
CREATE TABLE real.h_0 PARTITION OF real.h FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE real.h_1 PARTITION OF real.h FOR VALUES WITH (modulus 2, remainder 1);
CREATE TABLE real.big (i int8, f float8) PARTITION BY RANGE (i, f);
CREATE TABLE real.big_1 PARTITION OF real.big FOR VALUES FROM (-9223372036854775808, '-Infinity') TO (0, 'NaN');
INSERT INTO real.r VALUES (-10, '2019-01-01', 'a'), (-5, '2020-01-01', 'it''s'), (7, '2021-01-01', 'z');
INSERT INTO real.ts VALUES ('2020-06-01', -3), ('2020-06-01', 2), ('2022-01-01', 0);
INSERT INTO real.l VALUES ('a'), (NULL), ('b''c'), ('x\y'), ('zz');
INSERT INTO real.lb VALUES (true), (false), (NULL);
INSERT INTO real.h SELECT generate_series(1, 10);
INSERT INTO real.big VALUES (-1, 1.5);
SQL
SRC=$(lit "$(src_ci $SDB)")
fake() { SRC_DB=$SDB src -c "UPDATE fake.bound SET bound = $1" >/dev/null; }

make_db $DB
T() { tgt $DB "$@"; }
T -c "CREATE SEQUENCE public.witness616 START 100" >/dev/null
witness() { T -c "SELECT is_called FROM public.witness616"; }
left_behind() { T -c "SELECT count(*) FROM pg_class WHERE relname IN ('p', 'p_ok', 'p_bad')"; }

# --- pgclone.table(): the bound of a partition tree ------------------------------------------
# BOUND | what the refusal names
while IFS='|' read -r bound why; do
    fake "$(lit "$bound")"
    T -c "SELECT setval('public.witness616', 100, false)" >/dev/null
    out=$(T -c '\set VERBOSITY verbose' -c "SELECT pgclone.table($SRC, 'evil', 'p', true)" 2>&1)
    like "$out" 'ERROR:  08P01: the partition bound of evil.p_bad read from the source server is not a constant' \
        "table(), bound $bound: refused, naming the partition"
    like "$out" "DETAIL:  It $why" "... because it $why"
    is "$(witness)" f "... and not evaluated on the target"
    is "$(left_behind)" 0 "... and nothing is left behind"
    T -c "DROP SCHEMA IF EXISTS evil CASCADE" >/dev/null 2>&1 # each case on its own, should one clone
done <<'CASES'
FOR VALUES IN (pg_catalog.nextval('public.witness616'))|contains a function call
FOR VALUES IN (3 + pg_catalog.nextval('public.witness616')::int)|contains an operator
FOR VALUES IN ((SELECT pg_catalog.nextval('public.witness616')::int))|contains a subquery
FOR VALUES IN ('3'::pg_catalog.int4)|contains a type cast
FOR VALUES IN ('3' COLLATE "C")|contains a COLLATE clause
FOR VALUES IN (b)|contains a column reference
FOR VALUES IN (MINVALUE)|contains a column reference
FOR VALUES FROM (pg_catalog.nextval('public.witness616')) TO (MAXVALUE)|contains a function call
(CONSTRAINT c CHECK (pg_catalog.nextval('public.witness616') > 0)) FOR VALUES IN (3)|does not parse as a partition bound
FOR VALUES IN (3); SELECT pg_catalog.nextval('public.witness616')|contains more than one statement
FOR VALUES IN (3);|contains a semicolon
FOR VALUES IN (3) --|ends in a comment
FOR VALUES IN (3) /* an open comment|does not parse as a partition bound
CASES

# The source's text in the message: a control character escaped, a long text cut.
fake "$(lit "FOR VALUES IN (pg_catalog.nextval(\$\$a
b\$\$), $(printf '1%.0s' {1..5000}))")"
out=$(T -c '\set VERBOSITY verbose' -c "SELECT pgclone.table($SRC, 'evil', 'p', true)" 2>&1)
like "$out" 'DETAIL:  It contains a function call: FOR VALUES IN \(pg_catalog.nextval\(\$\$a\\x0ab\$\$' \
    "a newline in the source's bound is shown as \\x0a in the message"
detail=$(grep -a '^DETAIL:' <<<"$out")
if ((${#detail} < 400)) && [[ $detail == *"..."* ]]; then ok "a 5,000-byte bound is cut in the message (${#detail} bytes)"; else not_ok "the long bound is cut" "${#detail} bytes"; fi
T -c "DROP SCHEMA IF EXISTS evil CASCADE" >/dev/null 2>&1

# --- pgclone.schema(): the bound of an ATTACH PARTITION --------------------------------------
# schema_refuses ERROR_RE DESCRIPTION WITNESS_DESCRIPTION: pgclone.schema() of schema evil fails
# with ERROR_RE, the witness sequence was not called, and no schema evil is left on the target.
schema_refuses() {
    like "$(T -c "SELECT pgclone.schema($SRC, 'evil', true)" 2>&1)" "$1" "$2"
    is "$(witness)" f "$3"
    is "$(T -c "SELECT to_regnamespace('evil') IS NULL")" t "... and nothing is left behind"
    T -c "DROP SCHEMA IF EXISTS evil CASCADE" >/dev/null 2>&1
}
fake "$(lit "FOR VALUES IN (pg_catalog.nextval('public.witness616'))")"
schema_refuses 'ERROR:  the partition bound of evil.p_bad read from the source server is not a constant' \
    "schema(): a bound with a function call is refused" "... and not evaluated on the target"

# A partition's own default from the source goes into ALTER TABLE ... SET DEFAULT: one statement
# only, or nothing runs.
fake NULL
SRC_DB=$SDB src -c "UPDATE fake.dflt SET dflt = \$\$'ok'; SELECT pg_catalog.nextval('public.witness616')\$\$" >/dev/null
schema_refuses 'ERROR:  a definition read from the source server is 2 statements instead of one' \
    "schema(): a partition's default that is two statements is refused" "... and not run on the target"
SRC_DB=$SDB src -c "UPDATE fake.dflt SET dflt = NULL" >/dev/null
fake "$(lit "FOR VALUES IN (pg_catalog.nextval('public.witness616'))")"

# --- pgclone.schema_async(): the job fails with the same error --------------------------------
T -c "SELECT pgclone.clear_jobs()" >/dev/null
id=$(T -c "SELECT pgclone.schema_async($SRC, 'evil', true)")
is "$(wait_job $DB "$id")" failed "schema_async(): the job fails"
like "$(job_field $DB "$id" error_message)" 'the partition bound of evil.p_bad read from the source server is not a constant' \
    "... saying why"
is "$(witness)" f "... and the bound was not evaluated on the target"
is "$(T -c "SELECT to_regnamespace('evil') IS NULL")" t "... and nothing is left behind"
T -c "DROP SCHEMA IF EXISTS evil CASCADE" >/dev/null 2>&1

# --- the real bound of the faked partition, and real bounds of every kind ---------------------
fake NULL
like "$(T -c "SELECT pgclone.table($SRC, 'evil', 'p', true)" 2>&1)" 'OK: cloned evil.p \(2 rows\)' \
    "table(): with its real bound the partition clones"
bounds() { # DB SIDE SCHEMA: every partition with its parent and bound
    "$1" "${@:2:$#-2}" -c "SELECT c.relname || ' of ' || p.relname || ': ' || pg_get_expr(c.relpartbound, c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_inherits i ON i.inhrelid = c.oid
        JOIN pg_class p ON p.oid = i.inhparent WHERE n.nspname = '${!#}' AND c.relispartition ORDER BY 1"
}
rows() { # DB SIDE: rows per partition of schema real
    "$1" "${@:2}" -c "SELECT string_agg(p || '=' || n, ' ' ORDER BY p) FROM (
        SELECT tableoid::regclass::text p, count(*) n FROM real.r GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM real.ts GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM real.l GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM real.lb GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM real.h GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM real.big GROUP BY 1) s"
}
is "$(bounds tgt $DB evil)" "$(SRC_DB=$SDB bounds src evil)" "... and the same bounds as on the source"
want=$(SRC_DB=$SDB bounds src real)
want_rows=$(SRC_DB=$SDB rows src)
like "$(T -c "SELECT pgclone.schema($SRC, 'real', true)" 2>&1)" 'OK: cloned schema real: 19 tables \(25 rows\)' "schema(): real bounds of every kind clone"
is "$(bounds tgt $DB real)" "$want" "... each partition with its parent and bound as on the source"
is "$(rows tgt $DB)" "$want_rows" "... and its rows"
T -c "DROP SCHEMA real CASCADE" >/dev/null 2>&1
for t in r ts l lb h big; do
    like "$(T -c "SELECT pgclone.table($SRC, 'real', '$t', true)" 2>&1)" "OK: cloned real.$t " "table(): real.$t clones"
done
is "$(bounds tgt $DB real)" "$want" "table(): each partition with its parent and bound as on the source"
is "$(rows tgt $DB)" "$want_rows" "... and its rows"
echo "# 616 took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

done_testing

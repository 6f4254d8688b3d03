#!/usr/bin/env bash
# 221_schema_move_operator_capture.sh -- with "target_schema" the clone's source session has the
# source schema on its search_path (after pg_catalog, so that the source prints that schema's
# names unqualified). An operator in that schema whose argument types match better than
# pg_catalog's (the CVE-2018-1058 pattern: ||(name, text), +(numeric, integer)) must never be
# chosen by a query pgclone sends: the queries use operators of exact pg_catalog types. The
# source schema's owner plants both, each raising an error when called; a schema clone with a
# move, a trigger (its table's name read with ||) and a random_int mask (numeric arithmetic)
# succeeds, and neither operator ran.
#
# Part 2, the catalog readers: a non-superuser role (mallory221) owns the moved schema "ms" and
# plants there, silently, operators of the operand types pgclone's catalog queries compare
# (=(oid, regclass), <>(oid, integer), >=(oid, integer), <(oid, integer), =(oid, integer),
# <>(regproc, integer), =(oid, regproc), =(name[], name[]), and ||(name, text), +(numeric,
# integer) again). Each planted function returns the pg_catalog operator's answer and records its
# call with RAISE LOG in the source's server log (the source transaction is READ ONLY, so no
# table could keep a record; LOG goes to the server log at log_min_messages = warning and never
# to the client). "ms" holds a serial key, indexes (one with a user operator class), a CHECK, a
# foreign key, a trigger, a partitioned table, an enum, a composite, a range, a domain, an
# aggregate, a user operator, a text search configuration, a view, a policy, grants, comments
# and an inheritance child. A schema clone before the planting (the baseline), then schema(),
# table() of four tables and schema_async with a pool under "target_schema": every clone has the
# source's objects and rows (an inventory by names, read alike on both servers), and no planted
# operator ran, on the source nor (where the schema clone copied the planted operators into the
# target schema, which is on the target side's search_path) on the target. Three facts of the
# move that no operator decides have checks of their own: where the range type's multirange and
# the text search configuration land, and the inheritance link of a schema_async pool.
. "$(dirname "$0")/lib/async_common.bash"

SRCDB=pgclone_oc_src
DB=pgclone_oc_tgt
# part 2's target databases, one per clone (dropped before the roles their grants name)
DBS=("${DB}_base" "${DB}_schema" "${DB}_table" "${DB}_async")
drop_dbs() {
    local d
    for d in "${DBS[@]}"; do drop_db "$d"; done
}
drop_dbs
scratch_dbs $DB $SRCDB reader221
drop_src_roles() {
    local r
    for r in mallory221 reader221; do SRC_DB=source src -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
cleanup() {
    drop_dbs
    drop_scratch
    drop_src_roles
}
trap cleanup EXIT
drop_src_roles
SRC_LIT=$(lit "$(src_ci $SRCDB)")
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA hs;
CREATE TABLE hs.t (id int PRIMARY KEY, salary int);
INSERT INTO hs.t SELECT g, 1000 * g FROM generate_series(1, 5) g;
CREATE FUNCTION hs.t_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE INSERT ON hs.t FOR EACH ROW EXECUTE FUNCTION hs.t_touch();
CREATE FUNCTION hs.cap_concat(name, text) RETURNS text LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'captured: ||(name, text) ran'; END$$;
CREATE OPERATOR hs.|| (LEFTARG = name, RIGHTARG = text, FUNCTION = hs.cap_concat);
CREATE FUNCTION hs.cap_plus(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'captured: +(numeric, integer) ran'; END$$;
CREATE OPERATOR hs.+ (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = hs.cap_plus);
SQL
is "$(SRC_DB=$SRCDB src -c "SET search_path = pg_catalog, hs" -c "SELECT count(*) FROM pg_namespace n WHERE n.nspname || '.' = 'x'" 2>&1 | grep -o 'captured: ||(name, text) ran')" \
    "captured: ||(name, text) ran" "the source: with hs on the search_path, a bare name || text runs the planted operator"

make_db $DB
out=$(tgt $DB -c "SELECT pgclone.schema($SRC_LIT, 'hs', true, '{\"target_schema\": \"hs_copy\", \"masks\": {\"t\": {\"salary\": {\"type\": \"random_int\", \"min\": 10, \"max\": 20}}}}')" 2>&1)
like "$out" 'OK: cloned schema hs: 1 table \(5 rows\)' "schema clone with target_schema, a trigger and a random_int mask: OK"
unlike "$out" 'captured' "... neither planted operator ran"
is "$(tgt $DB -c "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'hs_copy.t'::regclass AND tgname = 't_touch'")" 1 "... the trigger is there"
is "$(tgt $DB -c "SELECT bool_and(salary BETWEEN 10 AND 20) FROM hs_copy.t")" t "... the salaries masked into 10..20"

# --- part 2: silent operators of the catalog queries' operand types ------------------------------
SRC_DB=source src -c "CREATE ROLE mallory221 NOLOGIN" -c "CREATE ROLE reader221 NOLOGIN" >/dev/null
tgt postgres -c "CREATE ROLE reader221 NOLOGIN" >/dev/null
SRC_DB=$SRCDB src >/dev/null <<'SQL'
CREATE SCHEMA ms AUTHORIZATION mallory221;
CREATE TYPE ms.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE ms.pair AS (a int, b text);
CREATE TYPE ms.floatr AS RANGE (subtype = float8);
CREATE DOMAIN ms.posint AS int CONSTRAINT posint_positive CHECK (VALUE > 0);
CREATE FUNCTION ms.add2(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE AGGREGATE ms.total(int) (SFUNC = ms.add2, STYPE = int, INITCOND = '0');
CREATE FUNCTION ms.int4_rev_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT pg_catalog.btint4cmp($2, $1)';
CREATE OPERATOR CLASS ms.int4_rev FOR TYPE int USING btree AS
    OPERATOR 1 pg_catalog.>, OPERATOR 2 pg_catalog.>=, OPERATOR 3 pg_catalog.=,
    OPERATOR 4 pg_catalog.<=, OPERATOR 5 pg_catalog.<, FUNCTION 1 ms.int4_rev_cmp(int, int);
CREATE FUNCTION ms.pair_eq(ms.pair, ms.pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT ($1).a = ($2).a';
CREATE OPERATOR ms.~= (LEFTARG = ms.pair, RIGHTARG = ms.pair, FUNCTION = ms.pair_eq);
CREATE TEXT SEARCH CONFIGURATION ms.my_ts (COPY = pg_catalog.english);
CREATE TABLE ms.customers (id serial PRIMARY KEY, name text NOT NULL, mood ms.mood, p ms.pair,
    r ms.floatr, qty ms.posint, CONSTRAINT name_nonempty CHECK (name <> ''));
CREATE INDEX customers_name ON ms.customers (name);
CREATE INDEX customers_rev ON ms.customers (id ms.int4_rev);
CREATE TABLE ms.orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES ms.customers (id),
    amount int CONSTRAINT amount_nonneg CHECK (amount >= 0));
CREATE FUNCTION ms.orders_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON ms.orders FOR EACH ROW EXECUTE FUNCTION ms.orders_touch();
CREATE TABLE ms.events (id int NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);
CREATE TABLE ms.events_2024 PARTITION OF ms.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ms.events_2025 PARTITION OF ms.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ms.base (id int PRIMARY KEY, note text);
CREATE TABLE ms.child (extra int) INHERITS (ms.base);
CREATE VIEW ms.big_orders AS
    SELECT o.id, c.name, o.amount FROM ms.orders o JOIN ms.customers c ON c.id = o.customer_id WHERE o.amount > 100;
ALTER TABLE ms.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_reader ON ms.orders FOR SELECT TO reader221 USING (amount < 1000);
GRANT USAGE ON SCHEMA ms TO reader221;
GRANT SELECT ON ms.customers, ms.orders, ms.big_orders TO reader221;
COMMENT ON TABLE ms.orders IS 'orders221';
COMMENT ON COLUMN ms.orders.amount IS 'amount221';
INSERT INTO ms.customers (name, mood, p, r, qty) VALUES
    ('ann', 'happy', ROW(1, 'x'), '[1.5,2.5)', 3), ('bob', 'sad', ROW(2, 'y'), 'empty', 1), ('cy', NULL, NULL, NULL, NULL);
INSERT INTO ms.orders (customer_id, amount) VALUES (1, 50), (1, 150), (2, 900), (3, 0);
INSERT INTO ms.events VALUES (1, '2024-05-01', 'a'), (2, '2025-05-01', 'b');
INSERT INTO ms.base VALUES (1, 'p1'), (2, 'p2');
INSERT INTO ms.child VALUES (3, 'c3', 33);
SQL

# inventory_sql SCHEMA: one line per object of SCHEMA and per fact a clone must keep, by names
# only (no schema names, which the move changes), leaving out the planted functions and operators.
inventory_sql() {
    local s
    s=$(lit "$1")
    printf '%s' "WITH s AS (SELECT oid FROM pg_namespace WHERE nspname = $s),
  planted AS (SELECT p.oid FROM pg_proc p WHERE p.pronamespace = (TABLE s) AND p.proname LIKE 'cap\_%'),
  r221 AS (SELECT oid FROM pg_roles WHERE rolname = 'reader221')
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'rel ' || c.relkind::text || ' ' || c.relname AS x FROM pg_class c WHERE c.relnamespace = (TABLE s)
  UNION ALL SELECT 'col ' || c.relname || '.' || a.attname || ' ' || t.typname || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
    WHERE c.relnamespace = (TABLE s) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'con ' || co.contype::text || ' ' || co.conname || coalesce(' on ' || t.relname, '') || coalesce(' of ' || d.typname, '')
      || coalesce(' -> ' || r.relname, '')
    FROM pg_constraint co LEFT JOIN pg_class r ON r.oid = co.confrelid LEFT JOIN pg_class t ON t.oid = co.conrelid
    LEFT JOIN pg_type d ON d.oid = co.contypid WHERE co.connamespace = (TABLE s)
  UNION ALL SELECT 'idx ' || i.relname || ' on ' || t.relname || ' ' ||
      (SELECT string_agg(oc.opcname, ',' ORDER BY k.n) FROM unnest(x.indclass::oid[]) WITH ORDINALITY k(o, n) JOIN pg_opclass oc ON oc.oid = k.o)
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = (TABLE s)
  UNION ALL SELECT 'trg ' || tg.tgname || ' on ' || t.relname || ' ' || p.proname
    FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
    WHERE t.relnamespace = (TABLE s) AND NOT tg.tgisinternal
  UNION ALL SELECT 'typ ' || t.typtype::text || ' ' || t.typname FROM pg_type t WHERE t.typnamespace = (TABLE s)
  UNION ALL SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder)
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typnamespace = (TABLE s) GROUP BY t.typname
  UNION ALL SELECT 'rng ' || t.typname || ' ' || st.typname
    FROM pg_range g JOIN pg_type t ON t.oid = g.rngtypid JOIN pg_type st ON st.oid = g.rngsubtype WHERE t.typnamespace = (TABLE s)
  UNION ALL SELECT 'fn ' || p.prokind::text || ' ' || p.proname || '/' || p.pronargs
    FROM pg_proc p WHERE p.pronamespace = (TABLE s) AND p.oid NOT IN (TABLE planted)
  UNION ALL SELECT 'agg ' || p.proname || ' ' || sf.proname || ' ' || coalesce(ag.agginitval, '-')
    FROM pg_aggregate ag JOIN pg_proc p ON p.oid = ag.aggfnoid JOIN pg_proc sf ON sf.oid = ag.aggtransfn::oid
    WHERE p.pronamespace = (TABLE s)
  UNION ALL SELECT 'op ' || o.oprname || ' ' || l.typname || ' ' || rt.typname
    FROM pg_operator o JOIN pg_type l ON l.oid = o.oprleft JOIN pg_type rt ON rt.oid = o.oprright
    WHERE o.oprnamespace = (TABLE s) AND o.oprcode::oid NOT IN (TABLE planted)
  UNION ALL SELECT 'opc ' || am.amname || ' ' || oc.opcname || ' ' || f.opfname
    FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod JOIN pg_opfamily f ON f.oid = oc.opcfamily
    WHERE oc.opcnamespace = (TABLE s)
  UNION ALL SELECT 'opf ' || f.opfname || ' ' || (SELECT count(*) FROM pg_amop WHERE amopfamily = f.oid) || ' ops '
      || (SELECT count(*) FROM pg_amproc WHERE amprocfamily = f.oid) || ' procs'
    FROM pg_opfamily f WHERE f.opfnamespace = (TABLE s)
  UNION ALL SELECT 'tsc ' || cfgname FROM pg_ts_config WHERE cfgnamespace = (TABLE s)
  UNION ALL SELECT 'pol ' || po.polname || ' on ' || t.relname || ' ' || po.polcmd::text || ' ' || pg_get_expr(po.polqual, po.polrelid)
      || ' to ' || (SELECT string_agg(rolname::text, ',') FROM pg_roles WHERE oid = ANY (po.polroles))
    FROM pg_policy po JOIN pg_class t ON t.oid = po.polrelid WHERE t.relnamespace = (TABLE s)
  UNION ALL SELECT 'rls ' || relname FROM pg_class WHERE relnamespace = (TABLE s) AND relrowsecurity
  UNION ALL SELECT 'acl ' || c.relname || ' ' || a.privilege_type
    FROM pg_class c, aclexplode(c.relacl) a WHERE c.relnamespace = (TABLE s) AND a.grantee = (TABLE r221)
  UNION ALL SELECT 'nspacl ' || a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a
    WHERE n.oid = (TABLE s) AND a.grantee = (TABLE r221)
  UNION ALL SELECT 'cmt ' || c.relname || ' ' || d.objsubid || ' ' || d.description
    FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass WHERE c.relnamespace = (TABLE s)
  UNION ALL SELECT 'inh ' || ch.relname || ' ' || pa.relname
    FROM pg_inherits i JOIN pg_class ch ON ch.oid = i.inhrelid JOIN pg_class pa ON pa.oid = i.inhparent
    WHERE ch.relnamespace = (TABLE s) AND ch.relkind IN ('r', 'p')
  UNION ALL SELECT 'bound ' || relname || ' ' || pg_get_expr(relpartbound, oid)
    FROM pg_class WHERE relnamespace = (TABLE s) AND relispartition AND relkind IN ('r', 'p')
) i"
}
# Left out of the inventories, each with a check of its own below (they fail with the build of
# this writing, for reasons of their own, not an operator): where the range type's multirange and
# the text search configuration land on the target.
KNOWN='floatr_multirange|^tsc my_ts$'
src_inventory() { SRC_DB=$SRCDB src -c "$(inventory_sql ms)" | grep -Ev "$KNOWN"; }
tgt_inventory() { tgt "$1" -c "$(inventory_sql "$2")" | grep -Ev "$KNOWN${3:+|$3}"; } # DB SCHEMA [MORE_KNOWN_ERE]
# rows_sql SCHEMA: "table md5" per plain table of SCHEMA, its own rows only (FROM ONLY).
rows_sql() {
    printf '%s' "SELECT string_agg(c.relname || ' ' || (xpath('/row/m/text()', query_to_xml(format(
      'SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS m FROM ONLY %I.%I t', ',', '', n.nspname, c.relname),
      false, true, '')))[1]::text, E'\n' ORDER BY c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $(lit "$1") AND c.relkind = 'r'"
}
src_rows() { SRC_DB=$SRCDB src -c "$(rows_sql ms)"; }
tgt_rows() { tgt "$1" -c "$(rows_sql "$2")"; } # DB SCHEMA
where_is() { tgt "$1" -c "$2"; } # DB SQL

# same_lines GOT WANT DESCRIPTION: like is, with the differing lines as the diagnostic.
same_lines() {
    if [[ $1 == "$2" ]]; then
        ok "$3"
    else
        not_ok "$3" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | grep '^[<>]' | sed -e 's/^</missing:/' -e 's/^>/extra:  /')"
    fi
}

# captures LOG FROM_BYTE: the planted operators recorded in server log LOG after byte FROM_BYTE,
# "op(left,right) xN" each (N: the transactions that called it), space-separated; "" if none ran.
captures() {
    tail -c +"$(($2 + 1))" "$1" | grep -a -o 'captured221: [^ ]*' | sed 's/^captured221: //' | sort | uniq -c |
        awk '{ printf "%s%s x%s", (NR > 1 ? " " : ""), $2, $1 }'
}
# capture_queries LOG FROM_BYTE: for the diagnostic, each recording with the start of the query
# that called the planted operator.
capture_queries() {
    tail -c +"$(($2 + 1))" "$1" | grep -a -o 'captured221: .*' | sed 's/password=[^ ]*/password=.../' | cut -c 1-2000 | sort -u
}
log_at() { wc -c <"$1"; }
# no_capture LOG FROM_BYTE DESCRIPTION
no_capture() {
    local got
    got=$(captures "$1" "$2")
    if [[ -z $got ]]; then ok "$3"; else not_ok "$3" "planted operators that ran: $got"$'\n'"$(capture_queries "$1" "$2")"; fi
}

SRC_INV=$(src_inventory)
SRC_ROWS=$(src_rows)
like "$SRC_INV" $'opc btree int4_rev int4_rev\n' "setup: the source schema ms has its objects (inventory of $(wc -l <<<"$SRC_INV") lines)"

# Each clone below goes to a target database of its own (the clones' logs apart; and a range
# type's multirange created outside the target schema would make the next clone of it fail).
for d in "${DBS[@]}"; do make_db "$d"; done

# Baseline: the same clone while no planted operator exists.
D=${DB}_base
out=$(tgt $D -c "SELECT pgclone.schema($SRC_LIT, 'ms', true, '{\"target_schema\": \"ms_base\"}')" 2>&1)
like "$out" 'OK: cloned schema ms: 7 tables \(12 rows\)' "baseline, no planted operators: schema clone with target_schema: OK"
same_lines "$(tgt_inventory $D ms_base)" "$SRC_INV" "baseline: ms_base has the source's objects"
is "$(tgt_rows $D ms_base)" "$SRC_ROWS" "baseline: ms_base has the source's rows"
is "$(where_is $D "SELECT string_agg(typnamespace::regnamespace::text, ',') FROM pg_type WHERE typname = 'floatr_multirange'")" ms_base \
    "baseline: the range type's multirange is in ms_base too (not in pg_catalog)"
is "$(where_is $D "SELECT string_agg(cfgnamespace::regnamespace::text, ',') FROM pg_ts_config WHERE cfgname = 'my_ts'")" ms_base \
    "baseline: the text search configuration is in ms_base too (not in a schema of the source schema's name)"

# mallory221 plants the operators.
plant() { # NAME OP LEFT RIGHT RESULT_TYPE EXPRESSION
    cat <<SQL
CREATE FUNCTION ms.cap_$1($3, $4) RETURNS $5 LANGUAGE plpgsql AS \$f\$
DECLARE
    ctx pg_catalog.text;
    seen pg_catalog.text;
BEGIN
    -- the statement that called it (on the target: pgclone's SPI statement is in the context)
    GET DIAGNOSTICS ctx = PG_CONTEXT;
    ctx := pg_catalog.regexp_replace(pg_catalog.current_query() OPERATOR(pg_catalog.||) ' | context: '
        OPERATOR(pg_catalog.||) ctx, '\\s+', ' ', 'g');
    -- once per statement and transaction (a catalog query calls it once per row)
    seen := 'cap221.$1_' OPERATOR(pg_catalog.||) pg_catalog.md5(ctx);
    IF pg_catalog.current_setting(seen, true) IS DISTINCT FROM 'seen' THEN
        PERFORM pg_catalog.set_config(seen, 'seen', false);
        RAISE LOG 'captured221: $2($3,$4) as % in: %', current_user, ctx;
    END IF;
    RETURN $6;
END \$f\$;
CREATE OPERATOR ms.$2 (LEFTARG = $3, RIGHTARG = $4, FUNCTION = ms.cap_$1);
SQL
}
{
    echo "SET ROLE mallory221;"
    plant eq_oid_regclass '=' oid regclass boolean '$1 OPERATOR(pg_catalog.=) $2::pg_catalog.oid'
    plant ne_oid_int '<>' oid integer boolean '$1 OPERATOR(pg_catalog.<>) $2::pg_catalog.oid'
    plant ge_oid_int '>=' oid integer boolean '$1 OPERATOR(pg_catalog.>=) $2::pg_catalog.oid'
    plant lt_oid_int '<' oid integer boolean '$1 OPERATOR(pg_catalog.<) $2::pg_catalog.oid'
    plant eq_oid_int '=' oid integer boolean '$1 OPERATOR(pg_catalog.=) $2::pg_catalog.oid'
    plant ne_regproc_int '<>' regproc integer boolean '$1::pg_catalog.oid OPERATOR(pg_catalog.<>) $2::pg_catalog.oid'
    plant eq_oid_regproc '=' oid regproc boolean '$1 OPERATOR(pg_catalog.=) $2::pg_catalog.oid'
    plant eq_name_array '=' 'name[]' 'name[]' boolean '$1 OPERATOR(pg_catalog.=) $2'
    plant concat_name_text '||' name text text '$1::pg_catalog.text OPERATOR(pg_catalog.||) $2'
    plant plus_numeric_int '+' numeric integer numeric '$1 OPERATOR(pg_catalog.+) $2::pg_catalog.numeric'
    echo "RESET ROLE;"
} | SRC_DB=$SRCDB src >/dev/null
is "$(SRC_DB=$SRCDB src -c "SELECT count(*) FROM pg_operator o JOIN pg_roles r ON r.oid = o.oprowner
                             WHERE o.oprnamespace = 'ms'::regnamespace AND r.rolname = 'mallory221' AND NOT r.rolsuper")" 10 \
    "setup: mallory221, no superuser, owns the moved schema ms and planted 10 operators there"

# The trap works, silently: with ms on the search_path each bare expression runs the planted
# operator, which answers as pg_catalog's would and leaves its record in the source's log.
AT=$(log_at "$PGCLONE_SRC_LOG")
got=$(SRC_DB=$SRCDB src -c "SET search_path = pg_catalog, ms, pg_temp" -c "SELECT concat_ws(' ',
    1259::oid = 'pg_class'::regclass, 1::oid <> 2, 1::oid >= 2, 1::oid < 2, 1::oid = 2,
    'int4in'::regproc <> 0, 43::oid = 'int4in'::regproc, ARRAY['a', 'b']::name[] = ARRAY['a', 'b']::name[],
    'x'::name || 'y'::text, 1.5::numeric + 2)" 2>&1)
is "$got" "t t f t f t f t xy 3.5" "setup: the planted operators answer as pg_catalog's"
is "$(captures "$PGCLONE_SRC_LOG" "$AT")" \
    "+(numeric,integer) x1 <(oid,integer) x1 <>(oid,integer) x1 <>(regproc,integer) x1 =(name[],name[]) x1 =(oid,integer) x1 =(oid,regclass) x1 =(oid,regproc) x1 >=(oid,integer) x1 ||(name,text) x1" \
    "setup: ... and each recorded its call in the source's log"

# at_logs / no_captures DESCRIPTION: the planted operators that ran on the source and on the
# target since at_logs.
at_logs() { SRC_AT=$(log_at "$PGCLONE_SRC_LOG") TGT_AT=$(log_at "$PGCLONE_TGT_LOG"); }
no_captures() {
    no_capture "$PGCLONE_SRC_LOG" "$SRC_AT" "planted: $1 ran no planted operator on the source"
    no_capture "$PGCLONE_TGT_LOG" "$TGT_AT" "planted: ... nor a copy of one on the target"
}

# schema()
D=${DB}_schema
at_logs
out=$(tgt $D -c "SELECT pgclone.schema($SRC_LIT, 'ms', true, '{\"target_schema\": \"ms_copy\"}')" 2>&1)
like "$out" 'OK: cloned schema ms: 7 tables \(12 rows\)' "planted: schema clone with target_schema: OK"
same_lines "$(tgt_inventory $D ms_copy)" "$SRC_INV" "planted: ms_copy has the source's objects"
is "$(tgt_rows $D ms_copy)" "$SRC_ROWS" "planted: ms_copy has the source's rows"
no_captures "schema()"

# table() of four tables
D=${DB}_table
at_logs
tout=""
for t in customers orders events child; do
    tout+=$(tgt $D -c "SELECT pgclone.table($SRC_LIT, 'ms', '$t', true, NULL, '{\"target_schema\": \"ms_tbl\"}')" 2>&1 | grep -E '^(OK|WARNING|ERROR)')$'\n'
done
# (documented: a table clone does not bring the operator class an index uses nor the trigger's
# function, each a WARNING)
is "$tout" 'WARNING:  pgclone: skipped index "customers_rev" on ms_tbl.customers
OK: cloned ms_tbl.customers (3 rows, 1 warning)
WARNING:  pgclone: skipped trigger "orders_touch" on ms_tbl.orders
OK: cloned ms_tbl.orders (4 rows, 1 warning)
OK: cloned ms_tbl.events (2 rows)
OK: cloned ms_tbl.child (1 row)
' "planted: table() of customers, orders, events (partitioned) and child (inheritance) with target_schema: OK"
is "$(tgt $D -c "SELECT (SELECT count(*) FROM pg_policy WHERE polrelid = 'ms_tbl.orders'::regclass)
                     || '/' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'ms_tbl.events'::regclass)
                     || '/' || (SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'ms_tbl.orders'::regclass AND contype = 'f')
                     || '/' || (SELECT count(*) FROM pg_constraint WHERE conrelid = 'ms_tbl.orders'::regclass AND contype = 'c')
                     || '/' || obj_description('ms_tbl.orders'::regclass, 'pg_class')
                     || '/' || (SELECT count(*) FROM ms_tbl.events) || '/' || (SELECT count(*) FROM ms_tbl.customers)")" \
    "1/2/ms_tbl.customers/1/orders221/2/3" \
    "planted: ... the policy, the partitions, the foreign key into ms_tbl, the check, the comment and the rows are there"
no_captures "table()"

# schema_async with a pool
D=${DB}_async
at_logs
id=$(tgt $D -c "SELECT pgclone.schema_async($SRC_LIT, 'ms', true, '{\"parallel\": 2, \"target_schema\": \"ms_async\"}')" 2>&1)
is "$(wait_job $D "$id" 60)" completed "planted: schema_async with a pool and target_schema completes"
same_lines "$(tgt_inventory $D ms_async '^inh child base$')" "$(grep -Ev '^inh child base$' <<<"$SRC_INV")" \
    "planted: ms_async has the source's objects"
is "$(tgt_rows $D ms_async)" "$SRC_ROWS" "planted: ms_async has the source's rows"
no_captures "schema_async"
is "$(tgt $D -c "SELECT string_agg(inhparent::regclass::text, ',') FROM pg_inherits WHERE inhrelid = 'ms_async.child'::regclass")" \
    ms_async.base "planted: schema_async with a pool: ms_async.child inherits ms_async.base (apart: a pool links after the tables)"
tgt $D -c "SELECT pgclone.clear_jobs()" >/dev/null 2>&1

done_testing

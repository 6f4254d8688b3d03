#!/usr/bin/env bash
# 690_fidelity_oracle.sh -- the fidelity oracle: a clone is the source, object for object.
# Loads the fixtures of test/fixtures/oracle/ into a source database of their own, clones it with
# pgclone.database, pgclone.schema and pgclone.schema_async (a pool of two), and compares
#  * pg_dump --schema-only of both sides, normalised only for ordering (each TOC entry is one
#    unit; the entries are sorted), once with --no-owner --no-privileges and once with owners
#    and privileges (the roles exist on both servers);
#  * per table: row count and an md5 of its rows in order; sequence positions; large objects.
# Any difference fails, except the kinds on the list "Known differences from pg_dump" of
# docs/SCHEMA_DATABASE.md (each with its reason): its table rows name pg_dump TOC entry types,
# "COMMENT ON <kind>", "ACL ON COLUMN", "LARGE OBJECT" (left out of the data comparison) or
# "TABLE (inheritance child in a pool)" (in the schema_async comparison such tables are compared
# by their columns and links instead).
#
# ORACLE_SRC_PGBIN: pg_dump for the source side (default PGCLONE_SRC_PGBIN, then PGCLONE_PGBIN);
# the cross-version suite sets it to the source version's own pg_dump. ORACLE_PRIVILEGES=0 runs
# only the --no-owner --no-privileges comparison.
. "$(dirname "$0")/lib/async_common.bash"

SRCDB=fo_oracle
FIXTURES="$ROOT/test/fixtures/oracle"
DOC="$ROOT/docs/SCHEMA_DATABASE.md"
TGT_DUMP=$PGCLONE_PGBIN/pg_dump
SRC_DUMP=${ORACLE_SRC_PGBIN:-${PGCLONE_SRC_PGBIN:-$PGCLONE_PGBIN}}/pg_dump
[[ -x $SRC_DUMP ]] || SRC_DUMP=$TGT_DUMP
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-oracle.XXXXXX")
ROLES="fo_owner fo_reader fo_writer"
SRC_CI=$(src_ci $SRCDB)
SRC_LIT=$(lit "$SRC_CI")

# A tablespace of this name on both servers, in a directory next to each data directory (both
# servers run on this machine in the suites; where they do not, the tablespace fixture is skipped).
TS_Q='"fo_ts ""x""; --"'

cleanup() {
    for db in fo_db fo_schema fo_pool fo_tbl fo_rls fo_ts fo_move; do drop_db $db; done
    SRC_DB=source src -c "DROP DATABASE IF EXISTS $SRCDB WITH (FORCE)" >/dev/null 2>&1
    SRC_DB=source src -c "DROP TABLESPACE IF EXISTS $TS_Q" >/dev/null 2>&1
    tgt postgres -c "DROP TABLESPACE IF EXISTS $TS_Q" >/dev/null 2>&1
    SRC_DB=source src -c "DROP ROLE IF EXISTS fo_ghost" >/dev/null 2>&1
    for r in $ROLES; do
        SRC_DB=source src -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
        tgt postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-oracle.XXXXXX")

for r in $ROLES; do
    SRC_DB=source src -c "CREATE ROLE $r" >/dev/null
    tgt postgres -c "CREATE ROLE $r" >/dev/null
done
SRC_DB=source src -c "CREATE DATABASE $SRCDB" >/dev/null
# make_tablespace SIDE: the directory belongs to the owner of the server's data directory.
make_tablespace() {
    local datadir dir
    if [[ $1 == src ]]; then datadir=$(SRC_DB=source src -c "SHOW data_directory"); else
        datadir=$(tgt postgres -c "SHOW data_directory"); fi
    [[ -n $datadir && -d $datadir ]] || return 1
    dir=$(dirname "$datadir")/fo_ts_$1
    rm -rf "$dir" && mkdir "$dir" && chown "$(stat -c %U "$datadir")" "$dir" || return 1
    if [[ $1 == src ]]; then SRC_DB=source src -c "CREATE TABLESPACE $TS_Q LOCATION $(lit "$dir")"; else
        tgt postgres -c "CREATE TABLESPACE $TS_Q LOCATION $(lit "$dir")"; fi
}
HAVE_TS=0
make_tablespace src >"$WORK/ts.log" 2>&1 && make_tablespace tgt >>"$WORK/ts.log" 2>&1 && HAVE_TS=1
export SRC_DB=$SRCDB
FIXTURE_FILES="app edge"
# The extension with configuration tables exists where test/config_ext was installed (the
# PostgreSQL 15 servers of the suite), not on the cross-version sources.
HAVE_CFG=$(src -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgclone_cfgtest'")
if [[ $HAVE_CFG == 1 ]]; then FIXTURE_FILES+=" extension_config"; else
    echo "ok $((TAP_N += 1)) - extension configuration rows # SKIP the source has no pgclone_cfgtest (test/config_ext)"
fi
if [[ $HAVE_TS == 1 ]]; then FIXTURE_FILES+=" tablespace"; else
    echo "ok $((TAP_N += 1)) - tablespaces # SKIP no tablespace on both servers: $(tr '\n' ' ' <"$WORK/ts.log")"
fi
for f in $FIXTURE_FILES; do
    if src -f "$FIXTURES/$f.sql" >"$WORK/load_$f.log" 2>&1; then
        ok "fixture oracle/$f.sql loads on the source"
    else
        not_ok "fixture oracle/$f.sql loads on the source" "$(tail -5 "$WORK/load_$f.log")"
    fi
done
# pg_dump reads servers of its own major version and older ones: a newer source (the
# cross-version suite without that version's pg_dump) gets the data comparisons only.
SRC_MAJOR=$(src -c "SELECT current_setting('server_version_num')::int / 10000")
DUMP_MAJOR=$("$SRC_DUMP" --version | sed -E 's/.* ([0-9]+)[.].*/\1/')
DUMPS=1
((DUMP_MAJOR >= SRC_MAJOR)) || DUMPS=0

# The documented differences: TOC entry types in the first column of the table under
# "### Known differences from pg_dump".
KNOWN=$(awk '/^### Known differences from pg_dump/ {on = 1; next} on && /^#/ {on = 0}
             on && /^\| `[A-Z ()a-z0-9]+`/ {sub(/^\| `/, ""); sub(/`.*/, ""); print}' "$DOC")
known() { grep -qxF "$1" <<<"$KNOWN"; }

# normalise < dump : one line per TOC entry ("header<TAB>statement<TAB>..."), sorted; the GRANTs
# of an ACL entry are sorted too (the order of the items of an ACL is not a difference). The
# preamble (SET ...), psql meta-commands and blank comment lines go; entries of pgclone itself
# and the documented kinds go.
normalise() {
    local old_public=0
    ((SRC_MAJOR < 15)) && known "SCHEMA public (source before 15)" && old_public=1
    grep -v -e '^\\' -e '^-- PostgreSQL database dump' | awk -v known="$KNOWN" -v old_public=$old_public -v pool="${POOL:-0}" '
        BEGIN {
            n = split(known, k, "\n")
            for (i = 1; i <= n; i++) {
                if (k[i] ~ /^COMMENT ON /) comment_of[substr(k[i], 12)] = 1
                else if (k[i] == "ACL ON COLUMN") column_acl = 1
                else if (k[i] == "TABLE (inheritance child in a pool)") inheritance = pool
                else skip["Type: " k[i] ";"] = 1
            }
        }
        # "schema.table" of an entry header; for a DEFAULT ("Name: t col;") its table
        function owner_key(h,    n, s) {
            match(h, /Name: [^; ]*/); n = substr(h, RSTART + 6, RLENGTH - 6)
            match(h, /Schema: [^;]*/); s = substr(h, RSTART + 8, RLENGTH - 8)
            return s "." n
        }
        function flush() {
            if (entry == "") return
            drop = entry ~ /Name: (pgclone|EXTENSION pgclone|SCHEMA pgclone);/ || entry ~ /Schema: pgclone;/
            for (s in skip) if (index(head, s)) drop = 1
            for (c in comment_of) if (index(head, "Type: COMMENT;") && index(head, "Name: " c " ")) drop = 1
            if (column_acl && index(head, "Type: ACL;") && index(head, "Name: COLUMN ")) drop = 1
            # such a child and the defaults of its columns (printed in its CREATE TABLE there)
            if (inheritance && index(head, "Type: TABLE;") && index(entry, "\tINHERITS (")) { drop = 1; child[owner_key(head)] = 1 }
            if (inheritance && index(head, "Type: DEFAULT;") && (owner_key(head) in child)) drop = 1
            if (old_public && (index(head, "Name: public; Type: SCHEMA;") || index(head, "Name: SCHEMA public; Type: ACL;"))) drop = 1
            if (!drop && index(head, "Type: ACL;")) {
                m = split(entry, part, "\t")
                for (i = 2; i <= m; i++) for (j = i + 1; j <= m; j++) if (part[j] < part[i]) { t = part[i]; part[i] = part[j]; part[j] = t }
                entry = part[1]
                for (i = 2; i <= m; i++) entry = entry "\t" part[i]
            }
            if (!drop) print entry
            entry = ""
        }
        /^-- (Data for )?Name: / { flush(); head = $0; entry = $0; next }
        /^--$/ || /^$/ { next }
        entry != "" { entry = entry "\t" $0 }
        END { flush() }' | sort
}

# compare LABEL TGTDB [pg_dump options...]
compare_dumps() {
    local label=$1 db=$2
    shift 2
    PGPASSWORD=$PGCLONE_SRC_PASSWORD "$SRC_DUMP" --schema-only "$@" -d "$SRC_CI" | normalise >"$WORK/src.txt"
    "$TGT_DUMP" --schema-only "$@" -d "$(tgt_ci "$db")" | normalise >"$WORK/tgt.txt"
    if [[ ! -s $WORK/src.txt ]]; then
        not_ok "$label: pg_dump of the source is empty"
        return
    fi
    local d
    d=$(diff "$WORK/src.txt" "$WORK/tgt.txt" | tr "\t" "\n" | head -${ORACLE_DIFF_LINES:-60})
    if [[ -z $d ]]; then ok "$label: pg_dump --schema-only $* of source and target are equal"; else
        not_ok "$label: pg_dump --schema-only $* of source and target are equal" "$d"
    fi
}

# The data: row count and md5 of the rows of every table (ONLY: inheritance parents apart from
# their children), sequence positions, large objects.
DATA_SQL=$(
    cat <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) || '' '' || coalesce(md5(string_agg(t::text, E''\n'' ORDER BY t::text)), ''-'') FROM ONLY %s t',
              n.nspname || '.' || c.relname, c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgclone')
  AND n.nspname !~ '^pg_toast' AND (c.relkind = 'r' OR c.relispopulated)
ORDER BY 1
SQL
)
data_of() { # side db
    local q
    if [[ $1 == src ]]; then q=$(src -c "$DATA_SQL"); else q=$(tgt "$2" -c "$DATA_SQL"); fi
    {
        printf '%s\n' "$q" | sed 's/$/;/'
        echo "SELECT schemaname || '.' || sequencename || ' ' || coalesce(last_value::text, 'unset') FROM pg_sequences WHERE schemaname <> 'pgclone' ORDER BY 1;"
        known "LARGE OBJECT" ||
            echo "SELECT 'lo ' || m.oid || ' ' || md5(lo_get(m.oid)) || ' ' || pg_get_userbyid(m.lomowner) || ' '
                         || coalesce(m.lomacl::text, '-') || ' ' || coalesce(obj_description(m.oid, 'pg_largeobject'), '-')
                  FROM pg_largeobject_metadata m ORDER BY m.oid;"
        # inheritance links, and the columns of inheritance children (see normalise)
        echo "SELECT 'inh ' || i.inhrelid::regclass || ' ' || i.inhparent::regclass || ' ' || i.inhseqno
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' AND NOT c.relispartition ORDER BY 1;"
        echo "SELECT 'col ' || a.attrelid::regclass || ' ' || string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                     || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
              FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT inhrelid FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE NOT c.relispartition) GROUP BY a.attrelid ORDER BY 1;"
        # relations outside the database's default tablespace (pg_dump's SET default_tablespace
        # lines are not tied to one entry)
        echo "SELECT 'ts ' || n.nspname || '.' || c.relname || ' ' || t.spcname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_tablespace t ON t.oid = c.reltablespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgclone') AND n.nspname !~ '^pg_toast' ORDER BY 1;"
        # which of them are the child's own (a child created with INHERITS lists only these)
        echo "SELECT 'own ' || a.attrelid::regclass || ' ' || string_agg(a.attname || CASE WHEN a.attislocal THEN '' ELSE ' (inherited)' END, ', ' ORDER BY a.attnum)
              FROM pg_attribute a WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT inhrelid FROM pg_inherits i
                    JOIN pg_class c ON c.oid = i.inhrelid WHERE NOT c.relispartition) GROUP BY a.attrelid ORDER BY 1;"
        echo "SELECT 'owncheck ' || conrelid::regclass || ' ' || conname || ' ' || conislocal || ' ' || coninhcount || ' ' || connoinherit
              FROM pg_constraint WHERE contype = 'c' AND conrelid IN (SELECT inhparent FROM pg_inherits UNION SELECT inhrelid FROM pg_inherits) ORDER BY 1;"
        echo "SELECT 'check ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE contype = 'c' AND conrelid IN (SELECT inhrelid FROM pg_inherits) ORDER BY 1;"
    } >"$WORK/data.sql"
    if [[ $1 == src ]]; then src -f "$WORK/data.sql"; else tgt "$2" -f "$WORK/data.sql"; fi
}
compare_data() { # label db [schemas regex]
    local filter=${3:-.}
    local d
    if ! data_of src >"$WORK/src_data.txt" 2>"$WORK/data.err" || ! data_of tgt "$2" >"$WORK/tgt_data.txt" 2>>"$WORK/data.err" ||
        [[ ! -s $WORK/src_data.txt ]]; then
        not_ok "$1: row counts, row hashes, sequence positions and large objects are equal" "$(head -5 "$WORK/data.err")"
        return
    fi
    if [[ $HAVE_TS == 1 ]] && [[ $(grep -c '^ts fo_x[.]spaced' "$WORK/src_data.txt") != 9 ]]; then
        not_ok "$1: the source has nine relations in the tablespace" "$(grep '^ts ' "$WORK/src_data.txt")"
    fi
    d=$(diff <(grep -E "$filter" "$WORK/src_data.txt") <(grep -E "$filter" "$WORK/tgt_data.txt") | head -40)
    if [[ -z $d ]]; then ok "$1: row counts, row hashes, sequence positions and large objects are equal"; else
        not_ok "$1: row counts, row hashes, sequence positions and large objects are equal" "$d"
    fi
}

check_all() { # label db [pg_dump options...]
    local label=$1 db=$2
    shift 2
    if ((DUMPS == 0)); then
        echo "ok $((TAP_N += 1)) - $label: pg_dump comparison # SKIP pg_dump $DUMP_MAJOR cannot read a PostgreSQL $SRC_MAJOR source"
        return
    fi
    compare_dumps "$label" "$db" --no-owner --no-privileges "$@"
    [[ ${ORACLE_PRIVILEGES:-1} == 1 ]] && compare_dumps "$label (owners, privileges)" "$db" "$@"
}

# --- pgclone.database ---------------------------------------------------------------------
make_db fo_db
res=$(tgt fo_db -c "SELECT pgclone.database($SRC_LIT, true, '{\"dry_run\": true}')::json ->> 'summary'")
like "$res" ', 3 operators, 2 operator families, 2 operator classes, 2 casts, ' \
    "database dry run: the operators, their families and classes, and the casts are in the plan"
res=$(tgt fo_db -c "SELECT pgclone.database($SRC_LIT, true)" 2>"$WORK/db.err")
like "$res" '^OK: cloned database ' "database: the clone reports OK without warnings"
[[ $res == OK* ]] || diag_text=$(grep -E 'WARNING|ERROR|DETAIL' "$WORK/db.err" | head -20)
[[ -n ${diag_text:-} ]] && printf '%s\n' "$diag_text" | sed 's/^/#   /'
check_all database fo_db
compare_data database fo_db
if ! known "LARGE OBJECT"; then
    tgt fo_db -c "SELECT pgclone.database($SRC_LIT, true, '{\"conflict\": \"skip\"}')" >/dev/null 2>"$WORK/again.err"
    like "$(grep -c 'large object [0-9]* already exists on the target; kept it' "$WORK/again.err")" '^2$' \
        "database again with conflict skip: the existing large objects are kept"
    tgt fo_db -c "SELECT pgclone.database($SRC_LIT, true, '{\"conflict\": \"skip\", \"large_objects\": false}')" >/dev/null 2>"$WORK/again.err"
    is "$(grep -c 'large object' "$WORK/again.err")" 0 "large_objects false: no large object is looked at"
fi

# --- pgclone.schema, one schema after the other -------------------------------------------
SCHEMAS="fo_aa fo_lib fo_app fo_x"
make_db fo_schema
[[ $HAVE_CFG == 1 ]] && tgt fo_schema -c "CREATE EXTENSION pgclone_cfgtest" >/dev/null
for s in $SCHEMAS; do
    res=$(tgt fo_schema -c "SELECT pgclone.schema($SRC_LIT, '$s', true)" 2>"$WORK/schema.err")
    like "$res" "^OK: cloned schema $s: " "schema $s: the clone reports OK without warnings"
    [[ $res == OK* ]] || grep -E 'WARNING|ERROR|DETAIL' "$WORK/schema.err" | head -20 | sed 's/^/#   /'
done
nargs=()
for s in $SCHEMAS; do nargs+=(-n "$s"); done
check_all schema fo_schema "${nargs[@]}"
compare_data schema fo_schema '^((inh|col|check|ts|own|owncheck) )?fo_'

# --- pgclone.schema_async with a pool of two ------------------------------------------------
make_db fo_pool
[[ $HAVE_CFG == 1 ]] && tgt fo_pool -c "CREATE EXTENSION pgclone_cfgtest" >/dev/null
tgt fo_pool -c "SELECT pgclone.clear_jobs()" >/dev/null
for s in $SCHEMAS; do
    id=$(tgt fo_pool -c "SELECT pgclone.schema_async($SRC_LIT, '$s', true, '{\"parallel\": 2}')")
    st=$(wait_job fo_pool "$id" 300)
    is "$st" completed "schema_async $s (parallel 2): the job completes"
    [[ $st == completed ]] || job_field fo_pool "$id" error_message | sed 's/^/#   /'
    like "$(job_field fo_pool "$id" result)" "^OK: cloned schema $s: " "schema_async $s: OK without warnings"
done
POOL=1 check_all "schema_async" fo_pool "${nargs[@]}"
compare_data "schema_async" fo_pool '^((inh|col|check|ts) )?fo_'
tgt fo_pool -c "SELECT pgclone.clear_jobs()" >/dev/null

# --- option target_schema: the operators, classes and families move with the schema ------------
make_db fo_move
res=$(tgt fo_move -c "SELECT pgclone.schema($SRC_LIT, 'fo_x', true, '{\"target_schema\": \"fo x moved\"}')" 2>"$WORK/move.err")
# The one warning: the rule of fo_x.wallet names its table with the source schema (documented).
like "$res" '^DONE WITH 1 WARNING: ' "target_schema: fo_x cloned into another schema with one warning"
like "$(grep -A1 WARNING "$WORK/move.err" | tr '\n' ' ')" 'skipped the rules and statistics objects of fo x moved[.]wallet.*in another schema' \
    "... the rule of fo_x.wallet, which names the source schema"
is "$(tgt fo_move -c "WITH s(oid) AS (SELECT oid FROM pg_namespace WHERE nspname = 'fo x moved')
                      SELECT (SELECT count(*) FROM pg_operator, s WHERE oprnamespace = s.oid)
                        || ' ' || (SELECT count(*) FROM pg_opfamily, s WHERE opfnamespace = s.oid)
                        || ' ' || (SELECT count(*) FROM pg_opclass, s WHERE opcnamespace = s.oid)
                        || ' ' || (SELECT count(*) FROM pg_proc, s WHERE pronamespace = s.oid AND prokind = 'a')
                        || ' ' || (SELECT count(*) FROM pg_namespace WHERE nspname = 'fo_x')")" "3 2 2 1 0" \
    "target_schema: 3 operators, 2 families, 2 classes and the aggregate in the target schema, nothing in the source's name"
like "$(tgt fo_move -c "SELECT pg_get_indexdef('\"fo x moved\".wallet_rank_rev'::regclass)")" '"fo x moved"\.rev_int_ops' \
    "target_schema: the index uses the moved operator class"
drop_db fo_move

# --- a tablespace the target lacks: the default one, with a NOTICE per object ------------------
if [[ $HAVE_TS == 1 ]]; then
    # pgclone.table of a partitioned table: its partitions and their indexes keep their tablespaces
    make_db fo_ts
    res=$(tgt fo_ts -c "SELECT pgclone.table($SRC_LIT, 'fo_x', 'spaced_parts', true)" 2>"$WORK/ts.err")
    is "$res" "OK: cloned fo_x.spaced_parts (150 rows)" "table of a partitioned table with a partition in a tablespace"
    is "$(tgt fo_ts -c "SELECT string_agg(c.relname || ' ' || coalesce(t.spcname, '-'), ', ' ORDER BY c.relname)
                        FROM pg_class c LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
                        WHERE c.relname LIKE 'spaced_parts%'")" \
        'spaced_parts -, spaced_parts_1 fo_ts "x"; --, spaced_parts_2 -, spaced_parts_v fo_ts "x"; --' \
        "... the partition and its index are in the tablespace, the rest in the default one"
    drop_db fo_ts
    for db in fo_db fo_schema fo_pool; do drop_db $db; done
    tgt postgres -c "DROP TABLESPACE $TS_Q" >/dev/null
    make_db fo_ts
    res=$(tgt fo_ts -c "SELECT pgclone.table($SRC_LIT, 'fo_x', 'spaced', true)" 2>"$WORK/ts.err")
    is "$res" "OK: cloned fo_x.spaced (25 rows)" "tablespace missing on the target: the table is cloned without a warning"
    is "$(grep -c 'in the default tablespace: tablespace "fo_ts "x"; --" does not exist on the target' "$WORK/ts.err")" 3 \
        "... with a NOTICE for the table, its primary key and its index"
    is "$(tgt fo_ts -c "SELECT count(*) FROM pg_class WHERE relname LIKE 'spaced%' AND reltablespace = 0")" 4 \
        "... all of them in the database's default tablespace"
    drop_db fo_ts
fi

# --- pgclone.table: a table brings what it needs ---------------------------------------------
# b_items needs collations, a text search configuration, types, the routines of its defaults,
# generated columns and triggers; its generated column reads fo_aa.a_rates, cloned first.
make_db fo_tbl
for t in fo_aa.a_rates fo_app.b_items fo_app.c_secrets; do
    res=$(tgt fo_tbl -c "SELECT pgclone.table($SRC_LIT, '${t%.*}', '${t#*.}', true)" 2>"$WORK/tbl.err")
    like "$res" "^OK: cloned $t \\([0-9]+ rows\\)$" "table $t: OK without warnings"
    [[ $res == OK* ]] || grep -E 'WARNING|ERROR|DETAIL' "$WORK/tbl.err" | head -10 | sed 's/^/#   /'
done
if ((DUMPS == 1)); then
    for t in b_items c_secrets; do
        compare_dumps "table $t" fo_tbl --no-owner --no-privileges -t "fo_app.$t"
    done
fi
is "$(tgt fo_tbl -c "SELECT count(*) FILTER (WHERE usd IS NULL) || ' ' || count(*) FROM fo_app.b_items")" "0 30" \
    "table b_items: the generated column read the rates cloned before it"

# --- policies naming roles the target lacks: never more permissive --------------------------
src >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP ROLE IF EXISTS fo_ghost;
CREATE ROLE fo_ghost;
CREATE SCHEMA fo_rls;
CREATE TABLE fo_rls.t (id integer PRIMARY KEY, v text);
INSERT INTO fo_rls.t SELECT g, 'v' || g FROM generate_series(1, 3) g;
ALTER TABLE fo_rls.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_ghost ON fo_rls.t FOR SELECT TO fo_ghost USING (true);
CREATE POLICY p_mixed ON fo_rls.t FOR SELECT TO fo_ghost, fo_reader USING (id > 1);
CREATE POLICY r_ghost ON fo_rls.t AS RESTRICTIVE FOR SELECT TO fo_ghost USING (id < 3);
SQL
make_db fo_rls
res=$(tgt fo_rls -c "SELECT pgclone.table($SRC_LIT, 'fo_rls', 't', true)" 2>"$WORK/rls.err")
is "$res" "OK: cloned fo_rls.t (3 rows, 3 warnings)" "missing policy roles: the clone says so (one WARNING per policy)"
like "$(grep -c 'Policies are never made more permissive' "$WORK/rls.err")" '^3$' "... each WARNING says why"
is "$(tgt fo_rls -c "SELECT string_agg(policyname || ' ' || permissive || ' ' || array_to_string(roles, ','), '; ' ORDER BY policyname)
                     FROM pg_policies WHERE schemaname = 'fo_rls'")" \
    "p_mixed PERMISSIVE fo_reader; r_ghost RESTRICTIVE public" \
    "permissive: missing roles left out (not created when none is left); restrictive: applies to PUBLIC"
is "$(tgt fo_rls -c "SELECT relrowsecurity FROM pg_class WHERE oid = 'fo_rls.t'::regclass")" t "row-level security enabled"
tgt fo_rls -c "GRANT USAGE ON SCHEMA fo_rls TO fo_reader; GRANT SELECT ON fo_rls.t TO fo_reader" >/dev/null
is "$(tgt fo_rls -c "SET ROLE fo_reader" -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM fo_rls.t")" "2" \
    "fo_reader sees no more than on the source (2 and 3 there: the restriction now applies to it too)"
drop_db fo_tbl
drop_db fo_rls

done_testing

#!/usr/bin/env bash
# 660_doc_examples.sh -- every ```sql block of README.md and docs/*.md runs as written, in the
# order of its file, and shows what the docs say it shows.
#
# Conventions of the docs (docs/ARCHITECTURE.md "Examples in the docs"):
#   - `:'src'` is the source's connection string (psql variable); a line `\set src '...'` and
#     every literal 'host=...' connection string are replaced by the test source's;
#   - a comment line that starts with "--  " (two spaces) right after a statement is its result:
#     consecutive such lines are one result line, joined with a space, and psql must print it;
#   - a comment "-- ERROR:  <message>" is an error the statement must raise (the comment lines
#     after it show its DETAIL and HINT and are not checked); any other ERROR fails the block;
#   - a block whose first line is "-- not run by the doc test: <reason>" is not run (the reason
#     is printed); a block that is not SQL at all is fenced as ```text.
# Each doc file runs in a fresh target database; the source objects the examples use (schema
# sales, table public.customers) are created for the test and dropped at the end.
# shellcheck source=test/fault/lib/tap.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/tap.bash"

DOCDB=pgclone_doc_examples
# psql on another database of the target cluster (later keywords of a conninfo win)
tgt_in() { # DB ARGS...
    local db=$1
    shift
    "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PGCLONE_TGT_CONNINFO dbname=$db" "$@"
}

fault_cleanup() {
    tgt_in postgres -c "DROP DATABASE IF EXISTS $DOCDB" >/dev/null 2>&1
    src -c "DROP SCHEMA IF EXISTS sales CASCADE" -c "DROP TABLE IF EXISTS public.customers" >/dev/null 2>&1
    # the operator recipe of USAGE.md creates the role cloner
    tgt_in postgres -c "REVOKE ALL ON DATABASE target FROM cloner" -c "DROP ROLE cloner" >/dev/null 2>&1
}

# The objects the examples name, on the source. orders: 148920 rows, VACUUMed so that the
# estimate the dry run shows is exact; order_lines: two lines for each of the first 1000 orders
# (the subset clone examples follow its foreign key).
src -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS sales CASCADE" -c "CREATE SCHEMA sales" \
    -c "CREATE TABLE sales.customers (id serial PRIMARY KEY, name text NOT NULL, email text, status text NOT NULL)" \
    -c "INSERT INTO sales.customers (name, email, status) SELECT 'c' || g, 'c' || g || '@example.com',
        CASE WHEN g % 3 = 0 THEN 'inactive' ELSE 'active' END FROM generate_series(1, 300) g" \
    -c "CREATE TABLE sales.orders (id serial PRIMARY KEY, customer_id int NOT NULL,
        amount numeric(10,2) NOT NULL CHECK (amount >= 0), status text NOT NULL)" \
    -c "CREATE INDEX orders_customer_id ON sales.orders (customer_id)" \
    -c "INSERT INTO sales.orders (customer_id, amount, status) SELECT 1 + g % 300, g % 1000, 'new'
        FROM generate_series(1, 148920) g" \
    -c "CREATE TABLE sales.order_lines (order_id int NOT NULL REFERENCES sales.orders, line int,
        product text NOT NULL, PRIMARY KEY (order_id, line))" \
    -c "INSERT INTO sales.order_lines SELECT id, l, 'p' || (id * l) % 50 FROM sales.orders, generate_series(1, 2) l
        WHERE id <= 1000" \
    -c "DROP TABLE IF EXISTS public.customers" \
    -c "CREATE TABLE public.customers (id int PRIMARY KEY, name text)" \
    -c "INSERT INTO public.customers SELECT g, 'c' || g FROM generate_series(1, 15230) g" \
    -c "VACUUM ANALYZE sales.orders, sales.order_lines, sales.customers, public.customers" >/dev/null || {
    not_ok "create the source objects of the examples"
    finish
}

BLOCKS=$WORK/blocks
mkdir -p "$BLOCKS"
# One file per block: <n>.sql (the block as the test runs it), <n>.meta (doc:line, and the skip
# reason if any), <n>.want (expected result lines), <n>.errors (expected error messages).
python3 - "$FAULT_ROOT" "$BLOCKS" "$PGCLONE_SRC_CONNINFO" <<'PY'
import glob, os, re, sys
root, out, conninfo = sys.argv[1], sys.argv[2], sys.argv[3]
quoted = "'" + conninfo.replace("'", "''") + "'"
files = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
n = 0
for path in files:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```sql":
            i += 1
            continue
        start = i + 1
        j = start
        while lines[j].strip() != "```":
            j += 1
        body = lines[start:j]
        i = j + 1
        n += 1
        rel = os.path.relpath(path, root)
        skip = ""
        m = re.match(r"--\s*not run by the doc test:\s*(.*)", body[0]) if body else None
        if m:
            skip = m.group(1)
        want, errors, run, pending, in_error = [], [], [], None, False
        for line in body:
            # The DETAIL, HINT and continuation lines of an error shown in a comment.
            if in_error and line.startswith("--"):
                run.append(line)
                continue
            in_error = False
            if line.startswith("\\set src "):
                run.append("\\set src " + quoted)
                continue
            if line.startswith("--  "):
                text = line[4:].strip()
                pending = text if pending is None else pending + " " + text
                continue
            if pending is not None:
                want.append(pending)
                pending = None
            em = re.match(r"-- ERROR:\s+(.*)", line)
            if em:
                errors.append(em.group(1).strip())
                in_error = True
            run.append(re.sub(r"'host=[^']*'", lambda _: quoted, line))
        if pending is not None:
            want.append(pending)
        with open(os.path.join(out, "%03d.sql" % n), "w") as f:
            f.write("\\set src " + quoted + "\n" + "\n".join(run) + "\n")
        with open(os.path.join(out, "%03d.meta" % n), "w") as f:
            f.write("%s:%d\n%s\n" % (rel, start, skip))
        with open(os.path.join(out, "%03d.want" % n), "w") as f:
            f.write("".join(w + "\n" for w in want))
        with open(os.path.join(out, "%03d.errors" % n), "w") as f:
            f.write("".join(e + "\n" for e in errors))
PY

current_doc=""
for sql in "$BLOCKS"/*.sql; do
    base=${sql%.sql}
    where=$(sed -n 1p "$base.meta")
    skip=$(sed -n 2p "$base.meta")
    doc=${where%%:*}
    if [[ -n $skip ]]; then
        diag "$where: not run ($skip)"
        continue
    fi
    if [[ $doc != "$current_doc" ]]; then # a fresh database per doc file
        current_doc=$doc
        tgt_in postgres -c "DROP DATABASE IF EXISTS $DOCDB" -c "CREATE DATABASE $DOCDB" >/dev/null
        # unless the doc's first example creates it itself
        grep -q '^CREATE EXTENSION pgclone' "$sql" || tgt_in "$DOCDB" -c "CREATE EXTENSION pgclone" >/dev/null
    fi
    output=$("$PSQL" -X -At -v ON_ERROR_STOP=0 "$PGCLONE_TGT_CONNINFO dbname=$DOCDB" -f "$sql" 2>&1)
    problems=""
    while IFS= read -r want; do
        [[ -z $want ]] && continue
        grep -qxF -- "$want" <<<"$output" || problems+="missing result: $want"$'\n'
    done <"$base.want"
    expected_errors=$(cat "$base.errors")
    while IFS= read -r err; do
        msg=${err#*ERROR:  }
        grep -qxF -- "$msg" "$base.errors" || problems+="error: $msg"$'\n'
    done < <(grep -o 'ERROR:  .*' <<<"$output" || true)
    while IFS= read -r e; do
        [[ -z $e ]] && continue
        grep -qF -- "ERROR:  $e" <<<"$output" || problems+="expected error missing: $e"$'\n'
    done <<<"$expected_errors"
    if [[ -z $problems ]]; then
        ok "$where runs as written"
    else
        not_ok "$where runs as written"
        diag "$problems" "output:" "$output"
    fi
done

finish

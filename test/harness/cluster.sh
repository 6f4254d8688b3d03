#!/usr/bin/env bash
# test/harness/cluster.sh -- throwaway *source* and *target* PostgreSQL clusters for pgclone tests.
#
# Usage:
#   cluster.sh start [--no-preload]   create + start both clusters in a fresh temp dir
#   cluster.sh env                    print shell exports (eval "$(cluster.sh env)")
#   cluster.sh status                 exit 0 iff both servers are running
#   cluster.sh restart [source|target|all]   restart (or start, if down) a server
#   cluster.sh stop                   stop both, remove the temp dir (kept if PGCLONE_KEEP=1)
#
# Layout (all under one mktemp dir, recorded in test/harness/.state):
#   sock/          unix sockets of both servers
#   source/        source cluster: scram-sha-256 everywhere, superuser postgres/srcpass,
#                  listens on the socket and on 127.0.0.1, database "source"
#   target/        target cluster: local trust, socket only, shared_preload_libraries='pgclone'
#                  (unless --no-preload), database "target" with the settings pgclone_test.source,
#                  pgclone_test.preload and pgclone_test.source_version_num
#   logs/          server logs (source.log, target.log) and initdb logs
#
# Environment:
#   PGCLONE_PGBIN      server bin dir (default: `${PG_CONFIG:-pg_config} --bindir`)
#   PGCLONE_SRC_PGBIN  bin dir of the *source* server only (default: PGCLONE_PGBIN); used for
#                      cross-version tests (test/cross/run_cross.sh): needs initdb, pg_ctl and
#                      postgres there; psql always comes from PGCLONE_PGBIN
#   PGCLONE_SRC_LIBDIR LD_LIBRARY_PATH for the source server's processes only (initdb, pg_ctl,
#                      postgres), e.g. the bundled libs of test/cross/fetch_pg.sh (default: none)
#   PGCLONE_SRC_PORT   source port (default 55432; the next free one is used if busy)
#   PGCLONE_TGT_PORT   target port (default 55433; the next free one is used if busy)
#   PGCLONE_OS_USER    OS user owning the clusters when run as root (default pgclone)
#   PGCLONE_TMPROOT    where the temp dir is created (default /tmp; keep it short: socket paths
#                      are limited to ~100 bytes)
#   PGCLONE_KEEP=1     `stop` keeps the temp dir (data dirs and logs) for inspection
#   PGCLONE_SAVE_LOGS  `stop` copies the server and initdb logs into this directory first
#   PGCLONE_STATE_FILE state file (default test/harness/.state)
#
# The PostgreSQL server refuses to run as root: when run as root the clusters are owned by
# PGCLONE_OS_USER (created with useradd if missing) and initdb/pg_ctl run through runuser.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
STATE_FILE=${PGCLONE_STATE_FILE:-$HERE/.state}
SRC_PASSWORD=srcpass
SUPERUSER=postgres
SRC_DB=source
TGT_DB=target
WANT_SRC_PORT=${PGCLONE_SRC_PORT:-55432}
WANT_TGT_PORT=${PGCLONE_TGT_PORT:-55433}

# Never let the caller's libpq environment leak into our connections or servers.
unset PGDATA PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
    PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS || true

log() { echo "cluster.sh: $*" >&2; }
die() {
    echo "cluster.sh: ERROR: $*" >&2
    exit 1
}

usage() {
    sed -n '2,12p' "$SELF" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------------------------------------
# helpers

resolve_pgbin() {
    if [[ -n ${PGCLONE_PGBIN:-} ]]; then
        printf '%s\n' "$PGCLONE_PGBIN"
        return 0
    fi
    local pgc=${PG_CONFIG:-pg_config} b d
    if command -v "$pgc" >/dev/null 2>&1; then
        if b=$("$pgc" --bindir 2>/dev/null) && [[ -x $b/initdb ]]; then
            printf '%s\n' "$b"
            return 0
        fi
    fi
    # Debian/Ubuntu layout fallback: newest installed server.
    # shellcheck disable=SC2012 # fixed, well-formed paths
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $d/initdb ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

ensure_os_user() {
    if is_root; then
        OS_USER=${PGCLONE_OS_USER:-pgclone}
        [[ $OS_USER != root ]] || die "PGCLONE_OS_USER must not be root"
        if ! id -u "$OS_USER" >/dev/null 2>&1; then
            log "creating OS user $OS_USER"
            useradd -m -s /bin/bash "$OS_USER" || die "useradd $OS_USER failed"
        fi
    else
        OS_USER=$(id -un)
    fi
}

# Run a command as the cluster owner, from a directory it can access.
as_pg() {
    if is_root; then
        (cd "$PGCLONE_TMPDIR" && runuser -u "$OS_USER" -- "$@")
    else
        (cd "$PGCLONE_TMPDIR" && "$@")
    fi
}

# Is something already using this port (TCP on localhost, or a default-location unix socket)?
port_busy() {
    local p=$1
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 0; fi
    if command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
        return 0
    fi
    [[ -e /tmp/.s.PGSQL.$p || -e /var/run/postgresql/.s.PGSQL.$p ]] && return 0
    return 1
}

# pick_port WANTED [EXCLUDED]
pick_port() {
    local p=$1 excl=${2:-} i
    [[ $p =~ ^[0-9]+$ ]] || die "invalid port: $p"
    for ((i = 0; i < 200; i++, p++)); do
        ((p > 65535)) && p=20000
        [[ $p == "$excl" ]] && continue
        if ! port_busy "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    die "no free port found near $1"
}

# Single-quote a value for the shell.
sh_quote() {
    local q="'\\''"
    printf "'%s'" "${1//\'/$q}"
}

sql_literal() {
    local s=${1//\'/\'\'}
    printf "'%s'" "$s"
}

src_conninfo() {
    printf 'host=%s port=%s dbname=%s user=%s password=%s' \
        "$PGCLONE_SOCKDIR" "$PGCLONE_SRC_PORT" "$SRC_DB" "$SUPERUSER" "$SRC_PASSWORD"
}

tgt_conninfo() {
    printf 'host=%s port=%s dbname=%s user=%s' \
        "$PGCLONE_SOCKDIR" "$PGCLONE_TGT_PORT" "$TGT_DB" "$SUPERUSER"
}

write_state() {
    local tmp="$STATE_FILE.tmp.$$" v
    {
        echo "# pgclone test harness state -- written by cluster.sh, do not edit"
        for v in PGCLONE_TMPDIR PGCLONE_SOCKDIR PGCLONE_SRC_PORT PGCLONE_TGT_PORT PGCLONE_PGBIN \
            PGCLONE_SRC_PGBIN PGCLONE_SRC_LIBDIR OS_USER PGCLONE_PRELOAD; do
            printf '%s=%q\n' "$v" "${!v}"
        done
    } >"$tmp"
    mv -f "$tmp" "$STATE_FILE"
}

load_state() {
    [[ -f $STATE_FILE ]] || return 1
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    [[ -n ${PGCLONE_TMPDIR:-} ]] || return 1
    # State files written before the source could have its own binaries.
    PGCLONE_SRC_PGBIN=${PGCLONE_SRC_PGBIN:-$PGCLONE_PGBIN}
    PGCLONE_SRC_LIBDIR=${PGCLONE_SRC_LIBDIR:-}
    return 0
}

# Server binaries of cluster NAME: the source may be another PostgreSQL version.
bindir() { if [[ $1 == source ]]; then printf '%s' "$PGCLONE_SRC_PGBIN"; else printf '%s' "$PGCLONE_PGBIN"; fi; }

# as_pg for the server binaries of cluster NAME; the source's bundled libraries (if any) are put
# on LD_LIBRARY_PATH for its processes only, never for the target or for psql.
as_srv() { # NAME CMD...
    local name=$1
    shift
    if [[ $name == source && -n ${PGCLONE_SRC_LIBDIR:-} ]]; then
        as_pg env "LD_LIBRARY_PATH=$PGCLONE_SRC_LIBDIR" "$@"
    else
        as_pg "$@"
    fi
}

datadir() { printf '%s/%s' "$PGCLONE_TMPDIR" "$1"; }
logfile() { printf '%s/logs/%s.log' "$PGCLONE_TMPDIR" "$1"; }

server_running() {
    local d
    d=$(datadir "$1")
    [[ -f $d/postmaster.pid ]] || return 1
    as_srv "$1" "$(bindir "$1")/pg_ctl" -D "$d" status >/dev/null 2>&1
}

show_log_tail() {
    local f=$1 n=${2:-40}
    if [[ -f $f ]]; then
        echo "----- last $n lines of $f -----" >&2
        tail -n "$n" "$f" >&2
        echo "----- end of $f -----" >&2
    else
        echo "(no log file $f)" >&2
    fi
}

start_server() { # NAME
    local name=$1 d l
    d=$(datadir "$name")
    l=$(logfile "$name")
    if ! as_srv "$name" "$(bindir "$name")/pg_ctl" -D "$d" -l "$l" -w -t 60 start >/dev/null 2>&1; then
        echo "cluster.sh: ERROR: the $name server failed to start." >&2
        if [[ $name == target && $PGCLONE_PRELOAD == 1 ]]; then
            local pkglib=""
            [[ -x $PGCLONE_PGBIN/pg_config ]] && pkglib=$("$PGCLONE_PGBIN/pg_config" --pkglibdir 2>/dev/null || true)
            [[ -z $pkglib ]] && pkglib=$("${PG_CONFIG:-pg_config}" --pkglibdir 2>/dev/null || true)
            if [[ -n $pkglib && ! -f $pkglib/pgclone.so ]]; then
                echo "cluster.sh: $pkglib/pgclone.so does not exist -- build and install pgclone" \
                    "first (make && make install), or use 'cluster.sh start --no-preload'." >&2
            else
                echo "cluster.sh: the target preloads pgclone (shared_preload_libraries); see its log." >&2
            fi
        fi
        show_log_tail "$l"
        return 1
    fi
}

stop_server() { # NAME
    local name=$1 d
    d=$(datadir "$name")
    [[ -f $d/postmaster.pid ]] || return 0
    if ! as_srv "$name" "$(bindir "$name")/pg_ctl" -D "$d" -m fast -w -t 60 stop >/dev/null 2>&1; then
        log "fast shutdown of $name failed, trying immediate"
        as_srv "$name" "$(bindir "$name")/pg_ctl" -D "$d" -m immediate -w -t 60 stop >/dev/null 2>&1 ||
            log "could not stop the $name server (data dir $d)"
    fi
}

remove_tmpdir() {
    local t=${PGCLONE_TMPDIR:-}
    # Paranoia: only ever remove directories we created.
    if [[ -n $t && -d $t && $(basename "$t") == pgclone-test.* ]]; then
        rm -rf -- "$t"
    fi
}

# ---------------------------------------------------------------------------------------------
# commands

START_OK=0
start_cleanup() {
    local rc=$?
    if [[ $START_OK != 1 ]]; then
        log "start failed; cleaning up"
        stop_server target || true
        stop_server source || true
        if [[ ${PGCLONE_KEEP:-0} == 1 ]]; then
            log "keeping $PGCLONE_TMPDIR (PGCLONE_KEEP=1)"
        else
            remove_tmpdir
        fi
        rm -f "$STATE_FILE"
        ((rc == 0)) && rc=1
    fi
    exit "$rc"
}

cmd_start() {
    PGCLONE_PRELOAD=1
    while (($#)); do
        case $1 in
            --no-preload) PGCLONE_PRELOAD=0 ;;
            *) die "start: unknown option $1" ;;
        esac
        shift
    done
    local want_preload=$PGCLONE_PRELOAD

    if load_state; then
        ensure_os_user
        if [[ -d $PGCLONE_TMPDIR ]] && { server_running source || server_running target; }; then
            die "clusters already running (state in $STATE_FILE, dir $PGCLONE_TMPDIR); run 'cluster.sh stop' first"
        fi
        log "removing stale state for $PGCLONE_TMPDIR"
        [[ ${PGCLONE_KEEP:-0} == 1 ]] || remove_tmpdir
        rm -f "$STATE_FILE"
    fi
    PGCLONE_PRELOAD=$want_preload

    PGCLONE_PGBIN=$(resolve_pgbin) ||
        die "cannot find PostgreSQL server binaries; set PGCLONE_PGBIN or PG_CONFIG"
    local b
    for b in initdb pg_ctl postgres psql; do
        [[ -x $PGCLONE_PGBIN/$b ]] || die "$PGCLONE_PGBIN/$b not found (PGCLONE_PGBIN=$PGCLONE_PGBIN)"
    done
    PGCLONE_SRC_PGBIN=${PGCLONE_SRC_PGBIN:-$PGCLONE_PGBIN}
    PGCLONE_SRC_LIBDIR=${PGCLONE_SRC_LIBDIR:-}
    for b in initdb pg_ctl postgres; do
        [[ -x $PGCLONE_SRC_PGBIN/$b ]] || die "$PGCLONE_SRC_PGBIN/$b not found (PGCLONE_SRC_PGBIN=$PGCLONE_SRC_PGBIN)"
    done
    ensure_os_user

    PGCLONE_SRC_PORT=$(pick_port "$WANT_SRC_PORT")
    PGCLONE_TGT_PORT=$(pick_port "$WANT_TGT_PORT" "$PGCLONE_SRC_PORT")
    [[ $PGCLONE_SRC_PORT == "$WANT_SRC_PORT" ]] || log "port $WANT_SRC_PORT busy, source uses $PGCLONE_SRC_PORT"
    [[ $PGCLONE_TGT_PORT == "$WANT_TGT_PORT" ]] || log "port $WANT_TGT_PORT busy, target uses $PGCLONE_TGT_PORT"

    local root=${PGCLONE_TMPROOT:-/tmp}
    PGCLONE_TMPDIR=$(mktemp -d "$root/pgclone-test.XXXXXX") || die "mktemp failed in $root"
    PGCLONE_SOCKDIR=$PGCLONE_TMPDIR/sock
    trap start_cleanup EXIT
    write_state

    chmod 755 "$PGCLONE_TMPDIR"
    mkdir -p "$PGCLONE_SOCKDIR" "$PGCLONE_TMPDIR/logs"
    chmod 755 "$PGCLONE_SOCKDIR" "$PGCLONE_TMPDIR/logs"
    local pwfile=$PGCLONE_TMPDIR/srcpw
    printf '%s\n' "$SRC_PASSWORD" >"$pwfile"
    chmod 600 "$pwfile"
    if is_root; then chown -R "$OS_USER" "$PGCLONE_TMPDIR"; fi

    local version
    version=$("$PGCLONE_PGBIN/postgres" --version 2>/dev/null || echo unknown)
    log "PostgreSQL: $version ($PGCLONE_PGBIN), OS user: $OS_USER"
    if [[ $PGCLONE_SRC_PGBIN != "$PGCLONE_PGBIN" ]]; then
        version=$(LD_LIBRARY_PATH=$PGCLONE_SRC_LIBDIR "$PGCLONE_SRC_PGBIN/postgres" --version 2>/dev/null || echo unknown)
        log "source PostgreSQL: $version ($PGCLONE_SRC_PGBIN)"
    fi
    log "temp dir: $PGCLONE_TMPDIR"

    # ---- initdb
    local name
    if ! as_srv source "$PGCLONE_SRC_PGBIN/initdb" -D "$(datadir source)" -U "$SUPERUSER" --pwfile="$pwfile" \
        -A scram-sha-256 -E UTF8 --locale=C --no-sync >"$PGCLONE_TMPDIR/logs/initdb-source.log" 2>&1; then
        show_log_tail "$PGCLONE_TMPDIR/logs/initdb-source.log"
        die "initdb of the source cluster failed"
    fi
    rm -f "$pwfile"
    if ! as_pg "$PGCLONE_PGBIN/initdb" -D "$(datadir target)" -U "$SUPERUSER" \
        -A trust -E UTF8 --locale=C --no-sync >"$PGCLONE_TMPDIR/logs/initdb-target.log" 2>&1; then
        show_log_tail "$PGCLONE_TMPDIR/logs/initdb-target.log"
        die "initdb of the target cluster failed"
    fi

    # ---- configuration (files already exist and are owned by the cluster owner; '>'/'>>'
    #      keep the ownership)
    local src_ci
    src_ci=$(src_conninfo)
    cat >"$(datadir source)/pg_hba.conf" <<EOF
# pgclone test harness: password authentication only
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
EOF
    cat >>"$(datadir source)/postgresql.conf" <<EOF

# ---- pgclone test harness (source) ----
port = $PGCLONE_SRC_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGCLONE_SOCKDIR'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
lc_messages = 'C'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF

    cat >"$(datadir target)/pg_hba.conf" <<EOF
# pgclone test harness: trust over the private unix socket only
local   all   all   trust
EOF
    {
        echo
        echo "# ---- pgclone test harness (target) ----"
        echo "port = $PGCLONE_TGT_PORT"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$PGCLONE_SOCKDIR'"
        if [[ $PGCLONE_PRELOAD == 1 ]]; then
            echo "shared_preload_libraries = 'pgclone'"
        else
            echo "# shared_preload_libraries not set (cluster.sh start --no-preload)"
        fi
        echo "max_worker_processes = 16"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "lc_messages = 'C'"
        echo "log_min_messages = warning"
        echo "log_line_prefix = '%m [%p] %q%u@%d '"
        echo "# available in every database (pgTAP files read these with current_setting())"
        echo "pgclone_test.source = $(sql_literal "$src_ci")"
        echo "pgclone_test.preload = '$([[ $PGCLONE_PRELOAD == 1 ]] && echo on || echo off)'"
    } >>"$(datadir target)/postgresql.conf"

    # ---- start
    for name in source target; do
        start_server "$name" || exit 1
    done

    # ---- databases
    local psql=("$PGCLONE_PGBIN/psql" -X -q -v ON_ERROR_STOP=1)
    PGPASSWORD=$SRC_PASSWORD "${psql[@]}" \
        "host=$PGCLONE_SOCKDIR port=$PGCLONE_SRC_PORT dbname=postgres user=$SUPERUSER" \
        -c "CREATE DATABASE $SRC_DB" >/dev/null ||
        die "could not create database $SRC_DB on the source"
    "${psql[@]}" "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=postgres user=$SUPERUSER" \
        -c "CREATE DATABASE $TGT_DB" \
        -c "ALTER DATABASE $TGT_DB SET pgclone_test.source = $(sql_literal "$src_ci")" \
        -c "ALTER DATABASE $TGT_DB SET pgclone_test.preload = '$([[ $PGCLONE_PRELOAD == 1 ]] && echo on || echo off)'" \
        >/dev/null ||
        die "could not create/configure database $TGT_DB on the target"
    # The source's version, for tests whose expected values depend on it (cross-version runs).
    local srcver
    srcver=$(PGPASSWORD=$SRC_PASSWORD "${psql[@]}" -At "$src_ci" -c "SHOW server_version_num") ||
        die "could not read server_version_num of the source"
    "${psql[@]}" "host=$PGCLONE_SOCKDIR port=$PGCLONE_TGT_PORT dbname=postgres user=$SUPERUSER" \
        -c "ALTER DATABASE $TGT_DB SET pgclone_test.source_version_num = $(sql_literal "$srcver")" >/dev/null ||
        die "could not configure database $TGT_DB on the target"

    START_OK=1
    trap - EXIT
    log "source: port $PGCLONE_SRC_PORT (db $SRC_DB, user $SUPERUSER, password auth)"
    log "target: port $PGCLONE_TGT_PORT (db $TGT_DB, preload pgclone: $([[ $PGCLONE_PRELOAD == 1 ]] && echo yes || echo no))"
    log "started; use: eval \"\$($SELF env)\""
}

cmd_env() {
    load_state || die "not started (no state file $STATE_FILE); run 'cluster.sh start'"
    local v
    declare -A vals=(
        [PGCLONE_TMPDIR]=$PGCLONE_TMPDIR
        [PGCLONE_SOCKDIR]=$PGCLONE_SOCKDIR
        [PGCLONE_SRC_PORT]=$PGCLONE_SRC_PORT
        [PGCLONE_TGT_PORT]=$PGCLONE_TGT_PORT
        [PGCLONE_SRC_CONNINFO]=$(src_conninfo)
        [PGCLONE_TGT_CONNINFO]=$(tgt_conninfo)
        [PGCLONE_PGBIN]=$PGCLONE_PGBIN
        [PGCLONE_SRC_PGBIN]=$PGCLONE_SRC_PGBIN
        [PGCLONE_SRC_LIBDIR]=$PGCLONE_SRC_LIBDIR
        [PGCLONE_SRC_PASSWORD]=$SRC_PASSWORD
        [PGCLONE_SRC_DATADIR]=$(datadir source)
        [PGCLONE_TGT_DATADIR]=$(datadir target)
        [PGCLONE_SRC_LOG]=$(logfile source)
        [PGCLONE_TGT_LOG]=$(logfile target)
        [PGCLONE_OS_USER]=$OS_USER
        [PGCLONE_PRELOAD]=$PGCLONE_PRELOAD
        [PGCLONE_HARNESS]=$SELF
    )
    for v in PGCLONE_TMPDIR PGCLONE_SOCKDIR PGCLONE_SRC_PORT PGCLONE_TGT_PORT \
        PGCLONE_SRC_CONNINFO PGCLONE_TGT_CONNINFO PGCLONE_PGBIN PGCLONE_SRC_PGBIN PGCLONE_SRC_LIBDIR \
        PGCLONE_SRC_PASSWORD \
        PGCLONE_SRC_DATADIR PGCLONE_TGT_DATADIR PGCLONE_SRC_LOG PGCLONE_TGT_LOG \
        PGCLONE_OS_USER PGCLONE_PRELOAD PGCLONE_HARNESS; do
        printf 'export %s=%s\n' "$v" "$(sh_quote "${vals[$v]}")"
    done
}

cmd_status() {
    load_state || {
        echo "not started"
        return 1
    }
    ensure_os_user
    local rc=0 name
    for name in source target; do
        if server_running "$name"; then
            echo "$name: running"
        else
            echo "$name: not running"
            rc=1
        fi
    done
    return "$rc"
}

cmd_restart() {
    load_state || die "not started (no state file $STATE_FILE)"
    ensure_os_user
    local which=${1:-all} name names=()
    case $which in
        source | target) names=("$which") ;;
        all | both) names=(source target) ;;
        *) die "restart: expected source, target or all, got '$which'" ;;
    esac
    for name in "${names[@]}"; do
        stop_server "$name"
        start_server "$name" || exit 1
        log "$name restarted"
    done
}

cmd_stop() {
    if ! load_state; then
        log "not running (no state file $STATE_FILE)"
        return 0
    fi
    ensure_os_user
    if [[ -d $PGCLONE_TMPDIR ]]; then
        stop_server target
        stop_server source
        if [[ -n ${PGCLONE_SAVE_LOGS:-} ]]; then
            if mkdir -p "$PGCLONE_SAVE_LOGS" &&
                cp -f "$PGCLONE_TMPDIR"/logs/*.log "$PGCLONE_SAVE_LOGS"/ 2>/dev/null; then
                log "server logs copied to $PGCLONE_SAVE_LOGS"
            fi
        fi
        if [[ ${PGCLONE_KEEP:-0} == 1 ]]; then
            log "stopped; kept $PGCLONE_TMPDIR (PGCLONE_KEEP=1)"
        else
            remove_tmpdir
            log "stopped; removed $PGCLONE_TMPDIR"
        fi
    else
        log "temp dir $PGCLONE_TMPDIR is gone; nothing to stop"
    fi
    rm -f "$STATE_FILE"
}

main() {
    local cmd=${1:-}
    (($#)) && shift
    case $cmd in
        start) cmd_start "$@" ;;
        stop) cmd_stop ;;
        env) cmd_env ;;
        status) cmd_status ;;
        restart) cmd_restart "$@" ;;
        -h | --help | help | "") usage ;;
        *)
            log "unknown command '$cmd'"
            usage
            ;;
    esac
}

main "$@"

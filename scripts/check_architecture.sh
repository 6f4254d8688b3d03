#!/usr/bin/env bash
# check_architecture.sh -- docs/ARCHITECTURE.md's module table says which modules each module
# calls; this compares that "calls" column with the #include "pgclone/<module>/..." lines of the
# module's sources (src/<module>/) and headers (include/pgclone/<module>/), both ways. Exit 1 and
# one line per difference when they disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r row; do
    module=$(sed -E 's/^\| `([a-z_]+)` \|.*/\1/' <<<"$row")
    calls_cell=${row##*|}
    [[ -z ${calls_cell// /} ]] && calls_cell=$(awk -F'|' '{print $(NF-1)}' <<<"$row")
    documented=$(grep -oE '`[a-z_]+`' <<<"$calls_cell" | tr -d '`' | sort -u || true)
    actual=$(cat src/"$module"/*.cpp include/pgclone/"$module"/*.hpp 2>/dev/null |
        grep -oE '#include "pgclone/[a-z_]+/' | sed -E 's|.*pgclone/([a-z_]+)/|\1|' |
        grep -vx "$module" | sort -u || true)
    for m in $actual; do
        grep -qx "$m" <<<"$documented" || { echo "$module includes $m, but its row does not list it"; status=1; }
    done
    for m in $documented; do
        grep -qx "$m" <<<"$actual" || { echo "$module's row lists $m, but no file of it includes $m"; status=1; }
    done
done < <(grep -E '^\| `[a-z_]+` \|' docs/ARCHITECTURE.md)
[[ $status == 0 ]] && echo "docs/ARCHITECTURE.md's calls column matches the includes"
exit $status

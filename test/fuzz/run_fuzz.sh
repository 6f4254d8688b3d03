#!/usr/bin/env bash
# Build the options fuzzer with clang + libFuzzer + ASan/UBSan and run it for a
# bounded time. Exits non-zero on any finding; the last line is always
#   fuzz: <passed> passed, <failed> failed
# Environment: FUZZ_SECONDS (default 60), FUZZ_JOBS (build parallelism, default 2).
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
build="$root/build/fuzz"
findings="$build/findings"

finish() {
	if [ "$1" -eq 0 ]; then
		echo "fuzz: 1 passed, 0 failed"
	else
		echo "fuzz: 0 passed, 1 failed"
	fi
	exit "$1"
}

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
	echo "run_fuzz.sh: FUZZ_SECONDS must be a positive integer, not '$seconds'" >&2
	finish 1
fi

mkdir -p "$build"
if ! cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DPGCLONE_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1; then
	cat "$build/configure.log" >&2
	echo "run_fuzz.sh: cmake configure failed" >&2
	finish 1
fi
if ! cmake --build "$build" --target pgclone_options_fuzz -j "${FUZZ_JOBS:-2}"; then
	echo "run_fuzz.sh: build failed" >&2
	finish 1
fi

# Work on a copy: libFuzzer adds every new input to the corpus directory, and
# the checked-in seeds should stay small and reviewed.
work=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp "$root/test/fuzz/corpus/"* "$work/corpus/"

# A dictionary of the tokens the parser cares about gets the fuzzer past the
# key table and the keyword list quickly.
{
	for word in columns where indexes constraints triggers matviews conflict mask masks tables \
		exclude_tables parallel consistent snapshot_id error skip replace rename type null true false \
		DROP delete Update INSERT commit; do
		printf '"%s"\n' "$word"
	done
	# shellcheck disable=SC2016 # $$ and $t$ are literal dollar quotes
	printf '"\\""\n"{"\n"}"\n"["\n"]"\n":"\n","\n";"\n"--"\n"/*"\n"$$"\n"$t$"\n"E\x27"\n"\x27\x27"\n"\\\\u0000"\n'
} >"$work/options.dict"

echo "fuzz: running pgclone_options_fuzz for ${seconds}s"
"$build/pgclone_options_fuzz" \
	-max_total_time="$seconds" \
	-timeout=10 \
	-rss_limit_mb=2048 \
	-max_len=4096 \
	-print_final_stats=1 \
	-dict="$work/options.dict" \
	-artifact_prefix="$work/artifacts/" \
	"$work/corpus"
status=$?

if [ "$status" -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
	mkdir -p "$findings"
	cp "$work/artifacts/"* "$findings/" 2>/dev/null
	echo "run_fuzz.sh: fuzzer exited with status $status; reproducers are in $findings" >&2
	finish 1
fi
finish 0

#!/usr/bin/env bash
# Build the fuzzers (options parser; where-filter check against PostgreSQL's grammar through
# libpg_query) with clang + libFuzzer + ASan/UBSan and run each for a
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
targets=(pgclone_options_fuzz)
if grep -q '^PGCLONE_WHERE_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
	targets+=(pgclone_where_fuzz)
else
	echo "run_fuzz.sh: libpg_query not installed; the where-filter fuzzer is not run" >&2
fi
if ! cmake --build "$build" --target "${targets[@]}" -j "${FUZZ_JOBS:-2}"; then
	echo "run_fuzz.sh: build failed" >&2
	finish 1
fi

# Work on copies: libFuzzer adds every new input to the corpus directory, and
# the checked-in seeds should stay small and reviewed.
work=$(mktemp -d "${TMPDIR:-/tmp}/pgclone-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Dictionaries of the tokens each target cares about get the fuzzer past the
# key table and the grammar's clauses quickly.
{
	for word in columns where indexes constraints triggers matviews conflict mask masks tables \
		exclude_tables parallel consistent snapshot_id error skip replace rename type null true false; do
		printf '"%s"\n' "$word"
	done
	# shellcheck disable=SC2016 # $$ and $t$ are literal dollar quotes
	printf '"\\""\n"{"\n"}"\n"["\n"]"\n":"\n","\n";"\n"--"\n"/*"\n"$$"\n"$t$"\n"E\x27"\n"\x27\x27"\n"\\\\u0000"\n'
} >"$work/options.dict"
{
	for word in UNION INTERSECT EXCEPT ALL SELECT FROM WHERE ORDER BY GROUP HAVING WINDOW LIMIT OFFSET \
		FETCH FOR UPDATE SHARE WITH INTO VALUES LATERAL AS DISTINCT AND OR NOT IN EXISTS; do
		printf '"%s"\n' "$word"
	done
	# shellcheck disable=SC2016 # $$ is a literal dollar quote
	printf '"("\n")"\n"))"\n";"\n"--"\n"/*"\n"*/"\n"$$"\n"\x27"\n"\x22"\n"\\x0a"\n'
} >"$work/where.dict"

# run_target NAME CORPUS_DIR DICT : one fuzzer for $seconds; 0 when it found nothing.
run_target() {
	local name=$1 corpus=$2 dict=$3 status
	mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
	cp "$corpus/"* "$work/$name/corpus/"
	echo "fuzz: running $name for ${seconds}s"
	"$build/$name" \
		-max_total_time="$seconds" \
		-timeout=10 \
		-rss_limit_mb=2048 \
		-max_len=4096 \
		-print_final_stats=1 \
		-dict="$dict" \
		-artifact_prefix="$work/$name/artifacts/" \
		"$work/$name/corpus"
	status=$?
	if [ "$status" -ne 0 ] || [ -n "$(ls -A "$work/$name/artifacts")" ]; then
		mkdir -p "$findings"
		cp "$work/$name/artifacts/"* "$findings/" 2>/dev/null
		echo "run_fuzz.sh: $name exited with status $status; reproducers are in $findings" >&2
		return 1
	fi
	return 0
}

passed=0
failed=0
if run_target pgclone_options_fuzz "$root/test/fuzz/corpus" "$work/options.dict"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
if [[ " ${targets[*]} " == *" pgclone_where_fuzz "* ]]; then
	if run_target pgclone_where_fuzz "$root/test/fuzz/where_corpus" "$work/where.dict"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

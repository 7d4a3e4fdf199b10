#!/bin/sh
# check.sh BUILD: `make bench-check` (not part of `make test`). Generates a
# store of BENCH_AUDITORS [10000] auditors with BENCH_TRAININGS [1000000]
# trainings, 200 audits and their teams (BUILD/tests/bench/check gen), then
# times the team check, candidates and propose in process against their
# targets (check time). BENCH_STORE=DIR keeps the store in DIR and reuses
# it when it exists; BENCH_CHECKS [10000] team checks are timed.
# docs/benchmarks.md, "Team check, candidates and propose", explains the
# numbers. Timings never fail the build: a missed target prints MISS.
set -eu

B=${1:-build}
BIN=$B/tests/bench/check
NA=${BENCH_AUDITORS:-10000}
NT=${BENCH_TRAININGS:-1000000}

[ -x "$BIN" ] || {
	echo "bench-check: $BIN is missing: run make bench-check" >&2
	exit 1
}

tmp=$(mktemp -d /tmp/auditord-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
store=${BENCH_STORE:-$tmp/data}

echo "bench-check: $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1)), Linux $(uname -r)"
if [ ! -f "$store/data.mdb" ]; then
	mkdir -p "$store"
	"$BIN" gen "$store" "$NA" "$NT"
fi
du -sh "$store" | awk '{ print "store size: " $1 }'
echo
"$BIN" time "$store" "${BENCH_CHECKS:-10000}"

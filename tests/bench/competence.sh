#!/bin/sh
# competence.sh BUILD: `make bench-competence` (not part of `make test`).
# Generates a store of BENCH_AUDITORS [10000] auditors with BENCH_TRAININGS
# [1000000] trainings (BUILD/tests/bench/competence gen), times the status
# and every report in process (competence time: what the handlers and the
# offloaded jobs do), then serves the store with auditord and times the same
# over HTTPS with curl, one keep-alive connection per curl run.
# BENCH_STORE=DIR keeps the store in DIR (and its certificates in
# DIR.certs) and reuses them when they exist;
# BENCH_STATUSES [1000] statuses timed in process, BENCH_HTTP_STATUSES [200]
# over HTTPS; BENCH_PORT [18543] the first port tried. docs/benchmarks.md,
# "Status and reports", explains the numbers.
set -eu

B=${1:-build}
BIN=$B/tests/bench/competence
AUDITORD=$B/auditord
NA=${BENCH_AUDITORS:-10000}
NT=${BENCH_TRAININGS:-1000000}

die() {
	echo "bench-competence: $*" >&2
	exit 1
}

for f in "$BIN" "$AUDITORD"; do
	[ -x "$f" ] || die "$f is missing: run make bench-competence"
done
for c in curl openssl ss; do
	command -v $c >/dev/null 2>&1 || die "$c is missing"
done

tmp=$(mktemp -d /tmp/auditord-competence.XXXXXX)
store=${BENCH_STORE:-$tmp/data}
pid=""

# Stop the daemon we started, by its pid: TERM, up to 10 s, then KILL.
cleanup() {
	set +e
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "bench-competence: $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1)), Linux $(uname -r)"
if [ ! -f "$store/data.mdb" ]; then
	"$BIN" gen "$store" "$NA" "$NT"
fi
du -sh "$store" | awk '{ print "store size: " $1 }'
echo
echo "== in process (build and serialise; three runs of each report)"
"$BIN" time "$store" "${BENCH_STATUSES:-1000}"

# --- over HTTPS ------------------------------------------------------------
# A kept store keeps the certificate its admin principal was made for.
C=${BENCH_STORE:+$BENCH_STORE.certs}
C=${C:-$tmp/certs}
[ -f "$C/admin.crt" ] || sh certs/mkcerts.sh "$C" >/dev/null
p=${BENCH_PORT:-18543}
while [ -n "$(ss -Htln "sport = :$p")" ]; do
	p=$((p + 1))
done
cat > "$tmp/auditord.conf" <<EOF
[server]
listen = 127.0.0.1:$p
workers = 2
[tls]
cert = $C/server.crt
key = $C/server.key
ca = $C/ca.crt
[store]
path = $store
map_size = 8G
EOF
# The generated store has no principal; a kept one may have this one.
"$AUDITORD" bootstrap -f "$tmp/auditord.conf" --admin bench-admin \
    --cert "$C/admin.crt" --if-empty > "$tmp/bootstrap.log" 2>&1 ||
    die "bootstrap failed: $(cat "$tmp/bootstrap.log")"
"$AUDITORD" -f "$tmp/auditord.conf" > "$tmp/auditord.log" 2>&1 &
pid=$!
url=https://127.0.0.1:$p
i=0
while ! curl -sf -o /dev/null --max-time 2 --cacert "$C/ca.crt" \
    --cert "$C/admin.crt" --key "$C/admin.key" "$url/livez" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "auditord did not start: $(cat "$tmp/auditord.log")"
	sleep 0.2
done

# The URLs in $@ with curl over one connection, each body dropped; one
# line per transfer: status, seconds, bytes.
get() {
	for u; do
		shift
		set -- "$@" -o /dev/null "$u"
	done
	curl -s --cacert "$C/ca.crt" --cert "$C/admin.crt" \
	    --key "$C/admin.key" \
	    -w '%{http_code} %{time_total} %{size_download}\n' "$@"
}

echo
echo "== over HTTPS (curl, keep-alive; time_total per request)"
n=${BENCH_HTTP_STATUSES:-200}
today=$(date -u +%Y-%m-%d)
set --
i=0
while [ $i -lt "$n" ]; do
	set -- "$@" "$url/v1/auditors/$(printf 'a%05d' $((i * NA / n)))/status"
	i=$((i + 1))
done
get "$@" | awk '{ print $2 * 1000, $1 }' | sort -n | awk -v n="$n" '
	$2 != 200 { bad++ }
	{ t[NR] = $1; sum += $1 }
	END {
		printf "%-28s %6d calls  mean %7.3f ms  median %7.3f  p99 %7.3f" \
		    "  max %7.3f  (%d not 200)\n", "status", NR, sum / NR,
		    t[int(NR / 2) + 1], t[int(NR * 0.99) + 1], t[NR], bad
	}'
from=$(date -u -d "$today - 12 months" +%Y-%m-%d)
old=$(date -u -d "$today - 120 months" +%Y-%m-%d)
for r in "cpd (12 months)|cpd?from=$from&to=$today" \
    "expiring|expiring" "evaluations-due|evaluations-due" \
    "matrix|matrix" "cpd (10 years)|cpd?from=$old&to=$today"; do
	name=${r%%|*}
	path=${r#*|}
	u="$url/v1/reports/$path"
	get "$u" "$u" "$u" | awk -v name="reports/$name" '
		$1 != 200 { bad++ }
		{ t = $2 * 1000; s = s sprintf(" %9.1f ms", t)
		  if (NR == 1 || t < best) best = t; bytes = $3 }
		END { printf "%-28s%s   best %9.1f ms  %9d bytes%s\n", name, s,
		    best, bytes, bad ? "  (NOT 200)" : "" }'
done

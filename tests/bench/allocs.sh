#!/bin/sh
# allocs.sh BUILD: `make bench-allocs`. Runs auditord under the counting
# allocator (tests/bench/malloc-count.c, LD_PRELOAD) and prints the
# allocations (malloc + calloc + realloc) and frees per keep-alive GET of
# one record (ALLOCS_REQUESTS, default 20000).
set -eu
B=${1:-build}
N=${ALLOCS_REQUESTS:-20000}
tmp=$(mktemp -d /tmp/auditord-allocs.XXXXXX)
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
C=$tmp/certs
sh certs/mkcerts.sh "$C" >/dev/null
port=$((20000 + $$ % 20000))
cat > "$tmp/auditord.conf" <<CONF
[server]
listen = 127.0.0.1:$port
workers = 2
[tls]
cert = $C/server.crt
key = $C/server.key
ca = $C/ca.crt
[store]
path = $tmp/data
map_size = 64M
[log]
access = off
CONF
mkdir -p "$tmp/data"
"$B/auditord" bootstrap -f "$tmp/auditord.conf" --admin admin \
    --cert "$C/admin.crt" > /dev/null
LD_PRELOAD=$B/tests/bench/malloc-count.so "$B/auditord" \
    -f "$tmp/auditord.conf" 2> "$tmp/log" &
pid=$!
lg() {
	"$B/tests/bench/loadgen" -p "$port" --ca "$C/ca.crt" \
	    --cert "$C/admin.crt" --key "$C/admin.key" "$@" > /dev/null
}
i=0
until curl -sf -o /dev/null --cacert "$C/ca.crt" --cert "$C/admin.crt" \
    --key "$C/admin.key" "https://127.0.0.1:$port/livez"; do
	i=$((i + 1)); [ $i -lt 50 ] || { cat "$tmp/log"; exit 1; }; sleep 0.2
done
printf '%s' '{"id":"bench-0001","name":"Bench Auditor","email":"b@example.org","unit":"IT","employment":"internal","languages":["en"]}' > "$tmp/one.json"
curl -sf -o /dev/null --cacert "$C/ca.crt" --cert "$C/admin.crt" \
    --key "$C/admin.key" -H 'Content-Type: application/json' \
    --data-binary @"$tmp/one.json" "https://127.0.0.1:$port/v1/auditors"
# Warm: caches filled, connections' buffers grown.
lg -n 2000 -c 4 /v1/auditors/bench-0001
count() {
	kill -USR2 "$pid"; sleep 0.3
	tail -n 1 "$tmp/log" | awk '{ print $3 + $5 + $7, $9 }'
}
# Two runs of 4 new connections each, of N/4 and of N requests: the
# difference is 3N/4 requests with the handshakes (mbedTLS's bignums
# allocate thousands of times per handshake) cancelled out.
set -- $(count)
a0=$1 b0=$2
lg -n $((N / 4)) -c 4 /v1/auditors/bench-0001
set -- $(count)
m1=$(($1 - a0)) f1=$(($2 - b0))
a0=$1 b0=$2
lg -n "$N" -c 4 /v1/auditors/bench-0001
set -- $(count)
m2=$(($1 - a0)) f2=$(($2 - b0))
echo "keep-alive GETs of one record, handshakes cancelled out:"
awk -v m="$((m2 - m1))" -v f="$((f2 - f1))" -v n="$((N - N / 4))" 'BEGIN {
	printf "  %.2f allocations (malloc, calloc, realloc) and %.2f frees per request\n", m / n, f / n }'

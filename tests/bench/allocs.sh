#!/bin/sh
# allocs.sh BUILD: `make bench-allocs`. Runs auditord under the counting
# allocator (tests/bench/malloc-count.c, LD_PRELOAD) and prints the mallocs
# (malloc + calloc + realloc) and frees per keep-alive GET of one record:
# counts taken before and after N requests on warm connections, divided by N.
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
set -- $(count)
m0=$1 f0=$2
lg -n "$N" -c 4 /v1/auditors/bench-0001
set -- $(count)
m1=$1 f1=$2
# Four connections' handshakes and teardowns are in the window: say so.
echo "$N keep-alive GETs over 4 connections (their handshakes included):"
awk -v m="$((m1 - m0))" -v f="$((f1 - f0))" -v n="$N" 'BEGIN {
	printf "  %.2f allocations and %.2f frees per request\n", m / n, f / n }'

#!/bin/sh
# import.sh BUILD [N]: time `auditorctl import` of N trainings (default
# 1,000,000) into a fresh auditord built in BUILD (docs/benchmarks.md,
# "Bulk import"). Makes a temporary directory with certificates, a config
# (map_size IMPORT_MAP, default 8G; workers 2) and a bootstrapped store,
# writes an NDJSON file of 1,000 auditors and N trainings spread over them
# (each with two areas, so the references, the CPD rows and the date index
# all work), runs auditord and then `auditorctl import`, and prints the
# wall time, lines a second and the store's size. Then it exports the
# trainings with `auditorctl export` and times that too. Everything it
# starts is stopped on exit; the directory is removed unless IMPORT_KEEP
# is set.
set -eu

B=${1:-build}
N=${2:-1000000}
MAP=${IMPORT_MAP:-8G}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/auditord-import.XXXXXX")
PID=""

cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ -n "${IMPORT_KEEP:-}" ] && echo "kept $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

sh "$HERE/certs/mkcerts.sh" "$DIR/certs" >/dev/null 2>&1
# A port in the dynamic range that nothing listens on (ss is in iproute2).
PORT=${IMPORT_PORT:-}
while [ -z "$PORT" ]; do
	PORT=$(awk 'BEGIN { srand(); print 49152 + int(rand() * 16000) }')
	ss -ltn | awk '{ print $4 }' | grep -q ":$PORT\$" && PORT=
done
cat > "$DIR/auditord.conf" <<EOF
[server]
listen = 127.0.0.1:$PORT
workers = 2
[tls]
cert = $DIR/certs/server.crt
key = $DIR/certs/server.key
ca = $DIR/certs/ca.crt
[store]
path = $DIR/data
map_size = $MAP
EOF
"$B/auditord" bootstrap -f "$DIR/auditord.conf" --admin admin \
    --cert "$DIR/certs/admin.crt" >/dev/null

# 1,000 auditors first, then the trainings, in id order of neither.
awk -v n="$N" 'BEGIN {
	for (a = 0; a < 1000; a++)
		printf "{\"collection\":\"auditors\",\"record\":{\"id\":\"b-a%d\",\"name\":\"Auditor %d\",\"email\":\"a%d@example.org\",\"unit\":\"Unit %d\",\"status\":\"active\"}}\n", a, a, a, a % 20
	for (i = 0; i < n; i++)
		printf "{\"collection\":\"trainings\",\"record\":{\"id\":\"b-t%07d\",\"auditor\":\"b-a%d\",\"title\":\"ISO/IEC 27001 course %d\",\"provider\":\"Training Ltd\",\"category\":\"information_security\",\"date\":\"20%02d-%02d-%02d\",\"hours\":%d.5,\"areas\":[\"legislation\",\"risk-management\"]}}\n", i, i % 1000, i, 15 + i % 11, 1 + i % 12, 1 + i % 28, 1 + i % 8
}' > "$DIR/import.ndjson"
echo "file: $(wc -l < "$DIR/import.ndjson") lines, $(du -h "$DIR/import.ndjson" | cut -f1)"

"$B/auditord" -d -f "$DIR/auditord.conf" 2> "$DIR/auditord.log" &
PID=$!
CTL="$B/auditorctl --server https://127.0.0.1:$PORT --ca $DIR/certs/ca.crt \
    --cert $DIR/certs/admin.crt --key $DIR/certs/admin.key"
i=0
until $CTL me >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 50 ] || { cat "$DIR/auditord.log"; exit 1; }
	sleep 0.1
done

t0=$(date +%s.%N)
$CTL import "$DIR/import.ndjson"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$N" \
    'BEGIN { printf "import: %.1f s, %d lines/s\n", b - a, (n + 1000) / (b - a) }'
echo "store: $(du -sh "$DIR/data" | cut -f1)"

t0=$(date +%s.%N)
$CTL export trainings --output "$DIR/export.ndjson"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$(wc -l < "$DIR/export.ndjson")" \
    'BEGIN { printf "export: %d lines in %.1f s\n", n, b - a }'

#!/bin/sh
# kill-loop.sh N [BUILD]: crash safety. N times: start auditord, let
# CLIENTS [4] concurrent curl loops write through the API (an auditor and a
# training of theirs per step), kill -9 the daemon at a random moment, then
# check the store offline (auditord check-store: it opens, every derived row
# matches the documents, the event chain verifies). At the end every write
# that was acknowledged (2xx) must be there, and nothing that was never
# sent; a write cut off by the kill may or may not be. Prints the counts.
# `make test` runs N = 20; docs/operations.md, "Crash safety", has N = 1000.
set -eu

N=${1:-20}
B=${2:-build}
CLIENTS=${CLIENTS:-4}
AUDITORD=$B/auditord

die() {
	echo "kill-loop: $*" >&2
	exit 1
}

[ -x "$AUDITORD" ] || die "$AUDITORD is missing: run make"
for c in curl openssl ss; do
	command -v $c >/dev/null 2>&1 || die "$c is missing"
done

tmp=$(mktemp -d /tmp/auditord-crash.XXXXXX)
pid=""
cleanup() {
	set +e
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

C=$tmp/certs
sh certs/mkcerts.sh "$C" >/dev/null 2>&1 || die "mkcerts failed"
p=18600
while [ -n "$(ss -Htln "sport = :$p")" ]; do
	p=$((p + 1))
done
conf=$tmp/auditord.conf
cat > "$conf" <<CONF
[server]
listen = 127.0.0.1:$p
workers = 2
[tls]
cert = $C/server.crt
key = $C/server.key
ca = $C/ca.crt
[store]
path = $tmp/data
map_size = 256M
CONF
"$AUDITORD" bootstrap -f "$conf" --admin admin --cert "$C/admin.crt" \
    > "$tmp/boot.log" 2>&1 || die "bootstrap: $(cat "$tmp/boot.log")"
url=https://127.0.0.1:$p

curlc() {
	curl -s --cacert "$C/ca.crt" --cert "$C/admin.crt" \
	    --key "$C/admin.key" "$@"
}

start() {
	"$AUDITORD" -f "$conf" >> "$tmp/auditord.log" 2>&1 &
	pid=$!
	i=0
	while ! curlc -f -o /dev/null --max-time 2 "$url/livez" 2>/dev/null
	do
		i=$((i + 1))
		[ $i -lt 100 ] || die "auditord did not start: \
$(tail -n 5 "$tmp/auditord.log")"
		sleep 0.05
	done
}

# One client: writes until the daemon is gone. Each record's id goes to
# sent before it is sent, and to acked once it was answered 201.
client() {
	k=0
	while :; do
		id=k$1-$2-$k
		echo "auditors/$id" >> "$tmp/sent.$1"
		s=$(curlc -o /dev/null -w '%{http_code}' -X POST \
		    -H 'Content-Type: application/json' --max-time 5 \
		    -d "{\"id\":\"$id\",\"name\":\"Crash $id\",\
\"email\":\"$id@example.org\"}" "$url/v1/auditors") || return 0
		[ "$s" = 201 ] || { echo "auditors/$id: $s" >> "$tmp/odd"; \
		    return 0; }
		echo "auditors/$id" >> "$tmp/acked.$1"
		echo "trainings/t$id" >> "$tmp/sent.$1"
		s=$(curlc -o /dev/null -w '%{http_code}' -X POST \
		    -H 'Content-Type: application/json' --max-time 5 \
		    -d "{\"id\":\"t$id\",\"auditor\":\"$id\",\
\"title\":\"Lead auditor course\",\"date\":\"2026-01-15\",\"hours\":8,\
\"cpd\":true,\"verified\":false}" "$url/v1/trainings") || return 0
		[ "$s" = 201 ] || { echo "trainings/t$id: $s" >> "$tmp/odd"; \
		    return 0; }
		echo "trainings/t$id" >> "$tmp/acked.$1"
		k=$((k + 1))
	done
}

t0=$(date +%s)
n=1
while [ $n -le "$N" ]; do
	start
	cpids=""
	c=1
	while [ $c -le "$CLIENTS" ]; do
		client $c $n &
		cpids="$cpids $!"
		c=$((c + 1))
	done
	# A random moment in 0.1 .. 0.6 s of writing.
	sleep "0.$(( $(od -An -N2 -tu2 /dev/urandom) % 5 + 1 ))$(( \
	    $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
	for cp in $cpids; do
		wait "$cp" || true
	done
	if ! "$AUDITORD" check-store -f "$conf" > "$tmp/check.log" 2>&1; then
		cat "$tmp/check.log" >&2
		die "round $n: the store does not check"
	fi
	n=$((n + 1))
done

# Every acknowledged write is there; nothing is there that was not sent.
start
for coll in auditors trainings; do
	curlc -f "$url/v1/export/$coll" > "$tmp/export.$coll" ||
	    die "export of $coll failed"
	sed -n "s/^{.*\"id\":\"\\([^\"]*\\)\".*/$coll\\/\\1/p" \
	    "$tmp/export.$coll"
done | sort -u > "$tmp/present"
cat "$tmp"/acked.* 2>/dev/null | sort -u > "$tmp/acked"
cat "$tmp"/sent.* 2>/dev/null | sort -u > "$tmp/sent"
grep -v '^auditors/admin$' "$tmp/present" | grep '/t\?k[0-9]' |
    sort -u > "$tmp/mine" || true
missing=$(comm -23 "$tmp/acked" "$tmp/mine" | wc -l)
phantom=$(comm -13 "$tmp/sent" "$tmp/mine" | wc -l)
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
t1=$(date +%s)
acked=$(wc -l < "$tmp/acked")
sent=$(wc -l < "$tmp/sent")
kept=$(wc -l < "$tmp/mine")
odd=$(cat "$tmp/odd" 2>/dev/null | wc -l)
echo "kill-loop: $N kills in $((t1 - t0)) s; $sent writes sent, $acked" \
    "acknowledged, $kept present ($((kept - acked)) unacknowledged ones" \
    "kept); $missing acknowledged missing, $phantom never sent;" \
    "$odd answered other than 201"
[ "$missing" -eq 0 ] || {
	comm -23 "$tmp/acked" "$tmp/mine" | head >&2
	die "acknowledged writes are missing"
}
[ "$phantom" -eq 0 ] || die "records that were never sent are present"
[ "$odd" -eq 0 ] || { head "$tmp/odd" >&2; die "unexpected answers"; }
"$AUDITORD" check-store -f "$conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the final store does not check"; }
echo "kill-loop: ok"

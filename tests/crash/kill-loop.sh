#!/bin/sh
# kill-loop.sh N [BUILD]: crash safety. N times: start auditord, let
# CLIENTS [4] concurrent curl clients write through the API (an auditor and
# a training of theirs per step), kill -9 the daemon at a random moment once
# writing has begun, then check the store offline (auditord check-store: it
# opens, every derived row matches the documents, the event chain
# verifies). At the end every write
# that was acknowledged (2xx) must be there, and nothing that was never
# sent; a write cut off by the kill may or may not be. Prints the counts.
# `make test` runs N = 20; docs/operations.md, "Crash safety", has N = 1000.
set -eu

N=${1:-20}
B=${2:-build}
CLIENTS=${CLIENTS:-4}
prog=kill-loop
. tests/crash/lib.sh

t0=$(date +%s)
n=1
while [ $n -le "$N" ]; do
	# Writing has begun (a first 201), then a random moment in the
	# next 0.01 .. 0.3 s.
	writes $n 1
	sleep "$(printf '0.%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 290 \
	    + 10 )))"
	stop 9
	clients_wait
	rm -f "$tmp"/codes.*
	if ! "$B/auditord" check-store -f "$conf" > "$tmp/check.log" 2>&1; then
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
stop
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
"$B/auditord" check-store -f "$conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the final store does not check"; }
echo "kill-loop: ok"

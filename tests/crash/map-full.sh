#!/bin/sh
# map-full.sh [BUILD]: a full map answers 507 and writes nothing. A store
# with map_size = map_max = 1M takes auditors with 4000-character notes,
# one request after another on one connection, until the server answers
# 507: that answer must be problem+json store-full, the refused record must
# not be there, every record answered 201 must be, the daemon must go on
# serving reads, and the store must check afterwards. Then the same store
# with map_max = 8M grows online: 300 more such writes, with a reader
# reading all along, are all 201, the log says the map grew, and the store
# checks.
set -eu

B=${1:-build}
prog=map-full
. tests/crash/lib.sh

sed -i 's/^map_size = .*/map_size = 1M\nmap_max = 1M/' "$conf"
notes=$(head -c 3000 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 4000)
i=0
: > "$tmp/requests"
while [ $i -lt 200 ]; do
	[ $i -gt 0 ] && echo next >> "$tmp/requests"
	cat >> "$tmp/requests" <<REQ
$tls
url = "$url/v1/auditors"
data = "{\\"id\\":\\"full-$i\\",\\"name\\":\\"Full $i\\",\\"email\\":\\"f$i@example.org\\",\\"notes\\":\\"$notes\\"}"
output = "$tmp/answer-$i"
write-out = "full-$i %{http_code}\\n"
REQ
	i=$((i + 1))
done
start
curlc -K "$tmp/requests" > "$tmp/codes" || true
first=$(awk '$2 != 201 { print $1; exit }' "$tmp/codes")
[ -n "$first" ] || die "200 writes of 4 KiB fitted a 1 MiB map"
code=$(awk -v id="$first" '$1 == id { print $2 }' "$tmp/codes")
[ "$code" = 507 ] || die "$first answered $code: $(cat "$tmp/answer-${first#full-}")"
grep -q '"type":"urn:auditord:problem:store-full"' \
    "$tmp/answer-${first#full-}" || die "507 without its problem: \
$(cat "$tmp/answer-${first#full-}")"
s=$(curlc -o /dev/null -w '%{http_code}' "$url/v1/auditors/$first")
[ "$s" = 404 ] || die "the refused $first is there ($s)"
ok=$(awk '$2 == 201' "$tmp/codes" | wc -l)
for id in $(awk '$2 == 201 { print $1 }' "$tmp/codes"); do
	[ "$id" = full-0 ] || echo next
	echo "$tls"
	echo "url = \"$url/v1/auditors/$id\""
	echo "output = /dev/null"
	echo "write-out = \"$id %{http_code}\\n\""
done > "$tmp/reads"
curlc -K "$tmp/reads" > "$tmp/read-codes" || true
bad=$(awk '$2 != 200' "$tmp/read-codes" | wc -l)
[ "$bad" -eq 0 ] || die "$bad acknowledged writes cannot be read back"
s=$(curlc -o /dev/null -w '%{http_code}' "$url/readyz")
[ "$s" = 200 ] || die "readyz answered $s on a full store"
stop
"$B/auditord" check-store -f "$conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the full store does not check"; }
full=$ok

# Online growth: map_max 8M; a second client reads all along.
sed -i 's/^map_max = .*/map_max = 8M/' "$conf"
: > "$tmp/requests"
i=0
while [ $i -lt 300 ]; do
	[ $i -gt 0 ] && echo next >> "$tmp/requests"
	cat >> "$tmp/requests" <<REQ
$tls
url = "$url/v1/auditors"
data = "{\\"id\\":\\"grow-$i\\",\\"name\\":\\"Grow $i\\",\\"email\\":\\"g$i@example.org\\",\\"notes\\":\\"$notes\\"}"
output = /dev/null
write-out = "grow-$i %{http_code}\\n"
REQ
	i=$((i + 1))
done
: > "$tmp/gets"
i=0
while [ $i -lt 2000 ]; do
	[ $i -gt 0 ] && echo next >> "$tmp/gets"
	printf '%s\nurl = "%s/v1/auditors/full-0"\noutput = /dev/null\nwrite-out = "%%{http_code}\\n"\n' "$tls" "$url" >> "$tmp/gets"
	i=$((i + 1))
done
start
curlc -K "$tmp/gets" > "$tmp/get-codes" 2>/dev/null &
rpid=$!
curlc -K "$tmp/requests" > "$tmp/codes" || true
wait "$rpid" || true
n=$(awk '$2 == 201' "$tmp/codes" | wc -l)
[ "$n" -eq 300 ] || die "growing: $n of 300 writes 201: $(awk '$2 != 201' "$tmp/codes" | head -3)"
bad=$(grep -vc '^200$' "$tmp/get-codes" || true)
[ "$bad" -eq 0 ] || die "growing: $bad reads failed meanwhile"
grep -q 'store: the map grew from 1 to 2 MiB' "$tmp/auditord.log" ||
    die "the log does not say the map grew: $(grep 'store:' "$tmp/auditord.log" | tail -3)"
grows=$(grep -c 'store: the map grew' "$tmp/auditord.log")
stop
"$B/auditord" check-store -f "$conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the grown store does not check"; }
echo "map-full: $full writes of 4 KiB fitted 1 MiB; the next was 507" \
    "store-full and left nothing; with map_max 8M the map grew $grows" \
    "times online under 300 more writes and 2000 reads, none refused; ok"

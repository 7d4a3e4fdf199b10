#!/bin/sh
# restore-drill.sh [BUILD]: a backup taken under write load restores into a
# fresh directory as it was. CLIENTS [4] curl loops write while auditorctl
# backup runs; the daemon stops; auditord restore puts the backup into a
# new store directory (verifying it first); a daemon on the restored store
# then holds every record the backup began after, each byte for byte as
# the original daemon stored it, and nothing the original did not hold.
# A restore into a store a running daemon holds is refused.
set -eu

B=${1:-build}
CLIENTS=${CLIENTS:-4}
prog=restore-drill
. tests/crash/lib.sh

ctl() {
	"$B/auditorctl" --server "$url" --ca "$C/ca.crt" \
	    --cert "$C/admin.crt" --key "$C/admin.key" "$@"
}

# Under load: the backup begins once 20 writes were acknowledged.
writes 1 20
# Whatever was acknowledged before the backup began must be in it.
cat "$tmp"/codes.* 2>/dev/null | awk '$2 == 201 { print $1 }' |
    sort -u > "$tmp/before"
ctl backup "$tmp/backup.mdb" > "$tmp/backup.log" 2>&1 ||
    die "backup: $(cat "$tmp/backup.log")"
clients_wait
[ "$(stat -c %a "$tmp/backup.mdb")" = 600 ] || die "the backup is not 0600"
records "$tmp/original"

# Refused while a daemon holds the store: nothing changes.
conf_for "$tmp/fresh.conf" "$tmp/fresh"
if "$B/auditord" restore -f "$conf" "$tmp/backup.mdb" > "$tmp/r.log" 2>&1
then
	die "restore under a running daemon was not refused"
fi
grep -q "stop the daemon first" "$tmp/r.log" || die "$(cat "$tmp/r.log")"
stop

"$B/auditord" restore -f "$tmp/fresh.conf" "$tmp/backup.mdb" \
    > "$tmp/r.log" 2>&1 || die "restore: $(cat "$tmp/r.log")"
start "$tmp/fresh.conf"
records "$tmp/restored"
stop
n_orig=$(wc -l < "$tmp/original")
n_rest=$(wc -l < "$tmp/restored")
extra=$(comm -13 "$tmp/original" "$tmp/restored" | wc -l)
[ "$extra" -eq 0 ] || {
	comm -13 "$tmp/original" "$tmp/restored" | head -n 3 >&2
	die "$extra restored records differ from the original"
}
# Every write acknowledged before the backup is among the restored.
missing=0
while IFS= read -r r; do
	grep -q "\"id\":\"${r#*/}\"" "$tmp/restored" || missing=$((missing + 1))
done < "$tmp/before"
[ "$missing" -eq 0 ] || die "$missing writes acknowledged before the \
backup are not in it"
"$B/auditord" check-store -f "$tmp/fresh.conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the restored store does not check"; }
echo "restore-drill: $n_orig records at the end, $n_rest in the backup" \
    "($(wc -l < "$tmp/before") acknowledged before it began), each as" \
    "stored; ok"

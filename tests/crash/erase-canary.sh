#!/bin/sh
# erase-canary.sh [BUILD]: erasure takes a person's bytes out of the files.
# An auditor and a training carry a canary string; it is in the data file.
# After DELETE /v1/auditors/{id}?erase=true it is still in the data file
# (LMDB reuses freed pages but does not wipe them), but not in a backup
# taken then (a backup is a compacted copy); after `auditord compact` with
# the daemon stopped it is gone from the data file too, and the store
# still checks (derived rows, event chain).
set -eu

B=${1:-build}
prog=erase-canary
. tests/crash/lib.sh

canary=Canary$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
data=$tmp/data/data.mdb
has() {
	grep -c "$canary" "$1" || true
}

start
curlc -f -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"id\":\"erase-me\",\"name\":\"Zebulon $canary\",\
\"email\":\"$canary@example.org\"}" "$url/v1/auditors" ||
    die "cannot make the auditor"
curlc -f -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"id\":\"erase-me-t\",\"auditor\":\"erase-me\",\
\"title\":\"$canary course\",\"date\":\"2026-01-15\",\"hours\":8,\
\"cpd\":true,\"verified\":false}" "$url/v1/trainings" ||
    die "cannot make the training"
[ "$(has "$data")" -gt 0 ] || die "the canary is not in the data file"

s=$(curlc -o "$tmp/erase.json" -w '%{http_code}' -X DELETE \
    "$url/v1/auditors/erase-me?erase=true")
[ "$s" = 200 ] || die "erase answered $s: $(cat "$tmp/erase.json")"
grep -q "$canary" "$tmp/erase.json" && die "the answer holds the canary"
before=$(has "$data")
"$B/auditorctl" --server "$url" --ca "$C/ca.crt" --cert "$C/admin.crt" \
    --key "$C/admin.key" backup "$tmp/backup.mdb" > /dev/null ||
    die "backup failed"
[ "$(has "$tmp/backup.mdb")" -eq 0 ] || die "the backup holds the canary"
stop

"$B/auditord" compact -f "$conf" > "$tmp/compact.log" 2>&1 ||
    die "compact: $(cat "$tmp/compact.log")"
after=$(has "$data")
[ "$after" -eq 0 ] || die "the canary is still in the data file after compact"
"$B/auditord" check-store -f "$conf" > "$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; die "the compacted store does not check"; }
echo "erase-canary: the canary was in $before places of the data file" \
    "after the erasure, in none of the backup, none after compact; ok"

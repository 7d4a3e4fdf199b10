# lib.sh: what the scripts of tests/crash share (sourced, not run; each
# runs daemons of its own, which it kills, backs up, restores, compacts):
# a temp directory, certificates (certs/mkcerts.sh, made once per build
# directory), a configuration on a free port, a bootstrapped store,
# starting and stopping auditord, a writing client. Sets tmp, C
# (certificates), conf, url, and pid while a daemon runs. The caller sets
# prog (for messages) and B (the build directory) first.

die() {
	echo "$prog: $*" >&2
	exit 1
}

[ -x "$B/auditord" ] || die "$B/auditord is missing: run make"
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

# Made once per build directory: openssl takes seconds, the scripts many.
mkdir -p "$B/tests"
C=$(cd "$B/tests" && pwd)/crash-certs
if [ ! -f "$C/admin.crt" ]; then
	rm -rf "$C.new"
	sh certs/mkcerts.sh "$C.new" >/dev/null 2>&1 || die "mkcerts failed"
	rm -rf "$C"
	mv "$C.new" "$C"
fi
# A random start: the scripts may run beside each other.
port=$((18600 + $(od -An -N2 -tu2 /dev/urandom) % 2000))
while [ -n "$(ss -Htln "sport = :$port")" ]; do
	port=$((port + 1))
done
url=https://127.0.0.1:$port

# conf_for FILE STORE: a configuration for the store in directory STORE.
conf_for() {
	cat > "$1" <<CONF
[server]
listen = 127.0.0.1:$port
workers = 2
[tls]
cert = $C/server.crt
key = $C/server.key
ca = $C/ca.crt
[store]
path = $2
map_size = 256M
CONF
}
conf=$tmp/auditord.conf
conf_for "$conf" "$tmp/data"
"$B/auditord" bootstrap -f "$conf" --admin admin --cert "$C/admin.crt" \
    > "$tmp/boot.log" 2>&1 || die "bootstrap: $(cat "$tmp/boot.log")"

# --next forgets options: each request of a -K file carries these.
tls="cacert = \"$C/ca.crt\"
cert = \"$C/admin.crt\"
key = \"$C/admin.key\"
header = \"Content-Type: application/json\"
silent"

curlc() {
	curl -s --cacert "$C/ca.crt" --cert "$C/admin.crt" \
	    --key "$C/admin.key" "$@"
}

# start [CONF]: auditord in the background, once it answers /livez.
start() {
	"$B/auditord" -f "${1:-$conf}" >> "$tmp/auditord.log" 2>&1 &
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

# stop [SIGNAL]: the daemon started last (TERM: it finishes and exits).
stop() {
	kill -"${1:-TERM}" "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
}

# client_prepare K ROUND [PAIRS]: the requests of client K, made before
# the daemon starts (so that a kill never lands while they are being
# written): PAIRS [150] auditors, each followed by a training of theirs,
# into $tmp/req.K (a curl -K file), every record also into $tmp/sent.K.
client_prepare() {
	awk -v k="$1" -v round="$2" -v n="${3:-150}" -v tls="$tls" \
	    -v url="$url" -v sent="$tmp/sent.$1" 'BEGIN {
		q = "\\\""
		for (i = 0; i < n; i++) {
			id = "k" k "-" round "-" i
			print "auditors/" id >> sent
			print "trainings/t" id >> sent
			if (i > 0)
				print "next"
			print tls
			print "url = \"" url "/v1/auditors\""
			print "output = /dev/null"
			print "data = \"{" q "id" q ":" q id q "," q "name" q ":" \
			    q "Crash " id q "," q "email" q ":" q id "@example.org" \
			    q "}\""
			print "write-out = \"auditors/" id " %{http_code}\\n\""
			print "next"
			print tls
			print "url = \"" url "/v1/trainings\""
			print "output = /dev/null"
			print "data = \"{" q "id" q ":" q "t" id q "," q "auditor" q \
			    ":" q id q "," q "title" q ":" q "Lead auditor course" q \
			    "," q "date" q ":" q "2026-01-15" q "," q "hours" q ":8," \
			    q "cpd" q ":true," q "verified" q ":false}\""
			print "write-out = \"trainings/t" id " %{http_code}\\n\""
		}
	}' > "$tmp/req.$1"
}

# client K: run client K's requests on one connection until done or the
# daemon is gone; each answer goes to $tmp/codes.K as it comes (line
# buffered), what was answered 201 to $tmp/acked.K at the end, any other
# answer (000 is none: the daemon went away) to $tmp/odd.
client() {
	stdbuf -oL curl -K "$tmp/req.$1" > "$tmp/codes.$1" 2>/dev/null || true
	awk '$2 == 201 { print $1 }' "$tmp/codes.$1" >> "$tmp/acked.$1"
	awk '$2 != 201 && $2 != "000"' "$tmp/codes.$1" >> "$tmp/odd"
}

# writes ROUND N: prepare CLIENTS clients' requests, start the daemon, run
# the clients in the background, and return once N writes were answered
# 201 (or after 10 s); clients_wait waits for them.
writes() {
	c=1
	while [ $c -le "$CLIENTS" ]; do
		client_prepare $c "$1"
		c=$((c + 1))
	done
	start
	cpids=""
	c=1
	while [ $c -le "$CLIENTS" ]; do
		client $c &
		cpids="$cpids $!"
		c=$((c + 1))
	done
	i=0
	while [ "$(cat "$tmp"/codes.* 2>/dev/null | grep -c ' 201$')" -lt \
	    "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

clients_wait() {
	for cp in $cpids; do
		wait "$cp" || true
	done
}

# records FILE: every auditor and training as exported, one NDJSON line
# each, sorted, into FILE.
records() {
	for coll in auditors trainings; do
		curlc -f "$url/v1/export/$coll" || die "export of $coll failed"
	done | sort > "$1"
}

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
C=$B/tests/crash-certs
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

# client K ROUND: POST an auditor and a training of theirs, again and
# again, until the daemon is gone or stop_clients says so. Each record
# goes to $tmp/sent.K before it is sent, to $tmp/acked.K once answered 201;
# any other answer to $tmp/odd.
client() {
	k=0
	while [ ! -f "$tmp/stop-clients" ]; do
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

# records FILE: every auditor and training as exported, one NDJSON line
# each, sorted, into FILE.
records() {
	for coll in auditors trainings; do
		curlc -f "$url/v1/export/$coll" || die "export of $coll failed"
	done | sort > "$1"
}

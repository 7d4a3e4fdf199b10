# lib.sh: what the tests/ops scripts share, sourced with the script's name
# in $me and the build directory in $b: a scratch directory $d removed at
# exit (with the daemon in $pid stopped), the development PKI in $c, fail,
# and starting auditord on port 0.

d=$(mktemp -d "/tmp/auditord-$me-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$d"
}
trap cleanup EXIT INT TERM

# Say what failed, with the daemon's log, and stop.
fail() {
	echo "$me: $*" >&2
	[ -f "$d/log" ] && sed 's/^/  log: /' "$d/log" >&2
	exit 1
}

auditord=$(cd "$b" && pwd)/auditord
sh certs/mkcerts.sh "$d/pki" >/dev/null 2>&1 || fail "certs/mkcerts.sh"
c=$d/pki

# start CONF N: auditord -f CONF in the background ($pid), logging to
# $d/log, until the log holds its Nth "listening on" line; the port it
# names (port 0 picks one) in $port.
start() {
	"$auditord" -f "$1" >> "$d/log" 2>&1 &
	pid=$!
	i=0
	until port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\) with.*/\1/p' \
	    "$d/log" | tail -n 1) && [ -n "$port" ] &&
	    [ "$(grep -c 'listening on' "$d/log")" -ge "$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "auditord did not start"
		kill -0 "$pid" 2>/dev/null || fail "auditord exited at start"
		sleep 0.1
	done
	[ "$port" != 0 ] || fail "port 0 was logged as 0"
}

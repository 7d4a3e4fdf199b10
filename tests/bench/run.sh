#!/bin/sh
# run.sh BUILD: `make bench`. Starts auditord, nginx and lighttpd on loopback
# ports with one server certificate, one client CA, TLS 1.2 and one cipher
# suite, drives each with BUILD/tests/bench/loadgen and prints a table per
# scenario with ratios. Everything it starts is stopped on exit.
#
# Tunable (environment), defaults in brackets: BENCH_ROUNDS [3] rounds, the
# servers taking turns, the best round shown; BENCH_SECONDS [2] measured per
# run; BENCH_HS_SECONDS [3] the same for handshakes; BENCH_WARMUP [0.5];
# BENCH_CONNS [32] keep-alive connections; BENCH_HS_CONNS [8] connections for
# handshakes; BENCH_THREADS [2] loadgen threads; BENCH_PORT [18443] the first
# port tried; BENCH_NICE [-10] the servers' and loadgen's niceness, so that
# other work on the machine disturbs them less; BENCH_DETAIL [unset] set to
# also print every run's report. docs/benchmarks.md explains the numbers.
set -eu

B=${1:-build}
LOADGEN=$B/tests/bench/loadgen
AUDITORD=$B/auditord
SECS=${BENCH_SECONDS:-2}
HSSECS=${BENCH_HS_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-3}
WARM=${BENCH_WARMUP:-0.5}
CONNS=${BENCH_CONNS:-32}
HSCONNS=${BENCH_HS_CONNS:-8}
THREADS=${BENCH_THREADS:-2}
NICE=${BENCH_NICE:--10}
[ "$(id -u)" = 0 ] || [ "$NICE" -ge 0 ] || NICE=0
SUITE=ECDHE-ECDSA-AES128-GCM-SHA256
CURVE=X25519
# P-256 stays listed after it: OpenSSL and mbedTLS also check the ECDSA keys
# of both certificates against this list.
NGX_CURVES=X25519:prime256v1
LTY_CURVES=x25519:secp256r1
LTY_SUITE=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256	# mbedTLS's name for it
RECORD=bench-0001
# What tls.c's client offers, in its order: the negotiation check offers it too.
OFFER=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305

die() {
	echo "bench: $*" >&2
	exit 1
}

for f in "$LOADGEN" "$AUDITORD"; do
	[ -x "$f" ] || die "$f is missing: run make bench"
done
for c in nginx lighttpd openssl curl ss; do
	command -v $c >/dev/null 2>&1 || die "$c is missing: run make bench"
done
[ -f /usr/lib/lighttpd/mod_mbedtls.so ] ||
    die "lighttpd-mod-mbedtls is missing: run make bench"

tmp=$(mktemp -d /tmp/auditord-bench.XXXXXX)
pids=""

# Stop what we started, by pid: TERM, up to 5 s, then KILL.
cleanup() {
	set +e
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A port on 127.0.0.1 that nothing listens on, from $1 upwards.
free_port() {
	p=$1
	while [ -n "$(ss -Htln "sport = :$p")" ]; do
		p=$((p + 1))
	done
	echo "$p"
}

# Wait until a TLS server on port $1 answers $2 (10 s at most).
wait_up() {
	i=0
	while ! curl -sf -o /dev/null --max-time 2 --cacert "$C/ca.crt" \
	    --cert "$C/admin.crt" --key "$C/admin.key" \
	    "https://127.0.0.1:$1$2" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || return 1
		sleep 0.2
	done
}

# The server's processes for CPU sampling: the pid and its children.
pid_list() {
	kids=$(ps -o pid= --ppid "$1" | tr -s ' \n' ',,' | sed 's/^,//;s/,$//')
	if [ -n "$kids" ]; then echo "$1,$kids"; else echo "$1"; fi
}

C=$tmp/certs
sh certs/mkcerts.sh "$C" >/dev/null
# nginx's workers run as nobody: they need to reach the document root.
chmod 755 "$tmp"
mkdir -p "$tmp/www/v1/auditors" "$tmp/nginx" "$tmp/data"

P_AUD=$(free_port "${BENCH_PORT:-18443}")
P_NGX=$(free_port $((P_AUD + 1)))
P_LTY=$(free_port $((P_NGX + 1)))

# --- auditord: 2 workers (2 cores), store on disk (real fsync), no access
# log (nginx runs with access_log off, lighttpd without mod_accesslog) ------
cat > "$tmp/auditord.conf" <<EOF
[server]
listen = 127.0.0.1:$P_AUD
workers = 2
max_connections = 1024
[tls]
cert = $C/server.crt
key = $C/server.key
ca = $C/ca.crt
[store]
path = $tmp/data
map_size = 1G
[log]
access = off
EOF
"$AUDITORD" bootstrap -f "$tmp/auditord.conf" --admin admin \
    --cert "$C/admin.crt" > "$tmp/bootstrap.log" 2>&1 ||
    die "auditord bootstrap failed: $(cat "$tmp/bootstrap.log")"
nice -n "$NICE" "$AUDITORD" -f "$tmp/auditord.conf" > "$tmp/auditord.log" 2>&1 &
AUD_PID=$!
pids="$pids $AUD_PID"
wait_up "$P_AUD" /livez || die "auditord did not start: $(cat "$tmp/auditord.log")"

# One record to read, then enough for a list of 100.
printf '%s' '{"id":"'$RECORD'","name":"Bench Auditor","email":"bench@example.org","unit":"IT Operations","employment":"internal","languages":["en","de"],"notes":"a record of the size a profile has"}' \
    > "$tmp/one.json"
printf '%s' '{"name":"Load Auditor","email":"load@example.org","unit":"Finance","employment":"external","languages":["en"]}' \
    > "$tmp/post.json"
curl -sf -o /dev/null --cacert "$C/ca.crt" --cert "$C/admin.crt" \
    --key "$C/admin.key" -H 'Content-Type: application/json' \
    --data-binary @"$tmp/one.json" "https://127.0.0.1:$P_AUD/v1/auditors" ||
    die "cannot create $RECORD in auditord"
"$LOADGEN" -p "$P_AUD" --ca "$C/ca.crt" --cert "$C/admin.crt" \
    --key "$C/admin.key" -m POST -b "$tmp/post.json" -n 150 -c 4 \
    /v1/auditors > "$tmp/seed.log" 2>&1 ||
    die "cannot seed auditord: $(cat "$tmp/seed.log")"
# The peers serve auditord's answer, byte for byte, as a static file.
curl -sf -o "$tmp/www/v1/auditors/$RECORD" --cacert "$C/ca.crt" \
    --cert "$C/admin.crt" --key "$C/admin.key" \
    "https://127.0.0.1:$P_AUD/v1/auditors/$RECORD" ||
    die "cannot read $RECORD back"
chmod -R a+rX "$tmp/www"

# --- nginx: 2 worker processes, TLS 1.2, one suite, client cert required ---
cat > "$tmp/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 2048; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	types { }
	default_type application/json;
	keepalive_requests 1000000;
	keepalive_timeout 60s;
	server {
		listen 127.0.0.1:$P_NGX ssl;
		server_name localhost;
		root $tmp/www;
		ssl_certificate $C/server.crt;
		ssl_certificate_key $C/server.key;
		ssl_client_certificate $C/ca.crt;
		ssl_verify_client on;
		ssl_protocols TLSv1.2;
		ssl_ciphers $SUITE;
		ssl_ecdh_curve $NGX_CURVES;
		ssl_prefer_server_ciphers on;
	}
}
EOF
nice -n "$NICE" nginx -q -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" \
    -g 'daemon off; master_process on;' &
NGX_PID=$!
pids="$pids $NGX_PID"
wait_up "$P_NGX" "/v1/auditors/$RECORD" ||
    die "nginx did not start: $(cat "$tmp/nginx-error.log")"
# Its workers too, should the master not take them down.
pids="$pids $(pid_list "$NGX_PID" | tr ',' ' ')"

# --- lighttpd: one process as it comes, its mbedTLS module ------------------
cat > "$tmp/lighttpd.conf" <<EOF
server.modules = ( "mod_mbedtls" )
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $P_LTY
server.pid-file = "$tmp/lighttpd.pid"
server.errorlog = "$tmp/lighttpd-error.log"
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 60
server.max-connections = 1024
mimetype.assign = ( "" => "application/json" )
ssl.engine = "enable"
ssl.pemfile = "$C/server.crt"
ssl.privkey = "$C/server.key"
ssl.ca-file = "$C/ca.crt"
ssl.verifyclient.activate = "enable"
ssl.verifyclient.enforce = "enable"
ssl.openssl.ssl-conf-cmd = ( "MinProtocol" => "TLSv1.2",
    "MaxProtocol" => "TLSv1.2", "CipherString" => "$LTY_SUITE",
    "Curves" => "$LTY_CURVES" )
EOF
nice -n "$NICE" lighttpd -D -f "$tmp/lighttpd.conf" -m /usr/lib/lighttpd \
    > "$tmp/lighttpd.out" 2>&1 &
LTY_PID=$!
pids="$pids $LTY_PID"
wait_up "$P_LTY" "/v1/auditors/$RECORD" ||
    die "lighttpd did not start: $(cat "$tmp/lighttpd.out" "$tmp/lighttpd-error.log" 2>/dev/null)"

# --- the same bytes, the same TLS, a client certificate required -----------
for s in auditord:$P_AUD nginx:$P_NGX lighttpd:$P_LTY; do
	name=${s%:*} port=${s#*:}
	curl -sf -o "$tmp/check" --cacert "$C/ca.crt" --cert "$C/admin.crt" \
	    --key "$C/admin.key" "https://127.0.0.1:$port/v1/auditors/$RECORD" ||
	    die "$name does not answer GET /v1/auditors/$RECORD"
	cmp -s "$tmp/check" "$tmp/www/v1/auditors/$RECORD" ||
	    die "$name answers other bytes than auditord"
	if curl -sf -o /dev/null --max-time 5 --cacert "$C/ca.crt" \
	    "https://127.0.0.1:$port/v1/auditors/$RECORD" 2>/dev/null; then
		die "$name answers without a client certificate"
	fi
	neg=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost \
	    -CAfile "$C/ca.crt" -cert "$C/admin.crt" -key "$C/admin.key" \
	    -cipher "$OFFER" -groups X25519:P-256:P-384 -brief </dev/null 2>&1 |
	    awk -F': ' '/^Protocol version/ { v = $2 } /^Ciphersuite/ { c = $2 }
		/^(Server|Peer) Temp Key/ { split($2, k, ","); t = k[1] }
		END { print v, c, t }')
	echo "$name $neg" >> "$tmp/negotiated"
	[ "$neg" = "TLSv1.2 $SUITE $CURVE" ] ||
	    die "$name negotiates '$neg', not 'TLSv1.2 $SUITE $CURVE'"
done

# run LABEL SERVER LOADGEN-ARGS...: one measured run, its RESULT kept.
run() {
	label=$1
	case $2 in
	aud)	port=$P_AUD spids=$S_AUD ;;
	ngx)	port=$P_NGX spids=$S_NGX ;;
	lty)	port=$P_LTY spids=$S_LTY ;;
	esac
	shift 2
	if ! nice -n "$NICE" "$LOADGEN" -l "$label" -p "$port" -s "$spids" -t "$THREADS" \
	    --ca "$C/ca.crt" --cert "$C/admin.crt" --key "$C/admin.key" \
	    "$@" > "$tmp/run.out" 2>&1; then
		cat "$tmp/run.out" >&2
		die "$label failed"
	fi
	grep '^RESULT ' "$tmp/run.out" >> "$tmp/results"
	grep -v '^RESULT ' "$tmp/run.out" >> "$tmp/detail"
}

# Other load on the machine skews req/s (server CPU per request less so).
IDLE=$({ cat /proc/stat; sleep 1; cat /proc/stat; } | awk '/^cpu / {
	busy[n] = $2 + $3 + $4 + $7 + $8; idle[n++] = $5 + $6 }
	END { t = busy[1] - busy[0] + idle[1] - idle[0]
	printf "%.0f", (t > 0 ? 100 * (idle[1] - idle[0]) / t : 0) }')

S_AUD=$(pid_list "$AUD_PID")
S_NGX=$(pid_list "$NGX_PID")
S_LTY=$(pid_list "$LTY_PID")
: > "$tmp/results"
: > "$tmp/detail"
GET1=/v1/auditors/$RECORD

# The servers take turns, round after round, and each keeps its best round:
# other work on the machine only ever slows a run down.
r=1
while [ $r -le "$ROUNDS" ]; do
	for n in aud ngx lty; do
		run "s1-$n" "$n" -c "$CONNS" -d "$SECS" -w "$WARM" "$GET1"
	done
	for n in aud ngx lty; do
		run "s2-$n" "$n" -N -c "$HSCONNS" -d "$HSSECS" -w "$WARM" "$GET1"
	done
	run s3-list aud -c "$CONNS" -d "$SECS" -w "$WARM" \
	    "/v1/auditors?limit=100"
	run s3-post aud -c "$CONNS" -d "$SECS" -w "$WARM" -m POST \
	    -b "$tmp/post.json" /v1/auditors
	r=$((r + 1))
done

# --- report ------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "auditord benchmark: $(nproc) cores ($cpu), Linux $(uname -r)"
echo "TLS, all three: $(awk '{ $1 = ""; print }' "$tmp/negotiated" | sort -u | sed 's/^ //');"
echo "  one ECDSA P-256 server certificate; client certificate required; full"
echo "  handshakes only (loadgen's client sends no session ticket extension)."
echo "auditord $("$AUDITORD" -V | awk '{ print $2 }'): workers = 2 (threads);" \
    "nginx $(nginx -v 2>&1 | sed 's|.*/||') (OpenSSL): worker_processes 2;"
echo "  lighttpd $(lighttpd -v 2>/dev/null | sed -n 's|^lighttpd/\([^ ]*\).*|\1|p')" \
    "(mod_mbedtls, the same mbedTLS as auditord): one process, as it comes."
echo "loadgen: $THREADS threads on the same cores; $ROUNDS rounds, servers taking" \
    "turns; runs of ${SECS} s (handshakes ${HSSECS} s) after ${WARM} s warm-up."
echo "Idle before the runs: $IDLE% of the machine; servers and loadgen at nice $NICE."
echo "GET $GET1: $(wc -c < "$tmp/www/v1/auditors/$RECORD") bytes of JSON," \
    "the same bytes from each server."
awk -v conns="$CONNS" -v hsconns="$HSCONNS" -v get1="$GET1" '
function field(line, key,    i, n, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
function ratio(a, b) { return (b > 0 && a >= 0) ? sprintf("%.2f", a / b) : "-" }
function head() {
	printf "  %-18s %9s %8s %8s %10s %10s %6s %7s\n", "server", "req/s",
	    "p50 ms", "p99 ms", "srv us/req", "cli us/req", "spread", "errors"
}
function row(name, l) {
	l = best[l]
	printf "  %-18s %9.1f %8.3f %8.3f %10.1f %10.1f %5.0f%% %7d\n", name,
	    field(l, "rps"), field(l, "p50_ms"), field(l, "p99_ms"),
	    field(l, "server_us"), field(l, "client_us"),
	    (field(l, "rps") > 0 ? 100 * (1 - low[field(l, "label")] / field(l, "rps")) : 0),
	    errs[field(l, "label")]
}
function ratios(name, a, b) {
	a = best[a]
	b = best[b]
	printf "  %-18s %9s %8s %8s %10s\n", name,
	    ratio(field(a, "rps"), field(b, "rps")),
	    ratio(field(a, "p50_ms"), field(b, "p50_ms")),
	    ratio(field(a, "p99_ms"), field(b, "p99_ms")),
	    ratio(field(a, "server_us"), field(b, "server_us"))
}
function scenario(title, p) {
	print ""
	print title
	head()
	row("auditord", p "-aud")
	row("nginx", p "-ngx")
	row("lighttpd", p "-lty")
	ratios("auditord/nginx", p "-aud", p "-ngx")
	ratios("auditord/lighttpd", p "-aud", p "-lty")
}
{
	l = field($0, "label")
	rps = field($0, "rps") + 0
	errs[l] += field($0, "errors")
	if (!(l in best) || rps > field(best[l], "rps") + 0)
		best[l] = $0
	if (!(l in low) || rps < low[l])
		low[l] = rps
}
END {
	scenario("(1) keep-alive GET " get1 ", " conns " connections", "s1")
	scenario("(2) a new TLS connection per request (full handshake with client certificate),\n    GET " get1 ", " hsconns " connections", "s2")
	print ""
	print "(3) auditord alone, keep-alive, " conns " connections"
	head()
	row("list ?limit=100", "s3-list")
	row("POST create", "s3-post")
	printf "  %-18s %9s %12s\n", "req/s against (1):", "nginx", "auditord"
	printf "  %-18s %9s %12s\n", "list ?limit=100",
	    ratio(field(best["s3-list"], "rps"), field(best["s1-ngx"], "rps")),
	    ratio(field(best["s3-list"], "rps"), field(best["s1-aud"], "rps"))
	printf "  %-18s %9s %12s\n", "POST create",
	    ratio(field(best["s3-post"], "rps"), field(best["s1-ngx"], "rps")),
	    ratio(field(best["s3-post"], "rps"), field(best["s1-aud"], "rps"))
	print ""
	print "Each row is the best round (highest req/s); spread: how far the worst"
	print "round fell below it; errors: all rounds. Ratios are auditord divided by"
	print "the peer: auditord does better where req/s is above 1 and latency and"
	print "server CPU per request (srv us/req) are below 1."
}' "$tmp/results"
if [ -n "${BENCH_DETAIL:-}" ]; then
	echo
	cat "$tmp/detail"
fi

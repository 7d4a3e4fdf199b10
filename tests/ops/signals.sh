#!/bin/sh
# signals.sh BUILD: auditord as an operator runs it. -n checks and creates
# nothing; port 0 is logged; SIGHUP under concurrent writes reloads the
# limits, the log level and the certificate without failing a request and
# keeps the old material when the new is broken; SIGTERM under concurrent
# writes exits 0 and every write answered 2xx is there after a restart.
set -eu

b=${1:-build}
me=signals
. tests/ops/lib.sh
t0=$(date +%s)
ok() { echo "$me: [$(( $(date +%s) - t0 )) s] $*"; }

conf() {	# conf FILE STORE [extra lines for [server]] [[log] level]
	cat > "$1" <<EOC
[server]
listen = 127.0.0.1:0
workers = 2
${3:-}
[tls]
cert = $d/server.crt
key = $d/server.key
ca = $c/ca.crt
[store]
path = $2
map_size = 64M
[log]
level = ${4:-info}
EOC
}
cp "$c/server.crt" "$c/server.key" "$d/"

# -n: a fresh store directory is checked, not made.
conf "$d/a.conf" "$d/store"
"$auditord" -n -f "$d/a.conf" > "$d/out" 2>&1 || fail "-n refused a good file"
grep -q 'configuration OK' "$d/out" || fail "-n printed no OK"
[ ! -e "$d/store" ] || fail "-n created the store directory"
conf "$d/b.conf" "$d/no/such/store"
"$auditord" -n -f "$d/b.conf" > "$d/out" 2>&1 && fail "-n passed a store it cannot make"
grep -q 'cannot be made' "$d/out" || fail "-n: $(cat "$d/out")"
cp "$c/alice.key" "$d/other.key"
sed "s|$d/server.key|$d/other.key|" "$d/a.conf" > "$d/c.conf"
"$auditord" -n -f "$d/c.conf" > "$d/out" 2>&1 && fail "-n passed a key of another certificate"
grep -q 'TLS' "$d/out" || fail "-n: $(cat "$d/out")"
[ ! -e "$d/store" ] || fail "-n created the store directory"
ok "-n checks listen, TLS and the store, and creates nothing"

"$auditord" bootstrap -f "$d/a.conf" --admin admin --cert "$c/admin.crt" \
    2>/dev/null || fail "bootstrap"

api() {	# api METHOD PATH [BODY]: prints the status
	curl -s --max-time 10 -o /dev/null -w '%{http_code}' --cacert "$c/ca.crt" \
	    --cert "$c/admin.crt" --key "$c/admin.key" -X "$1" \
	    ${3:+-H 'Content-Type: application/json' --data "$3"} \
	    "https://127.0.0.1:$port$2" || true
}
# writers N TAG K: N concurrent clients, K writes each over one keep-alive
# connection (one curl per client, so a connection spans the reloads);
# "id status" lines in w-TAG-*.
writers() {
	for w in $(seq 1 "$1"); do
		awk -v n="$3" -v tag="$2-$w" -v port="$port" -v c="$c" 'BEGIN {
			for (k = 1; k <= n; k++) {
				id = tag "-" k
				printf "url = \"https://127.0.0.1:%s/v1/areas\"\n", port
				printf "cacert = \"%s/ca.crt\"\n", c
				printf "cert = \"%s/admin.crt\"\nkey = \"%s/admin.key\"\n", c, c
				printf "header = \"Content-Type: application/json\"\n"
				printf "data = \"{\\\"id\\\":\\\"%s\\\",\\\"title\\\":\\\"t\\\",", id
				printf "\\\"kind\\\":\\\"sector\\\"}\"\n"
				printf "output = /dev/null\n"
				printf "write-out = \"%s %%{http_code} %%{num_connects}\\n\"\n", id
				if (k < n)
					print "next"
			}
		}' > "$d/k-$2-$w"
		(curl -s -K "$d/k-$2-$w" > "$d/w-$2-$w" || true) &
		wpids="$wpids $!"
	done
}
wpids=
wait_writers() {
	for j in $wpids; do wait "$j" || true; done
	wpids=
}
served_sha() {
	openssl s_client -connect "127.0.0.1:$port" -CAfile "$c/ca.crt" \
	    -cert "$c/admin.crt" -key "$c/admin.key" < /dev/null 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256
}

start "$d/a.conf" 1
ok "port 0 picked $port (logged)"
old=$(served_sha)

# A second server certificate from the same CA.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$d/new.key" 2>/dev/null
openssl req -new -key "$d/new.key" -subj "/O=auditord development/CN=renewed" \
    -out "$d/new.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$d/new.ext"
openssl x509 -req -in "$d/new.csr" -CA "$c/ca.crt" -CAkey "$c/ca.key" \
    -CAcreateserial -days 30 -extfile "$d/new.ext" -out "$d/new.crt" 2>/dev/null

# SIGHUP under load: new material halfway, a reload every 50 ms.
writers 4 hup 25
for k in $(seq 1 20); do
	if [ "$k" = 10 ]; then
		cp "$d/new.crt" "$d/server.crt.tmp" && mv "$d/server.crt.tmp" "$d/server.crt"
		cp "$d/new.key" "$d/server.key.tmp" && mv "$d/server.key.tmp" "$d/server.key"
	fi
	kill -HUP "$pid"
	sleep 0.05
done
wait_writers
kill -0 "$pid" 2>/dev/null || fail "auditord died under SIGHUP"
n=$(cat "$d"/w-hup-* | wc -l)
bad=$(cat "$d"/w-hup-* | grep -vc ' 201 [01]$' || true)
[ "$n" = 100 ] && [ "$bad" = 0 ] ||
    fail "SIGHUP under load: $bad of $n writes failed: $(cat "$d"/w-hup-* | grep -v ' 201 [01]$' | head -3)"
# num_connects 1 on the first write of each client only: no connection
# was dropped by a reload.
conns=$(cat "$d"/w-hup-* | grep -c ' 1$' || true)
[ "$conns" = 4 ] || fail "SIGHUP under load: $conns connections for 4 clients"
new=$(served_sha)
[ "$new" != "$old" ] || fail "the renewed certificate is not served"
ok "20 SIGHUPs under 4 keep-alive writers: 100 of 100 writes 201, no connection dropped, the new certificate served"

# A broken certificate: the old material stays, and the log says why.
echo garbage > "$d/server.crt"
kill -HUP "$pid"; sleep 0.3
grep -q 'TLS reload failed, every worker keeps the old material' "$d/log" ||
    fail "a broken certificate was not logged"
[ "$(served_sha)" = "$new" ] || fail "a broken certificate replaced the served one"
[ "$(api GET /v1/areas/hup-1-1)" = 200 ] || fail "not serving after a broken reload"
cp "$d/new.crt" "$d/server.crt"
# A broken file: nothing changes.
cp "$d/a.conf" "$d/a.conf.good"
echo "bogus = 1" >> "$d/a.conf"
kill -HUP "$pid"; sleep 0.3
grep -q 'reload failed, keeping the running configuration' "$d/log" ||
    fail "a broken configuration was not logged"
[ "$(api GET /v1/areas/hup-1-1)" = 200 ] || fail "not serving after a broken file"
ok "a broken certificate or file keeps the running material, logged"

# Limits and the log level change live.
big=$(head -c 3000 /dev/zero | tr '\0' x)
[ "$(api POST /v1/areas "{\"id\":\"big1\",\"title\":\"$big\",\"kind\":\"sector\"}")" != 413 ] ||
    fail "a 3K body was refused as too large before the reload"
conf "$d/a.conf" "$d/store" "max_body = 2K" debug
kill -HUP "$pid"; sleep 0.3
[ "$(api POST /v1/areas "{\"id\":\"big2\",\"title\":\"$big\",\"kind\":\"sector\"}")" = 413 ] ||
    fail "max_body = 2K did not take effect on reload"
grep -q 'reloaded .*max_body 2048.*log level debug' "$d/log" ||
    fail "the reload did not log the new limits"
conf "$d/a.conf" "$d/store"
kill -HUP "$pid"; sleep 0.3
ok "max_body and the log level change on SIGHUP"

# SIGTERM under load: exit 0, and every 2xx is there after a restart.
writers 4 term 1000
sleep 1
kill -TERM "$pid"
st=0; wait "$pid" || st=$?
pid=
wait_writers
[ "$st" = 0 ] || fail "SIGTERM under load: exit $st"
acked=$(cat "$d"/w-term-* | grep -c ' 201 [01]$' || true)
[ "$acked" -gt 0 ] || fail "SIGTERM came before any write"
[ "$acked" -lt 4000 ] || fail "SIGTERM came after every write"
start "$d/a.conf" 2
# Each acknowledged id, looked up (a list would stop at its limit).
cat "$d"/w-term-* | sed -n 's/ 201 [01]$//p' | sort > "$d/acked"
awk -v port="$port" -v c="$c" '{
	if (NR > 1)
		print "next"
	printf "url = \"https://127.0.0.1:%s/v1/areas/%s\"\n", port, $1
	printf "cacert = \"%s/ca.crt\"\n", c
	printf "cert = \"%s/admin.crt\"\nkey = \"%s/admin.key\"\n", c, c
	printf "output = /dev/null\n"
	printf "write-out = \"%s %%{http_code}\\n\"\n", $1
}' "$d/acked" > "$d/k-look"
curl -s -K "$d/k-look" > "$d/looked" || true
missing=$(grep -vc ' 200$' "$d/looked" || true)
[ "$(wc -l < "$d/looked")" = "$acked" ] || fail "SIGTERM: $acked acknowledged, $(wc -l < "$d/looked") looked up"
[ "$missing" = 0 ] || fail "SIGTERM: $missing of $acked acknowledged writes lost: $(grep -v ' 200$' "$d/looked" | head -3)"
ok "SIGTERM under 4 writers: exit 0, $acked of 4000 writes acknowledged, all present"

# SIGTERM while an answer is on its way: it leaves whole before the exit.
kill -TERM "$pid"; wait "$pid" || fail "SIGTERM: exit $?"
pid=
conf "$d/drain.conf" "$d/store" "max_body = 16M"
start "$d/drain.conf" 3
awk 'BEGIN { for (k = 1; k <= 40000; k++)
	printf "{\"collection\":\"areas\",\"record\":{\"id\":\"drain-%d\",\"title\":\"t\",\"kind\":\"sector\"}}\n", k }' > "$d/drain.ndjson"
code=$(curl -s --max-time 60 -o "$d/drain.out" -w '%{http_code}' \
    --cacert "$c/ca.crt" --cert "$c/admin.crt" --key "$c/admin.key" \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$d/drain.ndjson" \
    "https://127.0.0.1:$port/v1/import")
[ "$code" = 200 ] || fail "import of 40,000 areas: $code"
n=$(curl -s --cacert "$c/ca.crt" --cert "$c/admin.crt" --key "$c/admin.key" \
    "https://127.0.0.1:$port/v1/export/areas" | wc -l)
[ "$n" -gt 40000 ] || fail "the export holds $n lines"
# A client that reads slowly: its answer is still leaving at SIGTERM.
curl -s --max-time 30 --limit-rate 1M -o "$d/slow.out" -w '%{http_code}' \
    --cacert "$c/ca.crt" --cert "$c/admin.crt" --key "$c/admin.key" \
    "https://127.0.0.1:$port/v1/export/areas" > "$d/slow.code" &
cpid=$!
sleep 0.5
kill -TERM "$pid"
st=0; wait "$pid" || st=$?
pid=
wait "$cpid" || true
[ "$st" = 0 ] || fail "SIGTERM during an export: exit $st"
[ "$(cat "$d/slow.code")" = 200 ] || fail "the slow export got $(cat "$d/slow.code")"
[ "$(wc -l < "$d/slow.out")" = "$n" ] ||
    fail "the slow export was cut: $(wc -l < "$d/slow.out") of $n lines"
start "$d/a.conf" 4
ok "SIGTERM while a slow client reads a $n-line export: all of it arrives, then exit 0"

# Socket activation: the daemon accepts on the socket it is passed, and
# the config's listen (port 0 here) is not bound.
if command -v systemd-socket-activate >/dev/null 2>&1; then
	kill -TERM "$pid"; wait "$pid" || fail "SIGTERM: exit $?"
	pid=
	systemd-socket-activate -l "127.0.0.1:$port" "$auditord" \
	    -f "$d/a.conf" >> "$d/log" 2>&1 &
	pid=$!
	sleep 0.2
	# The first connection starts auditord, which answers it.
	[ "$(api GET /v1/areas/hup-1-1)" = 200 ] ||
	    fail "socket activation: not serving on the passed socket"
	grep -q 'inherited socket (fd 3)' "$d/log" ||
	    fail "socket activation: the socket was not adopted"
	grep -q "listening on 127.0.0.1:$port with 2 workers" "$d/log" ||
	    fail "socket activation: the passed address is not logged"
	ok "socket activation: serves on the passed socket"
else
	echo "signals: socket activation skipped: no systemd-socket-activate"
fi

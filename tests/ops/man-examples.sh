#!/bin/sh
# man-examples.sh BUILD: every example in the man pages runs as written.
# The "$ ..." lines of auditorctl(1) run in order against a fresh daemon,
# as `make run` leaves one (an admin principal; bob, carol, a programme,
# audit a1, declaration d2 and assignment as1, which the examples name
# without making); each must exit 0, or 1 for a check that ran and
# failed. The lines that show another server run against this one in that
# name's place. The example of auditord.conf(5) passes auditord -n, and
# the "# ..." lines of auditord(8) run, with /etc/auditord a scratch
# directory.
set -eu

b=${1:-build}
me=man-examples
. tests/ops/lib.sh

# The commands of .EX blocks starting with PROMPT, continuation lines
# joined, roff escapes undone: one command a line, as "C command". The
# lines an example shows after its command, up to the next command or the
# block's end, are its output: "O line" each.
examples() {	# examples PAGE PROMPT
	awk -v p="$2 " '
		/^\.EX/ { on = 1; out = 0; next }
		/^\.EE/ { on = 0; out = 0; next }
		!on { next }
		cont { line = line " " $0; sub(/^ +/, "", line) }
		!cont && index($0, p) == 1 { line = substr($0, length(p) + 1) }
		!cont && index($0, p) != 1 { if (out) print "O " $0; next }
		{
			cont = ($0 ~ /\\e$/)
			if (cont) { sub(/ *\\e$/, "", line); next }
			print "C " line
			out = 1
		}
	' "$1" | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/^\(C .*\)  */\1 /'
}

# Run the examples listed by examples(): exit 0, or 1 (a check that ran
# and failed: auditorctl(1), EXIT STATUS), never 2 (usage), 3 (refused)
# or worse; when the page shows the output, exactly that output. Prints
# how many ran.
run_examples() {	# run_examples PAGE PROMPT MAXSTATUS
	n=0
	examples "$1" "$2" > "$d/cmds"
	printf 'C\n' >> "$d/cmds"	# flushes the last one
	cmd=
	: > "$d/want"
	while IFS= read -r l; do
		case $l in
		"O "*) printf '%s\n' "${l#O }" >> "$d/want"; continue ;;
		O) echo >> "$d/want"; continue ;;
		esac
		if [ -n "$cmd" ]; then
			n=$((n + 1))
			st=0
			sh -c "$cmd" > "$d/out" 2>&1 < /dev/null || st=$?
			if [ -s "$d/want" ]; then
				diff "$d/want" "$d/out" > "$d/diff" ||
				    fail "$1 example $n prints otherwise: $cmd
$(cat "$d/diff")"
			elif [ "$st" -gt "$3" ]; then
				fail "$1 example $n exits $st: $cmd
$(cat "$d/out")"
			fi
		fi
		cmd=$(printf '%s\n' "${l#C}" | sed -e 's/^ //' \
		    -e "s|https://audit\.example\.org:8443|https://localhost:$port|" \
		    -e "s|/etc/auditord/|$d/etc/|g" -e "$asuser")
		: > "$d/want"
	done < "$d/cmds"
	echo "$n"
}

cat > "$d/auditord.conf" <<EOC
[server]
listen = 127.0.0.1:0
workers = 2
[tls]
cert = $c/server.crt
key = $c/server.key
ca = $c/ca.crt
[store]
path = $d/store
map_size = 64M
EOC
"$auditord" bootstrap -f "$d/auditord.conf" --admin admin \
    --cert "$c/admin.crt" 2>/dev/null || fail "bootstrap"
start "$d/auditord.conf" 1

mkdir -p "$d/home/.config/auditorctl" "$d/run"
cat > "$d/home/.config/auditorctl/config" <<EOC
[auditorctl]
server = https://localhost:$port
ca = $c/ca.crt
cert = $c/admin.crt
key = $c/admin.key
EOC
export HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" \
    PATH="${auditord%/*}:$PATH"
cd "$d/run"
cp "$c/alice.crt" "$c/ca.crt" .
cp "$c/admin.crt" me.crt
cp "$c/admin.key" me.key

setup() {
	auditorctl "$@" > /dev/null || fail "setup: auditorctl $*"
}
setup auditor add --id bob --name "Bob Example" --email bob@example.org
setup auditor add --id carol --name "Carol Example" \
    --email carol@example.org
setup declaration add --id d2 --auditor bob --party Finance \
    --kind consultancy --from 2024-01-01
setup programme add --id p1 --title "ISMS audits" --from 2026-01-01 \
    --to 2027-12-31
setup audit add --id a1 --programme p1 --auditee Finance --type internal \
    --start 2027-03-01 --end 2027-03-03
setup assignment add --id as1 --audit a1 --auditor bob --role auditor

top=$OLDPWD
asuser=
n=$(run_examples "$top/docs/auditorctl.1" '$' 1)
[ "$n" -ge 25 ] || fail "only $n examples found in auditorctl(1)"
echo "man-examples: $n auditorctl(1) examples run"

# auditord(8) and auditord.conf(5): /etc/auditord is a scratch directory
# with the test PKI, and runuser runs as this user when there is no user
# auditord (a build machine has none).
mkdir -p "$d/etc"
cp "$c/server.crt" "$c/server.key" "$c/ca.crt" "$c/admin.crt" "$d/etc/"
# The example names a CRL: an empty one from the test CA (openssl ca).
(cd "$d/etc" && : > index.txt && echo 1000 > crlnumber &&
    printf '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\n' > ca.cnf &&
    openssl ca -config ca.cnf -keyfile "$c/ca.key" -cert ca.crt -gencrl \
    -crldays 30 -out ca.crl 2>/dev/null) || fail "a CRL for the example"
id auditord > /dev/null 2>&1 || asuser='s/runuser -u auditord -- //'
awk '/^\.SH EXAMPLE/ { on = 1 } on && /^\.EX/ { ex = 1; next }
    ex && /^\.EE/ { exit } ex' "$top/docs/auditord.conf.5" |
    sed -e 's/\\-/-/g' -e "s|/etc/auditord/|$d/etc/|g" \
    -e "s|/var/lib/auditord|$d/store8|" -e 's/^listen = .*/listen = 127.0.0.1:0/' \
    > "$d/etc/auditord.conf"
grep -q '^\[tls\]' "$d/etc/auditord.conf" ||
    fail "no example found in auditord.conf(5)"
unset CREDENTIALS_DIRECTORY
"$auditord" -n -f "$d/etc/auditord.conf" > "$d/out" 2>&1 ||
    fail "the auditord.conf(5) example does not pass -n: $(cat "$d/out")"
n=$(run_examples "$top/docs/auditord.8" '#' 0)
[ "$n" -ge 2 ] || fail "only $n examples found in auditord(8)"
[ -f "$d/store8/data.mdb" ] || fail "auditord(8)'s bootstrap made no store"
echo "man-examples: the auditord.conf(5) example passes -n, $n auditord(8) examples run"

#!/bin/sh
# install-check.sh: `make install PREFIX=/usr DESTDIR=scratch` puts every
# file at its Debian path, keeps an operator's auditord.conf, and
# `make uninstall` with the same variables leaves no file behind.
set -eu

d=$(mktemp -d /tmp/auditord-install-XXXXXX)
trap 'rm -rf "$d"' EXIT INT TERM
fail() { echo "install-check: $*" >&2; exit 1; }

make -s --no-print-directory install PREFIX=/usr DESTDIR="$d" >/dev/null
for f in usr/sbin/auditord usr/bin/auditorctl \
    usr/lib/systemd/system/auditord.service \
    usr/lib/systemd/system/auditord.socket \
    usr/lib/sysusers.d/auditord.conf usr/lib/tmpfiles.d/auditord.conf \
    usr/share/doc/auditord/examples/auditord.conf \
    usr/share/doc/auditord/operations.md \
    usr/share/man/man1/auditorctl.1 usr/share/man/man5/auditord.conf.5 \
    usr/share/man/man8/auditord.8 \
    usr/share/bash-completion/completions/auditorctl \
    etc/auditord/auditord.conf; do
	[ -f "$d/$f" ] || fail "make install did not put /$f in place"
done
grep -q '^ExecStart=/usr/sbin/auditord ' \
    "$d/usr/lib/systemd/system/auditord.service" ||
    fail "the installed unit does not run /usr/sbin/auditord"
"$d/usr/sbin/auditord" --version >/dev/null || fail "auditord --version"

make -s --no-print-directory uninstall PREFIX=/usr DESTDIR="$d" >/dev/null
left=$(find "$d" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"

# An operator's configuration survives both install and uninstall.
mkdir -p "$d/etc/auditord"
echo "# mine" > "$d/etc/auditord/auditord.conf"
make -s --no-print-directory install PREFIX=/usr DESTDIR="$d" >/dev/null
[ "$(cat "$d/etc/auditord/auditord.conf")" = "# mine" ] ||
    fail "make install overwrote /etc/auditord/auditord.conf"
make -s --no-print-directory uninstall PREFIX=/usr DESTDIR="$d" >/dev/null
left=$(find "$d" ! -type d)
[ "$left" = "$d/etc/auditord/auditord.conf" ] ||
    fail "make uninstall removed the operator's configuration, or left: $left"
echo "install-check: make install and uninstall PREFIX=/usr: ok"

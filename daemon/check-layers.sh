#!/bin/sh
# check-layers.sh: the daemon's folders are layers that point one way
# (docs/architecture.md, "Layout"). A file may include headers of its own
# folder and of the folders listed for it; anything else fails the build's
# tests with the offending line.
set -eu
cd "$(dirname "$0")"

# folder: the daemon folders its files may include from
allowed() {
	case $1 in
	schema) echo "schema" ;;
	store)  echo "store" ;;
	check)  echo "check store" ;;
	server) echo "server store" ;;
	api)    echo "api server store schema check" ;;
	esac
}

fail=0
for dir in schema store check server api; do
	[ -d "$dir" ] || continue
	ok=$(allowed "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		grep -n '^#include "[a-z]*/' "$f" | while IFS= read -r line; do
			inc=$(printf '%s\n' "$line" | sed 's/.*#include "\([a-z]*\)\/.*/\1/')
			case " $ok " in
			*" $inc "*) ;;
			*) echo "daemon/$f:${line%%:*}: $dir/ may not include $inc/"
			   echo x ;;
			esac
		done
	done
done | {
	bad=0
	while IFS= read -r l; do
		if [ "$l" = x ]; then bad=1; else echo "$l" >&2; fi
	done
	if [ $bad -ne 0 ]; then
		echo "check-layers: a lower layer includes a higher one" >&2
		exit 1
	fi
}
# Private headers stay inside their folder.
if grep -rn '"[a-z]*/[a-z]*-private\.h"\|"[a-z]*/schema-int\.h"' . ../../tests 2>/dev/null; then
	echo "check-layers: a private header is included from outside its folder" >&2
	exit 1
fi
echo "layers: ok"

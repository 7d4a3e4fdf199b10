#!/bin/sh
# ajv-check.sh BUILD_DIR: holds the daemon's validator (BUILD_DIR/tests/schema_judge)
# and ajv 8 to the same verdict on every document of tests/fixtures/corpus, and
# both to the verdict its directory names (<type>/valid or <type>/invalid).
# Installs the pinned ajv into BUILD_DIR/node on first use (npm ci).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: ajv-check.sh BUILD_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$1"
build=$(cd "$1" && pwd)
judge=$build/tests/schema_judge
nodedir=$build/node

if [ ! -x "$judge" ]; then
	echo "ajv-check: $judge not built (make $1/tests/schema_judge)" >&2
	exit 1
fi
for tool in node npm; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "ajv-check: $tool not found (make deps installs it)" >&2
		exit 1
	fi
done

# Reinstall only when the lock changed since the last install.
stamp=$nodedir/node_modules/.auditord-lock
if ! cmp -s "$here/package-lock.json" "$stamp" 2>/dev/null; then
	echo "ajv-check: installing ajv into $nodedir"
	mkdir -p "$nodedir"
	cp "$here/package.json" "$here/package-lock.json" "$nodedir/"
	(cd "$nodedir" && npm ci --no-audit --no-fund --loglevel=error) >&2
	cp "$here/package-lock.json" "$stamp"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

cd "$top"
find tests/fixtures/corpus -name '*.json' -type f | LC_ALL=C sort > "$tmp/files"
if [ ! -s "$tmp/files" ]; then
	echo "ajv-check: no documents under tests/fixtures/corpus" >&2
	exit 1
fi
if grep -q '[^A-Za-z0-9._/-]' "$tmp/files"; then
	echo "ajv-check: corpus file names are [A-Za-z0-9._-]+" >&2
	exit 1
fi

rc=0
# shellcheck disable=SC2046 # names checked above: no white space
"$judge" $(cat "$tmp/files") > "$tmp/daemon" || rc=1
node "$here/ajv-check.js" --node-dir "$nodedir" --schemas schemas \
    $(cat "$tmp/files") > "$tmp/ajv" || rc=1

if ! diff -u "$tmp/daemon" "$tmp/ajv" > "$tmp/diff"; then
	echo "ajv-check: the daemon (-) and ajv (+) disagree:"
	grep '^[-+][^-+]' "$tmp/diff" || true
	rc=1
fi

# One line per file: path, the daemon's verdict, ajv's verdict.
paste -d ' ' "$tmp/daemon" "$tmp/ajv" | awk '
	{
		want = ($1 ~ /\/invalid\/[^\/]*$/) ? "invalid" : \
		    ($1 ~ /\/valid\/[^\/]*$/) ? "valid" : "?"
		if ($1 == $3 && $2 == want && $4 == want)
			pass++
		else {
			fail++
			printf "FAIL %s: expected %s, daemon says %s, ajv says %s\n",
			    $1, want, $2, $4
		}
	}
	END {
		printf "schema cross-check: %d passed, %d failed\n", pass, fail
		exit (fail > 0 ? 1 : 0)
	}' || rc=1
exit $rc

#!/bin/sh
# memcheck.sh: the API suite with auditord (and its bootstrap) under
# valgrind: any invalid access, or a leak at SIGTERM, fails the run.
set -eu
cd "$(dirname "$0")/../.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
wrap="$logs/auditord"
cat > "$wrap" <<EOS
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite \\
    --error-exitcode=9 --log-file=$logs/vg.%p.log $(pwd)/build/auditord "\$@"
EOS
chmod +x "$wrap"
status=0
AUDITORD="$wrap" build/tests/test_api || status=$?
for f in "$logs"/vg.*.log; do
	if [ -s "$f" ]; then
		cat "$f"
		status=1
	fi
done
exit $status

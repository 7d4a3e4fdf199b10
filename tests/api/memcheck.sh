#!/bin/sh
# memcheck.sh: the API suite with auditord (and its bootstrap) under
# valgrind: any invalid access, or any leak at exit, fails the run; that
# includes memory still reachable at exit, apart from what lives for the
# whole process on purpose (the suppressions below). The suite stops
# daemons with connections open (idle keep-alive, a handshake half done:
# cases_daemon.c) to show every connection is freed.
# MEMCHECK_ONLY=WORD runs only the API cases whose name holds WORD.
set -eu
cd "$(dirname "$0")/../.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# The record schemas are compiled once (pthread_once) and kept until exit;
# their compiled patterns grow state tables inside them as they match.
cat > "$logs/keep.supp" <<'EOS'
{
   schemas-built-in-for-the-process
   Memcheck:Leak
   match-leak-kinds: reachable
   ...
   fun:builtin_load
}
{
   schema-patterns-grow-as-they-match
   Memcheck:Leak
   match-leak-kinds: reachable
   ...
   fun:regexec*
   ...
   fun:schema_validate*
}
EOS
wrap="$logs/auditord"
cat > "$wrap" <<EOS
#!/bin/sh
exec valgrind -q --num-callers=24 --leak-check=full --show-leak-kinds=all \\
    --errors-for-leak-kinds=definite,indirect --suppressions=$logs/keep.supp \\
    --error-exitcode=9 --log-file=$logs/vg.%p.log $(pwd)/build/auditord "\$@"
EOS
chmod +x "$wrap"
status=0
if [ -n "${MEMCHECK_ONLY:-}" ]; then
	export AUDITORD_API_ONLY="$MEMCHECK_ONLY"
fi
AUDITORD="$wrap" build/tests/test_api || status=$?
for f in "$logs"/vg.*.log; do
	if [ -s "$f" ]; then
		cat "$f"
		status=1
	fi
done
exit $status

#!/bin/bash
# valgrind-server.sh TEST: runs the server test program TEST with every
# paotuan-server it starts under valgrind's memcheck (GLib's suppressions),
# and fails when valgrind reported anything. Skips (77) without valgrind.
set -euo pipefail
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed" >&2; exit 77; }
server=${PAOTUAN_SERVER:?set PAOTUAN_SERVER}
logs=$(mktemp -d "${TMPDIR:-/tmp}/pt-valgrind-XXXXXX")
trap 'rm -rf "$logs"' EXIT
cat >"$logs/server" <<WRAP
#!/bin/bash
exec valgrind -q --error-exitcode=99 --log-file="$logs/server-%p.log" \
    --suppressions=/usr/share/glib-2.0/valgrind/glib.supp "$server" "\$@"
WRAP
chmod +x "$logs/server"
status=0
PAOTUAN_SERVER="$logs/server" "$@" || status=$?
for log in "$logs"/server-*.log; do
    [ -s "$log" ] || continue
    echo "valgrind found errors in paotuan-server ($log):" >&2
    head -60 "$log" >&2
    status=1
done
exit "$status"

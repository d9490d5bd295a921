#!/bin/bash
# gui-session.sh CMD ARGS...: runs CMD in a desktop session of its own, so that
# any number of GUI tests (of one build or of several) run side by side: a
# private XDG_RUNTIME_DIR (the AT-SPI bus puts its socket there), an Xvfb on a
# display it picks itself (-displayfd: no race for a free number, as xvfb-run
# -a has), and a D-Bus session bus. PT_SCREEN sets the screen (1280x800x24).
set -euo pipefail
runtime=$(mktemp -d "${TMPDIR:-/tmp}/pt-session-XXXXXX")
chmod 700 "$runtime"
xvfb_pid=
cleanup() {
    [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$runtime"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR="$runtime"

Xvfb -displayfd 3 -noreset -nolisten tcp -screen 0 "${PT_SCREEN:-1280x800x24}" 3>"$runtime/display" 2>"$runtime/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do
    [ -s "$runtime/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$runtime/xvfb.log" >&2; exit 1; }
    sleep 0.05
done
[ -s "$runtime/display" ] || { echo "Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$runtime/display")"
status=0
dbus-run-session -- "$@" || status=$?
if [ "$status" -ne 0 ]; then
    # Say what the display was doing, so that a failure can be told from a
    # display that went away.
    echo "gui-session: $* failed ($status) on $DISPLAY; Xvfb $(kill -0 "$xvfb_pid" 2>/dev/null && echo running || echo gone), its log:" >&2
    cat "$runtime/xvfb.log" >&2
fi
exit "$status"

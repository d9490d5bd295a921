#!/bin/bash
# keyring-session.sh TEST: runs the test program TEST in a D-Bus session of
# its own with a real GNOME Keyring (gnome-keyring-daemon, its login keyring
# made and unlocked with a password given on stdin, in a throwaway home).
# Skips (77) when gnome-keyring or dbus-run-session is not installed.
set -euo pipefail
command -v gnome-keyring-daemon >/dev/null || { echo "SKIP: gnome-keyring is not installed" >&2; exit 77; }
command -v dbus-run-session >/dev/null || { echo "SKIP: dbus-run-session is not installed" >&2; exit 77; }
home=$(mktemp -d "${TMPDIR:-/tmp}/pt-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/data" "$home/run"
chmod 700 "$home/run"
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
exec dbus-run-session -- bash -c '
  set -e
  printf "%s" "pt-test-keyring" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  # The daemon owns its name on the bus once it answers.
  for i in $(seq 100); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true && break
    sleep 0.1
  done
  exec "$@"' keyring-session "$@"

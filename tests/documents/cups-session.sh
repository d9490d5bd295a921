#!/bin/bash
# cups-session.sh CMD ARGS...: runs CMD with a CUPS scheduler of its own, as
# the server tests have their own PostgreSQL: cupsd on a socket in a temporary
# folder, one cups-pdf queue whose output lands in that folder. Exports
# CUPS_SERVER (the socket), PT_CUPS_QUEUE and PT_CUPS_OUT. Exits 77 (skip) with
# the reason where that cannot be: not root (the cups-pdf backend runs as
# root), or cupsd / cups-pdf not installed (scripts/debian-packages.txt has them).
set -euo pipefail
skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "a cups-pdf queue needs root (its backend runs as root)"
command -v cupsd >/dev/null || command -v /usr/sbin/cupsd >/dev/null || skip "cupsd is not installed (package cups-daemon)"
[ -x /usr/lib/cups/backend/cups-pdf ] || skip "the cups-pdf backend is not installed (package printer-driver-cups-pdf)"
ppd=lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd
[ -f /usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd ] || skip "the cups-pdf PPD is missing"

dir=$(mktemp -d "${TMPDIR:-/tmp}/pt-cups-XXXXXX")
chmod 755 "$dir"
queue="PTTEST$$"
conf="/etc/cups/cups-pdf-$queue.conf"
pid=
cleanup() {
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    [ -z "$pid" ] || wait "$pid" 2>/dev/null || true
    rm -f "$conf"
    rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir"/{root/ppd,spool,cache,state,log,tmp,out}
chown lp:lp "$dir"/spool "$dir"/cache "$dir"/state "$dir"/log "$dir"/tmp "$dir"/root
cp /etc/cups/raw.types /etc/cups/raw.convs "$dir/root/" 2>/dev/null || true
cat >"$dir/root/cupsd.conf" <<CONF
Listen $dir/cups.sock
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
cat >"$dir/root/cups-files.conf" <<CONF
ServerRoot $dir/root
RequestRoot $dir/spool
CacheDir $dir/cache
StateDir $dir/state
TempDir $dir/tmp
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
User lp
Group lp
CONF
# The queue's own cups-pdf settings: output here, named after the job, PDF 1.5.
printf 'Out %s/out\nAnonDirName %s/out\nLabel 2\nPDFVer 1.5\n' "$dir" "$dir" >"$conf"

cupsd -f -c "$dir/root/cupsd.conf" -s "$dir/root/cups-files.conf" >"$dir/log/cupsd.out" 2>&1 &
pid=$!
export CUPS_SERVER="$dir/cups.sock"
for _ in $(seq 1 100); do
    lpstat -r >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/log/cupsd.out" "$dir/log/error_log" >&2 || true; exit 1; }
    sleep 0.1
done
lpstat -r >/dev/null 2>&1 || { echo "cupsd did not start" >&2; exit 1; }
lpadmin -p "$queue" -v "cups-pdf:/$queue" -m "$ppd" -E 2>/dev/null
export PT_CUPS_QUEUE="$queue" PT_CUPS_OUT="$dir/out"
status=0
"$@" || status=$?
[ "$status" -eq 0 ] || tail -20 "$dir/log/error_log" >&2 || true
exit "$status"

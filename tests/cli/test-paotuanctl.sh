#!/bin/bash
# paotuanctl end to end: the exact command forms, exit codes, and the bad-input
# table — each refused command must print a clear message and leave the
# database byte-for-byte as it was.
set -u
P=${PAOTUANCTL:?set PAOTUANCTL}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB="$T/desk.db"
pass=0
fail=0

ok () { pass=$((pass + 1)); echo "ok $((pass + fail)) - $1"; }
not_ok () { fail=$((fail + 1)); echo "not ok $((pass + fail)) - $1"; }

# expect CODE DESCRIPTION COMMAND...: the exit code, and a message on stderr when refused.
expect () {
    local want=$1 what=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        not_ok "$what: exit $got, wanted $want ($(head -c 300 "$T/err"))"
        return 1
    fi
    if [ "$want" -ne 0 ] && [ ! -s "$T/err" ] && [ ! -s "$T/out" ]; then
        not_ok "$what: refused without a message"
        return 1
    fi
    ok "$what"
}

dump () { sqlite3 "$DB" .dump | sha256sum; }

# --- usage ---------------------------------------------------------------
expect 0 "help" "$P" --help
expect 2 "no command" "$P"
expect 2 "unknown command" "$P" frobnicate
expect 2 "unknown option" "$P" validate id 1 --frob
expect 0 "command help" "$P" case list --help

# --- validate ------------------------------------------------------------
expect 0 "valid ID" "$P" validate id 11010519491231002x
grep -qx valid "$T/out" && ok "prints valid" || not_ok "prints valid"
expect 1 "ID with a wrong check digit" "$P" validate id 110105194912310021
grep -qi "check digit" "$T/out" && ok "says the check digit" || not_ok "says the check digit: $(cat "$T/out")"
expect 1 "ID born in the future" "$P" validate id 110105209912310021
expect 0 "valid USCC" "$P" validate uscc 91350100M000100Y43
expect 1 "bad USCC" "$P" validate uscc 91350100M000100Y44
expect 0 "mobile with +86 and spaces" "$P" validate phone "+86 138-1234-5678"
expect 0 "landline" "$P" validate phone 0533-4151890
expect 1 "bad phone" "$P" validate phone 12345
expect 2 "unknown kind" "$P" validate passport X

# --- workdays --------------------------------------------------------------
expect 0 "add" "$P" workdays add 2025-09-26 5
[ "$(cat "$T/out")" = "2025-10-10" ] && ok "2025-09-26 + 5 = 2025-10-10" || not_ok "add gave $(cat "$T/out")"
"$P" workdays add 2025-09-26 20 >"$T/out"
[ "$(cat "$T/out")" = "2025-10-30" ] && ok "2025-09-26 + 20 = 2025-10-30" || not_ok "add 20 gave $(cat "$T/out")"
"$P" workdays between 2025-09-26 2025-10-10 >"$T/out"
[ "$(cat "$T/out")" = "5" ] && ok "between counts 5" || not_ok "between gave $(cat "$T/out")"
expect 0 "a year without a table is counted by the week" "$P" workdays add 2031-03-02 3
[ "$(cat "$T/out")" = "2031-03-05" ] && ok "2031-03-02 + 3 = 2031-03-05" || not_ok "add gave $(cat "$T/out")"
expect 1 "a malformed date" "$P" workdays add 2025-13-01 3
expect 2 "a negative count" "$P" workdays add 2025-09-26 -3

# --- catalog ---------------------------------------------------------------
expect 0 "catalog list" "$P" catalog list
[ "$(wc -l < "$T/out")" -ge 30 ] && ok "at least 30 items" || not_ok "catalog has $(wc -l < "$T/out") items"
expect 0 "catalog list --level village --json" "$P" catalog list --level village --json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all(i["level"]=="village" for i in d)' "$T/out" \
    && ok "village JSON" || not_ok "village JSON"
expect 0 "village may take a village item" "$P" catalog check V-MZJ-001 --level village
expect 1 "village may not take a district item" "$P" catalog check D-ZJJ-001 --level village
grep -q district "$T/out" && ok "names the right level" || not_ok "scope reason: $(cat "$T/out")"
expect 2 "check without --level" "$P" catalog check D-ZJJ-001

# --- init, case new, event, list, show -----------------------------------------
expect 1 "no database yet" "$P" case list --db "$DB"
expect 0 "init" "$P" init --db "$DB" --unit 370304-YC-001
expect 1 "init refuses an existing file" "$P" init --db "$DB"

cat >"$T/intake.json" <<'JSON'
{"applicant": {"kind": "person", "name": "张桂兰", "id_number": "11010519491231002X",
  "phone": "138 1234 5678", "address": "博山区域城镇域城村 12 号", "vulnerable": "elderly"},
 "channel": "home_visit", "items": ["V-MZJ-001"],
 "materials": [{"name": "身份证", "form": "copy", "count": 1, "missing": false}]}
JSON
expect 0 "case new" "$P" case new --db "$DB" --json "$T/intake.json"
N=$(cat "$T/out")
[[ "$N" =~ ^370304-YC-001-[0-9]{8}-0001$ ]] && ok "case number $N" || not_ok "case number $N"
"$P" case new --db "$DB" --json - <"$T/intake.json" >"$T/out" && grep -q -- '-0002$' "$T/out" \
    && ok "case new from standard input" || not_ok "case new from standard input"

echo '{"type": "agreement_signed", "payload": {"digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}' >"$T/ev.json"
expect 0 "case event" "$P" case event "$N" --db "$DB" --json "$T/ev.json"
expect 0 "case list" "$P" case list --db "$DB"
grep -q 张桂兰 "$T/out" && ok "list shows the applicant" || not_ok "list"
expect 0 "case list --search by two characters" "$P" case list --db "$DB" --search 桂兰 --json
grep -q "$N" "$T/out" && ok "found by two characters" || not_ok "two-character search"
expect 0 "case list --status" "$P" case list --db "$DB" --status agreed --json
grep -q "$N" "$T/out" && ok "status filter" || not_ok "status filter"
expect 2 "case list with a bad status" "$P" case list --db "$DB" --status done
expect 0 "case show --json" "$P" case show "$N" --db "$DB" --json
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["case"]["status"] == "agreed", d["case"]["status"]
assert [e["type"] for e in d["events"]] == ["intake", "materials_checked", "agreement_signed"]
' "$T/out" && ok "show --json has the history" || not_ok "show --json"
expect 1 "show a missing case" "$P" case show 370304-20990101-0001 --db "$DB"

# --- the bad-input table: each refused, the database unchanged ------------------
before=$(dump)
bad () {
    local what=$1 file=$2 kind=${3:-event}
    if [ "$kind" = new ]; then
        expect 1 "$what" "$P" case new --db "$DB" --json "$file"
    else
        expect 1 "$what" "$P" case event "$N" --db "$DB" --json "$file"
    fi
    [ "$(dump)" = "$before" ] && ok "$what: database unchanged" || not_ok "$what: database changed"
}
echo '{"type": "note", "payload": {"text": ' >"$T/b1"; bad "malformed JSON" "$T/b1"
echo '{"type": "teleport", "payload": {}}' >"$T/b2"; bad "unknown event type" "$T/b2"
echo '{"type": "note", "payload": {"text": "x"}}' >"$T/b3"
expect 1 "event for a missing case" "$P" case event 370304-20990101-0009 --db "$DB" --json "$T/b3"
[ "$(dump)" = "$before" ] && ok "missing case: database unchanged" || not_ok "missing case: database changed"
sed 's/11010519491231002X/110105194912310021/' "$T/intake.json" >"$T/b4"; bad "invalid ID number" "$T/b4" new
grep -qi "check digit" "$T/err" && ok "says why the ID is wrong" || not_ok "ID message: $(cat "$T/err")"
echo '{"type": "fee_recorded", "payload": {"name": "工本费", "amount_fen": 1000}}' >"$T/b5"; bad "fee without legal basis" "$T/b5"
grep -q "names the item" "$T/err" && ok "says the item is missing" || not_ok "fee message: $(cat "$T/err")"
echo '{"type": "delivered", "payload": {"originals_returned": true, "method": "in_person"}}' >"$T/b6"; bad "transition the workflow forbids" "$T/b6"
echo '{"type": "step_submitted", "payload": {"step": "s1"}}' >"$T/b7"; bad "a step before the plan" "$T/b7"
sed 's/V-MZJ-001/D-ZJJ-001/' "$T/intake.json" >"$T/b8"; bad "an item out of this desk's scope" "$T/b8" new
echo '{"type": "note", "payload": {"text": "x"}, "when": "now"}' >"$T/b9"; bad "an unknown field" "$T/b9"
echo '{"type": "runner_assigned", "payload": {"runner": "R-9999"}}' >"$T/b10"
echo '{"type": "intake", "payload": {}}' >"$T/b11"; bad "an intake through case event" "$T/b11"

# --- rebuild -----------------------------------------------------------------
expect 0 "rebuild finds no difference" "$P" rebuild --db "$DB"
expect 0 "runners" "$P" runners --db "$DB"
expect 0 "units" "$P" units

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

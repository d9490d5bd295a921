#!/bin/bash
# paotuanctl end to end: the exact command forms, exit codes, and the bad-input
# table — each refused command must print a clear message, in the clerk's
# language (the test runs under LANG=zh_CN.UTF-8 with the build's catalogs,
# PT_LOCALEDIR), and leave the database byte-for-byte as it was.
set -u
P=${PAOTUANCTL:?set PAOTUANCTL}
export LANG=zh_CN.UTF-8 LANGUAGE=zh_CN LC_ALL=
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

# says TEXT DESCRIPTION: the last refusal's message (stderr, else stdout) has TEXT.
says () {
    if grep -qF -- "$1" "$T/err" || grep -qF -- "$1" "$T/out"; then
        ok "$2"
    else
        not_ok "$2: “$1” not in “$(head -c 400 "$T/err")$(head -c 200 "$T/out")”"
    fi
}

# --- usage ---------------------------------------------------------------
expect 0 "help" "$P" --help
expect 2 "no command" "$P"
expect 2 "unknown command" "$P" frobnicate
says "没有“frobnicate”这个命令" "unknown command, in Chinese"
expect 2 "unknown option" "$P" validate id 1 --frob
expect 0 "command help" "$P" case list --help
says "列出案件，最新的在前" "command help, in Chinese"
LANG=C LANGUAGE= "$P" case list --help >"$T/out" 2>"$T/err"
says "Lists cases, newest first" "command help in English under LANG=C"

# --- validate ------------------------------------------------------------
expect 0 "valid ID" "$P" validate id 11010519491231002x
grep -qx 有效 "$T/out" && ok "prints valid" || not_ok "prints valid: $(cat "$T/out")"
expect 1 "ID with a wrong check digit" "$P" validate id 110105194912310021
says "校验码" "says the check digit"
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
says "暂定" "warns that the date is provisional"
expect 0 "20 working days from 2026-12-20 run into 2027" "$P" workdays add 2026-12-20 20
[ "$(cat "$T/out")" = "2027-01-15" ] && ok "counted by the week: 2027-01-15" || not_ok "add gave $(cat "$T/out")"
says "2027 年的节假日安排尚未导入" "names the year without a table"
expect 0 "between, into a year without a table" "$P" workdays between 2026-12-30 2027-01-05
[ "$(cat "$T/out")" = "4" ] && ok "between counts 4" || not_ok "between gave $(cat "$T/out")"
says "暂定" "between warns too"
expect 0 "a year with its table" "$P" workdays add 2026-12-18 5
[ ! -s "$T/err" ] && ok "no warning inside 2026" || not_ok "warned: $(cat "$T/err")"
expect 1 "an impossible month" "$P" workdays add 2025-13-01 3
says "没有 13 月" "says the month does not exist, not the form"
expect 1 "an impossible day" "$P" workdays add 2026-02-30 3
says "2026 年 2 月只有 28 天" "says the day does not exist"
expect 1 "a malformed date" "$P" workdays add 2025/12/01 3
says "不是日期" "says the form is wrong"
expect 2 "a negative count" "$P" workdays add 2025-09-26 -3

# --- catalog ---------------------------------------------------------------
expect 0 "catalog list" "$P" catalog list
[ "$(wc -l < "$T/out")" -ge 30 ] && ok "at least 30 items" || not_ok "catalog has $(wc -l < "$T/out") items"
expect 0 "catalog list --level village --json" "$P" catalog list --level village --json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all(i["level"]=="village" for i in d)' "$T/out" \
    && ok "village JSON" || not_ok "village JSON"
expect 0 "village may take a village item" "$P" catalog check V-MZJ-001 --level village
expect 1 "village may not take a district item" "$P" catalog check D-ZJJ-001 --level village
says "区级" "names the right level"
expect 2 "check without --level" "$P" catalog check D-ZJJ-001

# --- init, case new, event, list, show -----------------------------------------
expect 1 "no database yet" "$P" case list --db "$DB"
expect 0 "init (with the demo's runners, no cases)" "$P" init --db "$DB" --unit 370304-YC-001 --demo --cases 0
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
says "校验码" "says why the ID is wrong"
echo '{"type": "fee_recorded", "payload": {"name": "工本费", "amount_fen": 1000}}' >"$T/b5"; bad "fee without its item" "$T/b5"
says "注明所属的办理事项" "says the fee names its item"
echo '{"type": "delivered", "payload": {"originals_returned": true, "method": "in_person"}}' >"$T/b6"; bad "transition the workflow forbids" "$T/b6"
echo '{"type": "step_submitted", "payload": {"step": "s1"}}' >"$T/b7"; bad "a step before the plan" "$T/b7"
sed 's/V-MZJ-001/D-ZJJ-001/' "$T/intake.json" >"$T/b8"; bad "an item out of this desk's scope" "$T/b8" new
echo '{"type": "note", "payload": {"text": "x"}, "when": "now"}' >"$T/b9"; bad "an unknown field" "$T/b9"
echo '{"type": "intake", "payload": {}}' >"$T/b11"; bad "an intake through case event" "$T/b11"

# The rules of issue 11, each refused with its reason in Chinese.
bad_says () {
    local what=$1 json=$2 text=$3 kind=${4:-event}
    printf '%s\n' "$json" >"$T/bad.json"
    bad "$what" "$T/bad.json" "$kind"
    says "$text" "$what: says why, in Chinese"
}
bad_says "the issue's 代办服务费 with the basis 无" \
    '{"type": "fee_recorded", "payload": {"item": "V-MZJ-001", "name": "代办服务费", "amount_fen": 2000, "basis": "无"}}' \
    "跑团代办服务免费"
bad_says "a fee of an item the case does not have" \
    '{"type": "fee_recorded", "payload": {"item": "V-GY-001", "name": "水费、电费（按实际用量）", "amount_fen": 2000}}' \
    "不能登记费用"
bad_says "a runner not on the roster" '{"type": "runner_assigned", "payload": {"runner": "R-9999"}}' "跑手名单中没有 R-9999"
bad_says "an author not on the roster" '{"type": "note", "payload": {"text": "来电"}, "author": "R-9999"}' "记录人 R-9999 不在本窗口的跑手名单中"
bad_says "a date after today" '{"type": "note", "payload": {"text": "来电", "date": "2099-01-05"}}' "晚于今天"
bad_says "a date before the intake" '{"type": "note", "payload": {"text": "来电", "date": "2020-01-06"}}' "早于本案件的受理日期"
bad_says "an impossible month" '{"type": "note", "payload": {"text": "来电", "date": "2026-13-01"}}' "日期 2026-13-01 不存在：没有 13 月"
bad_says "a plan's impossible date, named as a clerk would" \
    '{"type": "plan_set", "payload": {"steps": [{"id": "s1", "item": "V-MZJ-001", "department": "区民政局", "level": "district", "mode": "cross_level", "limit_days": 20},
       {"id": "s2", "item": "V-MZJ-001", "department": "区民政局", "level": "district", "mode": "cross_level", "limit_days": 20, "planned_end": "2026-13-01"}]}}' \
    "第 2 步的计划完成日期：日期 2026-13-01 不存在"
bad_says "nothing missing to receive" \
    '{"type": "material_received", "payload": {"materials": [{"name": "身份证", "form": "copy", "count": 1}]}}' "无需补交"
sed 's/"count": 1, "missing": false/"count": 0, "missing": false/' "$T/intake.json" >"$T/b12"
bad "a received material with 0 copies" "$T/b12" new
says "份数至少为 1" "0 copies: says why, in Chinese"
sed 's/"materials"/"date": "2099-01-05", "materials"/' "$T/intake.json" >"$T/b13"
bad "an intake dated after today" "$T/b13" new
says "受理日期 2099-01-05 晚于今天" "intake after today: says why, in Chinese"
expect 1 "an intake by a runner not on the roster" "$P" case new --db "$DB" --json "$T/intake.json" --as R-9999
[ "$(dump)" = "$before" ] && ok "unknown intake author: database unchanged" || not_ok "unknown intake author: database changed"
says "R-9999" "unknown intake author: names the runner"
sed 's/V-MZJ-001/D-ZJJ-001/; s/"materials"/"transfer_to": "370304-BT", "materials"/' "$T/intake.json" >"$T/b14"
bad "a transfer to a unit not above the desk" "$T/b14" new
says "不是 域城镇域城村 的上级单位" "transfer: says why, in Chinese"

# --- a missing material arrives -------------------------------------------
sed 's/"count": 1, "missing": false}/"count": 1, "missing": false}, {"name": "户口簿", "form": "original", "count": 0, "missing": true}/' \
    "$T/intake.json" >"$T/missing.json"
expect 0 "case new with a missing material" "$P" case new --db "$DB" --json "$T/missing.json"
M=$(cat "$T/out")
before=$(dump)
printf '%s\n' '{"type": "material_received", "payload": {"materials": [{"name": "户口簿", "form": "original", "count": 0}]}}' >"$T/b15"
expect 1 "receiving no copies" "$P" case event "$M" --db "$DB" --json "$T/b15"
[ "$(dump)" = "$before" ] && ok "no copies: database unchanged" || not_ok "no copies: database changed"
says "份数必须在 1 到 999 之间" "no copies: says why, in Chinese"
printf '%s\n' '{"type": "material_received", "payload": {"materials": [{"name": "户口簿", "form": "original", "count": 1}]}}' >"$T/ok.json"
expect 0 "the missing 户口簿 arrives" "$P" case event "$M" --db "$DB" --json "$T/ok.json"
"$P" case show "$M" --db "$DB" --json >"$T/out"
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["case"]
book = [m for m in d["materials"] if m["name"] == "户口簿"][0]
assert not book["missing"] and book["count"] == 1 and book["received_on"], book
assert d["notice_closed_on"], d["notice_closed_on"]
' "$T/out" && ok "the checklist has it, the notice is closed" || not_ok "material_received in the state"

# --- an intake out of scope, transferred -----------------------------------
sed 's/V-MZJ-001/D-ZJJ-001/; s/"materials"/"transfer_to": "370304", "materials"/' "$T/intake.json" >"$T/transfer.json"
expect 0 "an intake transferred to the district" "$P" case new --db "$DB" --json "$T/transfer.json"
X=$(cat "$T/out")
"$P" case show "$X" --db "$DB" --json >"$T/out"
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["case"]["unit"] == "370304" and d["case"]["level"] == "district", d["case"]["unit"]
assert d["case"]["transfers"] == ["370304-YC-001"], d["case"]["transfers"]
assert [e["type"] for e in d["events"]][-1] == "case_transferred"
assert d["events"][0]["payload"]["transfer_to"] == "370304"
' "$T/out" && ok "the case is with the district, the intake names the transfer" || not_ok "transfer in the state"

# --- a delivery lists every approved step's certificate ------------------------
F=$(grep -o '^370304-YC-001-[0-9-]*' <<<"$M")
ev () { printf '%s\n' "$2" >"$T/ev.json"; expect 0 "$1" "$P" case event "$M" --db "$DB" --json "$T/ev.json"; }
ev "agreement" '{"type": "agreement_signed", "payload": {"digest": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}}'
ev "runner" '{"type": "runner_assigned", "payload": {"runner": "R-0001"}}'
ev "plan of two steps" '{"type": "plan_set", "payload": {"steps": [{"id": "s1", "item": "V-MZJ-001", "department": "区民政局", "level": "district", "mode": "cross_level", "limit_days": 20},
   {"id": "s2", "item": "V-MZJ-001", "department": "域城镇民政办", "level": "town", "mode": "cross_level", "limit_days": 10}]}}'
ev "submit s1" '{"type": "step_submitted", "payload": {"step": "s1"}}'
ev "submit s2" '{"type": "step_submitted", "payload": {"step": "s2"}}'
ev "approve s1" '{"type": "step_approved", "payload": {"step": "s1"}}'
ev "approve s2" '{"type": "step_approved", "payload": {"step": "s2"}}'
before=$(dump)
printf '%s\n' '{"type": "delivered", "payload": {"certificates": [{"step": "s1", "name": "低保证", "number": "博民低保〔2026〕1号", "copies": 1}], "originals_returned": true, "method": "in_person"}}' >"$T/b16"
expect 1 "a delivery without the second step's certificate" "$P" case event "$M" --db "$DB" --json "$T/b16"
[ "$(dump)" = "$before" ] && ok "one certificate: database unchanged" || not_ok "one certificate: database changed"
says "第 2 步（域城镇民政办）已批准，但没有列出它的证照批文" "one certificate: says why, in Chinese"
ev "a delivery of both certificates" '{"type": "delivered", "payload": {"certificates": [{"step": "s1", "name": "低保证", "number": "博民低保〔2026〕1号", "copies": 1},
   {"step": "s2", "name": "审核意见", "number": "域民〔2026〕2号", "copies": 1}], "originals_returned": true, "method": "in_person"}}'
[ -n "$F" ] && ok "case number $F" || not_ok "case number"

# --- a due date in a year without a holiday table ---------------------------
# A data folder of its own, without 2027, then with a test 2027.ini.
DATA="$T/data"
mkdir -p "$DATA/calendar"
cp "$PAOTUAN_DATA_DIR/catalog.json" "$PAOTUAN_DATA_DIR/district.json" "$DATA/"
cp "$PAOTUAN_DATA_DIR"/calendar/202[456].ini "$DATA/calendar/"
Q="$T/provisional.db"
PAOTUAN_DATA_DIR="$DATA" "$P" init --db "$Q" --unit 370304-YC-001 --demo --cases 0 >/dev/null
sed 's/"materials"/"date": "2026-12-01", "materials"/' "$T/intake.json" >"$T/early.json"
PD=$(PAOTUAN_DATA_DIR="$DATA" "$P" case new --db "$Q" --json "$T/early.json")
for e in '{"type": "agreement_signed", "payload": {"digest": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}}' \
         '{"type": "runner_assigned", "payload": {"runner": "R-0001"}}' \
         '{"type": "plan_set", "payload": {"steps": [{"id": "s1", "item": "V-MZJ-001", "department": "区民政局", "level": "district", "mode": "cross_level", "limit_days": 20}]}}'; do
    printf '%s\n' "$e" | PAOTUAN_DATA_DIR="$DATA" "$P" case event "$PD" --db "$Q" --json - >/dev/null || not_ok "setting up $e"
done
printf '%s\n' '{"type": "step_submitted", "payload": {"step": "s1", "date": "2026-12-04"}}' >"$T/submit.json"
PAOTUAN_DATA_DIR="$DATA" expect 0 "a step due in 2027" "$P" case event "$PD" --db "$Q" --json "$T/submit.json"
says "暂定" "the event warns that its due date is provisional"
PAOTUAN_DATA_DIR="$DATA" expect 0 "case show of a provisional due date" "$P" case show "$PD" --db "$Q"
grep -q "2027-01-01（暂定）" "$T/out" && ok "shows the due date marked provisional" || not_ok "show: $(cat "$T/out")"
says "2027 年的节假日安排尚未导入" "show warns on stderr"
PAOTUAN_DATA_DIR="$DATA" expect 0 "case list of a provisional due date" "$P" case list --db "$Q"
grep -q "2027-01-01（暂定） 到期" "$T/out" && ok "lists the due date marked provisional" || not_ok "list: $(cat "$T/out")"
says "暂定" "list warns on stderr"
printf '[calendar]\nyear=2027\nnotice=test\n[holidays]\n2027-01-01=元旦\n2027-01-02=元旦\n2027-01-03=元旦\n' >"$DATA/calendar/2027.ini"
PAOTUAN_DATA_DIR="$DATA" expect 0 "case show once 2027 has its table" "$P" case show "$PD" --db "$Q" --json
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["case"]
assert d["due"] == "2027-01-04" and not d["due_provisional"], (d["due"], d["due_provisional"])
assert not d["steps"][0]["provisional"]
' "$T/out" && ok "counted again: exact, 2027-01-04" || not_ok "refold: $(head -c 300 "$T/out")"
[ ! -s "$T/err" ] && ok "no warning once exact" || not_ok "warned: $(cat "$T/err")"
PAOTUAN_DATA_DIR="$DATA" expect 0 "rebuild after the refold" "$P" rebuild --db "$Q"

# --- rebuild -----------------------------------------------------------------
expect 0 "rebuild finds no difference" "$P" rebuild --db "$DB"
expect 0 "runners" "$P" runners --db "$DB"
expect 0 "units" "$P" units

# --- refused records ---------------------------------------------------------
expect 0 "no refused record listed" "$P" sync --quarantine --db "$DB"
[ ! -s "$T/out" ] && ok "the quarantine is empty" || not_ok "the quarantine lists $(head -c 200 "$T/out")"
expect 1 "dismissing needs a reason" "$P" sync --dismiss 01a00000-0000-7000-8000-000000000000 --db "$DB"
says "请写明作废" "names what is missing"
expect 1 "dismissing an unknown record" "$P" sync --dismiss 01a00000-0000-7000-8000-000000000000 --reason 重复 --db "$DB"
says "没有待处理的被拒收记录" "says there is none"

# --- backup, check, restore ---------------------------------------------------
mkdir -p "$T/usb"
expect 0 "backup to a stick" "$P" backup "$T/usb/b.db" --db "$DB"
[ ! -e "$T/usb/b.db-wal" ] && ok "the backup is one file" || not_ok "a -wal beside the backup"
expect 0 "check the backup" "$P" check "$T/usb/b.db"
before=$(dump)
expect 2 "restore without a file" "$P" restore --db "$DB"
cp "$T/usb/b.db" "$T/usb/bad.db"
dd if=/dev/zero of="$T/usb/bad.db" bs=8192 seek=2 count=2 conv=notrunc 2>/dev/null
expect 1 "restore a damaged backup" "$P" restore "$T/usb/bad.db" --db "$DB"
says "已损坏" "a damaged backup is named so, in Chinese"
[ "$(dump)" = "$before" ] && ok "a refused restore leaves the database" || not_ok "the database changed"
expect 1 "check a damaged file" "$P" check "$T/usb/bad.db"
says "paotuanctl restore" "check says what to do"
expect 0 "restore the backup" "$P" restore "$T/usb/b.db" --db "$DB"
ls "$DB".before-restore-* >/dev/null 2>&1 && ok "the database as it was is kept" || not_ok "nothing kept"
expect 0 "check after the restore" "$P" check --db "$DB"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

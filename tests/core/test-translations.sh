#!/bin/bash
# Every message of the sources listed in po/POTFILES.in has its zh_CN
# translation, and none is fuzzy: xgettext over the sources into a
# temporary .pot (as `meson compile paotuan-pot` would), merged into a copy
# of po/zh_CN.po (po/ itself is left alone), and each message without a
# translation named with the place it comes from.
set -u
SRC=${1:?usage: test-translations.sh SOURCE_ROOT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$SRC" || exit 1

xgettext --package-name=paotuan --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
    --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format --flag=g_print:1:c-format \
    --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
    --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    --files-from=po/POTFILES.in --output="$T/paotuan.pot" || { echo "not ok 1 - xgettext failed"; exit 1; }

fail=0
n=0
check () {
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

msgfmt --check --output-file=/dev/null po/zh_CN.po 2>"$T/check"
check $? "po/zh_CN.po passes msgfmt --check $(head -c 500 "$T/check")"

msgmerge --quiet --no-fuzzy-matching --no-wrap --output-file="$T/merged.po" po/zh_CN.po "$T/paotuan.pot"
check $? "po/zh_CN.po merges with the sources' messages"

msgattrib --untranslated --no-obsolete --no-wrap "$T/merged.po" >"$T/untranslated.po"
# A multi-line msgid starts with msgid "": count every entry but the header.
entries=$(grep -c '^msgid ' "$T/untranslated.po" || true)
[ -s "$T/untranslated.po" ] && entries=$((entries - 1))
if [ "$entries" -gt 0 ]; then
    echo "# The messages without a zh_CN translation (append them to po/zh_CN.po):"
    sed -n '/^#:/,/^$/p' "$T/untranslated.po" | sed 's/^/#   /'
fi
check "$entries" "every message has its zh_CN translation ($entries without)"

msgattrib --only-fuzzy --no-obsolete --no-wrap "$T/merged.po" >"$T/fuzzy.po"
fuzzy=$(grep -c '^msgid ' "$T/fuzzy.po" || true)
[ -s "$T/fuzzy.po" ] && fuzzy=$((fuzzy - 1))
if [ "$fuzzy" -gt 0 ]; then
    echo "# Fuzzy translations (check them and remove the fuzzy mark):"
    sed -n '/^#:/,/^$/p' "$T/fuzzy.po" | sed 's/^/#   /'
fi
check "$fuzzy" "no translation is fuzzy ($fuzzy fuzzy)"

msgfmt --check --statistics --output-file=/dev/null "$T/merged.po" 2>&1 | sed 's/^/# /'
echo "1..$n"
exit $fail

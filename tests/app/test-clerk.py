#!/usr/bin/python3
# test-clerk.py: a village clerk's first day, in Chinese and keyboard first,
# through the real application and AT-SPI:
#  - an intake typed with the keyboard only: Tab and Enter go into the next
#    field, an ID number pasted with spaces and a lower-case x is kept whole
#    and canonical, the summary shows the channel and the address;
#  - the application killed on the summary: the draft comes back, on that
#    step, with its summary;
#  - one case opened, Escape back to the list, another opened: its header
#    and page are its own, none of the first case's paper is left;
#  - Ctrl+P on the agreement with no cupsd: the desk says no printer was
#    found, what to check, and offers saving the PDF;
#  - at 800x600 the header's back button leaves the case page.
#
# Run under: tests/gui-session.sh /usr/bin/python3 test-clerk.py PAOTUAN
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402
from atspi import check, ctl, key  # noqa: E402
import pyatspi  # noqa: E402

PAOTUAN = sys.argv[1]
PAOTUANCTL = os.environ['PAOTUANCTL']
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-clerk')
UNIT = '370304-YC-001'   # 域城村, a village desk
NUMBER = re.compile(r'370304(-[A-Z]+)?(-[0-9]{3})?-[0-9]{8}-[0-9]{4}')
# The application's pages the search may skip (the case page is searched).
PRUNE_LISTS = {'PtTodayPage', 'PtRunnersPage', 'PtCatalogPage', 'PtCasesPage'}








def type_text(text):
    # One character at a time: xdotool maps each Chinese character to a
    # spare keycode, and a fast run may reuse it before the application read it.
    for c in text:
        subprocess.run(['xdotool', 'type', '--delay', '30', c], check=True)
        time.sleep(0.03)


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def focused_entry(root):
    """The editable text that has the keyboard focus."""
    for node in atspi.walk(root, PRUNE_LISTS):
        try:
            state = node.getState()
            if state.contains(pyatspi.STATE_FOCUSED) and state.contains(pyatspi.STATE_EDITABLE):
                return node
        except Exception:
            continue
    return None


def wait_focus(root, label):
    """Waits until the field named label has the focus; says where it is instead."""
    def look():
        node = focused_entry(root)
        return node if node is not None and atspi.clean_name(node) == label else None
    try:
        return atspi.wait_for('the focus in ' + label, look, 10)
    except atspi.Timeout:
        node = focused_entry(root)
        raise AssertionError('the focus is in {!r}, not in {!r}'.format(
            atspi.clean_name(node) if node else None, label))


class App:
    def __init__(self, db, env, log):
        self.log = open(log, 'a')
        self.process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        app = atspi.find_app()
        self.window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(self.window, name='今日', timeout=30)

    def kill(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        # The next application must not be mistaken for this one.
        atspi.wait_for('the application to leave the accessibility bus',
                       lambda: not any(a is not None and a.name == 'paotuan'
                                       for a in pyatspi.Registry.getDesktop(0)), 15)


def header_subtitle(window, number):
    """Whether the header (not the case page) names number."""
    return atspi.find_all(window, name=number, role=pyatspi.ROLE_LABEL,
                          prune=PRUNE_LISTS | {'PtCasePage'})


def open_by_search(window, number):
    """Ctrl+F, the number, Enter: the cases page opens the first match."""
    key('ctrl+f')
    entry = atspi.entry(atspi.page(window, 'PtCasesPage'), '搜索办件')
    atspi.wait_for('the case search to have the focus',
                   lambda: entry.getState().contains(pyatspi.STATE_FOCUSED), 10)
    atspi.set_text(entry, number)
    time.sleep(0.5)   # the search runs as it is typed; Enter takes its first match
    key('Return')
    atspi.wait_for('the header to name ' + number, lambda: header_subtitle(window, number), 15)


def main():
    tmp = tempfile.mkdtemp(prefix='pt-clerk-')
    db = os.path.join(tmp, 'desk.db')
    ctl(db, 'init', '--demo', '--unit', UNIT, '--cases', '120')
    draft = os.path.join(tmp, 'intake-draft.json')
    # No CUPS answers here: the print path must say so.
    env = atspi.app_env(tmp, chinese=True, CUPS_SERVER=os.path.join(tmp, 'no-cupsd.sock'))
    log = os.path.join(tmp, 'app.log')
    screens = atspi.Screens(LOG_DIR)
    app = App(db, env, log)
    try:
        window = app.window
        intake = atspi.page(window, 'PtIntakePage')

        # The keyboard only: Ctrl+N, a name, Tab, a pasted ID, Enter, a phone.
        key('ctrl+n')
        wait_focus(intake, '姓名')
        type_text('张桂兰')
        key('Tab')
        id_field = wait_focus(intake, '居民身份证号码')
        # A paste is one insertion of the whole text.
        id_field.queryEditableText().insertText(0, ' 11010519491231002x ', len(' 11010519491231002x '))
        atspi.wait_for('the pasted ID number, canonical',
                       lambda: text_of(id_field) == '11010519491231002X', 5)
        key('Return')
        phone = wait_focus(intake, '电话')
        type_text('138 1234 5678')
        key('Tab')
        wait_focus(intake, '地址')
        type_text('博山区域城镇域城村12号')
        check(text_of(id_field) == '11010519491231002X',
              'the ID field holds {!r}'.format(text_of(id_field)))
        check(text_of(phone) == '138 1234 5678', 'the phone field holds {!r}'.format(text_of(phone)))
        screens.shot('intake-applicant')

        # Items (searched by text: the keyboard path is what was tested above).
        key('alt+Right')
        search = wait_focus(intake, '搜索事项')
        atspi.set_text(search, '居住证明')

        def added():
            if atspi.find_all(intake, name='移除居住证明', prefix=True):
                return True
            for button in atspi.find_all(intake, name='添加居住证明', role=pyatspi.ROLE_PUSH_BUTTON, prefix=True):
                atspi.click(button)
            return False
        atspi.wait_for('居住证明 to be chosen', added, 15)
        key('alt+Right')
        atspi.find(intake, name='材料清单')
        key('alt+Right')
        summary_address = atspi.find(intake, name='博山区域城镇域城村12号', role=pyatspi.ROLE_LABEL)
        check(summary_address is not None, 'the summary shows no address')
        atspi.find(intake, name='渠道', role=pyatspi.ROLE_LABEL)
        screens.shot('intake-summary')

        # Killed on the summary: the draft is on disk within a moment.
        def saved_on_summary():
            try:
                return json.load(open(draft)).get('step') == 'agreement'
            except (OSError, ValueError):
                return False
        atspi.wait_for('the draft saved on the summary', saved_on_summary, 10)
        app.kill(signal.SIGKILL)

        app = App(db, env, log)
        window = app.window
        resume = atspi.find(window, contains='继续', role=pyatspi.ROLE_PUSH_BUTTON, prune=set())
        atspi.click(resume)
        intake = atspi.page(window, 'PtIntakePage')
        accept = atspi.find(intake, contains='确认受理', role=pyatspi.ROLE_PUSH_BUTTON)
        atspi.wait_for('the summary step', lambda: accept.getState().contains(pyatspi.STATE_VISIBLE), 10)
        atspi.find(intake, name='博山区域城镇域城村12号', role=pyatspi.ROLE_LABEL)
        atspi.find(intake, name='张桂兰', role=pyatspi.ROLE_LABEL)
        screens.shot('draft-restored')

        # Two cases, one after the other, through the list.
        rows = json.loads(ctl(db, 'case', 'list', '--json', '--limit', '500'))
        signed = [r for r in rows if r['status'] in ('agreed', 'assigned', 'planned', 'in_progress')]
        first, second = signed[0], next(r for r in rows if r['applicant'] != signed[0]['applicant'])
        key('alt+2')
        open_by_search(window, first['number'])
        case_page = atspi.page(window, 'PtCasePage')
        atspi.find(case_page, contains=first['applicant'] + ' ·', role=pyatspi.ROLE_LABEL, timeout=15)
        # The agreement on screen, as a clerk opens it to print.
        atspi.click(atspi.find(case_page, name='委托代办协议', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(case_page, name='文书页面', timeout=30)
        screens.shot('first-case')
        # Ctrl+P with no cupsd: the desk says so, in Chinese, and offers the rest.
        key('ctrl+p')
        atspi.find(atspi.find_app(), name='找不到打印机', role=pyatspi.ROLE_LABEL, prune=set(), timeout=15)
        atspi.find(atspi.find_app(), name='另存为 PDF(P)…', role=pyatspi.ROLE_PUSH_BUTTON, prune=set())
        screens.shot('no-printer')
        key('Escape')
        atspi.wait_for('the print dialog to close', lambda: not atspi.find_all(
            atspi.find_app(), name='找不到打印机', role=pyatspi.ROLE_LABEL, prune=set()), 10)
        key('Escape')
        atspi.wait_for('the list again', lambda: not header_subtitle(window, first['number']), 10)
        open_by_search(window, second['number'])
        atspi.find(case_page, contains=second['applicant'] + ' ·', role=pyatspi.ROLE_LABEL, timeout=15)
        check(not header_subtitle(window, first['number']), 'the header still names the first case')
        check(not atspi.find_all(case_page, contains=first['applicant'] + ' ·', role=pyatspi.ROLE_LABEL),
              'the second case page still shows ' + first['applicant'])
        check(not atspi.find_all(case_page, name='文书页面'), "the first case's paper is still shown")
        screens.shot('second-case')

        # At 800x600 the sidebar is folded: the header's back button leaves.
        wid = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(app.process.pid)],
                             capture_output=True, text=True).stdout.split()
        for w in wid:
            subprocess.run(['xdotool', 'windowsize', w, '800', '600'], check=False)
        time.sleep(1)
        back = atspi.find(window, name='返回', role=pyatspi.ROLE_PUSH_BUTTON, prune=PRUNE_LISTS | {'PtCasePage'})
        screens.shot('narrow-case')
        atspi.click(back)
        atspi.wait_for('the back button to leave the case',
                       lambda: not header_subtitle(window, second['number']), 10)
        screens.shot('narrow-back')
    finally:
        screens.shot('last')
        if app.process.poll() is None:
            app.kill()
        shutil.copy(log, os.path.join(LOG_DIR, 'app.log'))

    with open(log) as f:
        noise = [line for line in f if 'not found in GtkStack' in line or 'CRITICAL' in line]
    check(not noise, 'the application logged: ' + ''.join(noise[:5]))
    shutil.rmtree(tmp, ignore_errors=True)
    print('ok: intake by keyboard, draft restored, two cases, back at 800x600; screenshots in ' + LOG_DIR)


if __name__ == '__main__':
    main()

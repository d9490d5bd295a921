#!/usr/bin/python3
# test-a11y.py: an accessibility walk of every page of the real application,
# in Chinese, through AT-SPI: every control a screen reader reaches (buttons,
# toggles, check boxes, entries, drop-downs) has a name, and no name is a
# GTK class name ("GtkToggleButton", "GtkMenuButton": what GTK 4.8 says of
# an inner button nobody named).
#
# Not checked (a limit of GTK 4.8 that names a mnemonic button by its
# label and its shown text, "登记(_R) 登记(R)"): mnemonic residue.
#
# Run under: tests/gui-session.sh /usr/bin/python3 test-a11y.py PAOTUAN
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402
from atspi import check, ctl  # noqa: E402
import pyatspi  # noqa: E402

PAOTUAN = sys.argv[1]
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-a11y')
CONTROLS = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
            pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_TEXT,
            pyatspi.ROLE_SPIN_BUTTON}


def problems(window):
    found = []
    for node in atspi.walk(window, prune=set()):
        try:
            if node.getRole() not in CONTROLS or not node.getState().contains(pyatspi.STATE_VISIBLE):
                continue
            name = (node.name or '').strip()
            if not name:
                found.append('a {} without a name (in {!r})'.format(node.getRoleName(),
                                                                       node.parent.name if node.parent else ''))
            elif name.startswith('Gtk'):
                found.append('a {} named {!r}'.format(node.getRoleName(), name))
        except Exception:
            continue
    return found


def main():
    tmp = tempfile.mkdtemp(prefix='pt-a11y-')
    db = os.path.join(tmp, 'desk.db')
    ctl(db, 'init', '--demo', '--unit', '370304-YC-001', '--cases', '60')
    env = atspi.app_env(tmp, chinese=True)
    log_path = os.path.join(tmp, 'app.log')
    log = open(log_path, 'w')
    screens = atspi.Screens(LOG_DIR)
    process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=log, stderr=subprocess.STDOUT)
    failures = []
    try:
        app = atspi.find_app()
        window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(window, name='今日', timeout=30)
        # Every page, as a clerk reaches it from the keyboard.
        for keys, page, landmark in (('alt+1', 'today', '今日'), ('alt+2', 'cases', '搜索办件'),
                                     ('alt+3', 'runners', '跑手'), ('alt+4', 'catalog', '搜索事项目录'),
                                     ('ctrl+n', 'intake', '姓名')):
            subprocess.run(['xdotool', 'key', keys], check=True)
            atspi.find(window, name=landmark, timeout=15, prune=set())
            time.sleep(0.5)
            screens.shot(page)
            failures += ['{}: {}'.format(page, p) for p in problems(window)]
        # A case, opened from the list.
        subprocess.run(['xdotool', 'key', 'Escape'], check=True)
        subprocess.run(['xdotool', 'key', 'alt+2'], check=True)
        number = ctl(db, 'case', 'list').split()[0]
        cases = atspi.page(window, 'PtCasesPage')
        atspi.set_text(atspi.entry(cases, '搜索办件'), number)
        time.sleep(0.5)
        subprocess.run(['xdotool', 'key', 'ctrl+f', 'Return'], check=True)
        atspi.find(window, name=number, timeout=15, prune=set())
        time.sleep(0.5)
        screens.shot('case')
        failures += ['case: {}'.format(p) for p in problems(window)]
    finally:
        atspi.stop_app(process, log, log_path, LOG_DIR)
    # Each named once: the same widget is met on several pages.
    failures = sorted(set(failures))
    check(not failures, 'controls a screen reader cannot name:\n  ' + '\n  '.join(failures))
    print('ok: every control of every page has a name')


if __name__ == '__main__':
    main()

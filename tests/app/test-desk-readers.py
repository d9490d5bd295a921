#!/usr/bin/python3
# test-desk-readers.py: the application keeps every record while another
# process reads its database. On an enrolled desk whose start-up sync has
# run (the server here does not answer), a note is recorded, `paotuanctl
# sync --status` runs on the same file, a second note is recorded; another
# process finds both notes while the application runs, and the file holds
# both after it has closed. When another program then deletes the WAL, the
# desk stops recording and says so.
#
# Run under: tests/gui-session.sh \
#            /usr/bin/python3 test-desk-readers.py PAOTUAN
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402
import pyatspi  # noqa: E402

PAOTUAN = sys.argv[1]
PAOTUANCTL = os.environ['PAOTUANCTL']
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-desk-readers')


def ctl(db, *args):
    return subprocess.run([PAOTUANCTL, *args, '--db', db], check=True,
                          capture_output=True, text=True).stdout


def notes_outside(db, number):
    """The notes of the case, as a process other than the application reads them."""
    shown = json.loads(ctl(db, 'case', 'show', number, '--json'))
    return [e['payload']['text'] for e in shown['events'] if e['type'] == 'note']


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def add_note(case_page, text):
    n_events = atspi.find(case_page, name='Timeline', role=pyatspi.ROLE_LIST).childCount
    atspi.click(atspi.find(case_page, name='More Actions'))
    atspi.click(atspi.find(case_page, name='Add Note', role=pyatspi.ROLE_PUSH_BUTTON))
    atspi.set_text(atspi.entry(case_page, 'Note'), text)
    atspi.click(atspi.find(case_page, name='Record', role=pyatspi.ROLE_PUSH_BUTTON))
    atspi.wait_for('the note in the timeline',
                   lambda: atspi.find(case_page, name='Timeline', role=pyatspi.ROLE_LIST).childCount > n_events)


def main():
    tmp = tempfile.mkdtemp(prefix='pt-readers-')
    db = os.path.join(tmp, 'desk.db')
    ctl(db, 'init', '--demo', '--cases', '20')
    number = ctl(db, 'case', 'list', '--limit', '1').split()[0]
    # Enrolled with a server that does not answer: the start-up sync opens
    # the sync engine's own connection and fails to connect.
    with sqlite3.connect(db) as conn:
        conn.executemany('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)',
                         [('sync.server', 'https://127.0.0.1:9'), ('sync.token', 'test-token'),
                          ('sync.device', 'test-device'), ('sync.unit', '370304')])
    conn.close()

    env = dict(os.environ)
    env.update({'GDK_BACKEND': 'x11', 'GTK_A11Y': 'atspi', 'NO_AT_BRIDGE': '0',
                'PT_DRAFT_DIR': tmp, 'GSETTINGS_BACKEND': 'memory'})
    env.pop('G_DEBUG', None)
    app_log = open(os.path.join(tmp, 'app.log'), 'w')
    process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=app_log, stderr=subprocess.STDOUT)
    screens = atspi.Screens(LOG_DIR)
    try:
        app = atspi.find_app()
        window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(window, name='Today', timeout=30)
        # The start-up sync has run once its failure is on screen.
        atspi.find(window, name='Server not reached; working offline', prune=set(), timeout=30)
        screens.shot('synced')

        # Open the case through the search.
        # Ctrl+F, the number, Enter: the search opens its first match.
        cases = atspi.page(window, 'PtCasesPage')
        subprocess.run(['xdotool', 'key', 'ctrl+f'], check=True)
        atspi.wait_for('the search to have the focus',
                       lambda: atspi.entry(cases, 'Search cases').getState().contains(pyatspi.STATE_FOCUSED))
        subprocess.run(['xdotool', 'type', '--delay', '20', number], check=True)
        atspi.find(cases, contains=number + ',', prune=set(), timeout=20)
        subprocess.run(['xdotool', 'key', 'Return'], check=True)
        case_page = atspi.page(window, 'PtCasePage')
        atspi.find(case_page, name=number, role=pyatspi.ROLE_LABEL, timeout=20)

        add_note(case_page, '读取前的记录')
        out = ctl(db, 'sync', '--status')
        check('127.0.0.1' in out, 'sync --status did not read the desk: ' + out)
        add_note(case_page, '读取后的记录')
        screens.shot('two-notes')
        found = notes_outside(db, number)
        check(found == ['读取前的记录', '读取后的记录'],
              'while the application runs, another process finds the notes {}'.format(found))

        # Another program copies the WAL into the database and deletes it: the
        # desk stops recording and says so, instead of writing into a file
        # nobody will read.
        subprocess.run(['sqlite3', db, 'PRAGMA wal_checkpoint(TRUNCATE)'], check=True, capture_output=True)
        os.unlink(db + '-wal')
        atspi.click(atspi.find(case_page, name='More Actions'))
        atspi.click(atspi.find(case_page, name='Add Note', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.set_text(atspi.entry(case_page, 'Note'), '文件删除后的记录')
        atspi.click(atspi.find(case_page, name='Record', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(app, name='Paotuan Stopped Recording', prune=set(), timeout=20)
        screens.shot('stopped-recording')
    finally:
        screens.shot('last')
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        app_log.close()
        shutil.copy(os.path.join(tmp, 'app.log'), os.path.join(LOG_DIR, 'app.log'))

    check(process.returncode == 0, 'the application ended with {} on SIGTERM'.format(process.returncode))
    check(not os.path.exists(db + '-wal'), 'the application left its -wal file: it did not close the store')
    found = notes_outside(db, number)
    check(found == ['读取前的记录', '读取后的记录'], 'after closing, the file holds the notes {}'.format(found))
    shutil.rmtree(tmp, ignore_errors=True)
    print('ok: both notes of {} are in the file'.format(number))


if __name__ == '__main__':
    main()

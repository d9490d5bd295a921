#!/usr/bin/python3
# test-sync.py: a village desk and a real district server (a throwaway
# PostgreSQL, a private CA, paotuan-server on loopback: pt-test-server-run),
# through the real application in Chinese and AT-SPI:
#  - the sidebar says the desk is not enrolled; its button opens the
#    preferences, where the clerk enrolls with the address, the CA file
#    (the file chooser) and the one-time code; the desk syncs at once and says
#    when, in Beijing time, with nothing waiting;
#  - the server stops: F5 says the server is not reached and that the desk
#    works offline, and a record made meanwhile is counted as waiting;
#  - the server comes back: the desk syncs by itself, nothing waits;
#  - the token is revoked: the desk asks to be enrolled again and still
#    shows how many records wait.
#
# Run under: tests/gui-session.sh /usr/bin/python3 test-sync.py PAOTUAN SERVER_RUN
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402
from atspi import check, ctl, key  # noqa: E402
import pyatspi  # noqa: E402

PAOTUAN = sys.argv[1]
SERVER_RUN = sys.argv[2]
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-sync')
UNIT = '370304-YC-001'   # 域城村
SIDEBAR_PRUNE = atspi.PRUNE | {'PtCasePage', 'PtIntakePage'}


class Server:
    """pt-test-server-run: one command a line, one answer a line."""

    def __init__(self):
        self.process = subprocess.Popen([SERVER_RUN], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline()
        if not line:
            sys.exit(77 if self.process.wait() == 77 else 1)
        info = json.loads(line)
        self.url, self.ca = info['url'], info['ca']

    def ask(self, command):
        self.process.stdin.write(command + '\n')
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self):
        self.process.stdin.close()
        self.process.wait(60)


def sidebar_texts(window):
    names = []
    for node in atspi.walk(window, SIDEBAR_PRUNE):
        try:
            if node.getRole() == pyatspi.ROLE_LABEL and node.name:
                names.append(node.name)
        except Exception:
            pass
    return names


def wait_sidebar(window, what, pattern, timeout=30):
    regex = re.compile(pattern)
    try:
        return atspi.wait_for(what, lambda: [t for t in sidebar_texts(window) if regex.search(t)], timeout)
    except atspi.Timeout:
        raise AssertionError('{}: the sidebar says {!r}'.format(what, sidebar_texts(window)))


def status_line(db):
    return dict(line.split(': ', 1) for line in ctl(db, 'sync', '--status').splitlines() if ': ' in line)


def add_note(db, text):
    number = json.loads(ctl(db, 'case', 'list', '--json'))[0]['number']
    subprocess.run([os.environ['PAOTUANCTL'], 'case', 'event', number, '--json', '-', '--db', db],
                   input=json.dumps({'type': 'note', 'payload': {'text': text}}), text=True,
                   check=True, capture_output=True)


def open_case(window, number):
    """Ctrl+F, the number, Enter: the case page shows it."""
    key('alt+2')
    key('ctrl+f')
    cases = atspi.page(window, 'PtCasesPage')
    atspi.set_text(atspi.entry(cases, '搜索办件'), number)
    time.sleep(0.5)
    key('Return')
    atspi.wait_for('the header to name ' + number,
                   lambda: atspi.find_all(window, name=number, role=pyatspi.ROLE_LABEL,
                                          prune=SIDEBAR_PRUNE | {'PtCasePage'}), 15)


def main():
    tmp = tempfile.mkdtemp(prefix='pt-sync-')
    db = os.path.join(tmp, 'desk.db')
    # The demo's runners and no cases: a village desk's own two intakes.
    ctl(db, 'init', '--demo', '--unit', UNIT, '--cases', '0')
    for name in ('张桂兰', '李秀英'):
        subprocess.run([os.environ['PAOTUANCTL'], 'case', 'new', '--json', '-', '--db', db], check=True,
                       capture_output=True, text=True, input=json.dumps({
                           'applicant': {'kind': 'person', 'name': name, 'id_number': '11010519491231002X',
                                         'phone': '13812345678', 'address': '博山区域城镇域城村 12 号',
                                         'vulnerable': 'none'},
                           'channel': 'window', 'items': ['V-MZJ-001']}))
    server = Server()
    env = atspi.app_env(tmp, chinese=True, PT_SYNC_RETRY_SECONDS='2')
    log_path = os.path.join(tmp, 'app.log')
    log = open(log_path, 'w')
    screens = atspi.Screens(LOG_DIR)
    process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        app = atspi.find_app()
        window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(window, name='今日', timeout=30)

        # Not enrolled: said, and the way to enroll offered.
        wait_sidebar(window, 'the desk to say it is not enrolled', '^本窗口尚未注册$')
        screens.shot('not-enrolled')
        atspi.click(atspi.find(window, name='注册本窗口…', role=pyatspi.ROLE_PUSH_BUTTON, prune=SIDEBAR_PRUNE))
        prefs = atspi.wait_for('the preferences', lambda: next(
            (w for w in (app.getChildAtIndex(i) for i in range(app.childCount))
             if w is not None and w.name == '首选项'), None), 15)
        address = atspi.entry(prefs, '服务器地址')
        atspi.set_text(address, server.url)
        # The CA file through the file chooser, as a clerk would: 选择…, type the path.
        atspi.click(atspi.find(prefs, name='选择…', role=pyatspi.ROLE_PUSH_BUTTON))
        chooser = atspi.wait_for('the file chooser', lambda: next(
            (w for w in (app.getChildAtIndex(i) for i in range(app.childCount))
             if w is not None and w.name == '选择 CA 证书文件'), None), 15)
        key('ctrl+l')
        time.sleep(0.3)
        subprocess.run(['xdotool', 'type', '--delay', '20', server.ca], check=True)
        time.sleep(0.3)
        key('Return')
        atspi.wait_for('the file chooser to close', lambda: not any(
            w is not None and w.name == '选择 CA 证书文件'
            for w in (app.getChildAtIndex(i) for i in range(app.childCount))), 15)
        atspi.find(prefs, name=server.ca, role=pyatspi.ROLE_LABEL)
        code = server.ask('code {} 窗口1'.format(UNIT))
        atspi.set_text(atspi.entry(prefs, '注册码'), code)
        screens.shot('enroll-form')
        atspi.click(atspi.find(prefs, name='注册', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(prefs, name='注册成功，正在同步。', role=pyatspi.ROLE_LABEL, timeout=30)
        screens.shot('enrolled')
        key('Escape')

        # Synced at once, said in words, with nothing waiting.
        wait_sidebar(window, 'the desk to say when it synced', r'^\d\d:\d\d 已同步$', 60)
        wait_sidebar(window, 'nothing to wait, nothing refused', '^无待上传记录$')
        status = status_line(db)
        check(status.get('pending') == '0', 'paotuanctl says {!r}'.format(status))
        screens.shot('synced')

        # The server stops: the desk says so, keeps working, counts what waits.
        check(server.ask('stop') == 'ok', 'the server did not stop')
        add_note(db, '离线时记录的说明')
        key('F5')
        wait_sidebar(window, 'the desk to say the server is not reached', '^未连上区级服务器，离线办理中$', 60)
        wait_sidebar(window, 'the waiting record to be counted', '^待上传 [1-9][0-9]* 条$', 30)
        screens.shot('offline')

        # The server is back: the desk syncs by itself.
        check(server.ask('start') == 'ok', 'the server did not start')
        wait_sidebar(window, 'the desk to sync by itself', r'^\d\d:\d\d 已同步$', 90)
        wait_sidebar(window, 'nothing to wait after the automatic sync', '^无待上传记录$')
        screens.shot('back-online')

        # The town's desk moves one of the village's cases up to the district
        # while the village has it open: the village's page says so and goes
        # back, and Today keeps the trace of what went where.
        number = json.loads(ctl(db, 'case', 'list', '--json'))[-1]['number']
        open_case(window, number)
        town = os.path.join(tmp, 'town.db')
        ctl(town, 'init', '--demo', '--unit', '370304-YC', '--cases', '0')
        subprocess.run([os.environ['PAOTUANCTL'], 'enroll', server.url, server.ask('code 370304-YC 镇窗口'),
                        '--ca', server.ca, '--db', town], check=True, capture_output=True)
        ctl(town, 'sync', '-q')
        subprocess.run([os.environ['PAOTUANCTL'], 'case', 'event', number, '--json', '-', '--db', town],
                       input=json.dumps({'type': 'case_transferred',
                                         'payload': {'to_unit': '370304', 'reason': '需区级统一办理'}}),
                       text=True, check=True, capture_output=True)
        ctl(town, 'sync', '-q')
        key('F5')
        atspi.find(window, name='已移交其他单位的办件', prune=SIDEBAR_PRUNE - {'PtTodayPage'}, timeout=60)
        key('alt+1')
        trace = atspi.find(window, contains=number, role=pyatspi.ROLE_LABEL,
                           prune=SIDEBAR_PRUNE - {'PtTodayPage'}, timeout=30)
        check(trace is not None, 'Today has no trace of ' + number)
        atspi.find(window, contains='已移交博山区', role=pyatspi.ROLE_LABEL, prune=SIDEBAR_PRUNE - {'PtTodayPage'})
        screens.shot('handed-over')

        # The token is revoked: enroll again, the waiting count in view.
        device = status_line(db)['device']
        check(server.ask('revoke ' + device) == 'ok', 'the device was not revoked')
        add_note(db, '令牌吊销后记录的说明')
        key('F5')
        wait_sidebar(window, 'the desk to ask to be enrolled again', '^需要重新注册本窗口$', 60)
        wait_sidebar(window, 'the waiting count with a revoked token', '^待上传 [1-9][0-9]* 条$', 30)
        atspi.find(window, name='注册本窗口…', role=pyatspi.ROLE_PUSH_BUTTON, prune=SIDEBAR_PRUNE)
        screens.shot('revoked')
    except Exception:
        screens.shot('failure')
        raise
    finally:
        atspi.stop_app(process, log, log_path, LOG_DIR)
        server.close()
    print('ok: enrolled from the preferences, offline and back, revoked')


if __name__ == '__main__':
    main()

#!/usr/bin/python3
# test-e2e.py: drives the real application through AT-SPI, from intake to
# delivery and to termination, then checks the log with paotuanctl.
#
# Run under: tests/gui-session.sh \
#            /usr/bin/python3 test-e2e.py PAOTUAN
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402
from atspi import check, ctl  # noqa: E402
import pyatspi  # noqa: E402

PAOTUAN = sys.argv[1]
# The documents work adds the PDF preview; without it the test still runs.
HAVE_DOCUMENTS = os.environ.get('PT_HAVE_DOCUMENTS', '1') == '1'
PAOTUANCTL = os.environ['PAOTUANCTL']
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-e2e')

USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def uscc(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def id_number(first17):
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return first17 + '10X98765432'[total % 11]




def case_numbers(db):
    return [line.split()[0] for line in ctl(db, 'case', 'list', '--limit', '100000').splitlines() if line.strip()]


def history(db, number):
    shown = json.loads(ctl(db, 'case', 'show', number, '--json'))
    return shown['case'], [event['type'] for event in shown['events']], shown['events']


NUMBER = re.compile(r'370304(-[A-Z]+)?(-[0-9]{3})?-[0-9]{8}-[0-9]{4}')


def new_number(case_page, known):
    """The number shown on the case page once it is a case not in known."""
    def look():
        for label in atspi.find_all(case_page, role=pyatspi.ROLE_LABEL, match=NUMBER.fullmatch):
            if label.name not in known:
                return label.name
        return None
    return atspi.wait_for('the new case on the case page', look, 20)


def add_item(intake, name):
    """Searches the catalog for an item and adds it; the list is rebuilt as
    the search runs, so the click is retried until the item is chosen."""
    atspi.set_text(atspi.entry(intake, 'Search items'), name)

    def added():
        if atspi.find_all(intake, name='Remove ' + name, prefix=True):
            return True
        time.sleep(0.3)
        for button in atspi.find_all(intake, name='Add ' + name, role=pyatspi.ROLE_PUSH_BUTTON, prefix=True):
            atspi.click(button)
        return False
    atspi.wait_for('the item ' + name + ' to be chosen', added, 15)


def timeline_length(case_page):
    timeline = atspi.find(case_page, name='Timeline', role=pyatspi.ROLE_LIST)
    return timeline.childCount




def main():
    tmp = tempfile.mkdtemp(prefix='pt-e2e-')
    db = os.path.join(tmp, 'desk.db')
    ctl(db, 'init', '--demo')
    before = case_numbers(db)

    env = atspi.app_env(tmp)
    app_log = open(os.path.join(tmp, 'app.log'), 'w')
    process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=app_log, stderr=subprocess.STDOUT)
    screens = atspi.Screens(LOG_DIR)
    try:
        app = atspi.find_app()
        window = main_window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(window, name='Today', timeout=30)
        screens.shot('today')

        # Cases list, then back.
        atspi.click(atspi.find(window, name='Search cases', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(window, contains=' cases', role=pyatspi.ROLE_LABEL, prune=set())
        screens.shot('cases')

        # An invalid ID number: the reason appears under the field, nothing is stored.
        atspi.click(atspi.find(window, name='New Intake', role=pyatspi.ROLE_PUSH_BUTTON))
        intake = atspi.page(window, 'PtIntakePage')
        case_page = atspi.page(window, 'PtCasePage')
        window = intake
        atspi.set_text(atspi.entry(window, 'Name'), '张桂兰')
        bad = id_number('37030419580312002')
        bad = bad[:-1] + ('0' if bad[-1] != '0' else '1')
        atspi.set_text(atspi.entry(window, 'Resident ID number'), bad)
        atspi.find(window, contains='check digit', role=pyatspi.ROLE_LABEL, timeout=10)
        screens.shot('intake-invalid-id')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(window, contains='need attention')
        check(case_numbers(db) == before, 'an invalid intake stored a case')

        # Case 1: an enterprise, two items of two departments in parallel.
        atspi.click(atspi.find(window, name='Enterprise', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.set_text(atspi.entry(window, 'Enterprise name'), '淄博测试建材有限公司')
        atspi.set_text(atspi.entry(window, 'Unified social credit code'), uscc('91370304MA3C4D5E6'))
        atspi.set_text(atspi.entry(window, 'Legal representative'), '王建国')
        atspi.set_text(atspi.entry(window, 'Phone'), '13805331234')
        atspi.set_text(atspi.entry(window, 'Address'), '博山区城东街道工业园 8 号')
        screens.shot('intake-applicant')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        add_item(window, '建筑工程施工许可证核发')
        add_item(window, '排污许可证核发')
        screens.shot('intake-items')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(window, name='Material Checklist')
        screens.shot('intake-materials')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        accept = atspi.find(window, name='Accept and Create Case', role=pyatspi.ROLE_PUSH_BUTTON)
        screens.shot('intake-agreement')
        atspi.click(accept)

        window = case_page
        number = new_number(case_page, before)
        screens.shot('case-accepted')

        def do(button_name, fields=None, shot=None, preview=False, choices=()):
            n_events = timeline_length(window)
            atspi.click(atspi.find(window, name=button_name, role=pyatspi.ROLE_PUSH_BUTTON))
            if preview and HAVE_DOCUMENTS:
                # The agreement is rendered and shown beside the form.
                atspi.find(window, name='Document page', timeout=30)
                time.sleep(0.5)
            for label, text in (fields or {}).items():
                atspi.set_text(atspi.entry(window, label), text)
            # A radio button, as a clerk reaches it: Tab until it has the
            # focus (the form scrolls to it), then Space.
            for choice in choices:
                radio = atspi.find(window, name=choice, role=pyatspi.ROLE_RADIO_BUTTON)
                for _ in range(40):
                    if radio.getState().contains(pyatspi.STATE_FOCUSED):
                        break
                    subprocess.run(['xdotool', 'key', 'Tab'], check=True)
                    time.sleep(0.05)
                check(radio.getState().contains(pyatspi.STATE_FOCUSED), 'Tab never reached ' + choice)
                subprocess.run(['xdotool', 'key', 'space'], check=True)
                atspi.wait_for(choice + ' to be chosen',
                               lambda: radio.getState().contains(pyatspi.STATE_CHECKED), 10)
            if shot:
                screens.shot(shot)
            atspi.click(atspi.find(window, name='Record', role=pyatspi.ROLE_PUSH_BUTTON))
            atspi.wait_for('the event of ' + button_name + ' in the timeline',
                           lambda: timeline_length(window) > n_events)
            time.sleep(0.2)

        do('Record Signed Agreement', shot='case-agreement', preview=True)
        do('Assign Runner', shot='case-runner')
        do('Set Plan', shot='case-plan')
        do('Submit to 区住房和城乡建设局')
        do('Submit to 淄博市生态环境局博山分局')
        do('Returned by 区住房和城乡建设局', {'What must be corrected': '施工图设计文件缺少消防专篇'},
           shot='case-return')
        screens.shot('case-paused')
        do('Resubmit to 区住房和城乡建设局')
        do('Approved by 淄博市生态环境局博山分局')
        do('Approved by 区住房和城乡建设局')
        screens.shot('case-approved')
        # One certificate from each approved step, handed over at once.
        do('Deliver', {'Certificate from 区住房和城乡建设局': '建筑工程施工许可证',
                       'Number of the certificate from 区住房和城乡建设局': '370304202611270101',
                       'Certificate from 淄博市生态环境局博山分局': '排污许可证',
                       'Number of the certificate from 淄博市生态环境局博山分局': '91370304MA3C4D5E6X001P'},
           choices=['All returned'], shot='case-deliver')
        atspi.find(window, name='Delivered', role=pyatspi.ROLE_LABEL)
        screens.shot('case-delivered')

        # Case 2: a person, one item, terminated.
        atspi.click(atspi.find(main_window, name='New Intake', role=pyatspi.ROLE_PUSH_BUTTON))
        window = intake
        atspi.click(atspi.find(window, name='Person', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.set_text(atspi.entry(window, 'Name'), '李秀英')
        atspi.set_text(atspi.entry(window, 'Resident ID number'), id_number('37030419600101002'))
        atspi.set_text(atspi.entry(window, 'Phone'), '0533-4151890')
        atspi.set_text(atspi.entry(window, 'Address'), '博山区域城镇域城村 12 号')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        add_item(window, '食品经营许可')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        # Each step shown before the next click: one Next button serves every step.
        atspi.find(window, name='Material Checklist')
        atspi.click(atspi.find(window, name='Next', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.click(atspi.find(window, name='Accept and Create Case', role=pyatspi.ROLE_PUSH_BUTTON))
        window = case_page
        second = new_number(case_page, before + [number])
        more = atspi.find(window, name='More Actions')
        atspi.click(more)
        do('Terminate', {'Reason, as on the termination record': '申请人撤回申请'}, shot='case-terminate')
        atspi.find(window, name='Terminated', role=pyatspi.ROLE_LABEL)
        screens.shot('case-terminated')
    finally:
        screens.shot('last')
        atspi.stop_app(process, app_log, os.path.join(tmp, 'app.log'), LOG_DIR)

    # The store holds exactly that history.
    state, types, events = history(db, number)
    check(types == ['intake', 'materials_checked', 'agreement_signed', 'runner_assigned', 'plan_set',
                    'step_submitted', 'step_submitted', 'step_returned', 'step_resumed',
                    'step_approved', 'step_approved', 'delivered'],
          'case 1 history is {}'.format(types))
    check(state['status'] == 'delivered', 'case 1 is ' + state['status'])
    check(state['applicant']['kind'] == 'enterprise', 'case 1 applicant is not an enterprise')
    check(sorted(state['items']) == ['D-STHJ-003', 'D-ZJJ-001'], 'case 1 items: {}'.format(state['items']))
    check(len(state['steps']) == 2 and all(s['mode'] == 'parallel' for s in state['steps']),
          'case 1 steps are not two parallel ones: {}'.format(state['steps']))
    delivered = [e for e in events if e['type'] == 'delivered'][0]
    certificates = sorted((c['step'], c['name']) for c in delivered['payload']['certificates'])
    check(certificates == [('S1', '建筑工程施工许可证'), ('S2', '排污许可证')],
          'case 1 delivered {}'.format(certificates))
    returned = [e for e in events if e['type'] == 'step_returned'][0]
    check(returned['payload']['reason'] == '施工图设计文件缺少消防专篇', 'the return reason was not kept')

    state, types, _ = history(db, second)
    check(types == ['intake', 'materials_checked', 'terminated'], 'case 2 history is {}'.format(types))
    check(state['status'] == 'terminated', 'case 2 is ' + state['status'])
    check(len(case_numbers(db)) == len(before) + 2, 'more or fewer than two cases were added')
    shutil.rmtree(tmp, ignore_errors=True)
    print('ok: {} delivered, {} terminated; screenshots in {}'.format(number, second, LOG_DIR))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
# test-print.py: a clerk prints a case's agreement from the desk, in Chinese,
# through a CUPS of the test's own (tests/documents/cups-session.sh: cupsd on
# a socket, one cups-pdf queue). Checks what the queue produced and what the
# case recorded:
#  - Ctrl+P on the case page opens the desk's print dialog, with the queue
#    listed and 2 copies proposed (the agreement is 一式两份);
#  - the queue's output is the document itself: A4, its pages, the case
#    number readable, fonts embedded, its QR (zbarimg) the document's;
#  - the case records document_printed: the document, the printer, 2 copies
#    and the digest of the bytes printed, which is the digest of
#    `paotuanctl doc agreement` for the same case (one document, one set of
#    bytes, whichever client renders it).
#
# Run under: tests/gui-session.sh bash tests/documents/cups-session.sh \
#            /usr/bin/python3 test-print.py PAOTUAN
import glob
import hashlib
import json
import os
import shutil
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
QUEUE = os.environ['PT_CUPS_QUEUE']
OUT = os.environ['PT_CUPS_OUT']
LOG_DIR = os.path.join(os.environ.get('PT_TEST_LOG_DIR', '.'), 'app-print')








def header_names(window, number):
    return atspi.find_all(window, name=number, role=pyatspi.ROLE_LABEL,
                          prune=atspi.PRUNE | {'PtCasePage'})


def main():
    tmp = tempfile.mkdtemp(prefix='pt-print-')
    db = os.path.join(tmp, 'desk.db')
    ctl(db, 'init', '--demo', '--cases', '60')
    rows = json.loads(ctl(db, 'case', 'list', '--json', '--limit', '500'))
    case = next(r for r in rows if r['status'] == 'accepted')
    number = case['number']

    env = atspi.app_env(tmp, chinese=True)
    log_path = os.path.join(tmp, 'app.log')
    log = open(log_path, 'w')
    process = subprocess.Popen([PAOTUAN, '--db', db], env=env, stdout=log, stderr=subprocess.STDOUT)
    screens = atspi.Screens(LOG_DIR)
    try:
        app = atspi.find_app()
        window = atspi.wait_for('the main window', lambda: app.getChildAtIndex(0), 30)
        atspi.find(window, name='今日', timeout=30)

        key('ctrl+f')
        search = atspi.entry(atspi.page(window, 'PtCasesPage'), '搜索办件')
        atspi.wait_for('the case search to have the focus',
                       lambda: search.getState().contains(pyatspi.STATE_FOCUSED), 10)
        atspi.set_text(search, number)
        time.sleep(0.5)
        key('Return')
        atspi.wait_for('the case page of ' + number, lambda: header_names(window, number), 15)
        case_page = atspi.page(window, 'PtCasePage')
        atspi.click(atspi.find(case_page, name='委托代办协议', role=pyatspi.ROLE_PUSH_BUTTON))
        atspi.find(case_page, name='文书页面', timeout=30)
        time.sleep(0.5)
        screens.shot('agreement')

        # Ctrl+P, the focus wherever the click left it.
        key('ctrl+p')
        print_button = atspi.find(app, name='打印(P)', role=pyatspi.ROLE_PUSH_BUTTON, prune=set(), timeout=15)
        atspi.wait_for('the queue to be listed',
                       lambda: print_button.getState().contains(pyatspi.STATE_SENSITIVE), 15)
        copies = atspi.find(app, name='份数', role=pyatspi.ROLE_SPIN_BUTTON, prune=set())
        check(int(copies.queryValue().currentValue) == 2,
              'the dialog proposes {} copies of the agreement'.format(copies.queryValue().currentValue))
        screens.shot('print-dialog')
        atspi.click(print_button)

        # What the queue produced, and the confirmation on screen.
        pdfs = atspi.wait_for('the queue output', lambda: glob.glob(os.path.join(OUT, '*.pdf')), 60)
        toast = atspi.find(window, contains='打印 2 份', role=pyatspi.ROLE_LABEL, prune=set(), timeout=30)
        check('委托代办协议' in toast.name, 'the toast says ' + toast.name)
        atspi.find(case_page, name='已打印文书', role=pyatspi.ROLE_LABEL, timeout=15)
        screens.shot('printed')
    finally:
        screens.shot('last')
        atspi.stop_app(process, log, log_path, LOG_DIR)

    # The paper is the document.
    time.sleep(1)   # cups-pdf writes the file, then closes it
    printed = pdfs[0]
    info = subprocess.run(['pdfinfo', printed], capture_output=True, text=True, check=True).stdout
    check('595' in info and '842' in info, 'the printed page is not A4: ' + info)
    text = subprocess.run(['pdftotext', printed, '-'], capture_output=True, text=True, check=True).stdout
    check(number in text, 'the case number is not on the printed paper')
    fonts = subprocess.run(['pdffonts', printed], capture_output=True, text=True, check=True).stdout
    check(len(fonts.strip().splitlines()) > 2, 'no font in the printed paper: ' + fonts)

    # The QR on the paper is the document's: the same payload as the QR of
    # the command line's rendering, naming this case.
    def qr(pdf, stem):
        subprocess.run(['pdftoppm', '-r', '200', '-f', '1', '-l', '1', '-png', pdf, os.path.join(tmp, stem)],
                       check=True)
        png = sorted(glob.glob(os.path.join(tmp, stem + '*.png')))[0]
        out = subprocess.run(['zbarimg', '--raw', '-q', png], capture_output=True, text=True).stdout
        return next((line for line in out.splitlines() if line.startswith('PAOTUAN|')), None)

    # The log of the case, and the same bytes as the command line's.
    shown = json.loads(ctl(db, 'case', 'show', number, '--json'))
    printed_events = [e for e in shown['events'] if e['type'] == 'document_printed']
    check(len(printed_events) == 1, 'the case recorded {} prints'.format(len(printed_events)))
    payload = printed_events[0]['payload']
    check(payload['document'] == 'agreement' and payload['copies'] == 2 and payload['printer'] == QUEUE,
          'the print log says {}'.format(payload))
    cli_pdf = os.path.join(tmp, 'cli.pdf')
    ctl(db, 'doc', 'agreement', number, '-o', cli_pdf)
    with open(cli_pdf, 'rb') as f:
        cli_digest = hashlib.sha256(f.read()).hexdigest()
    check(payload['digest'] == cli_digest,
          'the desk printed {} where paotuanctl renders {}'.format(payload['digest'], cli_digest))
    def pages(pdf):
        out = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True, check=True).stdout
        return next(line.split()[-1] for line in out.splitlines() if line.startswith('Pages:'))
    check(pages(printed) == pages(cli_pdf), 'the paper has {} pages, the document {}'.format(
        pages(printed), pages(cli_pdf)))
    paper_qr, cli_qr = qr(printed, 'paper'), qr(cli_pdf, 'cli')
    check(paper_qr is not None and paper_qr.startswith('PAOTUAN|agreement|' + number + '|sha256:'),
          'the QR on the paper reads {!r}'.format(paper_qr))
    check(paper_qr == cli_qr, 'the QR on the paper {!r} is not the document\'s {!r}'.format(paper_qr, cli_qr))
    shutil.rmtree(tmp, ignore_errors=True)
    print('ok: {} printed through {}, recorded, the same bytes as paotuanctl doc'.format(number, QUEUE))


if __name__ == '__main__':
    main()

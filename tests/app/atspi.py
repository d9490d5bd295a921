# atspi.py: small helpers to drive the real application through AT-SPI.
# Runs with Debian's /usr/bin/python3 and python3-pyatspi.
import os
import sys
import subprocess
import time

import pyatspi


class Timeout(Exception):
    pass


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def ctl(db, *args):
    """paotuanctl (from $PAOTUANCTL) on the database db; its standard output."""
    return subprocess.run([os.environ['PAOTUANCTL'], *args, '--db', db], check=True,
                          capture_output=True, text=True).stdout


def key(*keys):
    """Presses keys on the X display, as a clerk would (xdotool)."""
    subprocess.run(['xdotool', 'key', '--clearmodifiers', *keys], check=True)


def app_env(draft_dir, chinese=False, **extra):
    """The environment the application runs in under a test: AT-SPI on, its
    own draft folder, preferences in memory; the clerk's Chinese if asked."""
    env = dict(os.environ)
    env.update({
        'GDK_BACKEND': 'x11',
        'GTK_A11Y': 'atspi',
        'NO_AT_BRIDGE': '0',
        'PT_DRAFT_DIR': draft_dir,
        'GSETTINGS_BACKEND': 'memory',
    })
    if chinese:
        env.update({'LANG': 'zh_CN.UTF-8', 'LANGUAGE': 'zh_CN', 'LC_ALL': 'zh_CN.UTF-8'})
    env.update(extra)
    env.pop('G_DEBUG', None)  # a warning inside GTK must not kill the run
    return env


def stop_app(process, log, log_path, log_dir):
    """Ends the application (SIGTERM, then SIGKILL after 10 s) and keeps its log."""
    import shutil
    import signal
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    shutil.copy(log_path, os.path.join(log_dir, 'app.log'))


def wait_for(what, func, timeout=15.0, interval=0.1):
    """Calls func until it returns something true; raises Timeout naming what."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = func()
        except Exception:  # the tree changes under us while GTK rebuilds rows
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Timeout('timed out waiting for ' + what)
        time.sleep(interval)


def find_app(name='paotuan', timeout=30.0):
    def look():
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name == name:
                return app
        return None
    return wait_for('the application on the accessibility bus', look, timeout)


# Pages that hold many rows and are never searched by the test.
PRUNE = {'PtTodayPage', 'PtRunnersPage', 'PtCatalogPage', 'PtCasesPage'}


def clean_name(node):
    """GTK 4.8 names a widget by its mnemonic label and its label ("_Record Record")
    or by its label twice ("Phone Phone"); this gives the plain label."""
    name = node.name or ''
    for i, c in enumerate(name):
        if c == ' ' and name[:i].replace('_', '') == name[i + 1:]:
            return name[i + 1:]
    return name


def walk(node, prune=PRUNE):
    """Yields the node and its visible descendants, skipping pruned pages."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        try:
            if current is not node and current.name in prune:
                continue
            children = [current.getChildAtIndex(i) for i in range(current.childCount)]
        except Exception:
            children = []
        yield current
        stack.extend(reversed(children))


def find_all(root, name=None, role=None, contains=None, match=None, prune=PRUNE, prefix=False):
    result = []
    for node in walk(root, prune):
        try:
            node_name = clean_name(node)
            # A row's title is appended to the name of the control it
            # activates: prefix=True accepts that.
            if name is not None and node_name != name and not (prefix and (node.name or '').startswith(name + ' ')):
                continue
            if contains is not None and contains not in node_name:
                continue
            if match is not None and not match(node_name):
                continue
            if role is not None and node.getRole() != role:
                continue
        except Exception:
            continue
        result.append(node)
    return result


def find(root, name=None, role=None, contains=None, match=None, timeout=15.0, prune=PRUNE):
    what = 'a {} named {!r}'.format(pyatspi.Role(role) if role is not None else 'node',
                                    name if name is not None else contains)
    try:
        return wait_for(what, lambda: (find_all(root, name, role, contains, match, prune) or [None])[0],
                        timeout)
    except Timeout:
        # Say what there was instead, so that a renamed control is found quickly.
        for node in walk(root, prune):
            try:
                if node.name:
                    sys.stderr.write('  {}: {!r}\n'.format(node.getRoleName(), node.name))
            except Exception:
                pass
        raise


def page(window, class_name):
    """The node of one of the window's pages (PtIntakePage, PtCasePage, ...)."""
    return find(window, name=class_name, prune=set())


def click(node, timeout=10.0):
    """Clicks node once it is sensitive: a click on a button that is not yet
    (a step still checking what was typed) would be lost."""
    wait_for('{!r} to be sensitive'.format(node.name),
             lambda: node.getState().contains(pyatspi.STATE_SENSITIVE), timeout)
    # A GtkMenuButton is a named wrapper around the button that acts.
    for inner in walk(node, prune=set()):
        try:
            if inner.queryAction().nActions > 0:
                node = inner
                break
        except NotImplementedError:
            continue
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'press', 'activate', 'toggle'):
            action.doAction(i)
            return
    action.doAction(0)


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def entry(root, label, timeout=15.0):
    """The editable text whose accessible name is label."""
    def look():
        for node in find_all(root, name=label):
            if not node.getState().contains(pyatspi.STATE_EDITABLE):
                continue
            try:
                node.queryEditableText()
                return node
            except NotImplementedError:
                for child in walk(node):
                    try:
                        child.queryEditableText()
                        return child
                    except NotImplementedError:
                        pass
        return None
    return wait_for('a text field named ' + repr(label), look, timeout)


class Screens:
    """Saves a screenshot of every screen the test passes."""

    def __init__(self, folder):
        self.folder = folder
        self.n = 0
        os.makedirs(folder, exist_ok=True)

    def shot(self, name):
        self.n += 1
        time.sleep(0.4)  # let the frame be drawn
        path = os.path.join(self.folder, '{:02d}-{}.png'.format(self.n, name))
        subprocess.run(['import', '-window', 'root', path], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path

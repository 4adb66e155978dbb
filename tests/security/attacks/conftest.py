"""The attack scripts: one production gunicorn server (DEBUG off, SQLite, file cache) for
the whole session, attacked over loopback HTTP the way the penetration test did.

Selected with `pytest -m attack tests/security/attacks` (.ci/run does); skipped otherwise,
like the scale tests. A failing test shows the tail of the server's log."""

import os
import tempfile
from pathlib import Path

import pytest

from tests.security.attacks.harness import AttackServer, Visitor
from tests.security.attacks.world import PASSWORD, STAFF, STUDENT

DIR_ENV = "TC_ATTACK_DIR"  # optional: where the server lives (.ci/run's exit trap stops it)
_servers = []


def pytest_collection_modifyitems(config, items):
    """The attacks start a real server and flood it (a couple of minutes): they run when
    selected with `-m attack`, and are skipped with that reason otherwise."""
    if "attack" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(
        reason="replays the penetration test against a gunicorn server: run `pytest -m attack`"
    )
    for item in items:
        if item.get_closest_marker("attack"):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("attack"):
        for server in _servers:
            report.sections.append((f"gunicorn log tail ({server.log})", server.log_tail()))


@pytest.fixture(scope="session")
def attack_base(tmp_path_factory):
    if os.environ.get(DIR_ENV):
        return Path(tempfile.mkdtemp(prefix="attacks.", dir=os.environ[DIR_ENV]))
    return tmp_path_factory.mktemp("attacks")


@pytest.fixture(scope="session")
def server(attack_base):
    server = AttackServer(attack_base)
    _servers.append(server)
    try:
        server.prepare()
        server.start()
        yield server
    finally:
        server.stop()
        _servers.remove(server)


@pytest.fixture(scope="session")
def world(server):
    return server.world


@pytest.fixture
def visitor(server):
    return Visitor(server)


@pytest.fixture(scope="session")
def student(server):
    """The student, logged in once through the login form."""
    return Visitor(server).logged_in(STUDENT, PASSWORD)


@pytest.fixture
def staff(server):
    return Visitor(server).logged_in(STAFF, PASSWORD)

import os
import shutil
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import caches

# Playwright's sync API runs an event loop in the test thread; the Django ORM
# calls made by the same tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SYSTEM_CHROMIUM = "/usr/bin/chromium"

# --- The suite on another day ----------------------------------------------------
# TC_TEST_NOW runs the whole suite as if it were another moment, to prove that no test
# depends on the day it runs: `TC_TEST_NOW=2028-02-29T23:30 make test`. The value is ISO
# 8601, read in the school's time zone (America/Chicago) unless it carries an offset; a
# bare date means 23:30 that day, when the date in Texas and in UTC differ. The clock keeps
# ticking from there (time-machine moves every clock of this process, threads included).
SCHOOL_TZ = ZoneInfo("America/Chicago")


def _suite_now(value):
    try:
        moment = datetime.combine(date.fromisoformat(value), time(23, 30))
    except ValueError:
        moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=SCHOOL_TZ)


if os.environ.get("TC_TEST_NOW"):
    SUITE_NOW = _suite_now(os.environ["TC_TEST_NOW"])
    time_machine.travel(SUITE_NOW, tick=True).start()


def pytest_report_header(config):
    if os.environ.get("TC_TEST_NOW"):
        return f"clock: TC_TEST_NOW={os.environ['TC_TEST_NOW']} ({SUITE_NOW.isoformat()})"
    return None


@pytest.fixture(scope="session", autouse=True)
def _translations():
    """The .mo files are built from locale/*.po (make install does it too): never stale."""
    from trainingcenter.translations import compile_catalogs

    compile_catalogs()


@pytest.fixture(scope="session", autouse=True)
def _css_bundles():
    """The stylesheet bundles are built from assets/ (make install does it too): never stale."""
    from trainingcenter.css_bundles import build_bundles

    build_bundles()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English: a request to /es/ leaves Spanish active in the
    thread, and reverse() would then build Spanish URLs for the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and page caches live in the caches: start every test clean."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def password():
    return "correct-Horse-battery-9"


@pytest.fixture
def make_user(db, password):
    counter = {"n": 0}

    def make(email=None, *, verified=True, **fields):
        counter["n"] += 1
        email = email or f"user{counter['n']}@example.com"
        from accounts.models import User

        user = User.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def student(make_user):
    return make_user("student@example.com", first_name="Sam", last_name="Student")


@pytest.fixture
def other_student(make_user):
    return make_user("other@example.com", first_name="Olive", last_name="Other")


@pytest.fixture
def staff_user(make_user):
    return make_user(
        "staff@example.com", first_name="Stacy", last_name="Staff", is_staff=True, is_superuser=True
    )


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- Browser tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = dict(browser_type_launch_args)
    if Path(SYSTEM_CHROMIUM).exists():
        args["executable_path"] = SYSTEM_CHROMIUM
    args["args"] = [
        *args.get("args", []),
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    return args


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def shoot(artifacts_dir, request):
    """Save a full-page screenshot under test-artifacts/<test name>/."""
    folder = artifacts_dir / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    def take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo(db):
    """The whole demo content, demo accounts included, as `make run` loads it."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--with-accounts", stdout=StringIO())


@pytest.fixture
def spanish_client(client, monkeypatch):
    """``client``, asking for every page at its Spanish URL (/es/...), as a reader who
    chose Español does; Spanish is also active in the test itself (reverse, dates)."""
    from django.utils import translation

    from programs.languages import language_url

    for method in ("get", "post", "head"):
        original = getattr(client, method)

        def in_spanish(path, *args, _original=original, **kwargs):
            if not path.startswith("/es/"):
                path = language_url(path, "es")
            return _original(path, *args, **kwargs)

        monkeypatch.setattr(client, method, in_spanish)
    with translation.override("es"):
        yield client

"""Two app nodes behind one (imaginary) load balancer share PostgreSQL, Redis and object
storage: a visitor can land on either node for any request and nothing changes for them.

Starts a throwaway PostgreSQL cluster, a Redis server, a local S3-compatible server and two
gunicorn nodes with the production settings, all on loopback; everything stops at the end.
Run with `pytest -m scale` (.ci/run does)."""

import contextlib
import html
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from http import HTTPStatus

import boto3
import pytest
from django.conf import settings
from moto.server import ThreadedMotoServer

from accounts.demo import DEMO_GRADUATE_EMAIL, DEMO_STAFF_EMAIL, DEMO_STUDENT_EMAIL, MA_PROGRAM
from tests.scale import cluster
from tests.scale.browser import Browser, read_form, with_values

pytestmark = pytest.mark.scale

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
WRONG_LOGIN = "not correct"
TOO_MANY_FAILURES = "Too many failed login attempts"


def _skip_or_fail_without_servers():
    missing = cluster.missing_servers()
    if missing:
        reason = (
            f"not installed: {', '.join(missing)}; "
            "`apt-get install -y postgresql redis-server` (.ci/run installs them)"
        )
        if os.environ.get(cluster.REQUIRED_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _start_object_storage(stack):
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    stack.callback(s3.stop)
    url = "http://{}:{}".format(*s3.get_host_and_port())
    keys = {"AWS_ACCESS_KEY_ID": "scale-test", "AWS_SECRET_ACCESS_KEY": "scale-test-secret"}
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )
    for bucket in ("tc-media", "tc-private"):
        client.create_bucket(Bucket=bucket)
    return url, {
        **keys,
        "DJANGO_MEDIA_STORAGE": "s3",
        "DJANGO_S3_BUCKET": "tc-media",
        "DJANGO_S3_PRIVATE_BUCKET": "tc-private",
        "DJANGO_S3_ENDPOINT_URL": url,
        "DJANGO_S3_REGION": "us-east-1",
    }


def _release(env, passwords):
    """The release steps, once for all nodes; returns the demo program's pk, title, URL."""
    cluster.manage(env, "migrate", "--noinput", "-v0")
    cluster.manage(env, "collectstatic", "--noinput", "-v0")
    cluster.manage(env, "load_demo", "--with-accounts")
    script = (
        "import json\n"
        "from accounts.models import User\n"
        "from programs.models import Program\n"
        f"for email, password in {passwords!r}.items():\n"
        "    user = User.objects.get(email=email)\n"
        "    user.set_password(password)\n"
        "    user.save()\n"
        f"p = Program.objects.get(slug={MA_PROGRAM!r})\n"
        "print(json.dumps({'pk': p.pk, 'title': p.title, 'url': p.get_absolute_url()}))\n"
    )
    return json.loads(cluster.manage(env, "shell", "-c", script).stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def nodes():
    """{"a": Node, "b": Node, "passwords": {...}, "program": {...}, "media": url}.

    Every server is stopped on the way out, in reverse order, even when a start fails."""
    _skip_or_fail_without_servers()
    with contextlib.ExitStack() as stack:
        # .ci/run passes a folder of its own so that its exit trap can stop what is left.
        base = tempfile.mkdtemp(prefix="tc-scale-", dir=os.environ.get(cluster.DIR_ENV) or None)
        stack.callback(shutil.rmtree, base, ignore_errors=True)
        postgres = cluster.PostgresServer(base)
        stack.callback(postgres.stop)
        postgres.start()
        redis = cluster.RedisServer(base)
        stack.callback(redis.stop)
        redis.start()
        media_url, media_env = _start_object_storage(stack)
        env = cluster.production_env(
            base,
            DATABASE_URL=postgres.url,
            REDIS_URL=redis.url,
            DJANGO_STAFF_REQUIRE_MFA="0",  # the staff account here has no authenticator app
            DJANGO_TRUSTED_PROXY_COUNT="1",  # the tests play the load balancer (X-Forwarded-For)
            **media_env,
        )
        passwords = {
            email: secrets.token_urlsafe(16) for email in (DEMO_STUDENT_EMAIL, DEMO_STAFF_EMAIL)
        }
        program = _release(env, passwords)
        started = {}
        for name in ("a", "b"):
            node = cluster.Node(base, name, env)
            stack.callback(node.stop)
            node.start()
            started[name] = node
        for node in started.values():
            node.wait_ready()
        yield {**started, "passwords": passwords, "program": program, "media": media_url}


def log_in(browser, node, email, password):
    """Fill in the allauth login form served by ``node`` and post it back to it."""
    page = browser.get(node.url + LOGIN)
    assert page.status == HTTPStatus.OK
    _, fields = read_form(page.text, LOGIN)
    assert any(name == "csrfmiddlewaretoken" for name, _ in fields)
    return browser.post(
        node.url + LOGIN, with_values(fields, login=email, password=password), follow=False
    )


def rate(action):
    """(count, seconds) of the first rate configured for an allauth action."""
    amount, period = settings.ACCOUNT_RATE_LIMITS[action].split(",")[0].split("/")[:2]
    seconds = {"s": 1, "m": 60, "h": 3600}.get(period[-1], 1) * int(period[:-1] or 1)
    return int(amount), seconds


def test_a_student_logs_in_on_node_a_and_carries_on_on_node_b(nodes):
    a, b = nodes["a"], nodes["b"]
    browser = Browser(forwarded_for="127.0.0.21")
    response = log_in(browser, a, DEMO_STUDENT_EMAIL, nodes["passwords"][DEMO_STUDENT_EMAIL])
    assert response.status == HTTPStatus.FOUND, response.text
    assert response.headers["Location"] == "/portal/"

    # Same session on the other node: sessions live in PostgreSQL with Redis in front.
    dashboard = browser.get(b.url + "/portal/", follow=False)
    assert dashboard.status == HTTPStatus.OK
    assert "Maria" in dashboard.text
    assert "private" in dashboard.headers["Cache-Control"]
    path = re.search(r'href="(/portal/paths/\d+/)"', dashboard.text).group(1)
    assert browser.get(a.url + path, follow=False).status == HTTPStatus.OK
    assert browser.get(b.url + path, follow=False).status == HTTPStatus.OK

    # A form from node B (its CSRF token) logs out on node B, and node A knows at once.
    page = browser.get(b.url + LOGOUT)
    _, fields = read_form(page.text, LOGOUT)
    assert browser.post(b.url + LOGOUT, fields, follow=False).status == HTTPStatus.FOUND
    after = browser.get(a.url + "/portal/", follow=False)
    assert after.status == HTTPStatus.FOUND
    assert after.headers["Location"].startswith(LOGIN)


def test_failed_logins_for_one_account_count_across_both_nodes(nodes):
    limit, _ = rate("login_failed")  # per visitor address: 10 a minute
    per_account = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    assert per_account < limit
    pages = []
    # An attacker alternating nodes and addresses still hits the per-account limit.
    for attempt in range(per_account + 1):
        node = nodes["a"] if attempt % 2 == 0 else nodes["b"]
        browser = Browser(forwarded_for=f"127.0.1.{attempt + 1}")
        response = log_in(browser, node, DEMO_GRADUATE_EMAIL, f"wrong-{attempt}")
        assert response.status == HTTPStatus.OK
        pages.append(response.text)
    assert all(WRONG_LOGIN in page for page in pages[:per_account])
    assert all(TOO_MANY_FAILURES not in page for page in pages[:per_account])
    assert TOO_MANY_FAILURES in pages[per_account]


def test_login_posts_from_one_visitor_hit_429_at_the_limit_on_either_node(nodes):
    limit, seconds = rate("login")
    browser = Browser(forwarded_for="127.0.0.24")
    page = browser.get(nodes["a"].url + LOGIN)
    _, fields = read_form(page.text, LOGIN)
    statuses = []
    for attempt in range(limit + 2):
        node = nodes["a"] if attempt % 2 == 0 else nodes["b"]
        data = with_values(fields, login=f"nobody{attempt}@example.com", password="wrong")
        statuses.append(browser.post(node.url + LOGIN, data, follow=False).status)
    assert statuses[:limit] == [HTTPStatus.OK] * limit, statuses
    assert statuses[limit:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2  # on node A and node B
    assert seconds >= 60  # the whole loop ran well inside one window

    # The limit is this visitor's, not the load balancer's: someone else can still log in.
    other = Browser(forwarded_for="127.0.0.25")
    response = log_in(other, nodes["b"], DEMO_STUDENT_EMAIL, nodes["passwords"][DEMO_STUDENT_EMAIL])
    assert response.status == HTTPStatus.FOUND


def test_an_admin_edit_on_node_a_shows_at_once_on_node_b(nodes):
    a, b = nodes["a"], nodes["b"]
    program = nodes["program"]
    visitor = Browser(forwarded_for="127.0.0.26")
    for node in (a, b):
        first = visitor.get(node.url + "/programs/")
        assert program["title"] in html.unescape(first.text)
    cached = visitor.get(b.url + "/programs/")
    assert cached.headers["X-Page-Cache"] == "hit"

    staff = Browser(forwarded_for="127.0.0.22")
    assert (
        log_in(staff, a, DEMO_STAFF_EMAIL, nodes["passwords"][DEMO_STAFF_EMAIL]).status
        == HTTPStatus.FOUND
    )
    change_url = f"{a.url}/admin/programs/program/{program['pk']}/change/"
    form = staff.get(change_url)
    assert form.status == HTTPStatus.OK
    _, fields = read_form(form.text, "program_form")
    new_title = f"{program['title']} (evening cohort {secrets.token_hex(3)})"
    # The English title is the one visitors on the English pages read (title_es is its
    # Spanish side in the same form).
    assert "title_en" in dict(fields)
    saved = staff.post(change_url, with_values(fields, title_en=new_title), follow=False)
    assert saved.status == HTTPStatus.FOUND, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', saved.text
    )

    # Node B renders afresh on the very next request: the content version lives in Redis.
    index = visitor.get(b.url + "/programs/")
    assert index.headers["X-Page-Cache"] == "miss"
    assert new_title in html.unescape(index.text)
    assert program["title"] + "<" not in index.text
    detail = visitor.get(b.url + program["url"])
    assert detail.status == HTTPStatus.OK
    assert new_title in html.unescape(detail.text)
    assert visitor.get(b.url + "/programs/").headers["X-Page-Cache"] == "hit"


def test_uploaded_images_come_from_shared_object_storage(nodes):
    page = Browser().get(nodes["b"].url + nodes["program"]["url"])
    media = nodes["media"]
    images = re.findall(rf'src="({re.escape(media)}/tc-media/renditions/[^"]+\.jpg)"', page.text)
    assert images, "the program page shows its image from the bucket"
    assert media in page.headers["Content-Security-Policy"]
    image = Browser().get(images[0])
    assert image.status == HTTPStatus.OK
    assert image.body.startswith(b"\xff\xd8")  # a JPEG


def access_log(node):
    return [
        json.loads(line)
        for line in node.log.read_text().splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]


def test_access_log_is_one_json_object_per_request(nodes):
    node = nodes["a"]
    agent = 'Probe "quoted" agent/1.0'
    Browser().get(node.url + "/healthz", headers={"User-Agent": agent})
    deadline = time.monotonic() + 10  # the line is written just after the response
    while not (probe := [e for e in access_log(node) if e["agent"] == agent]):
        assert time.monotonic() < deadline, node.log_tail()
        time.sleep(0.1)
    assert probe[-1]["path"] == "/healthz"
    assert probe[-1]["status"] == HTTPStatus.OK
    assert probe[-1]["remote"] == "127.0.0.1"
    assert "Control socket listening" not in node.log.read_text()  # nodes share no socket

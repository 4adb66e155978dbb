"""Finding 8: the body size was only checked once Django read the body: an anonymous
200 MB POST tied up a worker, and a 50 MB upload was read to the end before being
refused. Fixed: a middleware answers 413 (with the site's page) from Content-Length,
before the body is read: about 12 MB on upload URLs, 1 MB elsewhere.

Only the headers and at most 2 MB are sent: the answer must come without the rest."""

import pytest

from tests.security.attacks.harness import oversized_request

pytestmark = pytest.mark.attack

MB = 1024 * 1024
QUICK = 5  # seconds


def test_an_anonymous_200_mb_post_is_refused_at_once(server):
    status, seconds, sent = oversized_request(
        server,
        "POST",
        "/request-info/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        declared=200 * MB,
        send_at_most=2 * MB,
    )
    assert (status, seconds < QUICK) == (413, True), (
        f"200 MB announced, {sent} bytes sent: answer {status} after {seconds:.1f} s"
    )


def test_a_50_mb_evidence_upload_is_refused_before_the_body_is_read(server, student, world):
    step = world["evidence_step"]
    boundary = "attackboundary7MA4YWxk"
    prefix = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="step-{step}-file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    cookies = "; ".join(f"{name}={value}" for name, value in student.session.cookies.items())
    token = student.csrf_token(f"/portal/paths/{world['path']}/")
    status, seconds, sent = oversized_request(
        server,
        "POST",
        f"/portal/steps/{step}/evidence/",
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": cookies,
            "X-CSRFToken": token,
        },
        declared=50 * MB,
        send_at_most=2 * MB,
        body_prefix=prefix,
    )
    assert (status, seconds < QUICK) == (413, True), (
        f"50 MB upload announced, {sent} bytes sent: answer {status} after {seconds:.1f} s"
    )

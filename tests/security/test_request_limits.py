"""Request bodies over the limit are answered 413 with the site's page before they are
read: 12 MB on the upload URLs, 1 MB everywhere else, with or without a Content-Length."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Evidence
from accounts.views import StepActionView
from programs.models import Inquiry
from tests.security.conftest import step

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class EndlessBody:
    """A chunked upload that never ends; counts what the server read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


class ChunkedBody:
    """A body of a known size sent without a Content-Length."""

    def __init__(self, data):
        self.data = data
        self.position = 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


@pytest.fixture
def view_calls(monkeypatch):
    calls = []
    original = StepActionView.post

    def spy(self, request, pk):
        calls.append(pk)
        return original(self, request, pk)

    monkeypatch.setattr(StepActionView, "post", spy)
    return calls


def assert_site_413(response):
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    html = response.content.decode()
    assert "Error 413" in html
    assert "larger than 12 MB" in html or "larger than 1 MB" in html
    assert 'class="navbar' in html or "<nav" in html  # the site's layout, not a bare page


def test_a_13_mb_upload_is_refused_before_the_view_runs(student_client, path, view_calls):
    target = step(path, "CPR card")
    url = reverse("portal:step_evidence", kwargs={"pk": target.pk})
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (13 * MB))
    response = student_client.post(url, {f"step-{target.pk}-file": big})
    assert_site_413(response)
    assert "larger than 12 MB" in response.content.decode()
    assert view_calls == []
    assert Evidence.objects.count() == 0


def test_an_upload_within_the_limit_still_reaches_the_form(student_client, path, view_calls):
    """11 MB is under the request limit: the form itself explains its 10 MB file limit."""
    target = step(path, "CPR card")
    url = reverse("portal:step_evidence", kwargs={"pk": target.pk})
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB))
    response = student_client.post(url, {f"step-{target.pk}-file": big})
    assert response.status_code == HTTPStatus.OK
    assert "the limit is 10 MB" in response.content.decode()
    assert view_calls == [target.pk]


def test_a_2_mb_post_elsewhere_is_413_not_a_csrf_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("programs:request_info"),
        {"message": "x" * (2 * MB), "email": "a@example.com"},
    )
    assert_site_413(response)
    assert "larger than 1 MB" in response.content.decode()
    assert Inquiry.objects.count() == 0


def test_a_small_post_without_a_token_is_still_refused_by_csrf():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("programs:request_info"), {"email": "a@example.com"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_chunked_body_without_a_length_is_stopped_at_the_limit(student_client, path, view_calls):
    target = step(path, "CPR card")
    body = EndlessBody()
    response = student_client.generic(
        "POST",
        reverse("portal:step_evidence", kwargs={"pk": target.pk}),
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        **{"wsgi.input": body, "CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert_site_413(response)
    assert body.read_bytes <= 12 * MB + 64 * 1024
    assert view_calls == []


def test_a_chunked_body_within_the_limit_is_read_normally():
    client = Client(enforce_csrf_checks=True)
    body = ChunkedBody(b"email=a%40example.com")
    response = client.generic(
        "POST",
        reverse("programs:request_info"),
        b"",
        content_type="application/x-www-form-urlencoded",
        **{"wsgi.input": body, "CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    # Read and parsed: it gets as far as the CSRF check (no token), not a 413.
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body.position == len(body.data)


def test_staff_image_uploads_in_the_admin_get_the_upload_limit(staff_client):
    response = staff_client.post(reverse("admin:programs_program_add"), {"name": "x" * (2 * MB)})
    assert response.status_code != HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    response = staff_client.post(reverse("admin:programs_program_add"), {"name": "x" * (13 * MB)})
    assert_site_413(response)

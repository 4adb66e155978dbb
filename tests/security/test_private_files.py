"""Student files are never reachable without the right session, whatever the URL.

Evidence, CE proofs and profile photos live under settings.PRIVATE_MEDIA_ROOT (not
MEDIA_ROOT) and are served only by permission-checked views."""

import os
import stat
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Enrollment, StudentProfile
from tests.accounts import files

pytestmark = pytest.mark.django_db


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def photo(student_client, student):
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": "Sam", "last_name": "Student", "new_photo": files.png("me.png")},
    )
    assert response.status_code == HTTPStatus.FOUND
    return StudentProfile.objects.get(user=student).photo


def private_files(records, photo):
    """(download URL, stored file) for each kind of student file."""
    return [
        (records["evidence"].get_absolute_url(), records["evidence"].file),
        (records["activity"].get_proof_url(), records["activity"].proof),
        (reverse("portal:profile_photo"), photo),
    ]


def test_files_live_in_private_storage_outside_media_root(records, photo, settings):
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for _url, stored in private_files(records, photo):
        location = Path(stored.path).resolve()
        assert location.is_relative_to(private_root), location
        assert not location.is_relative_to(media_root), location
        with pytest.raises(ValueError, match="no URL"):
            stored.url  # noqa: B018  (private storage refuses to make a public URL)


def test_owner_gets_each_file(student_client, records, photo):
    for url, stored in private_files(records, photo):
        response = student_client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        with stored.open("rb") as fh:
            assert body(response) == fh.read(), url


def test_anonymous_visitors_are_sent_to_log_in_and_get_no_bytes(records, photo):
    client = Client()
    for url, _stored in private_files(records, photo):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response.url.startswith(reverse("account_login")), url


def test_another_student_gets_404_for_every_file(client, other_student, records, photo):
    client.force_login(other_student)
    for url, _stored in private_files(records, photo):
        if url == reverse("portal:profile_photo"):
            continue  # this URL shows the visitor's own photo, checked below
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    # The photo URL names nobody: another student gets their own (none), never mine.
    assert client.get(reverse("portal:profile_photo")).status_code == HTTPStatus.NOT_FOUND


def test_withdrawn_owner_keeps_access_to_their_files(student_client, records, photo):
    Enrollment.objects.update(status=Enrollment.Status.WITHDRAWN)
    for url, _stored in private_files(records, photo):
        assert student_client.get(url).status_code == HTTPStatus.OK, url


def test_deactivated_owner_loses_access(student_client, student, records, photo):
    student.is_active = False
    student.save(update_fields=["is_active"])
    for url, _stored in private_files(records, photo):
        response = student_client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url  # the session no longer counts


def guessed_urls(name):
    return [
        f"/media/{name}",
        f"/media/private/{name}",
        f"/private/{name}",
        f"/media/../private/{name}",
        f"/media/%2e%2e/private/{name}",
        f"/media/..%2fprivate/{name}",
        f"/media/..%5cprivate/{name}",
        f"/media/%252e%252e/private/{name}",
        f"/media//{name}",
        f"/static/../private/{name}",
        f"/static/%2e%2e/private/{name}",
        f"/portal/../private/{name}",
        "/media/../trainingcenter/settings.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media//etc/passwd",
    ]


@pytest.mark.parametrize("logged_in", [False, True])
def test_guessed_paths_from_storage_names_reach_nothing(client, student, records, photo, logged_in):
    if logged_in:
        client.force_login(student)
    for _url, stored in private_files(records, photo):
        with stored.open("rb") as fh:
            secret = fh.read()
        for url in guessed_urls(stored.name):
            response = client.get(url)
            assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST), url
            assert secret not in body(response), url


def test_public_media_is_served_and_still_cannot_escape_its_folder(client, settings):
    """The control: /media/ does serve MEDIA_ROOT, so the refusals above are real."""
    (settings.MEDIA_ROOT / "campuses").mkdir(parents=True)
    (settings.MEDIA_ROOT / "campuses" / "front.jpg").write_bytes(b"public bytes")
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.PRIVATE_MEDIA_ROOT / "secret.txt").write_bytes(b"private bytes")
    assert body(client.get("/media/campuses/front.jpg")) == b"public bytes"
    for url in ("/media/../private/secret.txt", "/media/%2e%2e/private/secret.txt"):
        response = client.get(url)
        assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST), url
        assert b"private bytes" not in body(response)


@pytest.fixture
def usual_umask():
    """The umask most servers run with (files 0644, folders 0755 unless asked)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_stored_files_are_private_to_the_app_account(usual_umask, records, photo, settings):
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for _url, stored in private_files(records, photo):
        location = Path(stored.path).resolve()
        assert stat.S_IMODE(location.stat().st_mode) == 0o600, location
        folder = location.parent
        while folder.is_relative_to(private_root):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
            if folder == private_root:
                break
            folder = folder.parent

"""Per-student upload budgets (allauth's limiter, ACCOUNT_RATE_LIMITS "upload" and
"photo"): past the budget an upload is refused with 429 and a message the student can
read, before the file is checked or decoded, and nothing is stored."""

from datetime import date
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services, uploads
from accounts.models import CEActivity, Evidence, StudentProfile
from tests.accounts import files
from tests.security.conftest import step

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch):
    """How many uploads reached the file checks."""
    calls = []
    for name in ("validate_evidence", "validate_photo"):
        original = getattr(uploads, name)

        def spy(upload, _original=original):
            calls.append(upload.name)
            return _original(upload)

        monkeypatch.setattr(uploads, name, spy)
    return calls


def post_photo(client):
    return client.post(
        reverse("portal:profile"),
        {
            "first_name": "Sam",
            "last_name": "Student",
            "new_photo": SimpleUploadedFile("me.png", files.image_bytes("PNG")),
        },
    )


def test_photo_replacements_are_limited_per_student(student_client, student, checks):
    for _ in range(5):
        assert post_photo(student_client).status_code == HTTPStatus.FOUND
    photo = StudentProfile.objects.get(user=student).photo.name
    response = post_photo(student_client)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "changed your photo several times in the last hour" in response.content.decode()
    assert len(checks) == 5  # the sixth file was never opened
    assert StudentProfile.objects.get(user=student).photo.name == photo


def test_a_profile_edit_without_a_photo_is_not_counted(student_client, student):
    services.profile_ensure(user=student)
    for _ in range(8):
        response = student_client.post(
            reverse("portal:profile"), {"first_name": "Sam", "last_name": "Student"}
        )
        assert response.status_code == HTTPStatus.FOUND


def test_evidence_uploads_are_limited_per_student(student_client, path, settings, checks):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": "3/h/user"}
    target = step(path, "CPR card")
    url = reverse("portal:step_evidence", kwargs={"pk": target.pk})
    field = f"step-{target.pk}-file"
    for n in range(3):
        response = student_client.post(url, {field: files.pdf(f"card-{n}.pdf")})
        assert response.status_code == HTTPStatus.FOUND
    response = student_client.post(url, {field: files.pdf("card-4.pdf")})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "uploaded many files in the last hour" in response.content.decode()
    assert Evidence.objects.count() == 3
    assert len(checks) == 3


def test_the_limit_is_per_student(client, path, student, other_student, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "photo": "1/h/user"}
    client.force_login(student)
    assert post_photo(client).status_code == HTTPStatus.FOUND
    assert post_photo(client).status_code == HTTPStatus.TOO_MANY_REQUESTS
    client.force_login(other_student)
    assert post_photo(client).status_code == HTTPStatus.FOUND


def test_ce_proofs_count_against_the_upload_budget(student_client, path, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": "1/h/user"}
    credential = services.credential_record(path=path, issued_on=date(2025, 1, 5))
    prefix = f"ce-{credential.pk}-"

    def post(n):
        return student_client.post(
            reverse("portal:ce_add", kwargs={"pk": credential.pk}),
            {
                prefix + "title": f"Update {n}",
                prefix + "provider": "AAMA",
                prefix + "category": "clinical",
                prefix + "credits": "1",
                prefix + "completed_on": "2025-06-01",
                prefix + "proof": files.png(f"proof-{n}.png"),
            },
        )

    assert post(1).status_code == HTTPStatus.FOUND
    response = post(2)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "uploaded many files in the last hour" in response.content.decode()
    assert CEActivity.objects.count() == 1

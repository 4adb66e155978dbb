"""The path page forms: good input saves and redirects; bad input explains and saves nothing."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Evidence, PathStep
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def post(client, name, s, data):
    return client.post(reverse(f"portal:{name}", kwargs={"pk": s.pk}), data)


def test_update_count_redirects_to_the_step_with_a_message(student_client, path):
    hours = step(path, "Externship hours")
    response = post(student_client, "step_count", hours, {f"step-{hours.pk}-count": "112"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{path.get_absolute_url()}#step-{hours.pk}"
    assert step(path, "Externship hours").count == 112
    page = student_client.get(response.url).content.decode()
    assert "112 / 160 hours" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required."),
        ("abc", "Enter a whole number, like 112."),
        ("-5", "Enter 0 or more."),
        ("1e9", "Enter a whole number, like 112."),
        ("999999999", "Enter 100,000 or less."),
        ("١٢", None),  # Arabic-Indic digits: accepted by Django as 12 or refused, never a 500
    ],
)
def test_bad_counts_explain_and_save_nothing(student_client, path, value, message):
    hours = step(path, "Externship hours")
    response = post(student_client, "step_count", hours, {f"step-{hours.pk}-count": value})
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if message:
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert message in html
        assert f'id="id_step-{hours.pk}-count"' in html
        assert 'aria-invalid="true"' in html or "is-invalid" in html
        assert step(path, "Externship hours").count == 0


def test_set_and_clear_the_exam_date(student_client, path):
    exam = step(path, "Exam date")
    day = timezone.localdate() + timedelta(days=30)
    response = post(
        student_client, "step_date", exam, {f"step-{exam.pk}-date_value": day.isoformat()}
    )
    assert response.status_code == HTTPStatus.FOUND
    exam = step(path, "Exam date")
    assert exam.date_value == day
    assert exam.status == PathStep.Status.VERIFIED
    path.refresh_from_db()
    assert path.status == "exam_scheduled"
    response = post(student_client, "step_date", exam, {"clear": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert step(path, "Exam date").date_value is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a date", "Enter a date, like 2026-05-14."),
        ("2099-01-01", "Enter a date between"),
        ("", "required"),
    ],
)
def test_bad_dates_explain_and_save_nothing(student_client, path, value, message):
    exam = step(path, "Exam date")
    response = post(student_client, "step_date", exam, {f"step-{exam.pk}-date_value": value})
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert step(path, "Exam date").date_value is None


def test_upload_evidence_submits_the_step(student_client, path):
    cpr = step(path, "CPR card")
    response = post(
        student_client, "step_evidence", cpr, {f"step-{cpr.pk}-file": files.jpeg_with_gps()}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert step(path, "CPR card").status == PathStep.Status.SUBMITTED
    page = student_client.get(path.get_absolute_url()).content.decode()
    assert "Submitted for review" in page
    assert "card.jpg" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Choose a file to upload."),
        (files.upload("card.png", b"PK\x03\x04zip"), "its content is not one"),
        (files.upload("score.pdf", b"GIF89a not a pdf"), "named like a PDF"),
        (files.big_file(), "the limit is 10 MB"),
        (files.png_bomb(), "pixels"),
        (files.upload("evil.html", b"<script>alert(1)</script>"), "not a file type we accept"),
    ],
)
def test_bad_uploads_are_refused_on_the_page(student_client, path, settings, upload, message):
    cpr = step(path, "CPR card")
    data = {f"step-{cpr.pk}-file": upload} if upload else {}
    response = post(student_client, "step_evidence", cpr, data)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert message in html
    assert f"step-{cpr.pk}-file" in html
    assert Evidence.objects.count() == 0
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    assert step(path, "CPR card").status == PathStep.Status.TODO


def test_mark_done_where_allowed_and_refused_elsewhere(student_client, path):
    coursework = step(path, "Complete the coursework")
    response = post(student_client, "step_done", coursework, {})
    assert response.status_code == HTTPStatus.FOUND
    page = student_client.get(response.url).content.decode()
    assert "Your campus confirms this step" in page
    assert step(path, "Complete the coursework").status == PathStep.Status.TODO


def test_locked_step_cannot_be_changed(student_client, path, staff_user):
    from accounts import services

    hours = step(path, "Externship hours")
    services.step_verify(step=hours, reviewer=staff_user)
    response = post(student_client, "step_count", hours, {f"step-{hours.pk}-count": "3"})
    assert response.status_code == HTTPStatus.FOUND
    assert "already verified" in student_client.get(response.url).content.decode()
    assert step(path, "Externship hours").count == 0


def test_actions_need_csrf(client, student, path):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(student)
    hours = step(path, "Externship hours")
    response = csrf_client.post(
        reverse("portal:step_count", kwargs={"pk": hours.pk}), {f"step-{hours.pk}-count": "9"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert step(path, "Externship hours").count == 0

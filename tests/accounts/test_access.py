"""Every access rule, from an anonymous visitor's and the wrong student's side."""

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Enrollment
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(path, student, staff_user):
    """A student's path with evidence, a credential with a CE proof."""
    evidence = services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    credential = services.credential_record(path=path, issued_on=date(2026, 1, 5))
    activity = services.ce_activity_add(
        credential=credential,
        user=student,
        title="Update",
        provider="AAMA",
        category="clinical",
        credits="1",
        completed_on=date(2026, 2, 1),
        proof=files.png("proof.png"),
    )
    hours = step(path, "Externship hours")
    return {
        "path": path,
        "evidence": evidence,
        "activity": activity,
        "credential": credential,
        "hours": hours,
    }


def owned_get_urls(r):
    return [
        reverse("portal:path_detail", kwargs={"pk": r["path"].pk}),
        reverse("portal:evidence_download", kwargs={"pk": r["evidence"].pk}),
        reverse("portal:ce_proof_download", kwargs={"pk": r["activity"].pk}),
    ]


def owned_post_urls(r):
    hours = r["hours"].pk
    return [
        (reverse("portal:step_count", kwargs={"pk": hours}), {f"step-{hours}-count": "5"}),
        (reverse("portal:step_date", kwargs={"pk": step(r["path"], "Exam date").pk}), {}),
        (reverse("portal:step_done", kwargs={"pk": hours}), {}),
        (reverse("portal:step_evidence", kwargs={"pk": hours}), {}),
        (reverse("portal:ce_add", kwargs={"pk": r["credential"].pk}), {}),
        (reverse("portal:ce_delete", kwargs={"pk": r["activity"].pk}), {}),
    ]


PERSONAL_PAGES = [
    "portal:dashboard",
    "portal:credentials",
    "portal:profile",
    "portal:profile_export",
]


@pytest.mark.parametrize("name", PERSONAL_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_anonymous_visitors_reach_no_record_or_file(client, records):
    for url in owned_get_urls(records):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response.url.startswith(reverse("account_login"))
    for url, data in owned_post_urls(records):
        assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert step(records["path"], "Externship hours").count == 0


def test_another_student_gets_404_for_every_record_and_file(client, other_student, records):
    client.force_login(other_student)
    for url in owned_get_urls(records):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    for url, data in owned_post_urls(records):
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND, url
    assert step(records["path"], "Externship hours").count == 0
    assert records["credential"].ce_activities.count() == 1


def test_another_students_pages_show_none_of_my_records(client, other_student, records):
    client.force_login(other_student)
    for name in ("portal:dashboard", "portal:credentials"):
        html = client.get(reverse(name)).content.decode()
        assert "CPR card" not in html
        assert records["path"].certification.acronym not in html
    export = client.get(reverse("portal:profile_export")).json()
    assert export["enrollments"] == []
    assert export["credentials"] == []


@pytest.mark.parametrize("pk", [0, 999999, -1])
def test_guessed_ids_are_404(student_client, records, pk):
    for name in ("portal:path_detail", "portal:evidence_download", "portal:ce_proof_download"):
        try:
            url = reverse(name, kwargs={"pk": pk})
        except Exception:
            continue  # negative ids do not even match the URL pattern
        assert student_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_file_paths_are_not_reachable_as_urls(student_client, records, settings):
    name = records["evidence"].file.name
    for url in (f"/media/{name}", f"/private/{name}", f"/media/../private/{name}"):
        response = student_client.get(url)
        assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST), url


def test_owner_downloads_evidence_as_a_private_attachment(student_client, records):
    response = student_client.get(records["evidence"].get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="cpr-card.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == files.PDF_BYTES


def test_owner_downloads_ce_proof(student_client, records):
    response = student_client.get(records["activity"].get_proof_url())
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")


def test_staff_may_open_any_path_and_file_read_only(staff_client, records):
    response = staff_client.get(records["path"].get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Staff view, read only" in html
    assert reverse("portal:step_count", kwargs={"pk": records["hours"].pk}) not in html
    assert staff_client.get(records["evidence"].get_absolute_url()).status_code == HTTPStatus.OK
    # Staff change steps in the admin, not by posting the student's forms.
    url = reverse("portal:step_count", kwargs={"pk": records["hours"].pk})
    assert staff_client.post(url, {}).status_code == HTTPStatus.NOT_FOUND


def test_missing_file_on_disk_is_a_404_not_a_500(student_client, records):
    records["evidence"].file.storage.delete(records["evidence"].file.name)
    assert (
        student_client.get(records["evidence"].get_absolute_url()).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_withdrawn_student_reads_but_cannot_change(student_client, records):
    Enrollment.objects.update(status=Enrollment.Status.WITHDRAWN)
    path = records["path"]
    response = student_client.get(path.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "withdrawn" in html
    assert "<form" not in html.split("Your steps", 1)[1].split("How your progress", 1)[0]
    assert student_client.get(records["evidence"].get_absolute_url()).status_code == HTTPStatus.OK
    hours = records["hours"]
    response = student_client.post(
        reverse("portal:step_count", kwargs={"pk": hours.pk}),
        {f"step-{hours.pk}-count": "50"},
        follow=True,
    )
    assert "Your enrolment was withdrawn, so this path is read-only." in response.content.decode()
    assert step(path, "Externship hours").count == 0
    response = student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": hours.pk}),
        {f"step-{hours.pk}-file": files.pdf()},
        follow=True,
    )
    assert "this path is read-only" in response.content.decode()
    assert hours.evidence.count() == 0


@pytest.mark.parametrize(
    "name", ["portal:dashboard", "portal:credentials", "portal:profile", "portal:profile_export"]
)
def test_portal_pages_are_private_and_never_stored(student_client, name):
    response = student_client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_path_page_is_private_and_never_stored(student_client, path):
    response = student_client.get(path.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_get_is_not_allowed_on_actions(student_client, path):
    url = reverse("portal:step_done", kwargs={"pk": step(path, "Continuing education").pk})
    assert student_client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED

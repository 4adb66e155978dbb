"""Every access rule, from an anonymous visitor's and the wrong student's side."""

from datetime import date
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import CertificationPath, Enrollment, Evidence, PathStep, StudentProfile
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
    assert "Your enrollment was withdrawn, so this path is read-only." in response.content.decode()
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


# --- Staff: the admin's model permissions, not is_staff ----------------------------------

VIEW_PERMISSIONS = ["view_certificationpath", "view_evidence", "view_ceactivity"]


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
    )
    # has_perm caches the permissions on the instance: read them afresh.
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def clerk(make_user):
    """A staff account with no permissions: the admin refuses it every student record."""
    return make_user("clerk@example.com", is_staff=True)


@pytest.fixture
def student_photo(client, student, records):
    client.force_login(student)
    response = client.post(
        reverse("portal:profile"),
        {"first_name": "Sam", "last_name": "Student", "new_photo": files.png("me.png")},
    )
    assert response.status_code == HTTPStatus.FOUND
    client.logout()
    return StudentProfile.objects.get(user=student).photo


def test_staff_without_permissions_gets_404_for_every_student_record(
    client, clerk, records, student_photo
):
    client.force_login(clerk)
    for url in [*owned_get_urls(records), reverse("portal:profile_photo")]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    for url, data in owned_post_urls(records):
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND, url
    assert step(records["path"], "Externship hours").count == 0
    assert records["credential"].ce_activities.count() == 1


def test_each_file_needs_its_own_view_permission(client, clerk, records):
    clerk = grant(clerk, "view_certificationpath")
    client.force_login(clerk)
    path_url, evidence_url, proof_url = owned_get_urls(records)
    assert client.get(path_url).status_code == HTTPStatus.OK
    assert client.get(evidence_url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(proof_url).status_code == HTTPStatus.NOT_FOUND
    clerk = grant(clerk, "view_evidence")
    client.force_login(clerk)
    assert client.get(evidence_url).status_code == HTTPStatus.OK
    assert client.get(proof_url).status_code == HTTPStatus.NOT_FOUND


def test_staff_with_view_permissions_read_but_cannot_write(client, clerk, records):
    client.force_login(grant(clerk, *VIEW_PERMISSIONS))
    for url in owned_get_urls(records):
        assert client.get(url).status_code == HTTPStatus.OK, url
    html = client.get(records["path"].get_absolute_url()).content.decode()
    assert "Staff view, read only" in html
    assert "<form" not in html.split("Your steps", 1)[-1].split("How your progress", 1)[0]
    for url, data in owned_post_urls(records):
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND, url
    assert step(records["path"], "Externship hours").count == 0
    assert records["credential"].ce_activities.count() == 1


def test_a_staff_member_who_is_inactive_reads_nothing(client, clerk, records):
    clerk = grant(clerk, *VIEW_PERMISSIONS)
    clerk.is_active = False
    clerk.save()
    assert not CertificationPath.objects.visible_to(clerk).exists()
    assert not Evidence.objects.visible_to(clerk).exists()


def test_step_services_refuse_staff_without_the_change_permission(clerk, records):
    hours = records["hours"]
    with pytest.raises(PermissionDenied):
        services.step_record_count(step=hours, count=5, user=clerk)
    clerk = grant(clerk, "view_pathstep", "view_certificationpath")
    with pytest.raises(PermissionDenied):
        services.step_record_count(step=hours, count=5, user=clerk)
    assert PathStep.objects.get(pk=hours.pk).count == 0
    clerk = grant(clerk, "change_pathstep")
    services.step_record_count(step=hours, count=5, user=clerk)
    assert PathStep.objects.get(pk=hours.pk).count == 5

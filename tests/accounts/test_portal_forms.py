"""Portal forms without friction: meaningful CE categories and one error summary,
confirmations before anything is removed, withdrawing a file staff have not decided on,
image previews for their owner, a calendar link that can be read and copied."""

import re
from datetime import timedelta
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import services
from accounts.models import CEActivity, Enrollment, Evidence, PathStep
from tests.accounts import files
from tests.accounts.conftest import step
from tests.factories import make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(path):
    return services.credential_record(
        path=path, issued_on=timezone.localdate() - timedelta(days=100)
    )


def ce_url(credential):
    return reverse("portal:ce_add", kwargs={"pk": credential.pk})


# --- CE form ----------------------------------------------------------------------------


def test_one_ce_category_is_chosen_for_the_student_and_shown_by_name(
    student_client, enroll, student
):
    nha = make_certification(
        acronym="CCMA", renewal_months=24, ce=[("any", "Continuing education", 10)]
    )
    path = enroll(student, certifications=[nha]).paths.get()
    credential = services.credential_record(
        path=path, issued_on=timezone.localdate() - timedelta(days=30)
    )
    html = student_client.get(reverse("portal:credentials")).content.decode()
    form_html = html[html.index(f'action="{ce_url(credential)}"') :]
    assert f'type="hidden" name="ce-{credential.pk}-category" value="any"' in form_html
    assert "Choose a category" not in form_html[: form_html.index("</form>")]
    student_client.post(
        ce_url(credential),
        {
            f"ce-{credential.pk}-title": "HIPAA refresher",
            f"ce-{credential.pk}-provider": "NHA",
            f"ce-{credential.pk}-category": "any",
            f"ce-{credential.pk}-credits": "1",
            f"ce-{credential.pk}-completed_on": timezone.localdate().isoformat(),
        },
    )
    assert CEActivity.objects.get().category == "any"
    html = student_client.get(reverse("portal:credentials")).content.decode()
    assert '<td data-label="Category">Continuing education</td>' in html
    assert '<td data-label="Category">Any</td>' not in html


def test_several_ce_categories_are_listed_by_name_and_saved_entries_say_which(
    student_client, credential
):
    html = student_client.get(reverse("portal:credentials")).content.decode()
    for label in ("Administrative", "Clinical", "General", "Any category"):
        assert f">{label}</option>" in html
    services.ce_activity_add(
        credential=credential,
        user=credential.student,
        title="Lab safety",
        provider="AAMA",
        category="any",
        credits="2",
        completed_on=timezone.localdate(),
    )
    html = student_client.get(reverse("portal:credentials")).content.decode()
    assert '<td data-label="Category">Any category</td>' in html


def test_an_empty_ce_form_gets_one_summary_that_lists_every_problem(student_client, credential):
    response = student_client.post(ce_url(credential), {})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("data-error-summary") == 1
    assert "There are 5 problems" in html
    summary = html[
        html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))
    ]
    for field in ("title", "provider", "category", "credits", "completed_on"):
        assert f'href="#id_ce-{credential.pk}-{field}"' in summary
    assert "This field is required." not in html
    assert "Enter the activity&#x27;s title" in summary
    assert '<script src="/static/js/portal.js" defer></script>' in html
    assert not CEActivity.objects.exists()


def test_every_portal_form_shows_the_same_summary(student_client, path):
    hours = step(path, "Externship hours")
    response = student_client.post(
        reverse("portal:step_count", kwargs={"pk": hours.pk}), {f"step-{hours.pk}-count": "x"}
    )
    assert response.content.decode().count("data-error-summary") == 1
    response = student_client.post(reverse("portal:profile"), {"first_name": ""})
    assert response.content.decode().count("data-error-summary") == 1


# --- Removing a CE entry -------------------------------------------------------------------


def test_removing_a_ce_entry_asks_first(student_client, credential, client, other_student):
    activity = services.ce_activity_add(
        credential=credential,
        user=credential.student,
        title="Lab safety",
        provider="AAMA",
        category="clinical",
        credits="2",
        completed_on=timezone.localdate(),
    )
    url = reverse("portal:ce_delete", kwargs={"pk": activity.pk})
    html = student_client.get(reverse("portal:credentials")).content.decode()
    assert f'href="{url}"' in html  # a link to the question, not a one-tap delete
    response = student_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "Remove this CE activity?" in response.content.decode()
    assert CEActivity.objects.filter(pk=activity.pk).exists()

    client.force_login(other_student)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert CEActivity.objects.filter(pk=activity.pk).exists()

    client.force_login(credential.student)
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert not CEActivity.objects.filter(pk=activity.pk).exists()


# --- Withdrawing a file -----------------------------------------------------------------------


def stored_files(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def withdraw_url(evidence):
    return reverse("portal:evidence_withdraw", kwargs={"pk": evidence.pk})


def test_a_pending_upload_can_be_withdrawn_after_confirming(
    student_client, path, student, settings, django_capture_on_commit_callbacks
):
    cpr = step(path, "CPR card")
    evidence = services.evidence_submit(step=cpr, file=files.pdf("wrong.pdf"), user=student)
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.SUBMITTED
    html = student_client.get(path.get_absolute_url()).content.decode()
    assert f'href="{withdraw_url(evidence)}"' in html
    page = student_client.get(withdraw_url(evidence)).content.decode()
    assert "Withdraw this file?" in page
    assert "leaves the review queue" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(withdraw_url(evidence))
    assert response.status_code == HTTPStatus.FOUND
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.TODO
    assert cpr.submitted_at is None
    assert not PathStep.objects.awaiting_review().exists()


def test_a_file_staff_decided_on_stays(student_client, path, student, staff_user):
    cpr = step(path, "CPR card")
    evidence = services.evidence_submit(step=cpr, file=files.pdf("front.pdf"), user=student)
    services.step_reject(step=cpr, reviewer=staff_user, reason="Both sides.", notify=False)
    html = student_client.get(path.get_absolute_url()).content.decode()
    assert withdraw_url(evidence) not in html
    response = student_client.get(withdraw_url(evidence), follow=True)
    assert "already decided on it" in response.content.decode()
    student_client.post(withdraw_url(evidence))
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    # A new file sent after the decision can be taken back; the step is then sent back
    # again, as the decision left it, not in the review queue with the old file.
    newer = services.evidence_submit(step=cpr, file=files.pdf("both.pdf"), user=student)
    assert Evidence.objects.get(pk=newer.pk).withdrawable
    student_client.post(withdraw_url(newer))
    assert not Evidence.objects.filter(pk=newer.pk).exists()
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.REJECTED
    assert cpr.rejection_reason == "Both sides."
    assert not PathStep.objects.awaiting_review().exists()
    # Approved: nothing can be withdrawn.
    kept = services.evidence_submit(step=cpr, file=files.pdf("again.pdf"), user=student)
    services.step_verify(step=cpr, reviewer=staff_user, notify=False)
    student_client.post(withdraw_url(kept))
    assert Evidence.objects.filter(pk=kept.pk).exists()


def test_only_the_owner_withdraws_and_not_once_withdrawn(
    client, path, student, other_student, staff_user
):
    evidence = services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    for user in (other_student, staff_user):
        client.force_login(user)
        assert client.get(withdraw_url(evidence)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(withdraw_url(evidence)).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.post(withdraw_url(evidence)).status_code == HTTPStatus.FOUND  # to login
    Enrollment.objects.filter(pk=path.enrollment_id).update(status=Enrollment.Status.WITHDRAWN)
    client.force_login(student)
    response = client.post(withdraw_url(evidence), follow=True)
    assert "read-only" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- Image previews -----------------------------------------------------------------------------


def test_image_evidence_has_a_small_preview_for_its_owner_only(
    client, student_client, path, student, other_student
):
    image = services.evidence_submit(
        step=step(path, "CPR card"), file=files.png("card.png", size=(900, 600)), user=student
    )
    document = services.evidence_submit(
        step=step(path, "Externship hours"), file=files.pdf("sheet.pdf"), user=student
    )
    preview = reverse("portal:evidence_thumbnail", kwargs={"pk": image.pk})
    html = student_client.get(path.get_absolute_url()).content.decode()
    assert f'src="{preview}"' in html
    response = student_client.get(preview)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    with Image.open(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ) as thumb:
        assert max(thumb.size) <= 240
    pdf_preview = reverse("portal:evidence_thumbnail", kwargs={"pk": document.pk})
    assert student_client.get(pdf_preview).status_code == HTTPStatus.NOT_FOUND
    client.force_login(other_student)
    assert client.get(preview).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.get(preview).status_code == HTTPStatus.FOUND


# --- Calendar link ----------------------------------------------------------------------------------


def test_the_calendar_link_is_shown_whole_with_a_copy_button(student_client, student):
    html = student_client.get(reverse("portal:profile")).content.decode()
    token = student.profile.calendar_token
    link = re.search(r'<p class="calendar-url" id="calendar-url">([^<]+)</p>', html)
    assert link is not None
    assert link.group(1).endswith(f"/portal/calendar/{token}.ics")
    assert 'data-copy-target="calendar-url"' in html
    # Without JavaScript the button stays hidden (the script shows it where it can copy).
    assert re.search(r'<button[^>]*data-copy-target="calendar-url"[^>]*hidden', html)
    assert 'readonly value="' not in html

"""The applicant's own pages: status in plain words, what is needed next, the interview
with its calendar file, documents, history, withdrawal, notices; who may see what."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import Application, ApplicationEvent
from accounts.services import applications as apps
from tests.accounts.apply_world import about_post, fill, make_start
from tests.accounts.files import png

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def cohort(db):
    return make_start()


@pytest.fixture
def applicant(make_user):
    return make_user("ana@example.com", first_name="Ana", last_name="Lopez")


@pytest.fixture
def other(make_user):
    return make_user("mallory@example.com", first_name="Mal", last_name="Lory")


@pytest.fixture
def submitted(applicant, cohort):
    application = fill(apps.application_start(applicant=applicant, cohort=cohort), applicant)
    apps.application_submit(application=application, user=applicant)
    return application


@pytest.fixture
def staff_without_permission(make_user):
    return make_user("clerk@example.com", is_staff=True)


@pytest.fixture
def staff_viewer(make_user):
    user = make_user("viewer@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_application"))
    return user


def test_list_and_detail_say_the_status_in_plain_words(client, applicant, submitted):
    client.force_login(applicant)
    listing = client.get(reverse("apply:applications")).content.decode()
    assert "Submitted" in listing
    assert submitted.get_absolute_url() in listing
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Admissions will check your documents" in page
    assert "id.png" in page
    assert "ged.pdf" in page
    assert "Withdraw this application" in page


def test_interview_shows_date_and_calendar_file(client, applicant, submitted, staff_user):
    at = timezone.now() + timedelta(days=6)
    apps.interview_schedule(
        application=submitted, at=at, campus=submitted.cohort.offering.campus, reviewer=staff_user
    )
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Interview scheduled" in page
    assert timezone.localtime(at).strftime("%B %-d, %Y") in page
    ics_url = reverse("apply:interview_ics", args=[submitted.pk])
    assert ics_url in page
    response = client.get(ics_url)
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_no_calendar_file_without_an_interview(client, applicant, submitted):
    client.force_login(applicant)
    response = client.get(reverse("apply:interview_ics", args=[submitted.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_accepted_links_the_portal(client, applicant, submitted, staff_user):
    submitted.status = Status.ACCEPTED  # as the service leaves it; enrollment not needed here
    submitted.save(update_fields=["status"])
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert reverse("portal:dashboard") in page
    assert "Go to your student portal" in page


def test_update_notice_shows_once_then_is_marked_seen(client, applicant, submitted, staff_user):
    document = submitted.documents.get(kind="photo_id")
    apps.document_reject(document=document, reviewer=staff_user, reason="Too blurry.")
    client.force_login(applicant)
    listing = client.get(reverse("apply:applications")).content.decode()
    assert "Admissions updated your application" in listing
    assert not ApplicationEvent.objects.filter(application=submitted, seen_at__isnull=True).exists()
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Admissions updated your application" not in page
    assert "Too blurry." in page


def test_detail_marks_its_own_events_seen(client, applicant, submitted, staff_user):
    apps.application_waitlist(application=submitted, reviewer=staff_user, reason="Full.")
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Admissions updated your application" in page
    again = client.get(submitted.get_absolute_url()).content.decode()
    assert "Admissions updated your application" not in again


def test_dashboard_tells_an_applicant_about_updates(client, applicant, submitted, staff_user):
    apps.application_waitlist(application=submitted, reviewer=staff_user, reason="Full.")
    client.force_login(applicant)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Admissions updated your application" in page
    assert submitted.get_absolute_url() in page


def test_withdraw_with_confirmation(client, applicant, submitted, mailoutbox):
    client.force_login(applicant)
    url = reverse("apply:withdraw", args=[submitted.pk])
    assert "Withdraw my application" in client.get(url).content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    response = client.post(url, {"reason": "Moving away."})
    assert response["Location"] == submitted.get_absolute_url()
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND  # replayed


def test_document_is_served_inline_with_safe_headers(client, applicant, submitted):
    client.force_login(applicant)
    image = submitted.documents.get(kind="photo_id")
    response = client.get(reverse("apply:document", args=[image.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    pdf = submitted.documents.get(kind="education")
    response = client.get(reverse("apply:document", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


# --- From the wrong side -------------------------------------------------------------------


def applicant_urls(application):
    document = application.documents.first()
    return [
        application.get_absolute_url(),
        reverse("apply:step", args=[application.pk, "about"]),
        reverse("apply:withdraw", args=[application.pk]),
        reverse("apply:document", args=[document.pk]),
        reverse("apply:document_remove", args=[document.pk]),
    ]


def test_anonymous_is_sent_to_log_in(client, submitted):
    for url in applicant_urls(submitted):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["other", "staff_without_permission"])
def test_another_person_gets_404_and_changes_nothing(client, submitted, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in applicant_urls(submitted):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    assert client.post(reverse("apply:withdraw", args=[submitted.pk])).status_code == 404
    document = submitted.documents.first()
    response = client.post(reverse("apply:document_remove", args=[document.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.documents.count() == 2


def test_another_applicant_cannot_replay_a_step_on_someone_elses_draft(
    client, applicant, other, cohort
):
    draft = apps.application_start(applicant=applicant, cohort=cohort)
    client.force_login(other)
    url = reverse("apply:step", args=[draft.pk, "about"])
    assert client.post(url, about_post(first_name="Mallory")).status_code == 404
    docs = reverse("apply:step", args=[draft.pk, "documents"])
    assert client.post(docs, {"kind": "photo_id", "file": png()}).status_code == 404
    draft.refresh_from_db()
    assert draft.first_name == "Ana"
    assert not draft.documents.exists()


def test_forged_document_id_in_remove_is_404(client, applicant, other, cohort, submitted):
    mine = apps.application_start(applicant=other, cohort=cohort)
    client.force_login(other)
    theirs = submitted.documents.first()
    assert client.post(reverse("apply:document_remove", args=[theirs.pk])).status_code == 404
    assert mine.documents.count() == 0
    assert submitted.documents.count() == 2


def test_staff_with_view_permission_see_the_page_and_documents_but_not_the_steps(
    client, staff_viewer, submitted
):
    client.force_login(staff_viewer)
    page = client.get(submitted.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "Withdraw this application" not in page.content.decode()
    document = submitted.documents.first()
    assert client.get(reverse("apply:document", args=[document.pk])).status_code == 200
    url = reverse("apply:step", args=[submitted.pk, "about"])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


# --- Query counts ----------------------------------------------------------------------------


def test_list_and_detail_run_constant_queries(client, applicant, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(applicant)
    counts = []
    for n in (2, 8):
        for i in range(n - Application.objects.filter(applicant=applicant).count()):
            cohort = make_start(days=20 + i * 7 + n * 100, campus_slug=f"c{n}-{i}")
            application = fill(
                apps.application_start(applicant=applicant, cohort=cohort), applicant
            )
            apps.application_submit(application=application, user=applicant)
        application = Application.objects.filter(applicant=applicant).first()
        for _ in range(n):
            ApplicationEvent.objects.create(application=application, status=Status.SUBMITTED)
        row = []
        for url in (reverse("apply:applications"), application.get_absolute_url()):
            client.get(url)  # warm-up
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == HTTPStatus.OK
            row.append(len(captured))
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 8, counts

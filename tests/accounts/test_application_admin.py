"""The staff pipeline in the admin: the list, an application's page, every button (through
the services), previews, and who may do what."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Application, ApplicationDocument
from accounts.services import applications as apps
from accounts.services.enrollments import enrollment_create
from tests.accounts.staff_data import make_ma_certification
from tests.accounts.test_application_services import fill, ready_to_accept
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db
Status = Application.Status
LIST = reverse("admin:accounts_application_changelist")


@pytest.fixture
def cohort(db):
    certification = make_ma_certification(acronym="CMA")
    program = make_program(title="Medical Assistant", main_certification=certification)
    program.certifications.add(certification)
    campus = make_campus(name="Arlington", slug="arlington-pipe", admissions_email="a@example.com")
    return make_cohort(
        offering=make_offering(program=program, campus=campus),
        start_date=timezone.localdate() + timedelta(days=40),
        seats=2,
    )


def submitted_application(make_user, cohort, email="ana@example.com", first="Ana"):
    user = make_user(email, first_name=first, last_name="Applicant")
    application = apps.application_start(applicant=user, cohort=cohort)
    fill(application, user)
    Application.objects.filter(pk=application.pk).update(first_name=first)
    application.refresh_from_db()
    apps.application_submit(application=application, user=user)
    application.refresh_from_db()
    return application


@pytest.fixture
def submitted(make_user, cohort, mailoutbox):
    application = submitted_application(make_user, cohort)
    mailoutbox.clear()
    return application


def page(application):
    return reverse("admin:accounts_application_change", args=[application.pk])


def act(application, action):
    return reverse("admin:accounts_application_act", args=[application.pk, action])


def staff_with(make_user, email, *codenames):
    user = make_user(email, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
    )
    return user


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the list ---------------------------------------------------------------------------


def test_list_shows_the_pipeline_columns(staff_client, submitted):
    response = staff_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for text in ("Ana Applicant", "ana@example.com", "Medical Assistant", "Arlington"):
        assert text in html
    assert '<span class="tc-badge tc-badge-submitted">Submitted</span>' in html
    assert "0 of 4" in html
    assert "Check the documents, schedule the interview" in html


def test_list_puts_work_first(staff_client, make_user, cohort, submitted):
    draft_user = make_user("draft@example.com")
    draft = apps.application_start(applicant=draft_user, cohort=cohort)
    response = staff_client.get(LIST)
    ids = [a.pk for a in response.context["cl"].result_list]
    assert ids.index(submitted.pk) < ids.index(draft.pk)


def test_list_filters_and_search(staff_client, make_user, cohort, submitted):
    other = make_user("zed@example.com")
    apps.application_start(applicant=other, cohort=cohort)
    by_status = staff_client.get(LIST, {"status__exact": "submitted"}).context["cl"].result_list
    assert [a.pk for a in by_status] == [submitted.pk]
    found = staff_client.get(LIST, {"q": "zed@"}).context["cl"].result_list
    assert [a.applicant.email for a in found] == ["zed@example.com"]
    by_start = staff_client.get(LIST, {"cohort": cohort.pk}).context["cl"].result_list
    assert len(by_start) == 2
    campus = cohort.offering.campus_id
    by_campus = staff_client.get(LIST, {"cohort__offering__campus__id__exact": campus})
    assert len(by_campus.context["cl"].result_list) == 2


def build_many(cohort, n, start=0):
    from accounts.models import User

    users = User.objects.bulk_create(
        [User(email=f"bulk{i}@example.com") for i in range(start, start + n)]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                applicant=u,
                cohort=cohort,
                status=Status.SUBMITTED,
                first_name="B",
                last_name=str(i),
                submitted_at=timezone.now(),
            )
            for i, u in enumerate(users)
        ]
    )
    ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(
                application=a,
                kind=kind,
                file="x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=10,
            )
            for a in applications
            for kind in ("photo_id", "education")
        ]
    )


def count_list_queries(client):
    client.get(LIST)  # warm caches (filter choices, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == HTTPStatus.OK
    return len(queries), response


def test_list_runs_in_constant_queries_for_3_and_300(staff_client, cohort):
    build_many(cohort, 3, start=0)
    few, response = count_list_queries(staff_client)
    assert len(response.context["cl"].result_list) == 3
    assert "0 of 4" in response.content.decode()
    build_many(cohort, 297, start=3)
    many, response = count_list_queries(staff_client)
    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].result_count == 300
    assert many == few
    assert few <= 14


# --- the page and its buttons -----------------------------------------------------------


def test_page_shows_answers_documents_checklist_history(staff_client, submitted):
    response = staff_client.get(page(submitted))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "817-555-0100" in html
    assert "Photo ID: id.png" in html
    document = submitted.documents.get(kind="photo_id")
    assert reverse("admin:accounts_application_document", args=[document.pk]) in html
    assert "To do: Photo ID verified" in html
    assert "Submitted</strong> on" in html
    assert "Verify: Photo ID" in html


def test_preview_is_served_inline_with_safe_headers(staff_client, submitted):
    document = submitted.documents.get(kind="photo_id")
    response = staff_client.get(reverse("admin:accounts_application_document", args=[document.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


def test_verify_and_send_back(staff_client, submitted, mailoutbox):
    photo = submitted.documents.get(kind="photo_id")
    response = staff_client.post(act(submitted, "verify"), {"document": photo.pk}, follow=True)
    assert "Photo ID verified." in messages_of(response)
    photo.refresh_from_db()
    assert photo.status == "verified"
    diploma = submitted.documents.get(kind="education")
    response = staff_client.post(
        act(submitted, "send-back"),
        {"document": diploma.pk, f"doc{diploma.pk}-reason_preset": "unreadable"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page(submitted)
    diploma.refresh_from_db()
    assert diploma.status == "rejected"
    assert "unreadable" in diploma.rejection_reason
    submitted.refresh_from_db()
    assert submitted.status == Status.DOCUMENTS_NEEDED
    assert any("unreadable" in m.body for m in mailoutbox)


def test_send_back_without_a_reason_changes_nothing(staff_client, submitted):
    diploma = submitted.documents.get(kind="education")
    response = staff_client.post(act(submitted, "send-back"), {"document": diploma.pk}, follow=True)
    assert "Say what is wrong with the document." in messages_of(response)
    diploma.refresh_from_db()
    assert diploma.status == "pending"


def test_a_document_of_another_application_is_refused(staff_client, submitted, make_user, cohort):
    other = submitted_application(make_user, cohort, "bo@example.com", "Bo")
    document = other.documents.first()
    response = staff_client.post(act(submitted, "verify"), {"document": document.pk})
    assert response.status_code == HTTPStatus.NOT_FOUND
    document.refresh_from_db()
    assert document.status == "pending"


def test_schedule_the_interview_sends_a_calendar_invitation(staff_client, submitted, mailoutbox):
    day = timezone.localdate() + timedelta(days=3)
    response = staff_client.post(
        act(submitted, "interview"),
        {"date": day.isoformat(), "time": "10:30", "campus": submitted.cohort.offering.campus_id},
        follow=True,
    )
    assert any("Interview scheduled" in m for m in messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == Status.INTERVIEW_SCHEDULED
    assert timezone.localtime(submitted.interview_at).date() == day
    assert any(a[0].endswith(".ics") for m in mailoutbox for a in m.attachments)


def test_interview_with_bad_input_says_why(staff_client, submitted):
    past = timezone.localdate() - timedelta(days=3)
    response = staff_client.post(
        act(submitted, "interview"),
        {"date": past.isoformat(), "time": "10:30", "campus": submitted.cohort.offering.campus_id},
        follow=True,
    )
    assert "Choose a date and time in the future." in " ".join(messages_of(response))
    response = staff_client.post(act(submitted, "interview"), {"date": "nope"}, follow=True)
    assert "Choose the interview's date, time and campus" in " ".join(messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_accept_enrolls_and_links_the_enrollment(staff_client, staff_user, submitted, mailoutbox):
    ready_to_accept(submitted, staff_user)
    response = staff_client.post(act(submitted, "accept"), follow=True)
    assert any("Accepted" in m for m in messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED
    assert submitted.enrollment is not None
    html = staff_client.get(page(submitted)).content.decode()
    assert reverse("admin:accounts_enrollment_change", args=[submitted.enrollment.pk]) in html
    response = staff_client.post(act(submitted, "enrolled"), follow=True)
    assert "Marked enrolled." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Status.ENROLLED


def test_accept_before_the_checklist_says_what_is_missing(staff_client, submitted):
    response = staff_client.post(act(submitted, "accept"), follow=True)
    assert "Before accepting, complete the checklist" in " ".join(messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_accept_with_no_seat_left_waitlists_with_a_clear_message(
    staff_client, staff_user, submitted, cohort
):
    ready_to_accept(submitted, staff_user)
    cohort.seats = 1
    cohort.save()
    enrollment_create(email="first@example.com", cohort=cohort, certifications=[], notify=False)
    response = staff_client.post(act(submitted, "accept"), follow=True)
    assert "The last seat went to someone else: the application is on the waitlist." in messages_of(
        response
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.WAITLISTED


def test_mark_held_waitlist_decline(staff_client, staff_user, submitted, mailoutbox):
    apps.interview_schedule(
        application=submitted,
        at=timezone.now() + timedelta(days=1),
        campus=submitted.cohort.offering.campus,
        reviewer=staff_user,
    )
    Application.objects.filter(pk=submitted.pk).update(
        interview_at=timezone.now() - timedelta(hours=1)
    )
    response = staff_client.post(act(submitted, "held"), follow=True)
    assert "Interview marked as held." in messages_of(response)
    response = staff_client.post(act(submitted, "waitlist"), {"reason": "Full"}, follow=True)
    assert "The application is on the waitlist." in messages_of(response)
    response = staff_client.post(act(submitted, "decline"), {"reason": ""}, follow=True)
    assert "Give the applicant a reason." in " ".join(messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == Status.WAITLISTED
    mailoutbox.clear()
    response = staff_client.post(
        act(submitted, "decline"), {"reason": "No diploma on file"}, follow=True
    )
    assert "Declined; the applicant was told the reason." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Status.DECLINED
    assert [m.to for m in mailoutbox] == [["ana@example.com"]]


def test_unknown_action_and_get_are_refused(staff_client, submitted):
    assert staff_client.post(act(submitted, "explode")).status_code == HTTPStatus.NOT_FOUND
    assert staff_client.get(act(submitted, "accept")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- from the wrong side ------------------------------------------------------------------


def test_view_only_staff_see_no_buttons_and_cannot_post(client, make_user, submitted):
    viewer = staff_with(make_user, "viewer@example.com", "view_application")
    client.force_login(viewer)
    html = client.get(page(submitted)).content.decode()
    assert "Photo ID: id.png" in html
    assert "Verify: Photo ID" not in html
    assert "Decline" not in html
    document = submitted.documents.first()
    assert (
        client.get(reverse("admin:accounts_application_document", args=[document.pk])).status_code
        == HTTPStatus.OK
    )
    for action, data in (("verify", {"document": document.pk}), ("decline", {"reason": "x"})):
        assert client.post(act(submitted, action), data).status_code == HTTPStatus.FORBIDDEN
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_staff_without_view_permission_see_nothing(client, make_user, submitted):
    client.force_login(staff_with(make_user, "nope@example.com"))
    document = submitted.documents.first()
    assert client.get(LIST).status_code == HTTPStatus.FORBIDDEN
    assert client.get(page(submitted)).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.get(reverse("admin:accounts_application_document", args=[document.pk])).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert client.post(act(submitted, "decline"), {"reason": "x"}).status_code == (
        HTTPStatus.FORBIDDEN
    )


def test_students_and_anonymous_are_sent_to_login(client, student, submitted):
    document = submitted.documents.first()
    urls = [
        page(submitted),
        reverse("admin:accounts_application_document", args=[document.pk]),
    ]
    for user in (None, student):
        if user:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == HTTPStatus.FOUND
        assert client.post(act(submitted, "decline"), {"reason": "x"}).status_code == (
            HTTPStatus.FOUND
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_page_shows_the_start_with_its_seats_and_no_decision_once_closed(
    staff_client, staff_user, submitted
):
    html = staff_client.get(page(submitted)).content.decode()
    assert "0/2 seats taken" in html
    assert ">Accept</button>" in html
    apps.application_decline(application=submitted, reviewer=staff_user, reason="No diploma")
    html = staff_client.get(page(submitted)).content.decode()
    assert ">Accept</button>" not in html


def test_interview_fields_never_block_the_pages_other_buttons():
    """The interview's date, time and campus belong to the form every decision button
    submits: marked `required`, a browser would refuse "Accept" with them empty."""
    from accounts.admin.applications import InterviewForm

    html = str(InterviewForm())
    assert "required" not in html

"""Applications, service by service: each status transition, the e-mail it sends, the
checklist before acceptance, seats, and who may do what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.cohorts import seats_holding_count
from accounts.models import Application, ApplicationDocument, ApplicationEvent, Enrollment
from accounts.services import applications as apps
from tests.accounts.files import big_file, pdf, png, upload
from tests.accounts.staff_data import make_ma_certification, make_student
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def cohort(db):
    certification = make_ma_certification(acronym="CMA")
    program = make_program(title="Medical Assistant", main_certification=certification)
    program.certifications.add(certification)
    campus = make_campus(
        name="Arlington", slug="arlington-apply", admissions_email="adm@example.com"
    )
    return make_cohort(
        offering=make_offering(program=program, campus=campus),
        start_date=timezone.localdate() + timedelta(days=40),
        seats=2,
    )


@pytest.fixture
def applicant(make_user):
    return make_user("ana@example.com", first_name="Ana", last_name="Applicant")


def fill(application, user):
    apps.application_update(
        application=application,
        user=user,
        first_name="Ana",
        last_name="Applicant",
        phone="817-555-0100",
        date_of_birth=timezone.localdate() - timedelta(days=365 * 25),
        education=Application.Education.GED,
        consent_truthful=True,
        consent_contact=True,
    )
    apps.application_document_add(
        application=application, kind="photo_id", file=png("id.png"), user=user
    )
    apps.application_document_add(
        application=application, kind="education", file=pdf("ged.pdf"), user=user
    )


@pytest.fixture
def submitted(applicant, cohort, mailoutbox):
    application = apps.application_start(applicant=applicant, cohort=cohort)
    fill(application, applicant)
    apps.application_submit(application=application, user=applicant)
    mailoutbox.clear()
    application.refresh_from_db()
    return application


def ready_to_accept(application, staff_user):
    for document in application.documents.all():
        apps.document_verify(document=document, reviewer=staff_user)
    apps.interview_schedule(
        application=application,
        at=timezone.now() + timedelta(days=1),
        campus=application.cohort.offering.campus,
        reviewer=staff_user,
    )
    Application.objects.filter(pk=application.pk).update(
        interview_at=timezone.now() - timedelta(hours=1)
    )
    apps.interview_mark_held(application=application, reviewer=staff_user)
    application.refresh_from_db()
    return application


def test_start_makes_one_draft_per_person_and_start(applicant, cohort):
    first = apps.application_start(applicant=applicant, cohort=cohort)
    again = apps.application_start(applicant=applicant, cohort=cohort)
    assert first.pk == again.pk
    assert first.status == Status.DRAFT
    assert (first.first_name, first.last_name) == ("Ana", "Applicant")


def test_a_closed_start_takes_no_application(applicant, cohort):
    cohort.status = "closed"
    cohort.save()
    with pytest.raises(ValidationError):
        apps.application_start(applicant=applicant, cohort=cohort)


def test_submit_needs_every_step_and_says_what_is_missing(applicant, cohort):
    application = apps.application_start(applicant=applicant, cohort=cohort)
    with pytest.raises(ValidationError) as error:
        apps.application_submit(application=application, user=applicant)
    text = " ".join(error.value.messages)
    for missing in ("phone", "date of birth", "diploma", "Photo ID", "consent"):
        assert missing in text
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submit_sends_the_applicant_and_admissions_an_email(applicant, cohort, mailoutbox):
    application = apps.application_start(applicant=applicant, cohort=cohort)
    fill(application, applicant)
    apps.application_submit(application=application, user=applicant)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    to = {m.to[0]: m for m in mailoutbox}
    assert "We received your application" in to["ana@example.com"].subject
    assert "/apply/applications/" in to["ana@example.com"].body
    assert "New application: Ana Applicant" in to["adm@example.com"].subject
    assert application.events.first().status == Status.SUBMITTED


def test_another_user_cannot_touch_the_application(submitted, other_student):
    with pytest.raises(PermissionDenied):
        apps.application_withdraw(application=submitted, user=other_student)
    with pytest.raises(PermissionDenied):
        apps.application_document_add(
            application=submitted, kind="photo_id", file=png(), user=other_student
        )


def test_a_sent_application_cannot_be_edited(submitted, applicant):
    with pytest.raises(ValidationError):
        apps.application_update(application=submitted, user=applicant, first_name="Eve")


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_stored(applicant, cohort):
    application = apps.application_start(applicant=applicant, cohort=cohort)
    with pytest.raises(ValidationError):
        apps.application_document_add(
            application=application,
            kind="photo_id",
            file=upload("id.pdf", b"MZ\x90\x00not a pdf", "application/pdf"),
            user=applicant,
        )
    with pytest.raises(ValidationError):
        apps.application_document_add(
            application=application, kind="photo_id", file=big_file(), user=applicant
        )
    assert not ApplicationDocument.objects.exists()


def test_rejecting_a_document_asks_for_documents_and_a_new_one_sends_it_back(
    submitted, applicant, staff_user, mailoutbox
):
    document = submitted.documents.get(kind="photo_id")
    apps.document_reject(document=document, reviewer=staff_user, reason="The photo is blurred.")
    submitted.refresh_from_db()
    assert submitted.status == Status.DOCUMENTS_NEEDED
    (mail,) = mailoutbox
    assert "documents needed" in mail.subject
    assert "The photo is blurred." in mail.body
    apps.application_document_add(
        application=submitted, kind="photo_id", file=png("id2.png"), user=applicant
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert "We received your new documents" in mailoutbox[-1].subject


def test_interview_email_carries_a_calendar_file(submitted, staff_user, mailoutbox):
    at = timezone.now() + timedelta(days=7)
    apps.interview_schedule(
        application=submitted, at=at, campus=submitted.cohort.offering.campus, reviewer=staff_user
    )
    (mail,) = mailoutbox
    assert "Your admissions interview" in mail.subject
    ((name, content, mimetype),) = mail.attachments
    assert (name, mimetype) == ("interview.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content
    assert "Arlington campus" in content.replace("\r\n ", "")


def test_an_interview_in_the_past_is_refused(submitted, staff_user):
    with pytest.raises(ValidationError):
        apps.interview_schedule(
            application=submitted,
            at=timezone.now() - timedelta(hours=1),
            campus=submitted.cohort.offering.campus,
            reviewer=staff_user,
        )


def test_accept_needs_the_checklist(submitted, staff_user):
    with pytest.raises(ValidationError) as error:
        apps.application_accept(application=submitted, reviewer=staff_user)
    assert "Photo ID verified" in " ".join(error.value.messages)
    assert not Enrollment.objects.exists()


def test_accept_enrolls_the_same_account_with_a_plan(submitted, applicant, staff_user, mailoutbox):
    application = ready_to_accept(submitted, staff_user)
    mailoutbox.clear()
    apps.application_accept(application=application, reviewer=staff_user)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    enrollment = application.enrollment
    assert enrollment.student == applicant
    assert [p.certification.acronym for p in enrollment.paths.all()] == ["CMA"]
    (mail,) = mailoutbox  # one e-mail: no second invitation
    assert "accepted" in mail.subject
    assert "/portal/" in mail.body
    assert seats_holding_count(application.cohort_id) == 1


def test_the_last_seat_taken_sends_the_application_to_the_waitlist(
    submitted, staff_user, cohort, mailoutbox
):
    for _ in range(cohort.seats):
        Enrollment.objects.create(student=make_student(), cohort=cohort)
    application = ready_to_accept(submitted, staff_user)
    with pytest.raises(apps.SeatTaken):
        apps.application_accept(application=application, reviewer=staff_user)
    application.refresh_from_db()
    assert application.status == Status.WAITLISTED  # kept, although accepting failed
    assert application.enrollment is None
    assert "waitlisted" in mailoutbox[-1].subject


def test_decline_needs_a_reason_and_tells_it(submitted, staff_user, mailoutbox):
    with pytest.raises(ValidationError):
        apps.application_decline(application=submitted, reviewer=staff_user, reason=" ")
    apps.application_decline(
        application=submitted, reviewer=staff_user, reason="No diploma equivalent yet."
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.DECLINED
    assert "No diploma equivalent yet." in mailoutbox[-1].body
    with pytest.raises(ValidationError):  # final
        apps.application_withdraw(application=submitted, user=submitted.applicant)


def test_withdrawing_after_acceptance_gives_the_seat_back(submitted, applicant, staff_user):
    application = ready_to_accept(submitted, staff_user)
    apps.application_accept(application=application, reviewer=staff_user)
    apps.application_withdraw(application=application, user=applicant, reason="Moving away")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.enrollment.status == Enrollment.Status.WITHDRAWN
    assert seats_holding_count(application.cohort_id) == 0


def test_staff_without_permission_cannot_decide(submitted, make_user):
    clerk = make_user("clerk@example.com", is_staff=True)
    with pytest.raises(PermissionDenied):
        apps.application_decline(application=submitted, reviewer=clerk, reason="x")


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.DRAFT, {Status.SUBMITTED, Status.WITHDRAWN}),
        (Status.ENROLLED, set()),
        (Status.DECLINED, set()),
    ],
)
def test_transitions(status, allowed):
    assert apps.TRANSITIONS[status] == allowed


def test_every_change_is_a_notice_until_seen(submitted, applicant, staff_user):
    apps.application_waitlist(application=submitted, reviewer=staff_user)
    unseen = ApplicationEvent.objects.filter(application=submitted, seen_at__isnull=True)
    assert {e.status for e in unseen} == {Status.SUBMITTED, Status.WAITLISTED}
    assert services.applications.events_mark_seen(user=applicant) == 2


def test_when_documents_are_needed_only_documents_change(submitted, applicant, staff_user):
    document = submitted.documents.get(kind="photo_id")
    apps.document_reject(document=document, reviewer=staff_user, reason="Expired ID.")
    submitted.refresh_from_db()
    with pytest.raises(ValidationError):
        apps.application_update(application=submitted, user=applicant, first_name="Eve")
    with pytest.raises(ValidationError):  # reviewed: it stays on file
        apps.application_document_remove(document=document, user=applicant)
    apps.application_document_add(
        application=submitted, kind="photo_id", file=png("id2.png"), user=applicant
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # back with admissions: no more changes
    with pytest.raises(ValidationError):
        apps.application_document_add(
            application=submitted, kind="photo_id", file=png("id3.png"), user=applicant
        )

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import progress, services
from accounts.models import (
    CEActivity,
    CertificationPath,
    Credential,
    Enrollment,
    Evidence,
    Invitation,
    PathStep,
    StepReview,
    StudentProfile,
    User,
)
from careers.models import CERequirement
from tests.accounts.conftest import make_ma_certification, step
from tests.factories import make_certification, make_cohort

pytestmark = pytest.mark.django_db


# --- Enrollment ---------------------------------------------------------------------


def test_enrolling_a_new_person_creates_account_profile_paths_and_sends_an_invitation(
    cohort, certification, staff_user, mailoutbox
):
    second = make_certification(acronym="CCMA", steps=[{"title": "Study", "kind": "check"}])
    enrollment = services.enrollment_create(
        email="  New.Student@Example.com ",
        cohort=cohort,
        certifications=[certification, second],
        first_name="Nia",
        last_name="Nguyen",
        created_by=staff_user,
    )
    user = enrollment.student
    assert user.email == "new.student@example.com"
    assert not user.has_usable_password()
    assert StudentProfile.objects.get(user=user).calendar_token
    assert EmailAddress.objects.get(user=user).verified
    assert enrollment.created_by == staff_user
    assert enrollment.paths.count() == 2
    assert enrollment.paths.get(certification=certification).steps.count() == 8
    assert Invitation.objects.filter(user=user, used_at__isnull=True).count() == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.student@example.com"]
    assert "set your student portal password" in mail.subject
    assert "Hello Nia" in mail.body
    html = mail.alternatives[0][0]
    assert mail.alternatives[0][1] == "text/html"
    link = re.search(r"https?://\S+/portal/invitation/(\S+)/", mail.body)
    assert link is not None
    assert link.group(0) in html
    assert services.invitation_get(token=link.group(1)).user == user


def test_enrolling_an_existing_account_reuses_it_and_sends_a_notice(
    student, cohort, certification, mailoutbox
):
    enrollment = services.enrollment_create(
        email="STUDENT@example.com", cohort=cohort, certifications=[certification]
    )
    assert enrollment.student == student
    assert User.objects.count() == 1
    assert Invitation.objects.count() == 0
    assert len(mailoutbox) == 1
    assert "You're enrolled" in mailoutbox[0].subject
    assert "/portal/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_an_account_without_a_password_gets_a_new_invitation_on_re_enrolment(
    cohort, certification, mailoutbox
):
    first = services.enrollment_create(
        email="x@example.com", cohort=cohort, certifications=[certification]
    )
    services.enrollment_create(
        email="x@example.com", cohort=make_cohort(), certifications=[certification]
    )
    assert Invitation.objects.filter(user=first.student).count() == 2
    assert all("password" in m.subject for m in mailoutbox)


def test_the_same_cohort_twice_is_refused_and_changes_nothing(student, cohort, certification):
    services.enrollment_create(email=student.email, cohort=cohort, certifications=[certification])
    with pytest.raises(ValidationError) as info:
        services.enrollment_create(
            email=student.email, cohort=cohort, certifications=[certification]
        )
    assert "already enrolled" in str(info.value)
    assert Enrollment.objects.count() == 1
    assert CertificationPath.objects.count() == 1


def test_enrolment_requires_an_email(cohort, certification):
    with pytest.raises(ValidationError):
        services.enrollment_create(email="  ", cohort=cohort, certifications=[certification])
    assert User.objects.count() == 0


def test_path_create_is_idempotent(path):
    again = services.path_create(enrollment=path.enrollment, certification=path.certification)
    assert again == path
    assert path.steps.count() == 8


# --- Invitations -------------------------------------------------------------------


@pytest.fixture
def invited(db):
    user = User.objects.create_user(email="invitee@example.com", password=None)
    return user, services.invitation_create(user=user)


def test_invitation_stores_only_a_hash_and_expires_in_seven_days(invited):
    user, token = invited
    invitation = Invitation.objects.get(user=user)
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    delta = invitation.expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < delta <= timedelta(days=7)


def test_accepting_sets_the_password_once(invited):
    user, token = invited
    accepted = services.invitation_accept(token=token, password="A-good-passw0rd!")
    assert accepted == user
    user.refresh_from_db()
    assert user.check_password("A-good-passw0rd!")
    with pytest.raises(services.InvitationError) as info:
        services.invitation_accept(token=token, password="Another-passw0rd!")
    assert info.value.reason == "used"
    user.refresh_from_db()
    assert user.check_password("A-good-passw0rd!")


def test_accepting_one_invitation_spends_the_older_ones(invited):
    user, token = invited
    newer = services.invitation_create(user=user)
    services.invitation_accept(token=newer, password="A-good-passw0rd!")
    with pytest.raises(services.InvitationError) as info:
        services.invitation_get(token=token)
    assert info.value.reason == "used"


def test_expired_invitation_is_refused(invited):
    user, token = invited
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.InvitationError) as info:
        services.invitation_accept(token=token, password="A-good-passw0rd!")
    assert info.value.reason == "expired"
    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_unknown_tokens_are_invalid(invited, token):
    with pytest.raises(services.InvitationError) as info:
        services.invitation_get(token=token)
    assert info.value.reason == "invalid"


# --- Student step rules ----------------------------------------------------------------


def test_withdrawn_student_cannot_change_anything(path, student, tiny_pdf):
    Enrollment.objects.update(status=Enrollment.Status.WITHDRAWN)
    hours = step(path, "Externship hours")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.step_record_count(step=hours, count=10, user=student)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.evidence_submit(step=step(path, "CPR card"), file=tiny_pdf(), user=student)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.step_set_date(step=step(path, "Exam date"), date_value=date.today(), user=student)
    assert step(path, "Externship hours").count == 0
    assert Evidence.objects.count() == 0


def test_another_student_cannot_change_my_step(path, other_student):
    with pytest.raises(PermissionDenied):
        services.step_record_count(step=step(path, "Externship hours"), count=5, user=other_student)
    assert step(path, "Externship hours").count == 0


def test_verified_step_is_locked_for_the_student(path, student, staff_user):
    services.step_record_count(step=step(path, "Externship hours"), count=160, user=student)
    services.step_verify(step=step(path, "Externship hours"), reviewer=staff_user)
    with pytest.raises(ValidationError, match="verified"):
        services.step_record_count(step=step(path, "Externship hours"), count=10, user=student)
    assert step(path, "Externship hours").count == 160


@pytest.mark.parametrize("value", [-1, 100_001, "abc", None, "1.5"])
def test_counts_out_of_range_are_refused(path, student, value):
    with pytest.raises(ValidationError):
        services.step_record_count(step=step(path, "Externship hours"), count=value, user=student)
    assert step(path, "Externship hours").count == 0


def test_count_back_to_zero_reopens_the_step(path, student):
    services.step_record_count(step=step(path, "Externship hours"), count=10, user=student)
    services.step_record_count(step=step(path, "Externship hours"), count=0, user=student)
    assert step(path, "Externship hours").status == PathStep.Status.TODO


def test_resubmitting_a_count_keeps_its_place_in_the_review_queue(path, student):
    services.step_record_count(step=step(path, "Externship hours"), count=160, user=student)
    first = step(path, "Externship hours").submitted_at
    services.step_record_count(step=step(path, "Externship hours"), count=162, user=student)
    assert step(path, "Externship hours").submitted_at == first


def test_wrong_kind_actions_are_refused(path, student):
    with pytest.raises(ValidationError):
        services.step_record_count(step=step(path, "CPR card"), count=1, user=student)
    with pytest.raises(ValidationError):
        services.step_set_date(step=step(path, "CPR card"), date_value=date.today(), user=student)


def test_exam_date_must_be_plausible(path, student):
    exam = step(path, "Exam date")
    with pytest.raises(ValidationError, match="Enter a date between"):
        services.step_set_date(
            step=exam, date_value=date.today() + timedelta(days=1000), user=student
        )
    services.step_set_date(step=exam, date_value=date.today() + timedelta(days=30), user=student)
    services.step_set_date(step=step(path, "Exam date"), date_value=None, user=student)
    exam = step(path, "Exam date")
    assert (exam.date_value, exam.status) == (None, PathStep.Status.TODO)


def test_mark_done_only_where_the_template_allows(path, student, tiny_pdf):
    with pytest.raises(ValidationError, match="campus confirms"):
        services.step_mark_done(step=step(path, "Complete the coursework"), user=student)
    with pytest.raises(ValidationError, match="Upload your file first"):
        services.step_mark_done(step=step(path, "CPR card"), user=student)
    with pytest.raises(ValidationError, match="0 of 160"):
        services.step_mark_done(step=step(path, "Externship hours"), user=student)
    with pytest.raises(ValidationError, match="once you are certified"):
        services.step_mark_done(step=step(path, "Continuing education"), user=student)
    PathStep.objects.filter(path=path, milestone="credential").update(status="verified")
    services.credential_record(path=path, issued_on=date.today())
    ce = services.step_mark_done(step=step(path, "Continuing education"), user=student)
    assert ce.status == PathStep.Status.SUBMITTED


def test_staff_confirmed_checks_and_dates_take_no_files(path, student, tiny_pdf):
    for title in ("Complete the coursework", "Exam date", "Eligibility approved"):
        with pytest.raises(ValidationError, match="needs no file"):
            services.evidence_submit(step=step(path, title), file=tiny_pdf(), user=student)
    assert Evidence.objects.count() == 0


def test_evidence_submits_the_step_for_review(path, student, tiny_pdf):
    evidence = services.evidence_submit(step=step(path, "CPR card"), file=tiny_pdf(), user=student)
    cpr = step(path, "CPR card")
    assert cpr.status == PathStep.Status.SUBMITTED
    assert cpr.submitted_at is not None
    assert evidence.original_name == "cpr-card.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.uploaded_by == student
    assert evidence.file.name.endswith(".pdf")
    assert "cpr-card" not in evidence.file.name


def test_evidence_for_an_unfinished_count_does_not_submit_it(path, student, tiny_pdf):
    services.evidence_submit(step=step(path, "Externship hours"), file=tiny_pdf(), user=student)
    assert step(path, "Externship hours").status == PathStep.Status.IN_PROGRESS


# --- Staff reviews --------------------------------------------------------------------


def test_reviews_are_audited_and_need_staff(path, student, staff_user):
    cpr = step(path, "CPR card")
    with pytest.raises(PermissionDenied):
        services.step_verify(step=cpr, reviewer=student)
    with pytest.raises(ValidationError):
        services.step_reject(step=cpr, reviewer=staff_user, reason="  ")
    services.step_reject(step=cpr, reviewer=staff_user, reason="The card is expired.")
    services.step_verify(step=step(path, "CPR card"), reviewer=staff_user, note="New card seen")
    cpr = step(path, "CPR card")
    assert cpr.rejection_reason == ""
    assert cpr.staff_note == "New card seen"
    actions = list(
        StepReview.objects.filter(step=cpr).order_by("id").values_list("action", "reason")
    )
    assert actions == [("rejected", "The card is expired."), ("verified", "New card seen")]


def test_reopen_returns_a_step_to_the_student(path, staff_user):
    services.step_waive(step=step(path, "CPR card"), reviewer=staff_user, reason="Mistake")
    services.step_reopen(step=step(path, "CPR card"), reviewer=staff_user, reason="Oops")
    assert step(path, "CPR card").status == PathStep.Status.TODO
    assert CertificationPath.objects.get(pk=path.pk).next_due_date is not None


# --- Credentials and CE -----------------------------------------------------------------


def test_credential_record_without_a_path(student):
    nha = make_certification(renewal_months=24, expiry_rule="issue_date")
    credential = services.credential_record(
        student=student, certification=nha, issued_on=date(2024, 2, 29), number="N-1"
    )
    assert credential.expires_on == date(2026, 2, 28)
    assert credential.name_on_credential == "Sam Student"


@pytest.fixture
def credential(student):
    cert = make_ma_certification(acronym="CMA2")
    return services.credential_record(
        student=student, certification=cert, issued_on=timezone.localdate() - timedelta(days=400)
    )


def add_ce(credential, user, **kw):
    defaults = {
        "title": "Infection control update",
        "provider": "AAMA e-Learning",
        "category": "clinical",
        "credits": "2.5",
        "completed_on": timezone.localdate() - timedelta(days=3),
    }
    return services.ce_activity_add(credential=credential, user=user, **{**defaults, **kw})


def test_ce_progress_by_category_with_overflow_into_any(credential, student):
    add_ce(credential, student, category="administrative", credits="12")
    add_ce(credential, student, category="clinical", credits="4")
    add_ce(credential, student, category="any", credits="5")
    result = progress.ce_progress(
        requirements=credential.certification.ce_requirements.all(),
        activities=credential.ce_activities.all(),
    )
    lines = {line.category: line for line in result.lines}
    assert lines["administrative"].earned == Decimal(10)
    assert lines["administrative"].complete
    assert lines["clinical"].earned == Decimal(4)
    assert lines["clinical"].missing == Decimal(6)
    assert lines["general"].earned == 0
    assert lines["any"].earned == Decimal(7)  # 5 + 2 overflow
    assert result.required == 60
    assert result.earned == Decimal(21)
    assert result.logged == Decimal(21)
    assert result.percent == 35
    assert not result.complete


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", " "),
        ("provider", ""),
        ("category", "cooking"),
        ("credits", "0"),
        ("credits", "-3"),
        ("credits", "1000"),
        ("credits", "NaN"),
        ("credits", "abc"),
        ("credits", "1.005"),
        ("completed_on", None),
        ("completed_on", date.today() + timedelta(days=2)),
        ("completed_on", date(2000, 1, 1)),
    ],
)
def test_bad_ce_entries_are_refused_with_a_message(credential, student, field, value):
    with pytest.raises(ValidationError) as info:
        add_ce(credential, student, **{field: value})
    assert field in info.value.message_dict
    assert CEActivity.objects.count() == 0


def test_ce_for_someone_elses_credential_is_refused(credential, other_student):
    with pytest.raises(PermissionDenied):
        add_ce(credential, other_student)


def test_certification_without_ce_requirements_offers_one_category(student):
    cert = make_certification()
    assert services.ce_categories(cert) == [(CERequirement.ANY_CATEGORY, "Continuing education")]


# --- Profile, calendar and export -------------------------------------------------------


def test_calendar_token_reset_changes_the_secret(student):
    old = services.profile_ensure(user=student).calendar_token
    new = services.calendar_token_reset(user=student)
    assert new != old
    assert len(new) >= 40
    assert StudentProfile.objects.get(user=student).calendar_token == new


def test_profile_export_has_all_my_records_and_nobody_elses(path, other_path, student, tiny_pdf):
    services.evidence_submit(step=step(path, "CPR card"), file=tiny_pdf(), user=student)
    data = services.profile_export(user=student)
    assert data["account"]["email"] == student.email
    assert len(data["enrollments"]) == 1
    steps = data["enrollments"][0]["certification_paths"][0]["steps"]
    assert any(s["evidence"] and s["evidence"][0]["file"] == "cpr-card.pdf" for s in steps)
    assert "other@example.com" not in str(data)


def test_credential_created_on_verification_appears_once(path, staff_user):
    credential_step = step(path, "Credential recorded")
    services.step_verify(step=credential_step, reviewer=staff_user, issued_on=date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.step_verify(step=step(path, "Credential recorded"), reviewer=staff_user)
    assert refused.value.code == "already_decided"
    assert Credential.objects.filter(path=path).count() == 1

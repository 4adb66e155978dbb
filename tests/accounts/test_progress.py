"""The one source of truth: progress %, status, next step and next due date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts import progress, services
from accounts.models import CertificationPath, PathStep
from careers.models import PathStepTemplate
from tests.accounts.conftest import step
from tests.factories import make_certification

pytestmark = pytest.mark.django_db


def fresh(path):
    return CertificationPath.objects.get(pk=path.pk)


def test_path_is_created_from_the_template_with_due_dates(path, certification, cohort):
    steps = list(path.steps.all())
    templates = list(certification.path_steps.all())
    assert [s.title for s in steps] == [t.title for t in templates]
    assert [s.template_id for s in steps] == [t.pk for t in templates]
    hours = step(path, "Externship hours")
    assert (hours.kind, hours.target, hours.unit) == ("count", 160, "hours")
    assert hours.due_date == cohort.start_date + timedelta(days=250)
    assert step(path, "Eligibility approved").due_date is None
    assert all(s.status == PathStep.Status.TODO for s in steps)


def test_a_new_path_is_not_started_and_points_to_the_first_step(path):
    path = fresh(path)
    assert path.progress_percent == 0
    assert path.status == CertificationPath.Status.NOT_STARTED
    # Coursework is first but only staff complete it: the student's next step is the
    # soonest due of theirs, the CPR card (day 120), which is also the earliest deadline.
    assert path.next_step.title == "CPR card"
    assert path.next_due_date == step(path, "CPR card").due_date
    assert path.recomputed_at is not None


def test_count_step_gives_partial_credit(path, student):
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    path = fresh(path)
    # 7 certification steps (renewal excluded); 112/160 = 0.7 of one step -> 10%.
    assert path.progress_percent == 10
    assert path.status == CertificationPath.Status.IN_TRAINING
    hours = step(path, "Externship hours")
    assert hours.status == PathStep.Status.IN_PROGRESS


def test_count_reaching_target_is_submitted_not_done(path, student):
    services.step_record_count(step=step(path, "Externship hours"), count=160, user=student)
    hours = step(path, "Externship hours")
    assert hours.status == PathStep.Status.SUBMITTED
    assert hours.submitted_at is not None
    path = fresh(path)
    assert path.progress_percent == 14  # one full step of seven, floored


def test_verified_check_step_counts_fully(path, staff_user):
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    path = fresh(path)
    assert path.progress_percent == 14
    assert path.next_step.title == "CPR card"  # the soonest due of the student's steps


def test_submitted_evidence_counts_nothing_until_verified(path, student, staff_user, tiny_pdf):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=tiny_pdf(), user=student)
    assert fresh(path).progress_percent == 0
    services.step_verify(step=step(path, "CPR card"), reviewer=staff_user)
    assert fresh(path).progress_percent == 14


def test_rejected_step_counts_nothing_and_becomes_the_next_step(path, student, staff_user):
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    hours = step(path, "Externship hours")
    services.step_record_count(step=hours, count=120, user=student)
    assert fresh(path).progress_percent == 25  # (1 + 0.75) of 7
    services.step_reject(step=step(path, "Externship hours"), reviewer=staff_user, reason="Sign")
    path = fresh(path)
    assert path.progress_percent == 14
    assert path.next_step.title == "Externship hours"
    assert path.next_step.rejection_reason == "Sign"


def test_waived_step_leaves_the_calculation(path, staff_user):
    services.step_waive(step=step(path, "CPR card"), reviewer=staff_user, reason="Holds a card")
    path = fresh(path)
    assert path.progress_percent == 0  # 0 of 6 weighed steps
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    assert fresh(path).progress_percent == 16  # 1 of 6


def test_progress_stays_below_100_until_every_step_is_done():
    steps = [
        PathStep(kind="count", target=3, count=3, status="submitted", milestone=""),
        PathStep(kind="check", status="verified", milestone=""),
    ]
    assert progress.derive(steps).progress_percent == 99
    steps[0].status = "verified"
    assert progress.derive(steps).progress_percent == 100


def test_mixed_path_walks_through_every_status(path, student, staff_user, tiny_pdf):
    S = CertificationPath.Status
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    services.step_record_count(step=step(path, "Externship hours"), count=160, user=student)
    services.step_verify(step=step(path, "Externship hours"), reviewer=staff_user)
    services.step_waive(step=step(path, "CPR card"), reviewer=staff_user, reason="On file")
    assert fresh(path).status == S.IN_TRAINING
    services.step_verify(step=step(path, "Eligibility approved"), reviewer=staff_user)
    assert fresh(path).status == S.ELIGIBLE
    exam_day = timezone.localdate() + timedelta(days=20)
    services.step_set_date(step=step(path, "Exam date"), date_value=exam_day, user=student)
    path_now = fresh(path)
    assert path_now.status == S.EXAM_SCHEDULED
    assert step(path, "Exam date").status == PathStep.Status.VERIFIED  # needs no review
    assert path_now.next_due_date == exam_day
    assert path_now.next_step.title == "Exam passed"
    services.evidence_submit(step=step(path, "Exam passed"), file=tiny_pdf(), user=student)
    services.step_verify(step=step(path, "Exam passed"), reviewer=staff_user)
    assert fresh(path).status == S.EXAM_PASSED
    assert fresh(path).next_step.title == "Credential recorded"
    services.step_verify(
        step=step(path, "Credential recorded"),
        reviewer=staff_user,
        credential_number="CMA-123",
        issued_on=date(2025, 1, 15),
    )
    path_now = fresh(path)
    assert path_now.progress_percent == 100
    credential = path_now.credential
    assert credential.number == "CMA-123"
    assert credential.expires_on == date(2030, 1, 31)
    assert path_now.next_step.title == "Continuing education"
    assert path_now.next_due_date == date(2030, 1, 31)
    assert path_now.status in (S.CERTIFIED, S.RENEWAL_DUE, S.EXPIRED)
    expected = progress.derive(
        path_now.steps.all(), credential=credential, today=timezone.localdate()
    ).status
    assert path_now.status == expected


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (400, "certified"),
        (91, "certified"),
        (90, "renewal_due"),
        (0, "renewal_due"),
        (-1, "expired"),
    ],
)
def test_credential_expiry_drives_renewal_due_and_expired(days_left, status):
    today = date(2026, 3, 10)
    credential = type("C", (), {"expires_on": today + timedelta(days=days_left)})()
    steps = [PathStep(kind="check", status="verified", milestone="credential")]
    assert progress.derive(steps, credential=credential, today=today).status == status


def test_eligible_without_an_eligibility_step_once_training_is_done():
    steps = [
        PathStep(kind="check", status="verified", milestone=""),
        PathStep(kind="check", status="waived", milestone=""),
        PathStep(kind="date", status="todo", milestone="exam_scheduled"),
    ]
    assert progress.derive(steps).status == "eligible"


def test_submitted_step_is_next_only_when_nothing_waits_on_the_student():
    a = PathStep(title="a", kind="check", status="submitted", milestone="")
    b = PathStep(title="b", kind="check", status="todo", milestone="")
    assert progress.derive([a, b]).next_step is b
    b.status = "verified"
    assert progress.derive([a, b]).next_step is a


def test_renewal_steps_do_not_count_toward_progress():
    steps = [
        PathStep(kind="check", status="verified", milestone=""),
        PathStep(kind="check", status="todo", milestone="renewal"),
    ]
    assert progress.derive(steps).progress_percent == 100


def test_path_without_steps_is_not_started_at_zero():
    derived = progress.derive([])
    assert (derived.progress_percent, derived.status, derived.next_step) == (0, "not_started", None)


def test_past_exam_date_drops_out_of_next_due_date():
    today = date(2026, 5, 1)
    exam = PathStep(
        kind="date", status="verified", milestone="exam_scheduled", date_value=date(2026, 4, 1)
    )
    assert progress.derive([exam], today=today).next_due_date is None
    exam.date_value = date(2026, 5, 20)
    assert progress.derive([exam], today=today).next_due_date == date(2026, 5, 20)


def test_stale_time_sensitive_paths_are_refreshed_on_read(path, staff_user):
    for s in path.steps.exclude(milestone="renewal"):
        services.step_verify(step=s, reviewer=staff_user, issued_on=date(2020, 1, 10))
    path = fresh(path)
    assert path.status == "expired"  # 2020-01 + 60 months ended 2025-01-31
    CertificationPath.objects.filter(pk=path.pk).update(
        status="certified", recomputed_at=timezone.now() - timedelta(days=2)
    )
    paths = list(
        CertificationPath.objects.filter(pk=path.pk)
        .prefetch_related("steps")
        .select_related("credential")
    )
    assert progress.paths_refresh_stale(paths) == paths
    assert fresh(path).status == "expired"
    assert progress.paths_refresh_stale(paths) == []  # derived today: nothing to do


def test_path_apply_template_keeps_progress_on_remaining_steps(path, student, certification):
    services.step_record_count(step=step(path, "Externship hours"), count=40, user=student)
    tpl = certification.path_steps
    hours_tpl = tpl.get(title="Externship hours")
    hours_tpl.title = "Externship hours (signed)"
    hours_tpl.target = 180
    hours_tpl.save()
    tpl.get(title="CPR card").delete()
    PathStepTemplate.objects.create(
        certification=certification, order=9, title="Resume workshop", kind="check"
    )
    # Started paths are not rewritten silently.
    assert path.steps.filter(title="Externship hours").exists()
    summary = services.path_apply_template(path=path)
    assert summary == {"added": 1, "updated": 1, "removed": 1, "kept": 0}
    hours = path.steps.get(title="Externship hours (signed)")
    assert (hours.count, hours.target, hours.status) == (40, 180, "in_progress")
    assert not path.steps.filter(title="CPR card").exists()
    assert path.steps.filter(title="Resume workshop").exists()
    assert fresh(path).template_applied_at > path.created_at


def test_path_apply_template_keeps_removed_steps_that_hold_work(
    path, student, certification, tiny_pdf
):
    services.evidence_submit(step=step(path, "CPR card"), file=tiny_pdf(), user=student)
    certification.path_steps.get(title="CPR card").delete()
    summary = services.path_apply_template(path=path)
    assert summary["kept"] == 1
    assert path.steps.filter(title="CPR card", status="submitted").exists()


def test_every_screen_reads_the_stored_figure(path, student):
    """Stored fields equal a fresh derivation: nothing recomputes differently elsewhere."""
    services.step_record_count(step=step(path, "Externship hours"), count=99, user=student)
    path = fresh(path)
    derived = progress.derive(path.steps.all())
    assert (path.progress_percent, path.status, path.next_step, path.next_due_date) == (
        derived.progress_percent,
        derived.status,
        derived.next_step,
        derived.next_due_date,
    )


def test_certification_without_templates_gives_an_empty_path(student, enroll):
    cert = make_certification()
    path = enroll(student, certifications=[cert]).paths.get()
    assert path.steps.count() == 0
    assert fresh(path).status == "not_started"

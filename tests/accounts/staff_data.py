"""Builders for the staff-side tests (admin, reports, reminders, calendar).

Rows are written directly (fast, and any state is reachable); the stored progress
fields are then derived by accounts.progress.path_recompute, as the services do."""

import itertools
from datetime import timedelta

from django.utils import timezone

from accounts import progress
from accounts.models import (
    CertificationPath,
    Credential,
    Enrollment,
    PathStep,
    StudentProfile,
    User,
)
from tests.factories import make_campus, make_certification, make_cohort, make_offering

_seq = itertools.count(1)

STEPS = [
    {"title": "Complete the coursework", "kind": "check"},
    {"title": "Externship hours", "kind": "count", "target": 160, "unit": "hours"},
    {"title": "CPR card", "kind": "evidence", "student_can_complete": True},
    {"title": "Eligibility approved", "kind": "check", "milestone": "eligible"},
    {
        "title": "Exam date",
        "kind": "date",
        "milestone": "exam_scheduled",
        "requires_verification": False,
        "student_can_complete": True,
    },
    {"title": "Exam passed", "kind": "evidence", "milestone": "exam_passed"},
    {"title": "Credential recorded", "kind": "check", "milestone": "credential"},
]


def make_student(email=None, **fields):
    i = next(_seq)
    fields.setdefault("first_name", f"Student{i}")
    fields.setdefault("last_name", f"Lastname{i:03d}")
    return User.objects.create_user(email=email or f"student{i}@example.com", **fields)


def make_staff_cohort(*, campus=None, start_days_ago=60, **kw):
    campus = campus or make_campus()
    return make_cohort(
        offering=make_offering(campus=campus, **kw),
        start_date=timezone.localdate() - timedelta(days=start_days_ago),
    )


def make_ma_certification(**kw):
    defaults = {"acronym": f"CMA{next(_seq)}", "name": "Certified Medical Assistant"}
    return make_certification(steps=STEPS, **{**defaults, **kw})


def make_path(
    *,
    student=None,
    cohort=None,
    certification=None,
    enrollment=None,
    enrollment_status=Enrollment.Status.ENROLLED,
):
    """An enrollment (unless given) and a path with a copy of the template's steps."""
    if enrollment is None:
        enrollment = Enrollment.objects.create(
            student=student or make_student(),
            cohort=cohort or make_staff_cohort(),
            status=enrollment_status,
        )
    certification = certification or make_ma_certification()
    path = CertificationPath.objects.create(enrollment=enrollment, certification=certification)
    PathStep.objects.bulk_create(
        PathStep(
            path=path,
            template=t,
            order=t.order,
            title=t.title,
            kind=t.kind,
            target=t.target,
            unit=t.unit,
            requires_verification=t.requires_verification,
            student_can_complete=t.student_can_complete,
            milestone=t.milestone,
        )
        for t in certification.path_steps.all()
    )
    return progress.path_recompute(path)


def step(path, title):
    return path.steps.get(title=title)


def submit(step_obj, *, days_ago=1, **fields):
    step_obj.status = PathStep.Status.SUBMITTED
    step_obj.submitted_at = timezone.now() - timedelta(days=days_ago)
    for name, value in fields.items():
        setattr(step_obj, name, value)
    step_obj.save()
    progress.path_recompute(step_obj.path)
    return step_obj


def update_step(step_obj, **fields):
    for name, value in fields.items():
        setattr(step_obj, name, value)
    step_obj.save()
    progress.path_recompute(step_obj.path)
    return step_obj


def make_profile(user, token=None):
    return StudentProfile.objects.create(
        user=user, calendar_token=token or f"tok-{next(_seq):04d}-" + "x" * 30
    )


def make_credential(*, student, certification=None, issued_days_ago=700, expires_in=45, path=None):
    today = timezone.localdate()
    return Credential.objects.create(
        student=student,
        certification=certification or make_ma_certification(),
        path=path,
        number=f"N-{next(_seq)}",
        issued_on=today - timedelta(days=issued_days_ago),
        expires_on=None if expires_in is None else today + timedelta(days=expires_in),
    )

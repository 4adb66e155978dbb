"""Fixtures for the portal tests: a realistic certification path and enrollments."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts import services
from tests.factories import make_campus, make_certification, make_cohort, make_offering

MA_STEPS = [
    {
        "title": "Complete the coursework",
        "kind": "check",
        "student_can_complete": False,
        "due_days": 200,
        "help_text": "Your instructors confirm this when you pass the final module.",
    },
    {
        "title": "Externship hours",
        "kind": "count",
        "target": 160,
        "unit": "hours",
        "student_can_complete": True,
        "due_days": 250,
        "help_text": "Log your hours from your signed time sheets.",
    },
    {
        "title": "CPR card",
        "kind": "evidence",
        "student_can_complete": True,
        "due_days": 120,
        "help_text": "Upload both sides of your BLS/CPR card.",
    },
    {
        "title": "Eligibility approved",
        "kind": "check",
        "milestone": "eligible",
    },
    {
        "title": "Exam date",
        "kind": "date",
        "milestone": "exam_scheduled",
        "requires_verification": False,
        "student_can_complete": True,
    },
    {
        "title": "Exam passed",
        "kind": "evidence",
        "milestone": "exam_passed",
        "student_can_complete": True,
        "help_text": "Upload your score report.",
    },
    {"title": "Credential recorded", "kind": "check", "milestone": "credential"},
    {
        "title": "Continuing education",
        "kind": "check",
        "milestone": "renewal",
        "student_can_complete": True,
    },
]

CMA_CE = [
    ("administrative", "Administrative", 10),
    ("clinical", "Clinical", 10),
    ("general", "General", 10),
    ("any", "Any category", 30),
]


def make_ma_certification(**kw):
    defaults = {
        "acronym": "CMA",
        "name": "Certified Medical Assistant",
        "renewal_months": 60,
        "expiry_rule": "end_of_month",
    }
    return make_certification(steps=MA_STEPS, ce=CMA_CE, **{**defaults, **kw})


@pytest.fixture
def certification(db):
    return make_ma_certification()


@pytest.fixture
def cohort(db):
    campus = make_campus(name="Dallas", slug="dallas-test")
    return make_cohort(
        offering=make_offering(campus=campus),
        start_date=timezone.localdate() - timedelta(days=60),
    )


@pytest.fixture
def enroll(db, cohort, certification):
    """enroll(user, cohort=..., certifications=[...]) -> Enrollment (no e-mail sent)."""

    def make(user, *, cohort=cohort, certifications=None):
        return services.enrollment_create(
            email=user.email,
            cohort=cohort,
            certifications=certifications or [certification],
            notify=False,
        )

    return make


@pytest.fixture
def path(student, enroll):
    return enroll(student).paths.get()


@pytest.fixture
def other_path(other_student, enroll):
    return enroll(other_student).paths.get()


def step(path, title):
    return path.steps.get(title=title)


def a_date(days):
    return date.today() + timedelta(days=days)


@pytest.fixture
def tiny_pdf():
    from tests.accounts import files

    return files.pdf

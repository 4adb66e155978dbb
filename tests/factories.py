"""Small factory functions shared by the test suites (keyword-only, sensible defaults)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from careers.models import (
    CERequirement,
    Certification,
    CertifyingBody,
    PathStepTemplate,
    Role,
)
from programs.models import Campus, Cohort, Offering, Program

_seq = itertools.count(1)


def n():
    return next(_seq)


def make_body(**kw):
    i = n()
    defaults = {"name": f"Certifying Body {i}", "acronym": f"CB{i}", "slug": f"cb{i}"}
    return CertifyingBody.objects.create(**{**defaults, **kw})


def make_certification(*, body=None, steps=(), ce=(), **kw):
    """steps: dicts of PathStepTemplate fields; ce: (category, label, credits) tuples."""
    i = n()
    defaults = {
        "name": f"Certification {i}",
        "acronym": f"C{i}",
        "slug": f"cert-{i}",
        "summary": "A certification.",
        "renewal_months": 24,
    }
    cert = Certification.objects.create(body=body or make_body(), **{**defaults, **kw})
    for order, step in enumerate(steps, start=1):
        PathStepTemplate.objects.create(certification=cert, order=order, **step)
    for order, (category, label, credits) in enumerate(ce, start=1):
        CERequirement.objects.create(
            certification=cert, category=category, label=label, credits=credits, order=order
        )
    return cert


def make_role(**kw):
    i = n()
    defaults = {"title": f"Role {i}", "slug": f"role-{i}", "summary": "A role."}
    return Role.objects.create(**{**defaults, **kw})


def make_campus(**kw):
    i = n()
    defaults = {
        "name": f"Campus {i}",
        "slug": f"campus-{i}",
        "street": f"{i} Main St",
        "city": "Dallas",
        "postal_code": "75201",
        "phone": "(214) 555-0100",
        "email": f"campus{i}@example.com",
        "admissions_email": f"admissions{i}@example.com",
        "hours": "Mon-Fri 8am-6pm",
    }
    return Campus.objects.create(**{**defaults, **kw})


def make_program(**kw):
    i = n()
    defaults = {
        "title": f"Program {i}",
        "slug": f"program-{i}",
        "summary": "A program.",
        "description": "A program description.",
        "clock_hours": 720,
        "length_weeks": 36,
        "externship_hours": 160,
        "tuition": Decimal("14950.00"),
    }
    return Program.objects.create(**{**defaults, **kw})


def make_offering(*, program=None, campus=None, **kw):
    defaults = {
        "schedule": "day",
        "class_days": "Monday to Thursday",
        "class_times": "8:00 am to 1:00 pm",
    }
    return Offering.objects.create(
        program=program or make_program(), campus=campus or make_campus(), **{**defaults, **kw}
    )


def make_cohort(*, offering=None, start_date=None, weeks=36, taken=0, **kw):
    """A cohort; ``taken``: that many seats held by enrolled students (``fill_cohort``)."""
    start = start_date or date.today() + timedelta(days=30)
    cohort = Cohort.objects.create(
        offering=offering or make_offering(),
        start_date=start,
        graduation_date=start + timedelta(weeks=weeks),
        **kw,
    )
    if taken:
        fill_cohort(cohort, taken)
    return cohort


def fill_cohort(cohort, count=None):
    """Take ``count`` seats (default: every seat left) with newly enrolled students, the
    way seats are taken for real: the receivers recount ``seats_taken``. Returns the
    cohort, refreshed."""
    from accounts.models import Enrollment, User

    if count is None:
        cohort.refresh_from_db(fields=["seats_taken"])
        count = cohort.seats - cohort.seats_taken
    for _ in range(count):
        student = User.objects.create_user(email=f"seat{n()}@example.com", password=None)
        Enrollment.objects.create(student=student, cohort=cohort)
    cohort.refresh_from_db()
    return cohort

"""Shared pieces of the apply tests: a start date, an applicant's filled-in draft."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Application
from accounts.services import applications as apps
from tests.accounts.files import pdf, png
from tests.factories import make_campus, make_cohort, make_offering, make_program


def make_start(*, days=30, campus_slug="arlington", **kw):
    program = make_program(title="Medical Assistant")
    campus = make_campus(name=campus_slug.title(), slug=campus_slug)
    return make_cohort(
        offering=make_offering(program=program, campus=campus),
        start_date=timezone.localdate() + timedelta(days=days),
        **kw,
    )


ABOUT = {
    "first_name": "Ana",
    "last_name": "Lopez",
    "phone": "(817) 555-0100",
    "address": "12 Main St",
    "city": "Arlington",
    "state": "TX",
    "postal_code": "76010",
}


def about_post(**kw):
    born = timezone.localdate() - timedelta(days=365 * 25)
    return {**ABOUT, "date_of_birth": born.isoformat(), **kw}


def fill(application, user):
    """Every answer and both documents: ready to send."""
    apps.application_update(
        application=application,
        user=user,
        first_name="Ana",
        last_name="Lopez",
        phone="817-555-0100",
        date_of_birth=timezone.localdate() - timedelta(days=365 * 25),
        education=Application.Education.GED,
        school_name="Arlington High",
        graduation_year=2015,
        consent_truthful=True,
        consent_contact=True,
    )
    apps.application_document_add(
        application=application, kind="photo_id", file=png("id.png"), user=user
    )
    apps.application_document_add(
        application=application, kind="education", file=pdf("ged.pdf"), user=user
    )
    return application

"""Two staff accept the last seat of a start at the same moment: one wins, the other's
applicant goes to the waitlist with a clear message, and the start never oversells."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.cohorts import seats_holding_count
from accounts.models import Application, Enrollment
from accounts.services import applications as apps
from tests.accounts.staff_data import make_ma_certification
from tests.accounts.test_application_services import fill, ready_to_accept
from tests.accounts.test_concurrency import run_together
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # See tests/accounts/test_concurrency.py: threads need PostgreSQL (.ci/run).
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="threads need a database server or file"
    ),
]


def test_two_acceptances_of_the_last_seat(make_user, staff_user):
    certification = make_ma_certification(acronym="CMA")
    program = make_program(title="Medical Assistant", main_certification=certification)
    program.certifications.add(certification)
    cohort = make_cohort(
        offering=make_offering(program=program, campus=make_campus(name="Arlington")),
        start_date=timezone.localdate() + timedelta(days=40),
        seats=2,
    )
    applications = []
    for email in ("ana@example.com", "bo@example.com", "cy@example.com"):
        user = make_user(email, first_name="A", last_name="B")
        application = apps.application_start(applicant=user, cohort=cohort)
        fill(application, user)
        apps.application_submit(application=application, user=user)
        applications.append(ready_to_accept(application, staff_user))
    # One seat taken already: one left for two applications.
    apps.application_accept(application=applications[0], reviewer=staff_user)
    racing = applications[1:]

    errors = run_together(
        2, lambda i: apps.application_accept(application=racing[i], reviewer=staff_user)
    )

    assert len(errors) == 1
    assert isinstance(errors[0], apps.SeatTaken)
    statuses = sorted(
        Application.objects.filter(pk__in=[a.pk for a in racing]).values_list("status", flat=True)
    )
    assert statuses == ["accepted", "waitlisted"]
    assert Enrollment.objects.filter(cohort=cohort).count() == 2
    assert seats_holding_count(cohort.pk) == cohort.seats

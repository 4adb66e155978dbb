# ruff: noqa: F811  (pytest fixtures imported from another test module)
"""Seats taken stay right when staff write at the same moment (PostgreSQL): enrollments
in one start at once are all counted, without a deadlock, and an acceptance racing a
typed-in enrollment for the last seat leaves the stored figure equal to the rows."""

import pytest
from django.db import connection

from accounts import services
from accounts.cohorts import seats_holding_count
from accounts.services import applications as apps
from tests.accounts.test_application_services import (  # noqa: F401
    applicant,
    cohort,
    ready_to_accept,
    submitted,
)
from tests.accounts.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="threads need a database server or file"
    ),
]


def test_enrollments_at_the_same_moment_are_all_counted(cohort, staff_user):
    cohort.seats = 10
    cohort.save()

    def enroll(i):
        services.enrollment_create(
            email=f"same-moment-{i}@example.com",
            cohort=cohort,
            certifications=[],
            created_by=staff_user,
            notify=False,
        )

    assert run_together(4, enroll) == []
    cohort.refresh_from_db()
    assert cohort.seats_taken == seats_holding_count(cohort.pk) == 4


def test_an_acceptance_racing_an_enrollment_for_the_last_seat(submitted, staff_user, cohort):
    cohort.seats = 1
    cohort.save()
    application = ready_to_accept(submitted, staff_user)

    def work(i):
        if i == 0:
            apps.application_accept(application=application, reviewer=staff_user)
        else:
            services.enrollment_create(
                email="typed-in@example.com",
                cohort=cohort,
                certifications=[],
                created_by=staff_user,
                notify=False,
            )

    errors = run_together(2, work)
    assert all(isinstance(e, apps.SeatTaken) for e in errors)
    cohort.refresh_from_db()
    assert cohort.seats_taken == seats_holding_count(cohort.pk)
    # The enrollment typed in by staff is not refused here (its form warns first), so
    # the start holds one or two; acceptance itself never takes a seat that is gone.
    application.refresh_from_db()
    assert (application.status == "accepted") == (not errors)

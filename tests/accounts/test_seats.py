# ruff: noqa: F811  (pytest fixtures imported from another test module)
"""``Cohort.seats_taken`` follows every row that takes or gives back a seat: enrollments
created, withdrawn, moved or deleted; applications accepted, withdrawn or deleted. Only
``cohort_seats_recompute`` writes it; ``seat_check`` reads it for every enroll form."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.cohorts import (
    cohort_seats_recompute,
    cohorts_seats_recompute,
    seat_check,
    seats_holding_count,
)
from accounts.models import Application, Enrollment
from accounts.services import applications as apps
from programs.models import Cohort
from tests.accounts.staff_data import make_student
from tests.accounts.test_application_services import (  # noqa: F401
    applicant,
    cohort,
    fill,
    ready_to_accept,
    submitted,
)
from tests.factories import fill_cohort, make_cohort

pytestmark = pytest.mark.django_db


def taken(cohort):
    cohort.refresh_from_db()
    assert cohort.seats_taken == seats_holding_count(cohort.pk)  # never apart
    return cohort.seats_taken


def test_an_enrollment_through_the_service_takes_a_seat(cohort, staff_user):
    assert taken(cohort) == 0
    services.enrollment_create(
        email="new@example.com", cohort=cohort, certifications=[], created_by=staff_user
    )
    assert taken(cohort) == 1


def test_withdrawing_gives_the_seat_back_and_returning_takes_it_again(cohort):
    enrollment = Enrollment.objects.create(student=make_student(), cohort=cohort)
    assert taken(cohort) == 1
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    assert taken(cohort) == 0
    enrollment.status = Enrollment.Status.ON_LEAVE
    enrollment.save(update_fields=["status"])
    assert taken(cohort) == 1


def test_moving_a_student_to_another_start_moves_the_seat(cohort):
    other = make_cohort(offering=cohort.offering, start_date=cohort.start_date + timedelta(90))
    enrollment = Enrollment.objects.create(student=make_student(), cohort=cohort)
    enrollment = Enrollment.objects.get(pk=enrollment.pk)  # as the admin loads it
    enrollment.cohort = other
    enrollment.save()
    assert (taken(cohort), taken(other)) == (0, 1)


def test_deleting_an_enrollment_frees_its_seat(cohort):
    enrollment = Enrollment.objects.create(student=make_student(), cohort=cohort)
    Enrollment.objects.create(student=make_student(), cohort=cohort)
    enrollment.delete()
    assert taken(cohort) == 1


def test_an_unrelated_save_does_not_recount(cohort, django_assert_num_queries):
    enrollment = Enrollment.objects.create(student=make_student(), cohort=cohort)
    enrollment.enrolled_on = timezone.localdate()
    with django_assert_num_queries(1):  # the UPDATE only
        enrollment.save()


def test_accepting_takes_the_seat_and_withdrawing_gives_it_back(submitted, staff_user, cohort):
    application = ready_to_accept(submitted, staff_user)
    apps.application_accept(application=application, reviewer=staff_user)
    assert taken(cohort) == 1
    apps.application_withdraw(application=application, user=application.applicant)
    assert taken(cohort) == 0


def test_an_accepted_application_without_enrollment_holds_a_seat_until_deleted(submitted, cohort):
    application = Application.objects.get(pk=submitted.pk)
    application.status = Application.Status.ACCEPTED
    application.save()
    assert taken(cohort) == 1
    application.delete()
    assert taken(cohort) == 0


def test_the_last_seat_accepted_makes_the_start_full(submitted, staff_user, cohort):
    fill_cohort(cohort, cohort.seats - 1)
    application = ready_to_accept(submitted, staff_user)
    apps.application_accept(application=application, reviewer=staff_user)
    cohort.refresh_from_db()
    assert cohort.is_full
    assert cohort.availability_label == "Full: waitlist open"
    assert not Cohort.objects.open_for_enrollment().filter(pk=cohort.pk).exists()
    # A full start still takes applications, for its waitlist.
    assert apps.cohort_open_for_applications(cohort)


def test_a_closed_start_takes_no_applications(cohort):
    cohort.status = Cohort.Status.CLOSED
    cohort.save()
    assert not apps.cohort_open_for_applications(cohort)


def test_recount_repairs_a_figure_written_past_the_receivers(cohort):
    Enrollment.objects.bulk_create([Enrollment(student=make_student(), cohort=cohort)])
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0  # bulk_create skipped the receivers
    out = io.StringIO()
    call_command("recount_seats", stdout=out)
    assert "1 cohort(s) corrected" in out.getvalue()
    assert taken(cohort) == 1
    assert cohorts_seats_recompute() == 0
    assert cohort_seats_recompute(0) is None  # no such cohort: nothing to do


# --- seat_check: the one rule of every enroll form ------------------------------------


@pytest.mark.parametrize(
    ("seats", "count", "adding", "refused", "warning"),
    [
        (3, 0, 1, "", ""),
        (3, 2, 1, "", ""),  # the last seat
        (3, 2, 2, "", "has 1 seat left (2 of 3 seats taken); enrolling 2 would go over."),
        (3, 3, 1, "", "is full: 3 of 3 seats taken."),
        (3, 4, 1, "", "is full: 4 of 3 seats taken."),
    ],
)
def test_seat_check_reads_the_seats_taken(cohort, seats, count, adding, refused, warning):
    Cohort.objects.filter(pk=cohort.pk).update(seats=seats)
    cohort.refresh_from_db()
    fill_cohort(cohort, count)
    check = seat_check(cohort, adding=adding)
    assert check.refused == refused
    assert (warning in check.warning) if warning else check.warning == ""
    if warning:
        assert check.warning.endswith("Tick “Enroll anyway” to confirm.")


def test_seat_check_refuses_a_closed_start(cohort):
    cohort.status = Cohort.Status.CLOSED
    cohort.save()
    check = seat_check(cohort)
    assert check.refused.endswith("is closed: it takes no new enrollments.")

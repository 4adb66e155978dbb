from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from programs.models import Campus, Cohort, Program, Schedule
from tests.factories import make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db


def test_upcoming_excludes_past_and_closed_cohorts(catalog, today):
    upcoming = Cohort.objects.upcoming()
    assert all(c.start_date >= today and c.status != "closed" for c in upcoming)
    assert upcoming.count() == 6


def test_next_cohort_skips_full_classes(catalog, today):
    campus = Campus.objects.with_offerings().get(slug="arlington")
    rows = {row["program"].slug: row for row in campus.program_rows()}
    # Arlington day MA starts in 10 days but is full; the evening one (30 days) has 3 seats
    # left and the next day class starts in 40 days: the earliest start with a seat wins.
    assert rows["medical-assisting"]["next_cohort"].start_date == today + timedelta(days=30)
    assert rows["medical-billing"]["next_cohort"].start_date == today + timedelta(days=15)


def test_program_without_upcoming_cohort_has_no_next_start(catalog):
    program = Program.objects.with_offerings().get(slug="ekg-technician")
    assert program.next_cohort is None
    assert program.campus_rows()[0]["next_cohort"] is None


def test_offered_filters_campus_and_schedule_on_the_same_offering(catalog):
    evening_in_dallas = Program.objects.offered(campus_slug="dallas", schedule="evening")
    assert list(evening_in_dallas) == []
    evening_in_arlington = Program.objects.offered(campus_slug="arlington", schedule="evening")
    assert {p.slug for p in evening_in_arlington} == {"medical-assisting", "medical-billing"}


def test_offering_tuition_override(catalog):
    offering = make_offering(
        program=catalog["ekg"], campus=catalog["arlington"], tuition_override=999
    )
    assert offering.tuition == 999
    assert (
        make_offering(
            program=catalog["ekg"], campus=catalog["arlington"], schedule="weekend"
        ).tuition
        == catalog["ekg"].tuition
    )


def test_tuition_range_over_offerings(catalog):
    make_offering(program=catalog["billing"], campus=catalog["dallas"], tuition_override=20000)
    program = Program.objects.with_offerings().get(slug="medical-billing")
    assert program.tuition_range() == (program.tuition, 20000)


def test_cohort_graduation_must_follow_start(catalog, today):
    offering = catalog["ma"].offerings.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            offering=offering, start_date=today, graduation_date=today - timedelta(days=1)
        )


def test_one_cohort_per_offering_and_start_date(catalog, today):
    offering = catalog["ma"].offerings.first()
    make_cohort(offering=offering, start_date=today + timedelta(days=200))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cohort(offering=offering, start_date=today + timedelta(days=200))


def test_outcome_rates_are_percentages(catalog):
    with pytest.raises(IntegrityError), transaction.atomic():
        catalog["ma"].outcomes.create(year=2024, completion_rate=120, source="Report")


def test_externship_cannot_exceed_program_hours(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_program(clock_hours=100, externship_hours=160)


def test_list_properties_skip_blank_lines(db):
    program = make_program(tuition_includes="Books\n\n Scrubs \n", admission_requirements="GED\n")
    assert program.tuition_includes_list == ["Books", "Scrubs"]
    assert program.admission_requirements_list == ["GED"]


def test_schedule_display_follows_the_language_and_keeps_unknown_values():
    offering = make_offering(schedule=Schedule.EVENING)
    assert offering.get_schedule_display() == "Evening"
    with translation.override("es"):
        assert offering.get_schedule_display() == "Vespertino"
    offering.schedule = "weekend-only"
    assert offering.get_schedule_display() == "weekend-only"

"""Seats are counted, never typed: full, waitlist, "N seats left" and the next start are
derived from ``Cohort.seats_taken``, and public pages say so."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse

from programs.models import Cohort, Offering, Program
from tests.factories import fill_cohort, make_cohort, make_offering

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "taken", "availability", "label", "left", "enrollable"),
    [
        ("open", 0, "open", "Open", 10, True),
        ("open", 4, "open", "Open", 6, True),
        ("open", 5, "few", "5 seats left", 5, True),  # FEW_SEATS left
        ("open", 9, "few", "1 seat left", 1, True),  # seats - 1
        ("open", 10, "full", "Full: waitlist open", 0, False),  # seats
        ("open", 12, "full", "Full: waitlist open", 0, False),  # over (enrolled anyway)
        ("closed", 0, "closed", "Closed", 10, False),
        ("closed", 10, "closed", "Closed", 0, False),
    ],
)
def test_availability_is_derived_from_seats_taken(
    status, taken, availability, label, left, enrollable
):
    cohort = Cohort(seats=10, seats_taken=taken, status=status)
    assert cohort.availability == availability
    assert cohort.availability_label == label
    assert cohort.seats_left == left
    assert cohort.is_enrollable is enrollable
    assert cohort.is_full is (taken >= 10)
    assert cohort.is_waitlist is (status == "open" and taken >= 10)
    assert cohort.few_seats_left is (availability == "few")


def test_staff_can_only_open_or_close_a_start():
    assert [value for value, _ in Cohort.Status.choices] == ["open", "closed"]
    assert not Cohort._meta.get_field("seats_taken").editable


@pytest.fixture
def starts(today):
    """One offering, four upcoming starts: seats - 1 taken, all taken, over, closed."""
    offering = make_offering()

    def start(days, taken, **kw):
        return make_cohort(
            offering=offering, start_date=today + timedelta(days=days), seats=3, taken=taken, **kw
        )

    return {
        "last_seat": start(10, 2),
        "full": start(20, 3),
        "over": start(30, 4),
        "closed": start(40, 0, status="closed"),
        "past": start(-5, 0),
        "offering": offering,
    }


def test_open_for_enrollment_needs_a_seat_left(starts):
    assert set(Cohort.objects.open_for_enrollment()) == {starts["last_seat"]}


def test_open_for_applications_takes_full_starts_too(starts):
    assert set(Cohort.objects.open_for_applications()) == {
        starts["last_seat"],
        starts["full"],
        starts["over"],
    }


def test_the_availability_filter_agrees_with_the_property(starts, today):
    for taken in (0, 1, 2):  # 0, 8 and 16 of 20 seats taken: open, open, 4 seats left
        make_cohort(
            offering=starts["offering"],
            start_date=today + timedelta(days=100 + taken),
            seats=20,
            taken=taken * 8,
        )
    cohorts = list(Cohort.objects.all())
    for availability in ("open", "few", "full", "closed"):
        wanted = {c.pk for c in cohorts if c.availability == availability}
        assert wanted, availability
        assert set(Cohort.objects.with_availability(availability).values_list("pk", flat=True)) == (
            wanted
        )


def test_a_full_start_is_never_the_next_start(starts, today):
    offering = Offering.objects.with_upcoming().get(pk=starts["offering"].pk)
    assert offering.next_cohort == starts["last_seat"]
    fill_cohort(starts["last_seat"])  # the last seat goes
    offering = Offering.objects.with_upcoming().get(pk=starts["offering"].pk)
    assert offering.next_cohort is None
    program = Program.objects.with_offerings().get(pk=starts["offering"].program_id)
    assert program.next_cohort is None


# --- Public pages ------------------------------------------------------------------


def _date(day):
    return f"{day:%b} {day.day}, {day.year}"


def test_program_page_says_full_with_its_waitlist_and_names_the_next_open_start(
    client, catalog, today
):
    response = client.get(catalog["ma"].get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    full = Cohort.objects.get(offering__campus__slug="arlington", start_date=today + timedelta(10))
    next_day = Cohort.objects.get(
        offering__campus__slug="arlington", start_date=today + timedelta(40)
    )
    cell = html[html.index(f'id="start-{full.pk}"') :][:700]
    assert "Full: waitlist open" in cell
    assert "Next start with seats:" in cell
    # The next open start of the same offering (day classes), linked to its row.
    assert f'<a href="#start-{next_day.pk}">' in cell
    assert _date(next_day.start_date) in cell
    assert f'id="start-{next_day.pk}"' in html
    # The evening start has 3 seats left, and says so.
    evening = html[html.index(_date(today + timedelta(30))) :][:600]
    assert "3 seats left" in evening


def test_a_full_offering_points_to_the_programs_other_schedule_at_that_campus(
    client, catalog, today
):
    Cohort.objects.filter(
        offering__campus__slug="arlington",
        offering__schedule="day",
        start_date=today + timedelta(40),
    ).update(status="closed")
    html = client.get(catalog["ma"].get_absolute_url()).content.decode()
    full = Cohort.objects.get(offering__campus__slug="arlington", start_date=today + timedelta(10))
    evening = Cohort.objects.get(
        offering__campus__slug="arlington", start_date=today + timedelta(30)
    )
    cell = html[html.index(f'id="start-{full.pk}"') :][:700]
    assert f'<a href="#start-{evening.pk}">' in cell
    assert "(evening classes)" in cell
    # With no start with seats left anywhere for the program at that campus: ask.
    Cohort.objects.filter(pk=evening.pk).update(status="closed")
    html = client.get(catalog["ma"].get_absolute_url()).content.decode()
    cell = html[html.index(f'id="start-{full.pk}"') :][:700]
    assert "Full: waitlist open" in cell
    assert "No later start has seats yet: ask admissions." in cell


def test_campus_page_shows_seats_left_on_the_next_start_and_skips_the_full_one(
    client, catalog, today
):
    html = client.get(reverse("programs:campus_detail", args=["arlington"])).content.decode()
    assert f'datetime="{(today + timedelta(10)).isoformat()}"' not in html
    at = html.index(f'datetime="{(today + timedelta(30)).isoformat()}"')
    assert "3 seats left" in html[at : at + 250]


def test_an_enrollment_shows_on_the_cached_public_page_at_once(client, catalog, settings, today):
    settings.PAGE_CACHE_SECONDS = 600
    evening = Cohort.objects.get(
        offering__campus__slug="arlington", start_date=today + timedelta(30)
    )
    url = reverse("programs:campus_detail", args=["arlington"])
    assert "3 seats left" in client.get(url).content.decode()
    client.cookies.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    fill_cohort(evening, 1)
    client.cookies.clear()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "2 seats left" in response.content.decode()


# --- Admin -------------------------------------------------------------------------


def test_admin_lists_seats_taken_and_left_and_filters_by_availability(staff_client, starts):
    url = reverse("admin:programs_cohort_changelist")
    response = staff_client.get(url)
    html = response.content.decode()
    for heading in ("Seats taken", "Seats left", "Availability"):
        assert heading in html
    assert "Full: waitlist open" in html
    assert "1 seat left" in html
    counts = {}
    for availability in ("open", "few", "full", "closed"):
        response = staff_client.get(url, {"availability": availability})
        counts[availability] = {c.pk for c in response.context["cl"].result_list}
    assert counts["full"] == {starts["full"].pk, starts["over"].pk}
    assert counts["few"] == {starts["last_seat"].pk, starts["past"].pk}
    assert counts["closed"] == {starts["closed"].pk}
    assert counts["open"] == set()


def test_admin_offers_only_open_or_closed_and_never_takes_a_typed_seats_taken(staff_client, starts):
    cohort = starts["last_seat"]
    url = reverse("admin:programs_cohort_change", args=[cohort.pk])
    html = staff_client.get(url).content.decode()
    assert '<option value="open" selected>Open</option>' in html
    assert 'value="full"' not in html
    assert 'value="waitlist"' not in html
    assert 'name="seats_taken"' not in html  # shown read-only
    data = {
        "offering": cohort.offering_id,
        "start_date": cohort.start_date.isoformat(),
        "graduation_date": cohort.graduation_date.isoformat(),
        "seats": 3,
        "status": "full",
        "seats_taken": 0,
    }
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    data["status"] = "closed"
    staff_client.post(url, data)
    cohort.refresh_from_db()
    assert cohort.status == "closed"
    assert cohort.seats_taken == 2  # the posted 0 is ignored


def test_saving_a_cohort_read_earlier_keeps_the_seats_recounted_since(starts):
    stale = Cohort.objects.get(pk=starts["full"].pk)
    fill_cohort(starts["full"], 1)  # a student enrolls meanwhile: 4 taken
    stale.seats = 5  # staff add seats, on the form they opened before
    stale.save()
    cohort = Cohort.objects.get(pk=stale.pk)
    assert (cohort.seats, cohort.seats_taken) == (5, 4)
    assert cohort.few_seats_left

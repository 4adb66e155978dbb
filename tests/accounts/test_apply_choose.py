"""Choosing a start (/apply/), one start's page, and the ways in: the program page's
start-date tables, the inquiry thank-you page, the header."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Cohort, Inquiry
from programs.views import THANKS_SESSION_KEY
from tests.accounts.apply_world import make_start
from tests.factories import fill_cohort, make_campus, make_cohort, make_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(db):
    return make_start()


def test_choose_lists_programs_then_starts_with_apply_buttons(client, cohort):
    program = cohort.offering.program
    html = client.get(reverse("apply:choose")).content.decode()
    assert f"?program={program.slug}" in html
    html = client.get(reverse("apply:choose") + f"?program={program.slug}").content.decode()
    assert reverse("apply:start", args=[cohort.pk]) in html
    assert cohort.start_date.strftime("%b %-d, %Y") in html


def test_choose_filters_by_campus_and_schedule(client, cohort):
    program = cohort.offering.program
    dallas = make_campus(name="Dallas", slug="dallas")
    elsewhere = make_cohort(
        offering=make_offering(program=program, campus=dallas, schedule="evening"),
        start_date=timezone.localdate() + timedelta(days=40),
    )
    base = reverse("apply:choose") + f"?program={program.slug}"
    both = client.get(base).content.decode()
    assert reverse("apply:start", args=[elsewhere.pk]) in both
    arlington = client.get(base + "&campus=arlington").content.decode()
    assert reverse("apply:start", args=[cohort.pk]) in arlington
    assert reverse("apply:start", args=[elsewhere.pk]) not in arlington
    evening = client.get(base + "&schedule=evening").content.decode()
    assert reverse("apply:start", args=[elsewhere.pk]) in evening
    assert reverse("apply:start", args=[cohort.pk]) not in evening
    # Unknown values filter nothing and break nothing.
    response = client.get(base + "&campus=nowhere&schedule=<script>")
    assert response.status_code == HTTPStatus.OK


def test_the_program_list_follows_the_schedule_too(client, cohort):
    """Choosing only a campus and a schedule lists the programs with such a class."""
    program = cohort.offering.program
    assert cohort.offering.schedule != "weekend"
    listed = client.get(reverse("apply:choose") + "?campus=arlington").content.decode()
    assert f"?program={program.slug}" in listed
    weekend = client.get(reverse("apply:choose") + "?campus=arlington&schedule=weekend")
    assert f"program={program.slug}" not in weekend.content.decode()
    assert "No program has classes at this campus on this schedule" in weekend.content.decode()
    same = client.get(
        reverse("apply:choose") + f"?campus=arlington&schedule={cohort.offering.schedule}"
    )
    assert f"program={program.slug}" in same.content.decode()


def test_past_and_closed_starts_are_not_offered(client, cohort):
    program = cohort.offering.program
    closed = make_cohort(
        offering=cohort.offering,
        start_date=timezone.localdate() + timedelta(days=60),
        status=Cohort.Status.CLOSED,
    )
    past = make_cohort(
        offering=cohort.offering, start_date=timezone.localdate() - timedelta(days=5)
    )
    html = client.get(reverse("apply:choose") + f"?program={program.slug}").content.decode()
    assert reverse("apply:start", args=[closed.pk]) not in html
    assert reverse("apply:start", args=[past.pk]) not in html
    page = client.get(reverse("apply:start", args=[closed.pk])).content.decode()
    assert "no longer takes applications" in page
    assert 'name="password1"' not in page


def test_start_page_says_what_the_start_is(client, cohort):
    html = client.get(reverse("apply:start", args=[cohort.pk])).content.decode()
    offering = cohort.offering
    for text in (
        offering.program.title,
        offering.campus.name,
        offering.class_days,
        cohort.start_date.strftime("%B %-d, %Y"),
        cohort.graduation_date.strftime("%B %-d, %Y"),
        "Tuition",
        "Create my account and apply",
    ):
        assert text in html, text


def test_a_waitlisted_start_says_so_and_links_the_next_open_one(client, cohort):
    cohort.seats = 2
    cohort.save()
    fill_cohort(cohort)
    later = make_cohort(offering=cohort.offering, start_date=cohort.start_date + timedelta(days=70))
    html = client.get(reverse("apply:start", args=[cohort.pk])).content.decode()
    assert "This start is full" in html
    assert reverse("apply:start", args=[later.pk]) in html


def test_unknown_start_is_404(client):
    assert client.get(reverse("apply:start", args=[987654])).status_code == HTTPStatus.NOT_FOUND


def test_program_page_links_each_start_to_apply(client, cohort):
    html = client.get(cohort.offering.program.get_absolute_url()).content.decode()
    assert reverse("apply:start", args=[cohort.pk]) in html
    assert ">Apply<span" in html


def test_a_full_start_on_the_program_page_offers_the_waitlist(client, cohort):
    cohort.seats = 1
    cohort.save()
    fill_cohort(cohort)
    html = client.get(cohort.offering.program.get_absolute_url()).content.decode()
    link = f'href="{reverse("apply:start", args=[cohort.pk])}">Join the waitlist<span'
    assert link in html


def test_thank_you_page_offers_to_apply_with_the_program_and_campus(client, cohort):
    inquiry = Inquiry.objects.create(
        name="Ana Lopez",
        email="ana@example.com",
        program=cohort.offering.program,
        campus=cohort.offering.campus,
        consent=True,
    )
    session = client.session
    session[THANKS_SESSION_KEY] = inquiry.pk
    session.save()
    html = client.get(reverse("programs:request_info_thanks")).content.decode()
    assert "Apply to a start date" in html
    expected = (
        f"{reverse('apply:choose')}?program={cohort.offering.program.slug}&amp;campus=arlington"
    )
    assert expected in html


def test_header_links_apply(client):
    assert reverse("apply:choose") in client.get("/").content.decode()


def test_choose_and_start_are_never_cached(client, cohort):
    for url in (reverse("apply:choose"), reverse("apply:start", args=[cohort.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]

"""Every public page runs the same small number of queries with 3 or 30 of everything."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import CareerGuide
from programs.models import Campus, Cohort, Course, Disclosure, Offering, Outcome, Program
from tests.factories import make_certification, make_role

pytestmark = pytest.mark.django_db


def grow(n):
    """Bring the catalog to n campuses and n programs, each offering with n cohorts."""
    today = timezone.localdate()
    start = Campus.objects.count()
    for i in range(start, n):
        Campus.objects.create(
            name=f"Campus {i}",
            slug=f"campus-{i}",
            street=f"{i} Main St",
            city="Dallas",
            postal_code="75201",
            phone="(214) 555-0100",
            email=f"c{i}@example.com",
            admissions_email=f"a{i}@example.com",
            hours="Mon-Fri 8-6",
            order=i,
        )
    campuses = list(Campus.objects.order_by("order"))
    cert = make_certification()
    role = make_role()
    for i in range(Program.objects.count(), n):
        program = Program.objects.create(
            title=f"Program {i:02}",
            slug=f"program-{i}",
            summary="A program " * 10,
            description="About it.",
            clock_hours=720,
            length_weeks=36,
            externship_hours=160,
            tuition=14950,
            featured=True,
            order=i,
        )
        program.certifications.add(cert)
        program.roles.add(role)
        Course.objects.bulk_create(
            Course(program=program, order=k, title=f"Course {k}", hours=40) for k in range(3)
        )
        Outcome.objects.create(program=program, year=2024, completion_rate=80, source="Report")
        for campus, schedule in ((campuses[i % n], "day"), (campuses[(i + 1) % n], "evening")):
            Offering.objects.create(
                program=program,
                campus=campus,
                schedule=schedule,
                class_days="Mon-Thu",
                class_times="8-1",
            )
    for offering in Offering.objects.all():
        existing = offering.cohorts.count()
        Cohort.objects.bulk_create(
            Cohort(
                offering=offering,
                start_date=today + timedelta(days=7 * k - 14),
                graduation_date=today + timedelta(days=7 * k + 250),
                # open, few seats left, full, closed
                status=("open", "open", "open", "closed")[k % 4],
                seats=20,
                seats_taken=(0, 18, 20, 0)[k % 4],
            )
            for k in range(existing, n)
        )
    for i in range(CareerGuide.objects.count(), n):
        CareerGuide.objects.create(
            title=f"Guide {i}", slug=f"guide-{i}", meta_description="m", intro="i"
        )
    for i in range(Disclosure.objects.count(), n):
        Disclosure.objects.create(
            title=f"Disclosure {i}", slug=f"d-{i}", body="b", footer_text=f"n{i}"
        )


def queries(client, url):
    cache.clear()  # measure the footer's queries too
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(captured)


PAGES = [
    ("/", 7),  # + the credentials the programs prepare for (one query, whatever the count)
    ("/campuses/", 5),
    ("/campuses/campus-0/", 6),
    ("/programs/", 6),
    ("/programs/?campus=campus-1&schedule=evening&field=clinical", 6),
    ("/programs/program-0/", 9),
    ("/request-info/?program=program-0&campus=campus-0", 6),  # + the open start dates
    ("/request-info/thank-you/", 3),
    ("/disclosures/", 3),
]


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_query_count_does_not_grow_with_the_catalog(client, url, budget):
    grow(3)
    small = queries(client, url)
    grow(30)
    assert Program.objects.count() == 30
    assert Campus.objects.count() == 30
    assert Cohort.objects.filter(offering__program__slug="program-0").count() == 60
    large = queries(client, url)
    assert small == large
    assert large <= budget


def test_footer_is_cached_between_requests(client):
    grow(3)
    cold = queries(client, "/disclosures/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/disclosures/")
    assert len(warm) == cold - 2


def test_thank_you_page_after_a_request_has_constant_queries(client):
    grow(3)
    session = client.session
    from programs.models import Inquiry
    from programs.views import THANKS_SESSION_KEY

    inquiry = Inquiry.objects.create(
        name="A",
        email="a@example.com",
        campus=Campus.objects.first(),
        program=Program.objects.first(),
        consent=True,
    )
    session[THANKS_SESSION_KEY] = inquiry.pk
    session.save()
    small = queries(client, "/request-info/thank-you/")
    grow(30)
    assert queries(client, "/request-info/thank-you/") == small <= 4

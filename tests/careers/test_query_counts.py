"""Public careers pages run the same, small number of queries with 3 or 30 rows."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from careers.models import (
    CareerGuide,
    Duty,
    EligibilityRoute,
    GuideSection,
    LaborFigure,
    Track,
    WorkplaceFactor,
)
from tests.careers.helpers import count_queries
from tests.factories import (
    make_body,
    make_campus,
    make_certification,
    make_cohort,
    make_offering,
    make_program,
    make_role,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


class Catalogue:
    """Careers content that grows: every add() adds certifications, roles, programs
    (with offerings and cohorts at both campuses), duties, figures and guide sections,
    all attached to the pages' target certification, role and guide."""

    def __init__(self):
        self.campuses = [make_campus(slug="dallas"), make_campus(slug="arlington")]
        self.umbrella = make_role(slug="umbrella", recommend_for="both", track=Track.OTHER)
        self.cert = make_certification(slug="target", is_medical_assistant=True)
        self.role = make_role(
            slug="target-role", parent=self.umbrella, track=Track.CLINICAL, recommend_for="patients"
        )
        self.role.certifications.add(self.cert)
        self.guide = CareerGuide.objects.create(
            title="Guide", slug="guide", meta_description="d" * 60, intro="i", role=self.umbrella
        )
        for order, kind in enumerate(GuideSection.Kind.values):
            GuideSection.objects.create(
                guide=self.guide, order=order, heading=kind, anchor=kind, kind=kind
            )
        self.size = 0

    def add(self, count):
        body = make_body()
        for _ in range(count):
            self.size += 1
            i = self.size
            track = Track.CLINICAL if i % 2 else Track.ADMINISTRATIVE
            cert = make_certification(
                body=body,
                track=track,
                is_medical_assistant=bool(i % 2),
                ce=[("any", "CE credits", 10), ("clinical", "clinical", 5)],
                steps=[{"title": "Coursework"}, {"title": "Hours", "kind": "count", "target": 9}],
            )
            EligibilityRoute.objects.create(certification=self.cert, name=f"R{i}", description="d")
            self.cert.path_steps.create(title=f"Step {i}", order=i)
            self.cert.ce_requirements.create(category=f"c{i}", label="l", credits=1)
            role = make_role(parent=self.umbrella if i % 3 else None, track=track)
            role.certifications.add(cert, self.cert)
            self.role.certifications.add(cert)
            for target in (self.role, self.umbrella):
                Duty.objects.create(role=target, text=f"Duty {i}", track=track, source="bls")
            LaborFigure.objects.create(
                role=self.umbrella, region="us", annual_pay=40000 + i, data_year="2024"
            )
            WorkplaceFactor.objects.create(
                name=f"F{i}", slug=f"f{i}", summary="s", one_side_label="a", one_side="a",
                other_side_label="b", other_side="b",
            )  # fmt: skip
            GuideSection.objects.create(guide=self.guide, heading=f"S{i}", anchor=f"s{i}", order=99)
            CareerGuide.objects.create(
                title=f"G{i}", slug=f"g{i}", meta_description="d", intro="i", role=role
            )
            program = make_program()
            program.certifications.add(cert, self.cert)
            program.roles.add(self.role)
            for campus in self.campuses:
                for schedule in ("day", "evening"):
                    offering = make_offering(program=program, campus=campus, schedule=schedule)
                    start = date.today() + timedelta(days=10 + i)
                    make_cohort(offering=offering, start_date=start)
                    make_cohort(offering=offering, start_date=start + timedelta(days=90))


URLS = [
    reverse("careers:index"),
    reverse("careers:certification_list"),
    reverse("careers:certification_detail", kwargs={"slug": "target"}),
    reverse("careers:role_detail", kwargs={"slug": "target-role"}),
    reverse("careers:role_detail", kwargs={"slug": "umbrella"}),
    reverse("careers:guide_detail", kwargs={"slug": "guide"}),
    reverse("careers:find_your_path"),
    reverse("careers:find_your_path")
    + "?"
    + urlencode({"work": "patients", "needles": "yes", "schedule": "evening", "campus": "dallas"}),
    reverse("careers:find_your_path")
    + "?"
    + urlencode({"work": "both", "needles": "unsure", "schedule": "either", "campus": "either"}),
    reverse("careers:find_your_path") + "?work=nonsense",
]


@pytest.mark.parametrize("url", URLS)
def test_query_count_is_the_same_with_3_and_30_rows(client, url):
    catalogue = Catalogue()
    catalogue.add(3)
    client.get(url)  # warm up one-off lookups
    with_3 = count_queries(client, url)
    catalogue.add(27)
    with_30 = count_queries(client, url)
    assert with_3 == with_30, f"{url}: {with_3} queries with 3 rows, {with_30} with 30"
    assert with_30 <= MAX_QUERIES, f"{url}: {with_30} queries"


def test_the_catalogue_really_grows(client):
    """Guard for the test above: the pages do show the extra rows."""
    catalogue = Catalogue()
    catalogue.add(30)
    html = client.get(reverse("careers:certification_detail", kwargs={"slug": "target"}))
    assert html.content.decode().count('class="route"') == 30
    role = client.get(reverse("careers:role_detail", kwargs={"slug": "target-role"}))
    assert role.content.decode().count("Duty ") >= 30
    path = client.get(
        reverse("careers:find_your_path")
        + "?"
        + urlencode({"work": "patients", "needles": "yes", "schedule": "day", "campus": "either"})
    )
    assert len(path.context["recommendation"].programs) == 30

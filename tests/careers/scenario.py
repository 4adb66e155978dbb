"""Careers demo content plus a small programme catalogue, for page and browser tests."""

import io
from datetime import date, timedelta

from django.core.management.color import no_style

from careers.models import Certification, Role
from tests.factories import make_campus, make_cohort, make_offering, make_program
from trainingcenter.demo import careers as demo


def load_careers_demo():
    demo.load(stdout=io.StringIO(), style=no_style(), with_accounts=False)


def make_campuses():
    return {
        "dallas": make_campus(name="Dallas", slug="dallas", order=1),
        "arlington": make_campus(name="Arlington", slug="arlington", city="Arlington", order=2),
    }


def make_school(campuses):
    """As the Programs area seeds them: the MA program by day in Dallas and by day and
    evening in Arlington; Medical Administrative Assistant by day in Dallas only."""
    dallas, arlington = campuses["dallas"], campuses["arlington"]
    ma = make_program(
        title="Medical Assisting with Nutrition and Weight Management",
        slug="medical-assisting-nutrition-weight-management",
        order=1,
    )
    ma.certifications.set(Certification.objects.filter(slug__in=["cma", "rma", "ccma"]))
    ma.roles.set(Role.objects.filter(slug__in=["medical-assistant", "clinical-medical-assistant"]))
    maa = make_program(
        title="Medical Administrative Assistant", slug="medical-administrative-assistant", order=2
    )
    maa.certifications.set(Certification.objects.filter(slug__in=["cmaa", "maac"]))
    maa.roles.set(Role.objects.filter(slug="administrative-medical-assistant"))
    soon = date.today() + timedelta(days=21)
    offerings = {
        "ma-dallas-day": make_offering(program=ma, campus=dallas, schedule="day"),
        "ma-arlington-day": make_offering(program=ma, campus=arlington, schedule="day"),
        "ma-arlington-evening": make_offering(
            program=ma,
            campus=arlington,
            schedule="evening",
            class_times="6:00 pm to 10:00 pm",
        ),
        "maa-dallas-day": make_offering(program=maa, campus=dallas, schedule="day"),
    }
    for i, offering in enumerate(offerings.values()):
        make_cohort(offering=offering, start_date=soon + timedelta(days=7 * i))
        make_cohort(offering=offering, start_date=soon + timedelta(days=120 + 7 * i))
    # A past cohort must never be offered as the "next start".
    make_cohort(offering=offerings["ma-dallas-day"], start_date=date.today() - timedelta(days=30))
    return {"ma": ma, "maa": maa, "offerings": offerings, "first_start": soon, **campuses}

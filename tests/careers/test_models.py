from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from careers.models import (
    CareerGuide,
    CERequirement,
    Certification,
    Duty,
    GuideSection,
    LaborFigure,
    PathStepTemplate,
    Role,
    WorkPreference,
    is_stale,
)
from tests.factories import make_body, make_certification, make_role

pytestmark = pytest.mark.django_db


def violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_certification_acronym_is_unique_per_body():
    body = make_body()
    make_certification(body=body, acronym="CMA")
    violates(lambda: make_certification(body=body, acronym="CMA"))
    # Another body may use the same acronym.
    assert make_certification(body=make_body(), acronym="CMA").pk


def test_exam_minutes_must_be_positive_when_given():
    violates(lambda: make_certification(exam_minutes=0))
    assert make_certification(exam_minutes=None).pk


def test_ce_requirement_category_is_unique_per_certification_and_credits_positive():
    cert = make_certification(ce=[("clinical", "clinical points", 10)])
    violates(
        lambda: CERequirement.objects.create(
            certification=cert, category="clinical", label="again", credits=5
        )
    )
    violates(
        lambda: CERequirement.objects.create(
            certification=cert, category="general", label="general", credits=0
        )
    )


def test_count_step_needs_a_target():
    cert = make_certification()
    violates(
        lambda: PathStepTemplate.objects.create(
            certification=cert, title="Hours", kind=PathStepTemplate.Kind.COUNT
        )
    )
    step = PathStepTemplate.objects.create(
        certification=cert, title="Hours", kind=PathStepTemplate.Kind.COUNT, target=160
    )
    assert str(step) == f"{cert.acronym} 0. Hours"


def test_one_role_per_find_your_path_answer():
    make_role(recommend_for=WorkPreference.PATIENTS)
    violates(lambda: make_role(recommend_for=WorkPreference.PATIENTS))
    # Roles without an answer are not limited.
    make_role()
    assert make_role().pk


def test_role_cannot_be_its_own_parent():
    role = make_role()
    role.parent = role
    with pytest.raises(IntegrityError), transaction.atomic():
        role.save()


def test_labor_figure_pay_cannot_be_negative():
    role = make_role()
    violates(
        lambda: LaborFigure.objects.create(role=role, region="us", annual_pay=-1, data_year="2024")
    )


def test_guide_section_anchor_is_unique_per_guide():
    guide = CareerGuide.objects.create(title="G", slug="g", meta_description="d", intro="i")
    GuideSection.objects.create(guide=guide, heading="A", anchor="a")
    violates(lambda: GuideSection.objects.create(guide=guide, heading="B", anchor="a"))


def test_is_stale_after_twelve_months_or_when_never_checked():
    today = timezone.localdate()
    assert is_stale(None)
    assert is_stale(today - timedelta(days=366))
    assert not is_stale(today - timedelta(days=30))


def test_certification_fact_dates_include_routes_and_confirmation_flags():
    today = timezone.localdate()
    cert = make_certification(as_of=today, exam_as_of=today - timedelta(days=400))
    cert.eligibility_routes.create(name="Education", description="d", as_of=today)
    assert sorted(d for d in cert.fact_dates() if d) == [
        today - timedelta(days=400),
        today,
        today,
    ]
    assert not cert.needs_any_confirmation
    cert.renewal_needs_confirmation = True
    assert cert.needs_any_confirmation


def test_published_querysets_hide_drafts():
    shown = make_certification(is_medical_assistant=True)
    make_certification(is_medical_assistant=True, published=False)
    make_certification(is_medical_assistant=False)
    assert list(Certification.objects.published().medical_assistant()) == [shown]
    role = make_role(recommend_for=WorkPreference.OFFICE)
    make_role(recommend_for=WorkPreference.BOTH, published=False)
    assert list(Role.objects.recommended_for(WorkPreference.OFFICE)) == [role]
    assert not Role.objects.recommended_for(WorkPreference.BOTH).exists()


def test_urls_and_helpers():
    cert = make_certification(slug="cma", renewal_months=60)
    assert cert.get_absolute_url() == "/careers/certifications/cma/"
    assert cert.renewal_years == 5
    role = make_role(slug="medical-assistant", typical_workplaces="Hospitals\n\n  Clinics  \n")
    assert role.get_absolute_url() == "/careers/medical-assistant/"
    assert role.workplace_list == ["Hospitals", "Clinics"]
    duty = Duty.objects.create(role=role, text="Take vitals", source=Duty.Source.BLS)
    assert duty.short_source == "BLS"
    guide = CareerGuide.objects.create(title="G", slug="g", meta_description="d", intro="i")
    assert guide.get_absolute_url() == "/careers/guides/g/"

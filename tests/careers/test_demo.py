import io

import pytest
from django.apps import apps
from django.core.management.color import no_style

from careers.models import (
    Certification,
    EligibilityRoute,
    LaborFigure,
    PathStepTemplate,
    Role,
)
from trainingcenter.demo import careers as demo

pytestmark = pytest.mark.django_db

M = PathStepTemplate.Milestone
K = PathStepTemplate.Kind


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_app_config("careers").get_models()
    }


def test_loading_twice_gives_the_same_rows(careers_demo):
    first = snapshot()
    out = io.StringIO()
    demo.load(stdout=out, style=no_style(), with_accounts=False)
    assert snapshot() == first
    assert "7 certifications" in out.getvalue()


def test_demo_slugs_other_areas_rely_on(careers_demo):
    assert set(Certification.objects.values_list("slug", flat=True)) == {
        "cma", "rma", "cmaa", "maac", "ccma", "cpt", "cet",
    }  # fmt: skip
    assert set(Certification.objects.medical_assistant().values_list("slug", flat=True)) == {
        "cma", "rma", "ccma", "cmaa", "maac",
    }  # fmt: skip
    assert {
        "medical-assistant",
        "clinical-medical-assistant",
        "administrative-medical-assistant",
    } <= set(Role.objects.values_list("slug", flat=True))
    bodies = dict(Certification.objects.values_list("slug", "body__slug"))
    assert bodies["cma"] == "aama"
    assert bodies["rma"] == "amt"
    assert bodies["cmaa"] == bodies["ccma"] == bodies["cpt"] == bodies["cet"] == "nha"
    assert bodies["maac"] == "amca"


@pytest.mark.parametrize("slug", ["cma", "rma", "cmaa", "maac", "ccma", "cpt", "cet"])
def test_every_path_template_runs_from_training_to_renewal(careers_demo, slug):
    steps = list(PathStepTemplate.objects.filter(certification__slug=slug).order_by("order"))
    milestones = [s.milestone for s in steps if s.milestone]
    assert milestones == [M.ELIGIBLE, M.EXAM_SCHEDULED, M.EXAM_PASSED, M.CREDENTIAL, M.RENEWAL]
    assert steps[0].milestone == ""  # training comes first
    by_milestone = {s.milestone: s for s in steps}
    assert by_milestone[M.ELIGIBLE].requires_verification
    assert not by_milestone[M.ELIGIBLE].student_can_complete
    assert by_milestone[M.EXAM_SCHEDULED].kind == K.DATE
    assert by_milestone[M.EXAM_SCHEDULED].student_can_complete
    assert by_milestone[M.EXAM_PASSED].kind == K.EVIDENCE
    assert by_milestone[M.EXAM_PASSED].requires_verification
    assert by_milestone[M.CREDENTIAL].requires_verification
    assert by_milestone[M.RENEWAL].kind == K.COUNT
    assert all(s.help_text for s in steps)


def test_cma_path_and_continuing_education(careers_demo):
    cma = Certification.objects.get(slug="cma")
    steps = {s.title: s for s in cma.path_steps.all()}
    externship = steps["Complete the 160-hour externship"]
    assert (externship.kind, externship.target, externship.unit) == (K.COUNT, 160, "hours")
    assert steps["Upload your CPR/BLS card"].kind == K.EVIDENCE
    assert {(r.category, r.credits) for r in cma.ce_requirements.all()} == {
        ("administrative", 10),
        ("clinical", 10),
        ("general", 10),
        ("any", 30),
    }
    assert cma.ce_credits_required == 60
    assert cma.renewal_months == 60
    assert cma.expiry_rule == Certification.ExpiryRule.FROM_END_OF_MONTH
    assert steps["Continuing education"].target == 60


def test_cpt_documents_venipunctures_and_capillary_sticks(careers_demo):
    counts = {
        s.unit: s.target
        for s in PathStepTemplate.objects.filter(certification__slug="cpt", kind=K.COUNT)
        if s.milestone == ""
    }
    assert counts == {"venipunctures": 30, "capillary sticks": 10}


def test_renewal_rules_per_body(careers_demo):
    rma = Certification.objects.get(slug="rma")
    assert (rma.renewal_months, rma.ce_credits_required) == (36, 30)
    for slug in ["cmaa", "maac", "ccma", "cpt", "cet"]:
        cert = Certification.objects.get(slug=slug)
        assert (cert.renewal_months, cert.ce_credits_required) == (24, 10), slug


def test_disagreeing_sources_are_flagged(careers_demo):
    work_route = EligibilityRoute.objects.get(certification__slug="rma", name="Work experience")
    assert work_route.needs_confirmation
    assert "5 of the last 7" in work_route.description
    assert "3 of the last 7" in work_route.description
    maac = Certification.objects.get(slug="maac")
    # CMAAC is a different AMCA credential, not another name of the MAAC.
    assert not maac.needs_confirmation
    assert maac.alternate_names == ""
    assert maac.exam_needs_confirmation
    assert not Certification.objects.get(slug="cma").needs_any_confirmation


def test_every_fact_has_a_source_and_date(careers_demo):
    for cert in Certification.objects.all():
        assert cert.source_url
        assert cert.as_of
        assert cert.exam_as_of
        assert cert.renewal_as_of
        assert all(r.as_of and r.source_url for r in cert.eligibility_routes.all())
    for figure in LaborFigure.objects.all():
        assert figure.source_name
        assert figure.source_url
        assert figure.data_year
        assert figure.as_of


def test_roles_labour_figures_and_duty_sources(careers_demo):
    ma = Role.objects.get(slug="medical-assistant")
    assert ma.soc_code == "31-9092"
    figures = {(f.region, f.source_name.split(" ")[0]): f for f in ma.labor_figures.all()}
    us = figures[("us", "U.S.")]
    assert (us.annual_pay, us.growth_percent, us.openings_per_year) == (44200, 12, 112300)
    assert figures[("tx", "Texas")].annual_pay == 36914
    projections = figures[("tx", "Projections")]
    assert (projections.employment, projections.projected_employment) == (72040, 92940)
    sources = set(ma.duties.values_list("source", flat=True))
    assert {"bls", "tcc"} <= sources
    for slug, soc in [
        ("clinical-medical-assistant", "31-9092"),
        ("administrative-medical-assistant", "43-6013"),
    ]:
        role = Role.objects.get(slug=slug)
        assert role.parent == ma
        assert role.soc_code == soc
        assert role.duties.exists()
    assert set(
        Role.objects.get(slug="clinical-medical-assistant").certifications.values_list(
            "slug", flat=True
        )
    ) == {"cma", "rma", "ccma"}
    assert set(
        Role.objects.get(slug="administrative-medical-assistant").certifications.values_list(
            "slug", flat=True
        )
    ) == {"cmaa", "maac"}

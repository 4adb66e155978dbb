from datetime import timedelta
from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from careers.models import Certification, LaborFigure, Role, SearchDocument, SearchTerm

pytestmark = pytest.mark.django_db

# The search index is written from the content, never edited: it has no admin pages.
SEARCH_INDEX = (SearchDocument, SearchTerm)
CAREERS_MODELS = [
    model for model in apps.get_app_config("careers").get_models() if model not in SEARCH_INDEX
]


def test_the_search_index_is_not_in_the_admin():
    assert not any(admin.site.is_registered(model) for model in SEARCH_INDEX)


def admin_url(model, view, *args):
    return reverse(f"admin:careers_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CAREERS_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_load_for_staff(staff_client, careers_demo, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == HTTPStatus.OK
    assert staff_client.get(admin_url(model, "add")).status_code == HTTPStatus.OK
    obj = model.objects.first()
    assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", CAREERS_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_filters_do_not_fail(staff_client, careers_demo, model):
    url = admin_url(model, "changelist")
    assert staff_client.get(url, {"q": "medical"}).status_code == HTTPStatus.OK
    if model in (Certification, Role, LaborFigure):
        for value in ("stale", "missing", "fresh"):
            response = staff_client.get(url, {"freshness": value})
            assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", [Certification, Role, LaborFigure], ids=lambda m: m.__name__)
def test_students_and_visitors_cannot_open_the_admin(client, student_client, careers_demo, model):
    url = admin_url(model, "changelist")
    for c in (client, student_client):
        response = c.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert "login" in response["Location"]


def test_stale_facts_stand_out_in_changelists(staff_client, careers_demo, demo_facts_fresh):
    old = timezone.localdate() - timedelta(days=500)
    Certification.objects.filter(slug="rma").update(exam_as_of=old)
    LaborFigure.objects.filter(region="us").update(as_of=old)
    html = staff_client.get(admin_url(Certification, "changelist")).content.decode()
    assert f"&#9888; {old.isoformat()} (review)" in html
    assert html.count("fact-stale") == 1  # only the RMA row
    assert "careers/admin.css" in html
    figures = staff_client.get(admin_url(LaborFigure, "changelist")).content.decode()
    assert f"{old.isoformat()} (review)" in figures
    roles = staff_client.get(admin_url(Role, "changelist")).content.decode()
    assert f"{old.isoformat()} (review)" in roles  # the role's oldest labor figure


def test_freshness_filter_finds_certifications_with_any_stale_fact(
    staff_client, careers_demo, demo_facts_fresh
):
    old = timezone.localdate() - timedelta(days=500)
    route = Certification.objects.get(slug="cmaa").eligibility_routes.first()
    route.as_of = old
    route.save()
    response = staff_client.get(admin_url(Certification, "changelist"), {"freshness": "stale"})
    assert [c.slug for c in response.context["cl"].result_list] == ["cmaa"]
    response = staff_client.get(admin_url(Certification, "changelist"), {"freshness": "fresh"})
    assert "cmaa" not in {c.slug for c in response.context["cl"].result_list}
    assert len(response.context["cl"].result_list) == 6


def test_certification_change_form_has_the_inlines(staff_client, careers_demo):
    cma = Certification.objects.get(slug="cma")
    html = staff_client.get(admin_url(Certification, "change", cma.pk)).content.decode()
    assert 'id="eligibility_routes-group"' in html
    assert 'id="ce_requirements-group"' in html
    assert 'id="path_steps-group"' in html
    role = Role.objects.get(slug="medical-assistant")
    html = staff_client.get(admin_url(Role, "change", role.pk)).content.decode()
    assert 'id="duties-group"' in html
    assert 'id="labor_figures-group"' in html


def test_staff_correct_a_figure_in_the_admin_and_the_site_shows_it(staff_client, careers_demo):
    figure = LaborFigure.objects.get(role__slug="medical-assistant", region="us")
    data = {
        "role": figure.role_id,
        "region": "us",
        "pay_label_en": "Median annual pay",
        "pay_statistic": "median",
        "annual_pay": "45500",
        "growth_percent": "12",
        "growth_period": "2024-2034",
        "openings_per_year": "112300",
        "data_year_en": "May 2025",
        "note_en": "",
        "order": "1",
        "source_name": figure.source_name,
        "source_url": figure.source_url,
        "as_of": timezone.localdate().isoformat(),
    }
    response = staff_client.post(admin_url(LaborFigure, "change", figure.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    page = staff_client.get(reverse("careers:role_detail", kwargs={"slug": "medical-assistant"}))
    assert "$45,500" in page.content.decode()
    assert "May 2025" in page.content.decode()


def test_admin_rejects_a_count_step_without_target(staff_client, careers_demo):
    from careers.models import PathStepTemplate

    cma = Certification.objects.get(slug="cma")
    before = PathStepTemplate.objects.count()
    response = staff_client.post(
        admin_url(PathStepTemplate, "add"),
        {
            "certification": cma.pk,
            "order": "20",
            "title_en": "Log hours",
            "kind": "count",
            "target": "",
            "unit_en": "hours",
            "milestone": "",
            "help_text_en": "",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors
    assert PathStepTemplate.objects.count() == before

"""What staff write in English and Spanish: the Spanish demo content, the fallback to
English where Spanish is missing (marked for staff, never for visitors), and the student's
path steps in both languages."""

import io
import json
import shutil
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import PathStep
from careers.models import CareerGuide, Certification, PathStepTemplate, Role
from programs.languages import language_url
from programs.models import Disclosure, Program
from tests.core.test_demo_data import quick_images  # noqa: F401 (fixture)
from trainingcenter.demo import DATA_DIR
from trainingcenter.demo.spanish import Translator, missing_spanish, read_spanish
from trainingcenter.pagecache import bump_content_version

SPANISH = json.loads((DATA_DIR / "es.json").read_text(encoding="utf-8"))


def run_load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def page(client, url, language):
    """The page as a reader of ``language`` gets it (the page cache starts afresh)."""
    bump_content_version()
    with translation.override(language):
        response = client.get(language_url(url, language))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.fixture
def loaded(db, quick_images):  # noqa: F811
    return run_load_demo("--with-accounts")


# --- The Spanish demo content ------------------------------------------------------------


def test_every_translated_text_of_the_demo_has_spanish(loaded):
    assert missing_spanish() == []
    # Not a copy of the English: the map holds real Spanish.
    same = [english for english, spanish in SPANISH.items() if english == spanish]
    assert len(same) <= 3, same  # "Diploma", "Flebotomía"-like words may coincide


def test_spanish_keys_are_texts_of_the_english_data():
    texts = set()

    def collect(value):
        if isinstance(value, str):
            texts.add(value)
            texts.update(value.split("\n"))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for name in ("careers", "programs"):
        collect(json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8")))
    stale = [english for english in SPANISH if english not in texts]
    assert stale == []


def test_placeholders_survive_in_spanish():
    for english, spanish in SPANISH.items():
        for placeholder in ("{program}", "{year}", "{previous_year}"):
            assert english.count(placeholder) == spanish.count(placeholder), english


def test_spanish_program_role_and_guide_pages_show_the_spanish_demo_text(client, loaded):
    program = Program.objects.get(slug="phlebotomy-technician")
    role = Role.objects.get(slug="medical-assistant")
    guide = CareerGuide.objects.get(slug="what-does-a-medical-assistant-do")

    html = page(client, program.get_absolute_url(), "es")
    assert "Técnico en flebotomía" in html
    assert SPANISH[program.summary_en] in html
    assert program.summary_en not in html
    assert "8:00 a. m. a 4:30 p. m." in html or "Sábado y domingo" in html

    html = page(client, role.get_absolute_url(), "es")
    assert "Asistente médico" in html
    assert "Medir los signos vitales, como la presión arterial" in html

    html = page(client, guide.get_absolute_url(), "es")
    assert "¿Qué hace un asistente médico?" in html
    assert "Un término general" in html

    html = page(client, program.get_absolute_url(), "en")
    assert program.summary_en in html
    assert "Técnico en flebotomía" not in html


def test_disclosures_page_in_spanish(client, loaded):
    html = page(client, reverse("programs:disclosures"), "es")
    assert "Quejas de estudiantes" in html
    assert "Aprobación estatal" in html


def test_outcome_notes_are_formatted_in_each_language(loaded):
    outcome = Program.objects.get(slug="phlebotomy-technician").outcomes.first()
    assert (
        outcome.note_en
        == f"Students who started between July {outcome.year - 1} and June {outcome.year}."
    )
    assert outcome.note_es == (
        f"Estudiantes que comenzaron entre julio de {outcome.year - 1} y junio de {outcome.year}."
    )


def test_load_demo_stays_idempotent_in_both_languages(loaded):
    def snapshot():
        return sorted(
            (p.slug, p.title_en, p.title_es, p.description_es) for p in Program.objects.all()
        ), PathStep.objects.count()

    before = snapshot()
    output = run_load_demo("--with-accounts")
    assert "Spanish: 0 texts written." in output
    assert snapshot() == before
    assert missing_spanish() == []


def test_every_es_file_in_the_data_folder_is_read_and_a_later_one_wins(
    tmp_path,
    db,
    quick_images,  # noqa: F811
):
    data_dir = tmp_path / "demo"
    shutil.copytree(DATA_DIR, data_dir)
    cma = json.loads((data_dir / "careers.json").read_text())["certifications"][0]
    (data_dir / "es-corrections.json").write_text(
        json.dumps({cma["summary"]: "Resumen corregido de la CMA."}), encoding="utf-8"
    )
    assert read_spanish(data_dir)[cma["summary"]] == "Resumen corregido de la CMA."

    run_load_demo("--data-dir", str(data_dir))
    assert Certification.objects.get(slug=cma["slug"]).summary_es == "Resumen corregido de la CMA."


def test_a_text_without_spanish_leaves_the_spanish_column_empty(tmp_path, db, quick_images):  # noqa: F811
    data_dir = tmp_path / "demo"
    shutil.copytree(DATA_DIR, data_dir)
    programs = json.loads((data_dir / "programs.json").read_text())
    programs["programs"][0]["summary"] = "A summary nobody has translated yet."
    (data_dir / "programs.json").write_text(json.dumps(programs))

    output = run_load_demo("--data-dir", str(data_dir))
    program = Program.objects.get(slug=programs["programs"][0]["slug"])
    assert program.summary_en == "A summary nobody has translated yet."
    assert program.summary_es in (None, "")
    assert "1 texts have no Spanish yet" in output
    with translation.override("es"):
        assert program.summary == "A summary nobody has translated yet."


def test_the_translator_finds_whole_texts_lines_and_formatted_texts():
    to_spanish = Translator({"One": "Uno", "Two": "Dos", "Year {year}.": "Año {year}."})
    assert to_spanish("One") == "Uno"
    assert to_spanish("One\nTwo") == "Uno\nDos"
    assert to_spanish("One\nThree") is None
    assert to_spanish("Year 2025.") == "Año 2025."
    assert to_spanish("Nothing") is None
    assert to_spanish("") == ""


# --- Fallback: English for visitors, a marker for staff ------------------------------------


@pytest.fixture
def half_translated(loaded):
    """A program whose summary staff have not translated yet."""
    program = Program.objects.get(slug="ekg-technician")
    program.summary_es = ""
    program.save()
    return program


def test_a_spanish_page_shows_english_where_spanish_is_missing_without_a_marker(
    client, half_translated
):
    html = page(client, half_translated.get_absolute_url(), "es")
    assert half_translated.summary_en in html
    assert half_translated.title_es in html  # the rest is in Spanish
    for marker in ("Spanish is missing", "spanish-missing", "missing 1", "[es]", "[en]"):
        assert marker not in html


def test_staff_see_which_texts_lack_spanish(staff_client, half_translated):
    changelist = reverse("admin:programs_program_changelist")
    html = staff_client.get(changelist).content.decode()
    assert "missing 1: summary" in html
    assert html.count("spanish-complete") == Program.objects.count() - 1

    html = staff_client.get(changelist, {"spanish": "missing"}).content.decode()
    assert half_translated.title_en in html
    assert "Phlebotomy Technician" not in html
    html = staff_client.get(changelist, {"spanish": "complete"}).content.decode()
    assert half_translated.title_en not in html

    change = reverse("admin:programs_program_change", args=[half_translated.pk])
    html = staff_client.get(change).content.decode()
    assert "Spanish is missing for: summary" in html
    # Both languages side by side.
    assert 'name="summary_en"' in html
    assert 'name="summary_es"' in html


def test_the_change_form_of_a_complete_row_has_no_note(staff_client, loaded):
    disclosure = Disclosure.objects.first()
    html = staff_client.get(
        reverse("admin:programs_disclosure_change", args=[disclosure.pk])
    ).content.decode()
    assert "Spanish is missing" not in html
    assert 'name="body_es"' in html


def test_staff_save_both_languages_from_the_admin(staff_client, loaded):
    role = Role.objects.get(slug="phlebotomy-technician")
    url = reverse("admin:careers_role_change", args=[role.pk])
    response = staff_client.get(url)
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data = {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in data.items()
        if not isinstance(value, list)
    }
    data["certifications"] = [c.pk for c in role.certifications.all()]
    data["title_es"] = "Técnico flebotomista"
    for prefix, manager in (("duties", role.duties), ("labor_figures", role.labor_figures)):
        rows = list(manager.all())
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-role"] = role.pk
            for field in (
                response.context["inline_admin_formsets"][0 if prefix == "duties" else 1]
                .formset.forms[index]
                .fields
            ):
                value = (
                    response.context["inline_admin_formsets"][0 if prefix == "duties" else 1]
                    .formset.forms[index]
                    .initial.get(field)
                )
                if value is not None and field not in ("id", "role"):
                    data[f"{prefix}-{index}-{field}"] = value
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    role.refresh_from_db()
    assert role.title_es == "Técnico flebotomista"
    assert role.title_en == "Phlebotomy technician"
    assert role.slug == "phlebotomy-technician"


# --- Queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["programs:detail", "careers:role_detail", "careers:guide_detail"])
def test_a_spanish_page_runs_the_same_queries_as_the_english_one(client, loaded, name):
    slugs = {
        "programs:detail": "medical-assisting-nutrition-weight-management",
        "careers:role_detail": "medical-assistant",
        "careers:guide_detail": "what-does-a-medical-assistant-do",
    }
    url = reverse(name, kwargs={"slug": slugs[name]})
    counts = {}
    for language in ("en", "es"):
        page(client, url, language)  # warm the per-process caches (site, templates)
        bump_content_version()
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[language] = len(queries)
    assert counts["es"] == counts["en"]


# --- A student's path steps ----------------------------------------------------------------


def test_a_students_steps_carry_both_languages_with_their_program_named(loaded):
    step = PathStep.objects.filter(template__help_text_en__contains="{program}").first()
    program = step.path.enrollment.cohort.offering.program
    assert program.title_en in step.help_text_en
    assert program.title_es in step.help_text_es
    with translation.override("es"):
        assert step.title == step.template.title_es
        assert "{program}" not in step.help_text
    with translation.override("en"):
        assert step.title == step.template.title_en


def test_a_step_whose_template_has_no_spanish_shows_the_english(db, loaded):
    template = PathStepTemplate.objects.exclude(unit_en="").first()
    template.title_es = ""
    texts = template.texts_for(None)
    assert texts["title_es"] == ""
    step = PathStep(title_en=texts["title_en"], title_es=texts["title_es"])
    with translation.override("es"):
        assert step.title == template.title_en

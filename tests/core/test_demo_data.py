"""The demo content is data: JSON files read by `load_demo`, not literals in the apps."""

import ast
import io
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from programs import demo_images
from tests.programs.conftest import image_bytes
from trainingcenter.demo import DATA_DIR, read_data
from trainingcenter.management.commands import load_demo

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["accounts", "careers", "programs"]


@pytest.fixture
def quick_images(monkeypatch):
    """Drawing nine full-size illustrations takes seconds: use small stand-ins."""
    monkeypatch.setattr(demo_images, "program_image", lambda slug: image_bytes(size=(640, 400)))
    monkeypatch.setattr(demo_images, "campus_image", lambda slug: image_bytes(size=(640, 400)))


def run_load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


# --- Where the content comes from ------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_reads_the_content_from_its_data_folder(tmp_path, quick_images):
    data_dir = tmp_path / "demo"
    shutil.copytree(DATA_DIR, data_dir)
    careers = json.loads((data_dir / "careers.json").read_text())
    careers["checked"] = "2031-05-06"
    careers["certifications"][0]["name"] = "Certified Medical Assistant (edited)"
    (data_dir / "careers.json").write_text(json.dumps(careers))
    programs = json.loads((data_dir / "programs.json").read_text())
    programs["campuses"][0]["phone"] = "(214) 555-0199"
    programs["programs"][0]["courses"][0]["title"] = "A course only the copy has"
    (data_dir / "programs.json").write_text(json.dumps(programs))

    run_load_demo("--data-dir", str(data_dir))

    Campus = apps.get_model("programs", "Campus")
    Certification = apps.get_model("careers", "Certification")
    Course = apps.get_model("programs", "Course")
    cma = Certification.objects.get(slug=careers["certifications"][0]["slug"])
    assert cma.name == "Certified Medical Assistant (edited)"
    assert cma.as_of.isoformat() == "2031-05-06"
    assert Campus.objects.get(slug="dallas").phone == "(214) 555-0199"
    assert Course.objects.filter(title="A course only the copy has").count() == 1

    # The shipped data puts the facts back: the copy was the only source of the edits.
    run_load_demo()
    assert Certification.objects.get(pk=cma.pk).name == "Certified Medical Assistant"
    assert Campus.objects.get(slug="dallas").phone == "(214) 555-0142"
    assert not Course.objects.filter(title="A course only the copy has").exists()


@pytest.mark.django_db
def test_a_missing_data_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"careers\.json"):
        run_load_demo("--data-dir", str(tmp_path))


@pytest.mark.django_db
def test_a_missing_loader_is_an_error_not_silently_skipped(monkeypatch):
    monkeypatch.setattr(load_demo, "LOADERS", ["careers.demo.load"])
    with pytest.raises(ImportError):
        run_load_demo()


# --- The apps carry no demo literals ----------------------------------------------------


def demo_sentences():
    """Every piece of prose in the demo data: strings with a space, long enough to be
    content rather than a label the code could share ("Median annual pay")."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and " " in value and len(value) >= 40:
            found.add(value)

    walk(read_data("careers"))
    walk(read_data("programs"))
    return found


def string_constants(source):
    """The string literals of a module, implicit concatenations joined."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def demo_literals_in(source, sentences):
    constants = string_constants(source)
    return sorted(s for s in sentences if any(s in constant for constant in constants))


def app_modules():
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/management/commands/" in relative:
                continue
            yield relative, path


def test_app_modules_carry_no_demo_content():
    sentences = demo_sentences()
    assert len(sentences) > 200  # the data is read, and it is the real content
    found = {
        relative: demo_literals_in(path.read_text(encoding="utf-8"), sentences)
        for relative, path in app_modules()
    }
    assert {module: hits for module, hits in found.items() if hits} == {}


def test_the_literal_check_finds_content_written_as_python():
    sentences = demo_sentences()
    summary = read_data("programs")["campuses"][0]["summary"]
    half = len(summary) // 2
    source = f"CAMPUSES = [{{'summary': ({summary[:half]!r}\n    {summary[half:]!r})}}]\n"
    assert demo_literals_in(source, sentences) == [summary]


# --- The data is valid and complete ------------------------------------------------------


def test_the_data_is_complete_and_its_references_resolve():
    careers, programs = read_data("careers"), read_data("programs")
    bodies = {b["slug"] for b in careers["bodies"]}
    certifications = {c["slug"] for c in careers["certifications"]}
    campuses = {c["slug"] for c in programs["campuses"]}
    assert campuses == {"dallas", "arlington"}
    assert {c["body"] for c in careers["certifications"]} <= bodies

    roles = set()
    for role in careers["roles"]:
        assert role.get("parent") in roles | {None}, role["slug"]  # parents come first
        assert set(role["certifications"]) <= certifications, role["slug"]
        assert role["duties"], role["slug"]
        roles.add(role["slug"])
    assert {g["role"] for g in careers["guides"]} <= roles

    offered_at = set()
    slugs = set()
    for program in programs["programs"]:
        slug = program["slug"]
        slugs.add(slug)
        assert set(program["certifications"]) <= certifications, slug
        assert set(program["roles"]) <= roles, slug
        assert program["kind"] in programs["tuition_includes"], slug
        assert program["kind"] in programs["admission_requirements"], slug
        courses = program["courses"]
        assert sum(c["hours"] for c in courses) == program["clock_hours"], slug
        assert [c["is_externship"] for c in courses] == [False] * (len(courses) - 1) + [True]
        assert courses[-1]["hours"] == program["externship_hours"], slug
        assert program["offerings"], slug
        assert program["outcomes"], slug
        keys = [(o["campus"], o["schedule"]) for o in program["offerings"]]
        assert len(keys) == len(set(keys)), slug
        for offering in program["offerings"]:
            assert offering["campus"] in campuses, slug
            assert offering["starts_every_weeks"] > 0, slug
            offered_at.add(offering["campus"])
    assert offered_at == campuses  # each campus offers something

    for inquiry in programs["sample_inquiries"]:
        assert inquiry["campus"] in campuses
        assert inquiry["program"] in slugs | {None}


@pytest.mark.django_db
def test_every_loaded_row_passes_model_validation(quick_images):
    """Choices, lengths, URLs and constraints: what the admin would refuse, the data may
    not hold either."""
    run_load_demo()
    checked = 0
    for label in ["careers", "programs"]:
        for model in apps.get_app_config(label).get_models():
            for obj in model.objects.all():
                obj.full_clean()
                checked += 1
    assert checked > 300


def test_demo_admission_requirements_state_each_programs_minimum_age(demo):
    """The age a program page states is the age the application form checks."""
    import re

    from programs.models import Program

    for program in Program.objects.all():
        for line in program.admission_requirements_list:
            if match := re.search(r"(\d+) years old", line):
                assert int(match.group(1)) == program.minimum_age, (program.slug, line)


def test_load_demo_indexes_the_spanish_content_for_search(demo):
    """The Spanish columns are written in bulk: load_demo indexes them at the end."""
    from careers import search

    results = search.search("flebotomia", "es")
    titles = [document.title for document in results.documents]
    assert "Técnico en flebotomía" in titles
    assert "Phlebotomy Technician" not in titles

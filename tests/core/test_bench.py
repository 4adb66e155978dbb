"""`make bench` pieces: the scale data generator, the in-process measurement, the bare view."""

import importlib
import json
from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from accounts.models import CertificationPath, Credential, Enrollment, PathStep, User
from careers.models import SearchDocument
from programs.models import Cohort, Inquiry, Program
from tests.factories import make_cohort, make_offering, make_program
from trainingcenter import bench

pytestmark = pytest.mark.django_db


def test_the_bare_view_is_off_in_normal_deployments(client):
    assert bench.urlpatterns == []
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare")
    assert client.get("/bench/bare/").status_code == HTTPStatus.NOT_FOUND


def test_the_bare_view_answers_a_fixed_small_page_when_enabled(monkeypatch, rf):
    monkeypatch.setenv("DJANGO_BENCH_BARE_VIEW", "1")
    try:
        enabled = importlib.reload(bench)
        assert [p.name for p in enabled.urlpatterns] == ["bench_bare"]
        response = enabled.bare(rf.get("/bench/bare/"))
    finally:
        monkeypatch.delenv("DJANGO_BENCH_BARE_VIEW")
        importlib.reload(bench)
    assert response.status_code == HTTPStatus.OK
    assert response.content == bench.BODY
    # Never stored by the anonymous page cache: it measures one full Django response.
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def bench_data():
    call_command("bench_data", students=12, inquiries=7)


def test_bench_data_fills_the_scale_shape_with_bulk_rows(bench_data):
    students = User.objects.filter(email__endswith="@bench.example")
    assert students.count() == 12
    assert Program.objects.count() == 60
    assert Cohort.objects.count() == 600
    assert Enrollment.objects.filter(student__in=students).count() == 12
    paths = CertificationPath.objects.filter(enrollment__student__in=students)
    assert paths.count() == 24
    assert PathStep.objects.filter(path__in=paths).count() == 240
    assert Inquiry.objects.filter(email__endswith="@bench.example").count() == 7
    # Credentials only for certified paths, each valid (expires after it is issued).
    for credential in Credential.objects.filter(student__in=students):
        assert credential.path.status == CertificationPath.Status.CERTIFIED
        assert credential.expires_on > credential.issued_on
    # The generated programs, inserted past the signals, are in the search index.
    assert SearchDocument.objects.filter(language="en", kind="program").count() == 60
    # Rows written with explicit ids: the next ORM insert still gets a fresh id.
    assert User.objects.create_user(email="after@bench.test").pk > students.latest("pk").pk
    with pytest.raises(CommandError, match="already holds bench data"):
        call_command("bench_data", students=1, inquiries=1)


def test_bench_measure_reports_every_key_page_within_the_query_targets(
    bench_data, tmp_path, client
):
    out = tmp_path / "measure.json"
    call_command("bench_measure", label="t", out=str(out), requests=2)
    pages = json.loads(out.read_text())["pages"]
    assert {p["kind"] for p in pages} == {"public", "portal", "apply", "admin"}
    assert len(pages) == 25
    names = {p["page"] for p in pages}
    assert {"search", "search, misspelled", "find your path", "role page"} <= names
    assert {"apply: a step", "admin: staff home", "admin: applications pipeline"} <= names
    # Query ceilings per kind (the benchmark checks that they stay flat from 1x to 10x).
    ceilings = {"public": 9, "portal": 15, "apply": 7, "admin": 22}
    for page in pages:
        assert page["status"] == HTTPStatus.OK, page
        assert page["median_ms"] > 0
        assert page["queries"] <= ceilings[page["kind"]], page

    # The load run gets each page with a session of its user.
    sessions = tmp_path / "sessions.json"
    call_command("bench_measure", label="t", out=str(sessions), sessions_only=True)
    pages = json.loads(sessions.read_text())
    assert all(p["session"] is None for p in pages if p["kind"] == "public")
    dashboard = next(p for p in pages if p["page"] == "dashboard")
    client.cookies["sessionid"] = dashboard["session"]
    assert client.get(dashboard["url"]).status_code == HTTPStatus.OK


def test_the_admin_cohort_filter_is_cached_and_follows_content_edits(
    staff_client,
):
    first = make_cohort(offering=make_offering(program=make_program(title="Phlebotomy Tech")))
    url = reverse("admin:accounts_enrollment_changelist")
    assert "Phlebotomy Tech" in staff_client.get(url).text
    program = first.offering.program
    program.title = "Phlebotomy Technician"
    program.save()
    response = staff_client.get(url)
    assert "Phlebotomy Technician" in response.text
    assert f"?cohort={first.pk}" in response.text

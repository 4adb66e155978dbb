"""The cohort progress report (admin view and CSV) and the expiry helpers."""

import csv
import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import reports, services
from accounts.models import CertificationPath, Enrollment, PathStep
from tests.accounts.staff_data import (
    make_credential,
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
    submit,
    update_step,
)

pytestmark = pytest.mark.django_db

REPORT = "admin:accounts_enrollment_report"


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def certification(db):
    return make_ma_certification(acronym="CMA")


@pytest.fixture
def cohort(db):
    return make_staff_cohort()


@pytest.fixture
def behind(cohort, certification):
    """A student 12 days behind: coursework was due 12 days ago, CPR card 3 days ago."""
    path = make_path(
        student=make_student(first_name="Bea", last_name="Behind"),
        cohort=cohort,
        certification=certification,
    )
    update_step(step(path, "Complete the coursework"), due_date=days_ago(12))
    update_step(step(path, "CPR card"), due_date=days_ago(3))
    return path


@pytest.fixture
def on_track(cohort, certification):
    """Overdue dates, but nothing waits on the student: verified, submitted, future."""
    path = make_path(
        student=make_student(first_name="Otto", last_name="Ontrack"),
        cohort=cohort,
        certification=certification,
    )
    update_step(
        step(path, "Complete the coursework"),
        due_date=days_ago(20),
        status=PathStep.Status.VERIFIED,
    )
    submit(step(path, "CPR card"), due_date=days_ago(4))
    update_step(step(path, "Externship hours"), due_date=days_ago(-10))
    return path


def report_rows(response):
    return {row.path.pk: row for row in response.context["rows"]}


def test_report_shows_progress_status_next_step_and_days_behind(staff_client, behind, on_track):
    response = staff_client.get(reverse(REPORT))
    assert response.status_code == HTTPStatus.OK
    rows = report_rows(response)
    assert rows[behind.pk].days_behind == 12
    assert rows[on_track.pk].days_behind == 0
    behind.refresh_from_db()
    assert rows[behind.pk].path.progress_percent == behind.progress_percent
    html = response.content.decode()
    assert "12 days" in html
    assert "Bea Behind" in html
    assert behind.next_step.title in html
    assert f"<strong>{behind.progress_percent}%</strong>" in html
    assert "1</strong> path behind schedule" in html


def test_report_filters(staff_client, behind, on_track, certification):
    elsewhere = make_path(cohort=make_staff_cohort(), certification=certification)
    withdrawn = make_path(
        cohort=behind.enrollment.cohort,
        certification=certification,
        enrollment_status=Enrollment.Status.WITHDRAWN,
    )
    cohort = behind.enrollment.cohort

    def ids(**params):
        response = staff_client.get(reverse(REPORT), params)
        assert response.status_code == HTTPStatus.OK
        return set(report_rows(response))

    assert ids() == {behind.pk, on_track.pk, elsewhere.pk}  # active enrollments only
    assert ids(cohort=cohort.pk) == {behind.pk, on_track.pk}
    assert ids(campus=cohort.offering.campus_id) == {behind.pk, on_track.pk}
    assert ids(program=cohort.offering.program_id) == {behind.pk, on_track.pk}
    assert ids(cohort=cohort.pk, behind="on") == {behind.pk}
    assert ids(cohort=cohort.pk, status="all") == {behind.pk, on_track.pk, withdrawn.pk}
    assert ids(status="withdrawn") == {withdrawn.pk}


@pytest.mark.parametrize(
    "params",
    [{"cohort": "abc"}, {"cohort": "999999"}, {"status": "bogus"}, {"page": "999"}, {"page": "x"}],
)
def test_bad_report_filters_never_fail(staff_client, behind, params):
    response = staff_client.get(reverse(REPORT), params)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors or response.context["rows"]


def test_csv_export(staff_client, behind, on_track):
    response = staff_client.get(
        reverse(REPORT), {"cohort": behind.enrollment.cohort_id, "format": "csv"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cohort-progress-')
    assert disposition.endswith(f'{timezone.localdate():%Y-%m-%d}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == reports.CSV_HEADER
    by_email = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    behind.refresh_from_db()
    line = by_email[behind.enrollment.student.email]
    assert line["Student"] == "Bea Behind"
    assert line["Days behind"] == "12"
    assert line["Progress (%)"] == str(behind.progress_percent)
    assert line["Path status"] == behind.get_status_display()
    assert line["Next step"] == behind.next_step.title
    assert line["Earliest overdue date"] == days_ago(12).isoformat()
    assert by_email[on_track.enrollment.student.email]["Days behind"] == "0"


def test_csv_neutralises_spreadsheet_formulas(staff_client, cohort, certification):
    make_path(
        student=make_student(first_name='=HYPERLINK("http://evil")', last_name="x"),
        cohort=cohort,
        certification=certification,
    )
    body = staff_client.get(reverse(REPORT), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK" in body
    assert '\n"=HYPERLINK' not in body


def test_report_figure_is_the_one_the_services_store(
    staff_client, cohort, certification, staff_user
):
    student = make_student()
    enrollment = services.enrollment_create(
        email=student.email, cohort=cohort, certifications=[certification], notify=False
    )
    path = enrollment.paths.get()
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    path.refresh_from_db()
    row = report_rows(staff_client.get(reverse(REPORT)))[path.pk]
    assert row.path.progress_percent == path.progress_percent
    assert row.path.status == path.status


def test_a_time_based_status_is_refreshed_when_staff_look(staff_client, cohort, certification):
    path = make_path(cohort=cohort, certification=certification)
    make_credential(
        student=path.enrollment.student, certification=certification, path=path, expires_in=200
    )
    from accounts import progress

    progress.path_recompute(path)
    assert path.status == CertificationPath.Status.CERTIFIED
    # The credential now expires in 30 days, and nobody has looked at the path since.
    path.credential.expires_on = timezone.localdate() + timedelta(days=30)
    path.credential.save()
    CertificationPath.objects.filter(pk=path.pk).update(
        recomputed_at=timezone.now() - timedelta(days=2)
    )
    row = report_rows(staff_client.get(reverse(REPORT)))[path.pk]
    assert row.path.status == CertificationPath.Status.RENEWAL_DUE
    path.refresh_from_db()
    assert path.status == CertificationPath.Status.RENEWAL_DUE


def build(n, cohort, certification):
    for _ in range(n):
        path = make_path(cohort=cohort, certification=certification)
        update_step(step(path, "Complete the coursework"), due_date=days_ago(5))
        submit(step(path, "CPR card"))


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_report_query_count_is_constant(staff_client, cohort, certification, fmt):
    params = {"format": "csv"} if fmt == "csv" else {}
    build(3, cohort, certification)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(reverse(REPORT), params).status_code == HTTPStatus.OK
    build(27, cohort, certification)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(reverse(REPORT), params)
    if fmt == "html":
        assert len(response.context["rows"]) == 30
    else:
        assert response.content.decode().count("\n") == 31
    assert len(many) == len(few)


def test_report_is_staff_only(client, student, behind):
    for url in (reverse(REPORT), reverse(REPORT) + "?format=csv"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        client.force_login(student)
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert "login" in response.url
        assert b"Bea Behind" not in response.content
        client.logout()


# --- Expiry helpers ------------------------------------------------------------------


def test_credentials_expiring_within_windows(student, certification):
    soon = make_credential(student=student, certification=certification, expires_in=25)
    mid = make_credential(student=student, certification=certification, expires_in=55)
    late = make_credential(student=student, certification=certification, expires_in=89)
    gone = make_credential(student=student, certification=certification, expires_in=-1)
    make_credential(student=student, certification=certification, expires_in=200)
    assert set(reports.credentials_expiring(within=30)) == {soon}
    assert set(reports.credentials_expiring(within=60)) == {soon, mid}
    assert set(reports.credentials_expiring(within=90)) == {soon, mid, late}
    assert set(reports.credentials_expiring(expired=True)) == {gone}


@pytest.mark.parametrize(
    ("days", "label", "tone"),
    [
        (-1, "Expired 1 day ago", "expired"),
        (-40, "Expired 40 days ago", "expired"),
        (0, "Expires today", "urgent"),
        (30, "Expires in 30 days", "urgent"),
        (31, "Expires in 31 days", "soon"),
        (90, "Expires in 90 days", "soon"),
        (91, "Expires in 91 days", "ok"),
    ],
)
def test_expiry_label(days, label, tone):
    today = timezone.localdate()
    assert reports.expiry_label(today + timedelta(days=days), today) == (label, tone)
    assert reports.expiry_label(None) == ("Does not expire", "ok")


@pytest.mark.parametrize(
    ("params", "scope", "heading"),
    [
        ({}, "all-cohorts", "Cohort progress: all cohorts"),
        ({"campus": "CAMPUS"}, "arlington-report", "Cohort progress: Arlington Report"),
        (
            {"campus": "CAMPUS", "program": "PROGRAM"},
            "arlington-report-phlebotomy-report",
            "Cohort progress: Arlington Report, Phlebotomy Report",
        ),
        ({"status": "graduated"}, "graduated", "Cohort progress: graduated"),
        ({"status": "all", "behind": "on"}, "all-statuses-behind", "all statuses, behind"),
    ],
)
def test_export_names_and_headings_follow_the_filters(staff_client, db, params, scope, heading):
    from tests.factories import make_campus, make_program

    campus = make_campus(name="Arlington Report", slug="arlington-report")
    program = make_program(title="Phlebotomy Report", slug="phlebotomy-report")
    values = {"CAMPUS": campus.pk, "PROGRAM": program.pk}
    query = {key: values.get(value, value) for key, value in params.items()}
    page = staff_client.get(reverse(REPORT), query)
    assert page.status_code == HTTPStatus.OK
    assert heading in page.content.decode()
    response = staff_client.get(reverse(REPORT), {**query, "format": "csv"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="cohort-progress-{scope}-{timezone.localdate():%Y-%m-%d}.csv"'
    )


def test_a_cohort_export_is_named_after_the_cohort(staff_client, behind):
    cohort = behind.enrollment.cohort
    response = staff_client.get(reverse(REPORT), {"cohort": cohort.pk, "format": "csv"})
    name = response["Content-Disposition"].split('filename="')[1]
    assert name.startswith("cohort-progress-")
    assert "all-cohorts" not in name
    assert cohort.offering.campus.slug.split("-")[0] in name

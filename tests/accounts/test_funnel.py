"""The admissions funnel adds up with the rows it counts, per campus and month; filters,
CSV, who may see it, and a constant number of queries."""

import csv
import io
from datetime import date, datetime, time, timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import funnel, pipeline
from accounts.models import Application, ApplicationEvent, Enrollment, User
from programs.models import Inquiry
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db
URL = reverse("admin:accounts_application_funnel")


def at(month, day=10):
    return timezone.make_aware(datetime.combine(month.replace(day=day), time(12)))


@pytest.fixture
def school(db):
    today = timezone.localdate()
    months = funnel.month_starts(today, 12)
    program = make_program(title="Medical Assistant")
    other_program = make_program(title="Phlebotomy")
    dallas = make_campus(name="Dallas", slug="dallas-f")
    arlington = make_campus(name="Arlington", slug="arlington-f")
    start = today + timedelta(days=60)
    cohorts = {
        "dallas": make_cohort(
            offering=make_offering(program=program, campus=dallas), start_date=start
        ),
        "arlington": make_cohort(
            offering=make_offering(program=program, campus=arlington), start_date=start
        ),
        "phleb": make_cohort(
            offering=make_offering(program=other_program, campus=dallas), start_date=start
        ),
    }
    old, recent = months[-3], months[-1]
    seq = iter(range(1000))

    def inquiry(campus, month, program=program):
        i = Inquiry.objects.create(
            name="X",
            email=f"i{next(seq)}@example.com",
            campus=campus,
            program=program,
            consent=True,
        )
        Inquiry.objects.filter(pk=i.pk).update(created_at=at(month))

    def application(cohort, month, *, submitted=False, accepted=False, enrolled=False):
        user = User.objects.create(email=f"a{next(seq)}@example.com")
        app = Application.objects.create(
            applicant=user,
            cohort=cohort,
            status="accepted" if accepted else "submitted" if submitted else "draft",
            created_at=at(month, 5),
            submitted_at=at(month, 6) if submitted else None,
        )
        if accepted:
            ApplicationEvent.objects.create(
                application=app, status="accepted", created_at=at(month, 8)
            )
        if enrolled:
            e = Enrollment.objects.create(student=user, cohort=cohort)
            Enrollment.objects.filter(pk=e.pk).update(created_at=at(month, 9))

    for _ in range(3):
        inquiry(dallas, old)
    inquiry(arlington, recent)
    inquiry(None, recent)
    inquiry(dallas, months[0] - timedelta(days=20))  # 13 months ago: outside
    application(cohorts["dallas"], old, submitted=True, accepted=True, enrolled=True)
    application(cohorts["dallas"], old, submitted=True)
    application(cohorts["dallas"], old)
    application(cohorts["arlington"], recent, submitted=True, accepted=True)
    application(cohorts["phleb"], recent, submitted=True)
    inquiry(dallas, recent, program=other_program)
    return {
        "old": old,
        "recent": recent,
        "dallas": dallas,
        "arlington": arlington,
        "program": program,
    }


def table(rows):
    return {(r.month, r.campus): r.counts for r in rows}


def test_the_figures_are_the_model_counts_per_month_and_campus(school):
    rows, totals = funnel.funnel()
    got = table(rows)
    assert got[(school["old"], "Dallas")] == [3, 3, 2, 1, 1]
    assert got[(school["recent"], "Arlington")] == [1, 1, 1, 1, 0]
    assert got[(school["recent"], "Dallas")] == [1, 1, 1, 0, 0]
    assert got[(school["recent"], "No campus chosen")] == [1, 0, 0, 0, 0]
    since = at(funnel.month_starts(timezone.localdate(), 12)[0], 1) - timedelta(hours=12)
    assert totals == [
        Inquiry.objects.filter(created_at__gte=since).count(),
        Application.objects.count(),
        Application.objects.filter(submitted_at__isnull=False).count(),
        ApplicationEvent.objects.filter(status="accepted").count(),
        Enrollment.objects.count(),
    ]
    assert totals == [6, 5, 4, 2, 1]


def test_filters(school):
    rows, totals = funnel.funnel(campus=school["arlington"])
    assert {r.campus for r in rows} == {"Arlington"}
    assert totals == [1, 1, 1, 1, 0]
    rows, totals = funnel.funnel(program=school["program"])
    assert totals == [5, 4, 3, 2, 1]
    rows, totals = funnel.funnel(months=1)
    assert {r.month for r in rows} == {school["recent"]}


def test_page_csv_and_file_name(staff_client, school):
    response = staff_client.get(URL, {"campus": school["dallas"].pk, "months": "12"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Admissions funnel: Dallas, last 12 months" in html
    assert "the day admissions accepted them" in html
    response = staff_client.get(
        URL, {"campus": school["dallas"].pk, "months": "12", "format": "csv"}
    )
    assert 'filename="admissions-funnel-dallas-last-12-months-' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Admissions funnel: Dallas, last 12 months"]
    assert lines[1][:3] == ["Month", "Campus", "Inquiries"]
    assert lines[-1] == ["Total", "", "4", "4", "3", "1", "1"]


def test_bad_filters_say_so_and_show_the_default(staff_client, school):
    response = staff_client.get(URL, {"months": "999", "format": "csv"})
    assert response.status_code == HTTPStatus.OK
    assert "errornote" in response.content.decode()


def test_only_staff_who_may_view_applications(client, make_user, school):
    client.force_login(make_user("nope@example.com", is_staff=True))
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    client.logout()
    assert client.get(URL).status_code == HTTPStatus.FOUND
    viewer = make_user("viewer@example.com", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_application"))
    client.force_login(viewer)
    assert client.get(URL).status_code == HTTPStatus.OK


def test_constant_queries(staff_client, school):
    staff_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(URL)
    assert len(queries) <= 14


def test_staff_home_counts_applications_to_act_on(staff_client, client, make_user, school):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "?todo=new" in html
    assert "Admissions funnel" in html
    assert pipeline.to_act_on("new").count() == 2
    assert pipeline.to_act_on("accepted").count() == 2
    listed = staff_client.get(
        reverse("admin:accounts_application_changelist"), {"todo": "new"}
    ).context["cl"]
    assert listed.result_count == 2
    client.force_login(make_user("nope@example.com", is_staff=True))
    assert "?todo=new" not in client.get(reverse("admin:index")).content.decode()


def test_interviews_in_the_next_7_days_include_a_week_from_today(db):
    today = date(2027, 3, 1)
    cohort = make_cohort(start_date=today + timedelta(days=60))
    for offset in (-1, 0, 7, 8):
        Application.objects.create(
            applicant=User.objects.create(email=f"iv{offset}@example.com"),
            cohort=cohort,
            status=Application.Status.INTERVIEW_SCHEDULED,
            interview_at=timezone.make_aware(
                datetime.combine(today + timedelta(days=offset), time(14))
            ),
        )
    week = pipeline.to_act_on("week", today=today)
    assert sorted(a.interview_at.date() - today for a in week) == [
        timedelta(days=0),
        timedelta(days=7),
    ]
    assert pipeline.to_act_on("today", today=today).count() == 1

"""The staff home (admin index): what needs doing today, charts, reports; staff sign-in."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import staff_home
from accounts.models import Enrollment, User
from programs.models import Inquiry
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
from tests.factories import make_campus
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def figure(html, label):
    """The count shown before a label on the staff home, and the link around it."""
    match = re.search(
        r'<a class="tc-figure[^"]*" href="([^"]+)">\s*<span class="tc-figure-count">(\d+)</span>'
        r'\s*<span class="tc-figure-text"><span class="tc-figure-label">' + re.escape(label),
        html,
    )
    assert match, f"no figure {label!r}"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


@pytest.fixture
def school(db):
    """Two campuses with new inquiries, uploads waiting, a student behind, credentials."""
    dallas = make_campus(name="Dallas", slug="dallas")
    arlington = make_campus(name="Arlington", slug="arlington")
    certification = make_ma_certification(acronym="CMA")
    cohort = make_staff_cohort(campus=dallas)
    for i in range(3):
        Inquiry.objects.create(name=f"D{i}", email=f"d{i}@example.com", campus=dallas, consent=True)
    Inquiry.objects.create(name="A", email="a@example.com", campus=arlington, consent=True)
    Inquiry.objects.create(
        name="Old", email="o@example.com", campus=arlington, consent=True, status="contacted"
    )
    waiting = []
    for days in (5, 1):
        path = make_path(cohort=cohort, certification=certification)
        waiting.append(submit(step(path, "CPR card"), days_ago=days))
    behind = make_path(
        student=make_student(first_name="Bea", last_name="Behind"),
        cohort=cohort,
        certification=certification,
    )
    update_step(step(behind, "Complete the coursework"), due_date=days_ago(4))
    graduate = make_student()
    make_credential(student=graduate, certification=certification, expires_in=20)
    make_credential(student=graduate, certification=certification, expires_in=75)
    make_credential(student=graduate, certification=certification, expires_in=-3)
    return {"dallas": dallas, "arlington": arlington, "cohort": cohort, "behind": behind}


def test_staff_home_answers_what_needs_doing_today(staff_client, school):
    html = staff_client.get("/admin/").content.decode()

    count, url = figure(html, "uploads waiting for review")
    assert count == 2
    assert url == reverse("admin:accounts_stepawaitingreview_changelist")
    assert "oldest waiting 5" in html
    assert "needs attention" in html

    count, url = figure(html, "new inquiries, Dallas")
    assert count == 3
    assert f"campus__id__exact={school['dallas'].pk}" in url
    assert "status__exact=new" in url
    count, url = figure(html, "new inquiry, Arlington")
    assert count == 1  # the contacted one is not new

    count, url = figure(html, "student behind on a deadline")
    assert count == 1
    assert url == reverse("admin:accounts_enrollment_report") + "?behind=on"

    assert figure(html, "credential expiring within 30 days")[0] == 1
    assert figure(html, "credentials expiring within 90 days")[0] == 2
    count, url = figure(html, "expired credential")
    assert count == 1
    assert url.endswith("?expires=expired")


def test_every_figure_links_to_a_list_that_counts_the_same(staff_client, school):
    html = staff_client.get("/admin/").content.decode()
    for label, count_pattern in [
        ("new inquiries, Dallas", r"3 inquiries|3 results"),
        ("credentials expiring within 90 days", r"2 credentials|2 results"),
    ]:
        _, url = figure(html, label)
        listing = staff_client.get(url)
        assert listing.status_code == HTTPStatus.OK
        assert re.search(count_pattern, listing.content.decode()), label


def test_invitations_not_accepted_are_counted_and_filtered(staff_client, school):
    User.objects.filter(is_staff=False).update(password=make_password("set-by-the-student"))
    invited = make_student(email="new@example.com")
    invited.set_unusable_password()
    invited.save()
    make_path(student=invited, cohort=school["cohort"])
    gone = make_student(email="gone@example.com")
    gone.set_unusable_password()
    gone.save()
    make_path(student=gone, cohort=school["cohort"])
    Enrollment.objects.filter(student=gone).update(status=Enrollment.Status.WITHDRAWN)
    html = staff_client.get("/admin/").content.decode()
    count, url = figure(html, "enrollment waiting for the student to accept the invitation")
    assert count == 1
    listing = staff_client.get(url).content.decode()
    assert "new@example.com" in listing
    assert "gone@example.com" not in listing  # withdrawn: nothing to act on
    assert "Bea" not in listing  # has a password
    assert "1 enrollment" in listing or "1 result" in listing


def test_charts_are_svg_with_the_same_figures_as_a_table(staff_client, school):
    Enrollment.objects.filter(cohort=school["cohort"]).update(enrolled_on=timezone.localdate())
    html = staff_client.get("/admin/").content.decode()
    for chart_id in ("chart-enrollments", "chart-cohorts", "chart-funnel"):
        chart = html.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
        for part in ("<svg", "<table>", "<caption>"):
            assert part in chart, chart_id
        assert 'role="img"' in chart
    enrollments = html.split('id="chart-enrollments"', 1)[1].split("</figure>", 1)[0]
    # 3 students in the Dallas cohort: the bar's value and the table cell say 3.
    assert "3 <span" in enrollments
    assert re.search(r'<td class="tc-num">3</td>', enrollments)
    funnel = html.split('id="chart-funnel"', 1)[1].split("</figure>", 1)[0]
    this_month = timezone.localdate().strftime("%b %Y")
    row = funnel.split(f'<th scope="row">{this_month}</th>', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="tc-num">(\d+)</td>', row) == [
        "5",
        "0",
        "0",
        "0",
        "3",
    ]  # inquiries ... enrolled


def test_cohort_chart_buckets_paths_by_progress():
    rows = [(label, low, high) for label, low, high in staff_home.PROGRESS_BUCKETS]
    covered = [p for _, low, high in rows for p in range(low, high + 1)]
    assert covered == list(range(101))  # every percent in exactly one bucket


def test_reports_are_reachable_from_the_staff_home(staff_client, school):
    html = staff_client.get("/admin/").content.decode()
    for url in [
        reverse("admin:accounts_enrollment_report"),
        reverse("admin:accounts_credential_changelist") + "?expires=90",
        reverse("admin:programs_inquiry_changelist"),
        reverse("admin:accounts_enrollment_add"),
    ]:
        assert f'href="{url}"' in html, url


@pytest.fixture
def clerk(make_user, client):
    """A staff account holding no permission at all."""
    user = make_user("clerk@example.com", is_staff=True)
    client.force_login(user)
    return user


def test_staff_without_permissions_see_no_figures(client, clerk, school):
    response = client.get("/admin/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "tc-figure" not in html
    assert "tc-chart" not in html
    assert "Bea" not in html


def test_staff_see_only_the_figures_their_permissions_allow(client, clerk, school):
    clerk.user_permissions.add(Permission.objects.get(codename="view_inquiry"))
    html = client.get("/admin/").content.decode()
    assert figure(html, "new inquiries, Dallas")[0] == 3
    assert "uploads waiting" not in html
    assert "behind on a deadline" not in html
    assert "chart-enrollments" not in html
    assert "Cohort progress report" not in html


def test_staff_home_runs_a_constant_number_of_queries(staff_client, school):
    def queries():
        staff_client.get("/admin/")  # warm the session and content types
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get("/admin/").status_code == HTTPStatus.OK
        return len(ctx)

    few = queries()
    certification = make_ma_certification(acronym="RMA")
    for campus in (make_campus(name=f"Campus {i}", slug=f"campus-{i}") for i in range(4)):
        cohort = make_staff_cohort(campus=campus)
        for _ in range(5):
            path = make_path(cohort=cohort, certification=certification)
            submit(step(path, "CPR card"))
            update_step(step(path, "Complete the coursework"), due_date=days_ago(2))
        Inquiry.objects.create(name="X", email="x@example.com", campus=campus, consent=True)
    assert queries() == few


def test_empty_school_shows_zeros_and_no_error(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert figure(html, "uploads waiting for review")[0] == 0
    assert figure(html, "new inquiries")[0] == 0
    assert "Nothing to show yet." in html


# --- Signing in ---------------------------------------------------------------------


def login(client, user, password, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": password})


def test_staff_land_on_the_staff_home(client, staff_user, password):
    response = login(client, staff_user, password)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:index")


def test_students_still_land_on_the_portal(client, student, password):
    assert login(client, student, password).url == "/portal/"


def test_an_explicit_next_still_wins_for_staff(client, staff_user, password):
    assert login(client, staff_user, password, "/admin/programs/").url == "/admin/programs/"


def test_the_portal_sends_staff_without_enrollment_to_the_staff_home(staff_client):
    response = staff_client.get(reverse("portal:dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:index")


def test_staff_who_study_here_keep_their_portal(staff_client, staff_user):
    make_path(student=staff_user)
    assert staff_client.get(reverse("portal:dashboard")).status_code == HTTPStatus.OK


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_REQUIRE_MFA = True


def test_two_factor_setup_follows_login_without_a_second_password(
    mfa_required, client, staff_user, password
):
    response = login(client, staff_user, password)
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.OK
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")


def test_two_factor_setup_asks_the_password_again_once_the_login_is_old(
    mfa_required, client, staff_user, password
):
    login(client, staff_user, password)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_changing_two_factor_settings_made_before_this_login_asks_for_the_password(
    mfa_required, client, staff_user, password
):
    login(client, staff_user, password)
    Authenticator.objects.create(
        user=staff_user,
        type=Authenticator.Type.TOTP,
        data={"secret": "x"},
        created_at=timezone.now() - timedelta(days=30),
    )
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_setup_then_recovery_codes_without_a_password_prompt(
    mfa_required, client, staff_user, password
):

    login(client, staff_user, password)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == HTTPStatus.OK
    secret = client.session["mfa.totp.secret"]
    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_code(secret)}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("mfa_view_recovery_codes")
    html = response.content.decode()
    assert "Continue to the staff home" in html
    assert Authenticator.objects.filter(user=staff_user, type="recovery_codes").exists()
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    # Only the first setup's own pages are spared the prompt: removing the new
    # authenticator or making new recovery codes still asks for the password.
    for name in ("mfa_deactivate_totp", "mfa_generate_recovery_codes"):
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND, name
        assert response.url.startswith(reverse("account_reauthenticate")), name


def test_students_are_never_spared_the_password_prompt(client, student, password):
    login(client, student, password)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_reauthenticate"))

"""What students see: dashboard, path page, credentials, profile."""

import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Enrollment
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<title>" in html
    assert 'name="description"' in html
    assert ' style="' not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    return html


def progressbars(html):
    return re.findall(
        r'<div class="tc-progress-track" role="progressbar" aria-valuenow="(\d+)" aria-valuemin="0" aria-valuemax="100" aria-label="([^"]+)"',
        html,
    )


def test_dashboard_empty_state(student_client):
    html = html_of(student_client.get(reverse("portal:dashboard")))
    assert "You are not enrolled in a program yet" in html


def test_dashboard_shows_enrolment_path_card_next_step_and_deadlines(
    student_client, path, student, cohort
):
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    html = html_of(student_client.get(reverse("portal:dashboard")))
    program = cohort.offering.program.title
    assert program in html
    assert "Dallas campus" in html
    assert cohort.start_date.strftime("%b %-d, %Y") in html
    assert "Enrolled" in html
    assert progressbars(html) == [("10", "CMA certification progress")]
    assert "10% complete" in html
    assert "In training" in html
    assert "Next step" in html
    # Only staff complete the coursework step: it is no deadline of the student's.
    assert "Complete the coursework" not in html
    # Deadlines across paths, earliest first: the CPR card (day 120) before the hours (250).
    deadlines = html.split("Upcoming deadlines", 1)[1]
    assert deadlines.index("CPR card") < deadlines.index("Externship hours")
    assert path.get_absolute_url() in html


def test_dashboard_and_path_page_show_the_same_figure(student_client, path, student, staff_user):
    services.step_record_count(step=step(path, "Externship hours"), count=150, user=student)
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    services.step_waive(step=step(path, "CPR card"), reviewer=staff_user, reason="On file")
    dashboard = progressbars(html_of(student_client.get(reverse("portal:dashboard"))))
    detail = progressbars(html_of(student_client.get(path.get_absolute_url())))
    path.refresh_from_db()
    assert dashboard == detail == [(str(path.progress_percent), "CMA certification progress")]
    assert path.progress_percent == 32  # (1 + 150/160) of 6 weighed steps


def test_dashboard_lists_every_enrolment_and_marks_overdue(
    student_client, student, enroll, certification
):
    from tests.factories import make_cohort

    old = make_cohort(start_date=timezone.localdate() - timedelta(days=400))
    enroll(student)
    enroll(student, cohort=old)
    html = html_of(student_client.get(reverse("portal:dashboard")))
    assert html.count('class="enrollment"') == 2
    assert "overdue" in html


def test_withdrawn_enrolment_is_listed_with_a_notice(student_client, path):
    Enrollment.objects.update(status=Enrollment.Status.WITHDRAWN)
    html = html_of(student_client.get(reverse("portal:dashboard")))
    assert "This enrollment was withdrawn" in html
    assert "Upcoming deadlines" in html


def test_path_page_timeline(student_client, path, student, staff_user):
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    services.step_reject(step=step(path, "CPR card"), reviewer=staff_user, reason="Card is blurry.")
    services.step_verify(
        step=step(path, "Complete the coursework"), reviewer=staff_user, note="Great work"
    )
    html = html_of(student_client.get(path.get_absolute_url()))
    assert "112 / 160</strong> hours" in html
    assert "Sent back by Stacy Staff:</strong> Card is blurry." in html
    assert "Note from your campus:</strong> Great work" in html
    assert "cpr-card.pdf" in html
    assert (
        reverse("portal:evidence_download", kwargs={"pk": step(path, "CPR card").evidence.get().pk})
        in html
    )
    assert "Sent back by Stacy Staff on" in html  # the review history, in the same words
    assert "After you are certified" in html
    assert "This step opens once you are certified." in html
    for name in ("step_count", "step_evidence"):
        assert reverse(f"portal:{name}", kwargs={"pk": step(path, "Externship hours").pk}) in html
    assert reverse("portal:step_date", kwargs={"pk": step(path, "Exam date").pk}) in html
    assert "Your campus marks this step when it is complete." in html


def test_credentials_page_empty_state(student_client):
    html = html_of(student_client.get(reverse("portal:credentials")))
    assert "No credentials yet" in html


def test_credentials_page_shows_expiry_days_left_and_ce_by_category(student_client, path, student):
    today = timezone.localdate()
    credential = services.credential_record(
        path=path, issued_on=today - timedelta(days=30), number="CMA-77"
    )
    services.ce_activity_add(
        credential=credential,
        user=student,
        title="Coding update",
        provider="AAMA",
        category="administrative",
        credits="12",
        completed_on=today,
    )
    html = html_of(student_client.get(reverse("portal:credentials")))
    assert "CMA-77" in html
    assert f"{credential.days_left}</span>" in html
    assert "Administrative" in html
    assert "10 / 10" in html
    assert "Any category" in html
    assert "2 / 30" in html
    assert "12 of 60 credits" in html
    assert ("20", "CMA continuing education progress") in progressbars(html)
    assert f'name="ce-{credential.pk}-category"' in html


def test_expired_credential_stays_visible_with_a_warning(student_client, path):
    services.credential_record(path=path, issued_on=date(2019, 3, 3))
    html = html_of(student_client.get(reverse("portal:credentials")))
    assert "This credential expired on March 31, 2024." in html
    assert "Expired" in html


def test_credential_due_for_renewal_says_so(student_client, path):
    from accounts import progress

    target = timezone.localdate() + timedelta(days=45)
    issued = progress.add_months(target.replace(day=1), -60)
    services.credential_record(path=path, issued_on=issued)
    html = html_of(student_client.get(reverse("portal:credentials")))
    assert "Renewal due:" in html
    assert "60 CE credits" in html


def test_profile_page_shows_calendar_link_and_export(student_client, student):
    html = html_of(student_client.get(reverse("portal:profile")))
    token = student.profile.calendar_token
    assert reverse("portal:calendar", kwargs={"token": token}) in html
    assert reverse("portal:profile_export") in html
    assert reverse("portal:calendar_reset") in html


def test_staff_without_enrollments_are_sent_to_the_staff_home(staff_client):
    response = staff_client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")

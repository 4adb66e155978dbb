import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.feeds import render_calendar
from accounts.models import Enrollment, PathStep, StudentProfile
from tests.accounts.staff_data import (
    make_credential,
    make_ma_certification,
    make_path,
    make_profile,
    make_staff_cohort,
    step,
)

pytestmark = pytest.mark.django_db


# --- A small RFC 5545 checker -----------------------------------------------------


def parse_ical(body: bytes):
    """Check the physical format and return (calendar properties, events)."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n"), "the last line ends with CRLF"
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert "\n" not in line, f"bare LF in {line!r}"
        assert "\r" not in line, f"bare CR in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    logical = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack, events, calendar, current = [], [], {}, None
    for line in logical:
        name, sep, value = line.partition(":")
        assert sep, f"no colon in content line {line!r}"
        prop = name.split(";")[0]
        if prop == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif prop == "END":
            assert stack, f"END:{value} without its BEGIN"
            assert stack.pop() == value, f"END:{value} closes another component"
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            current[prop] = (name, value)
        else:
            calendar[prop] = value
    assert stack == [], f"unclosed components: {stack}"
    assert logical[0] == "BEGIN:VCALENDAR"
    assert logical[-1] == "END:VCALENDAR"
    return calendar, events


def unescape(value):
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def feed_url(profile):
    return reverse("portal:calendar", kwargs={"token": profile.calendar_token})


@pytest.fixture
def student_path(student):
    cohort = make_staff_cohort(start_days_ago=30)
    path = make_path(student=student, cohort=cohort)
    today = timezone.localdate()
    coursework = step(path, "Complete the coursework")
    coursework.due_date = today + timedelta(days=20)
    coursework.title = "Coursework, part 1; modules A\\B"
    coursework.help_text = "Pass the final module.\nBring your skills log, signed."
    coursework.student_can_complete = True  # a step only staff complete is no deadline
    coursework.save()
    exam = step(path, "Exam date")
    exam.date_value = today + timedelta(days=50)
    exam.status = PathStep.Status.VERIFIED
    exam.save()
    done = step(path, "CPR card")
    done.due_date = today + timedelta(days=5)
    done.status = PathStep.Status.VERIFIED
    done.save()
    return path


# --- The feed ---------------------------------------------------------------------


def test_feed_is_valid_icalendar_with_the_students_dates(client, student, student_path):
    profile = make_profile(student)
    credential = make_credential(student=student, expires_in=200)
    response = client.get(feed_url(profile))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]  # and no-store, like every portal response
    calendar, events = parse_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
        assert event["DTSTART"][0] == "DTSTART;VALUE=DATE"
        assert re.fullmatch(r"\d{8}", event["DTSTART"][1])
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"][1])
    uids = [e["UID"][1] for e in events]
    assert len(uids) == len(set(uids))

    by_summary = {unescape(e["SUMMARY"][1]): e for e in events}
    today = timezone.localdate()
    cohort = student_path.enrollment.cohort
    acronym = student_path.certification.acronym
    exam = by_summary[f"{acronym} exam"]
    assert exam["DTSTART"][1] == f"{today + timedelta(days=50):%Y%m%d}"
    due = by_summary[f"Due: Coursework, part 1; modules A\\B ({acronym})"]
    assert due["DTSTART"][1] == f"{today + timedelta(days=20):%Y%m%d}"
    assert due["DTEND"][1] == f"{today + timedelta(days=21):%Y%m%d}"
    assert "Bring your skills log, signed." in unescape(due["DESCRIPTION"][1])
    assert "\n" in unescape(due["DESCRIPTION"][1])
    program = cohort.offering.program.title
    assert by_summary[f"{program}: first day of class"]["DTSTART"][1] == (
        f"{cohort.start_date:%Y%m%d}"
    )
    assert by_summary[f"{program}: estimated graduation"]["DTSTART"][1] == (
        f"{cohort.graduation_date:%Y%m%d}"
    )
    renewal = by_summary[
        f"{credential.certification.acronym} credential expires: renew before this day"
    ]
    assert renewal["DTSTART"][1] == f"{credential.expires_on:%Y%m%d}"
    # A step already verified is no longer a deadline.
    assert not any("CPR card" in s for s in by_summary)


def test_special_characters_are_escaped_in_the_raw_text(client, student, student_path):
    profile = make_profile(student)
    raw = client.get(feed_url(profile)).content.decode()
    unfolded = raw.replace("\r\n ", "")
    assert "Coursework\\, part 1\\; modules A\\\\B" in unfolded
    assert "Pass the final module.\\nBring your skills log\\, signed." in unfolded


def test_wrong_missing_or_short_token_is_a_404(client, student, student_path):
    profile = make_profile(student)
    token = profile.calendar_token
    for bad in [token[:-1] + ("y" if token[-1] != "y" else "z"), token.upper(), "x" * 40, "short"]:
        response = client.get(reverse("portal:calendar", kwargs={"token": bad}))
        assert response.status_code == HTTPStatus.NOT_FOUND, bad
    assert client.get(feed_url(profile)).status_code == HTTPStatus.OK


def test_a_token_opens_only_its_owners_calendar(client, student, other_student, student_path):
    other_path = make_path(student=other_student)
    other_step = step(other_path, "Complete the coursework")
    other_step.due_date = timezone.localdate() + timedelta(days=9)
    other_step.title = "Other student's secret deadline"
    other_step.student_can_complete = True
    other_step.save()
    mine = make_profile(student)
    theirs = make_profile(other_student)
    body = client.get(feed_url(mine)).content.decode()
    assert "secret deadline" not in body
    assert "secret deadline" in client.get(feed_url(theirs)).content.decode().replace("\r\n ", "")


def test_deactivated_account_has_no_feed(client, student, student_path):
    profile = make_profile(student)
    student.is_active = False
    student.save()
    assert client.get(feed_url(profile)).status_code == HTTPStatus.NOT_FOUND


def test_withdrawn_enrolment_adds_no_deadlines(client, student, student_path):
    profile = make_profile(student)
    student_path.enrollment.status = Enrollment.Status.WITHDRAWN
    student_path.enrollment.save()
    _, events = parse_ical(client.get(feed_url(profile)).content)
    assert events == []


def test_feed_query_count_does_not_grow_with_paths_and_steps(client, student):
    profile = make_profile(student)
    certification = make_ma_certification()

    def build(n):
        for _ in range(n):
            path = make_path(student=student, certification=certification)
            for s in path.steps.all():
                s.due_date = timezone.localdate() + timedelta(days=10)
                s.save()
            make_credential(student=student, certification=certification)

    build(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(feed_url(profile)).status_code == HTTPStatus.OK
    build(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(feed_url(profile))
    _, events = parse_ical(response.content)
    assert len(events) >= 30 * 7
    assert len(many) == len(few)


# --- Writing iCalendar ------------------------------------------------------------


def test_long_non_ascii_lines_fold_at_75_octets_and_text_is_escaped():
    from datetime import date

    from accounts.feeds import CalendarEvent

    description = "Évaluation clinique \u2013 prélèvements sanguins ✓; a\\b,\r\nc " * 6
    text = render_calendar(
        [CalendarEvent(uid="x@test", day=date(2026, 3, 2), summary="S", description=description)],
        name="Test",
    )
    _, events = parse_ical(text.encode())  # checks every physical line is <= 75 octets
    raw = events[0]["DESCRIPTION"][1]
    for escaped in ("\\;", "\\,", "\\\\", "\\n"):
        assert escaped in raw
    assert unescape(raw) == description.replace("\r\n", "\n")


def test_render_uses_crlf_and_balances_components():
    from datetime import date

    from accounts.feeds import CalendarEvent

    text = render_calendar(
        [CalendarEvent(uid="x@test", day=date(2026, 3, 2), summary="Long " * 40)], name="Test"
    )
    calendar, events = parse_ical(text.encode())
    assert calendar["X-WR-CALNAME"] == "Test"
    assert events[0]["SUMMARY"][1] == ("Long " * 40)
    assert text.count("\r\n") == text.count("\n")


# --- Resetting the link -----------------------------------------------------------


def test_reset_gives_a_new_link_and_the_old_one_stops_working(student_client, student):
    profile = make_profile(student)
    old_token = profile.calendar_token
    response = student_client.post(reverse("portal:calendar_reset"), follow=False)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("portal:profile")
    profile.refresh_from_db()
    assert profile.calendar_token != old_token
    assert len(profile.calendar_token) >= 40
    assert (
        student_client.get(reverse("portal:calendar", kwargs={"token": old_token})).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert student_client.get(feed_url(profile)).status_code == HTTPStatus.OK
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("calendar link was reset" in m for m in messages)


def test_reset_creates_a_profile_when_missing(student_client, student):
    assert not StudentProfile.objects.filter(user=student).exists()
    student_client.post(reverse("portal:calendar_reset"))
    assert StudentProfile.objects.get(user=student).calendar_token


def test_reset_requires_login(client, student):
    profile = make_profile(student)
    response = client.post(reverse("portal:calendar_reset"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url
    assert StudentProfile.objects.get(pk=profile.pk).calendar_token == profile.calendar_token


def test_reset_refuses_get_and_requests_without_csrf(student, other_student):
    profile = make_profile(student)
    other_profile = make_profile(other_student)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(student)
    assert csrf_client.get(reverse("portal:calendar_reset")).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert csrf_client.post(reverse("portal:calendar_reset")).status_code == HTTPStatus.FORBIDDEN
    assert StudentProfile.objects.get(pk=profile.pk).calendar_token == profile.calendar_token
    assert (
        StudentProfile.objects.get(pk=other_profile.pk).calendar_token
        == other_profile.calendar_token
    )


# --- A new password retires the calendar link --------------------------------------

NEW_PASSWORD = "Fresh-Passw0rd-42"


def assert_link_retired(client, profile, other_profile=None):
    old_token = profile.calendar_token
    profile.refresh_from_db()
    assert profile.calendar_token != old_token
    assert len(profile.calendar_token) >= 40
    assert client.get(reverse("portal:calendar", kwargs={"token": old_token})).status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert client.get(feed_url(profile)).status_code == HTTPStatus.OK
    if other_profile is not None:
        token = other_profile.calendar_token
        other_profile.refresh_from_db()
        assert other_profile.calendar_token == token


def test_changing_the_password_retires_the_calendar_link(
    student_client, student, other_student, password
):
    profile, other = make_profile(student), make_profile(other_student)
    response = student_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert_link_retired(Client(), profile, other)


def test_resetting_the_password_by_e_mail_retires_the_calendar_link(
    client, student, other_student, mailoutbox
):
    profile, other = make_profile(student), make_profile(other_student)
    client.post(reverse("account_reset_password"), {"email": student.email})
    key_url = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body
    ).group(1)
    response = client.get(key_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else key_url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert_link_retired(Client(), profile, other)


def test_staff_setting_a_password_in_the_admin_retires_the_calendar_link(
    staff_client, student, other_student
):
    profile, other = make_profile(student), make_profile(other_student)
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[student.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert_link_retired(Client(), profile, other)


def test_a_login_or_a_profile_edit_keeps_the_calendar_link(client, student, password):
    profile = make_profile(student)
    client.post(reverse("account_login"), {"login": student.email, "password": password})
    student.first_name = "Samantha"
    student.save()
    assert StudentProfile.objects.get(pk=profile.pk).calendar_token == profile.calendar_token

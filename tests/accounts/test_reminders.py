from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.management.commands.send_reminders import threshold_for
from accounts.models import Enrollment, PathStep, ReminderLog
from tests.accounts.staff_data import (
    make_credential,
    make_path,
    make_student,
    step,
)

pytestmark = pytest.mark.django_db


def run(day, *args):
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def set_due(path, title, day):
    s = step(path, title)
    s.due_date = day
    s.save()
    return s


@pytest.fixture
def deadline():
    return timezone.localdate() + timedelta(days=120)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (120, None),
        (91, None),
        (90, 90),
        (61, 90),
        (60, 60),
        (45, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 7),
        (-1, None),
    ],
)
def test_threshold_is_the_most_recent_one_reached(days_left, threshold):
    assert threshold_for(days_left) == threshold


def test_step_due_date_is_reminded_once_at_90_60_30_and_7_days(mailoutbox, deadline):
    path = make_path()
    set_due(path, "Externship hours", deadline)
    sent_on = []
    for offset in range(100, -2, -1):  # every day, and twice on some days
        day = deadline - timedelta(days=offset)
        before = len(mailoutbox)
        run(day)
        if offset % 10 == 0:
            run(day)  # an hourly cron runs several times a day
        if len(mailoutbox) > before:
            assert len(mailoutbox) == before + 1
            sent_on.append(offset)
    assert sent_on == [90, 60, 30, 7]
    assert sorted(ReminderLog.objects.values_list("days_before", flat=True)) == [7, 30, 60, 90]


def test_a_missed_run_sends_only_the_most_recent_threshold(mailoutbox, deadline):
    path = make_path()
    set_due(path, "Externship hours", deadline)
    run(deadline - timedelta(days=20))  # nothing ran at 90, 60 or 30 days
    assert len(mailoutbox) == 1
    assert "in 20 days" in mailoutbox[0].subject
    assert list(ReminderLog.objects.values_list("days_before", flat=True)) == [30]
    run(deadline - timedelta(days=19))
    run(deadline - timedelta(days=10))
    assert len(mailoutbox) == 1
    run(deadline - timedelta(days=7))
    assert len(mailoutbox) == 2


def test_reminder_email_has_text_and_html_parts_with_links(mailoutbox, deadline):
    student = make_student(first_name="Maria")
    path = make_path(student=student)
    s = set_due(path, "Externship hours", deadline)
    s.help_text = "Log your hours from your signed time sheets."
    s.save()
    run(deadline - timedelta(days=7))
    (message,) = mailoutbox
    assert message.to == [student.email]
    assert (
        message.subject
        == f"Reminder: Externship hours ({path.certification.acronym}) is due in 7 days"
    )
    assert "Hello Maria," in message.body
    assert "signed time sheets" in message.body
    domain = Site.objects.get_current().domain
    assert f"https://{domain}/portal/paths/{path.pk}/" in message.body  # the Site's domain
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Externship hours" in html
    assert f"/portal/paths/{path.pk}/" in html
    assert "<h1" in html


def test_several_deadlines_of_one_student_come_in_one_email(mailoutbox, deadline):
    student = make_student()
    path = make_path(student=student)
    set_due(path, "Externship hours", deadline)
    set_due(path, "CPR card", deadline + timedelta(days=3))
    run(deadline - timedelta(days=30))
    assert len(mailoutbox) == 1
    assert "2 upcoming deadlines" in mailoutbox[0].subject
    assert ReminderLog.objects.count() == 2


def test_exam_date_is_reminded(mailoutbox, deadline):
    path = make_path()
    exam = step(path, "Exam date")
    exam.date_value = deadline
    exam.status = PathStep.Status.VERIFIED
    exam.save()
    run(deadline - timedelta(days=7))
    (message,) = mailoutbox
    assert f"your {path.certification.acronym} exam is in 7 days" in message.subject
    assert "photo ID" in message.body


def test_expiring_credential_is_reminded_and_graduates_still_get_it(mailoutbox):
    student = make_student()
    path = make_path(student=student, enrollment_status=Enrollment.Status.GRADUATED)
    credential = make_credential(student=student, certification=path.certification, expires_in=60)
    run(timezone.localdate())
    (message,) = mailoutbox
    assert f"your {credential.certification.acronym} credential expires in 60 days" in (
        message.subject
    )
    assert "/portal/credentials/" in message.body
    # A credential with no enrollment here at all is reminded too.
    outsider = make_student()
    make_credential(student=outsider, expires_in=30)
    run(timezone.localdate())
    assert [m.to for m in mailoutbox[1:]] == [[outsider.email]]


def test_withdrawn_and_inactive_students_and_finished_steps_get_nothing(mailoutbox, deadline):
    withdrawn = make_path(enrollment_status=Enrollment.Status.WITHDRAWN)
    set_due(withdrawn, "Externship hours", deadline)
    make_credential(student=withdrawn.enrollment.student, expires_in=30)
    inactive = make_path(student=make_student(is_active=False))
    set_due(inactive, "Externship hours", deadline)
    done = make_path()
    verified = set_due(done, "Externship hours", deadline)
    verified.status = PathStep.Status.VERIFIED
    verified.save()
    submitted = set_due(done, "CPR card", deadline)
    submitted.status = PathStep.Status.SUBMITTED
    submitted.save()
    for offset in (90, 60, 30, 7):
        run(deadline - timedelta(days=offset))
    assert mailoutbox == []
    assert ReminderLog.objects.count() == 0


def test_a_moved_due_date_is_a_new_deadline(mailoutbox, deadline):
    path = make_path()
    s = set_due(path, "Externship hours", deadline)
    run(deadline - timedelta(days=7))
    s.due_date = deadline + timedelta(days=30)
    s.save()
    run(deadline - timedelta(days=7))
    assert len(mailoutbox) == 2
    assert "in 37 days" in mailoutbox[1].subject


def test_dry_run_sends_and_records_nothing(mailoutbox, deadline):
    path = make_path()
    set_due(path, "Externship hours", deadline)
    output = run(deadline - timedelta(days=30), "--dry-run")
    assert "Would remind" in output
    assert path.enrollment.student.email in output
    assert "Would send 1 e-mail (1 reminder)" in output
    assert mailoutbox == []
    assert ReminderLog.objects.count() == 0
    run(deadline - timedelta(days=30))
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_reminders_go_through_the_worker_which_retries_a_failed_send(
    mailoutbox, deadline, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_IMMEDIATE = False
    path = make_path()
    set_due(path, "Externship hours", deadline)
    day = deadline - timedelta(days=30)
    output = run(day)
    assert "Sent 1 e-mail" in output
    assert ReminderLog.objects.count() == 1
    assert mailoutbox == []  # enqueued, not sent by the command
    run(day)  # idempotent: nothing enqueued twice
    assert DBTaskResult.objects.count() == 1
    worker = ["db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
    ):
        call_command(*worker, stdout=StringIO())
    assert mailoutbox == []
    retry = DBTaskResult.objects.get(status="READY")
    with time_machine.travel(retry.run_after + timedelta(seconds=1), tick=True):
        call_command(*worker, stdout=StringIO())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [path.enrollment.student.email]


def test_bad_today_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "31/12/2026", stdout=StringIO())

"""Every staff decision reaches the student: one notice and one e-mail per decision."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Credential, Enrollment, Notice, PathStep, StudentProfile
from tests.accounts import files
from tests.accounts.conftest import step
from tests.accounts.test_admin import admin_url, change_form_data, messages_of

pytestmark = pytest.mark.django_db
Kind = Notice.Kind


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """Run a decision as a request would: e-mails leave once it commits."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def submitted(path, student):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf("cpr.pdf"), user=student)
    mail.outbox.clear()
    return cpr


def only_email(to):
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [to]
    html = message.alternatives[0][0]
    # The shared layout of every e-mail the school sends.
    assert "font-family:Georgia,serif;color:#12355b" in html
    return message, html


# --- One decision, one notice, one e-mail ------------------------------------------------


def test_sending_back_tells_the_student_why_and_what_to_do(decide, submitted, staff_user, student):
    decide(
        services.step_reject,
        step=submitted,
        reviewer=staff_user,
        reason="The card is expired: upload your new one.",
    )
    notice = Notice.objects.get()
    assert (notice.student, notice.kind, notice.step, notice.decided_by) == (
        student,
        Kind.SENT_BACK,
        submitted,
        staff_user,
    )
    assert notice.reason == "The card is expired: upload your new one."
    assert notice.emailed
    assert notice.seen_at is None
    message, html = only_email(student.email)
    assert message.subject == "“CPR card” was sent back for a change"
    assert "Stacy Staff" in message.body
    assert "The card is expired" in message.body
    assert f"/portal/paths/{submitted.path_id}/#step-{submitted.pk}" in message.body
    assert "Fix and send it again" in html
    assert "The card is expired" in html


@pytest.mark.parametrize(
    ("service", "kwargs", "kind", "subject"),
    [
        (services.step_verify, {"note": "Looks good."}, Kind.VERIFIED, "“CPR card” was approved"),
        (
            services.step_waive,
            {"reason": "Card on file from last year."},
            Kind.WAIVED,
            "“CPR card” was waived: you don't need to do it",
        ),
    ],
)
def test_each_decision_makes_one_notice_and_one_email(
    decide, submitted, staff_user, student, service, kwargs, kind, subject
):
    decide(service, step=submitted, reviewer=staff_user, **kwargs)
    assert list(Notice.objects.values_list("kind", "subject")) == [(kind, subject)]
    message, html = only_email(student.email)
    assert message.subject == subject
    assert "Turn them off on your profile page" in html


def test_reopening_a_verified_step_tells_the_student(decide, submitted, staff_user, student):
    services.step_verify(step=submitted, reviewer=staff_user)
    mail.outbox.clear()
    decide(services.step_reopen, step=submitted, reviewer=staff_user, reason="Wrong file.")
    assert Notice.objects.filter(kind=Kind.REOPENED).count() == 1
    message, _ = only_email(student.email)
    assert message.subject == "“CPR card” was reopened"


def test_recording_the_credential_is_one_decision_not_two(decide, path, staff_user, student):
    credential_step = step(path, "Credential recorded")
    decide(
        services.step_verify, step=credential_step, reviewer=staff_user, issued_on=date(2026, 6, 2)
    )
    assert list(Notice.objects.values_list("kind", flat=True)) == [Kind.CREDENTIAL]
    message, _ = only_email(student.email)
    assert message.subject == "Your CMA credential was recorded"
    assert "Congratulations" in message.body


def test_the_same_decision_twice_is_refused_and_tells_no_one_again(
    decide, submitted, staff_user, student
):
    stale = PathStep.objects.get(pk=submitted.pk)  # what a second staff member had loaded
    decide(services.step_verify, step=submitted, reviewer=staff_user)
    with pytest.raises(ValidationError) as refused:
        decide(services.step_verify, step=stale, reviewer=staff_user)
    assert refused.value.code == "already_decided"
    assert "already approved by Stacy Staff" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        decide(services.step_reject, step=stale, reviewer=staff_user, reason="Blurry.")
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 1
    submitted.refresh_from_db()
    assert submitted.status == PathStep.Status.VERIFIED


def test_a_rolled_back_decision_leaves_no_notice_and_sends_nothing(
    submitted, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    from accounts import progress

    def fail(path):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(progress, "path_recompute", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.step_verify(step=submitted, reviewer=staff_user)
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_progress_emails_can_be_turned_off_but_action_needed_ones_always_arrive(
    decide, path, student, staff_user
):
    StudentProfile.objects.filter(user=student).update(email_updates=False)
    coursework = step(path, "Complete the coursework")
    decide(services.step_verify, step=coursework, reviewer=staff_user)
    assert Notice.objects.get().emailed is False
    assert mail.outbox == []
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    decide(services.step_reject, step=cpr, reviewer=staff_user, reason="Blurry photo.")
    assert len(mail.outbox) == 1
    assert "sent back" in mail.outbox[0].subject
    assert "Turn them off" not in mail.outbox[0].alternatives[0][0]


def test_a_staff_member_without_permission_cannot_decide(make_user, submitted):
    clerk = make_user("clerk@example.com", is_staff=True)
    with pytest.raises(PermissionDenied):
        services.step_verify(step=submitted, reviewer=clerk)
    with pytest.raises(PermissionDenied):
        services.enrollment_set_status(
            enrollment=submitted.path.enrollment, status="on_leave", changed_by=clerk
        )
    assert not Notice.objects.exists()


# --- Decisions made in the admin ----------------------------------------------------------


def test_a_rejection_in_the_review_queue_reaches_the_student(
    staff_client, submitted, student, django_capture_on_commit_callbacks
):
    url = admin_url("stepawaitingreview", "change", submitted.pk)
    data = change_form_data(staff_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {**data, "decision": "reject", "message": "Both sides, please."}, follow=True
        )
    assert response.status_code == 200
    assert Notice.objects.get().reason == "Both sides, please."
    only_email(student.email)


def test_two_staff_deciding_the_same_upload_are_told_who_was_first(
    client, make_user, staff_client, submitted, student, django_capture_on_commit_callbacks
):
    url = admin_url("stepawaitingreview", "change", submitted.pk)
    data = change_form_data(staff_client.get(url))
    other = make_user("dana@example.com", first_name="Dana", last_name="Lee", is_staff=True)
    other.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_pathstep", "view_stepawaitingreview", "change_stepawaitingreview"]
        )
    )
    client.force_login(other)
    other_data = change_form_data(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**data, "decision": "approve", "message": ""})
        response = client.post(
            url, {**other_data, "decision": "reject", "message": "Blurry."}, follow=True
        )
    assert response.status_code == 200
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 1
    submitted.refresh_from_db()
    assert submitted.status == PathStep.Status.VERIFIED


def test_approving_from_the_queue_list_skips_steps_decided_meanwhile(
    staff_client, submitted, staff_user, django_capture_on_commit_callbacks
):
    url = admin_url("stepawaitingreview")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {"action": "approve_selected", "_selected_action": [submitted.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert Notice.objects.filter(kind=Kind.VERIFIED).count() == 1
    assert len(mail.outbox) == 1


def test_changing_the_enrollment_status_in_the_admin_tells_the_student(
    staff_client, path, student, django_capture_on_commit_callbacks
):
    enrollment = path.enrollment
    url = reverse("admin:accounts_enrollment_change", args=[enrollment.pk])
    data = change_form_data(staff_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**data, "status": "on_leave"})
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ON_LEAVE
    notice = Notice.objects.get()
    assert notice.kind == Kind.ENROLLMENT
    assert notice.subject.endswith("is now on leave")
    message, _ = only_email(student.email)
    assert "it is now on leave" in message.body
    # Saving again without a change says nothing more.
    data = change_form_data(staff_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, data)
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_credential_added_in_the_admin_tells_the_student(
    staff_client, student, certification, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:accounts_credential_add"),
            {
                "student": student.pk,
                "certification": certification.pk,
                "number": "123456",
                "name_on_credential": "Sam Student",
                "issued_on": "2026-06-02",
                "ce_activities-TOTAL_FORMS": "0",
                "ce_activities-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, messages_of(response)
    assert Credential.objects.filter(student=student).exists()
    assert list(Notice.objects.values_list("kind", flat=True)) == [Kind.CREDENTIAL]
    only_email(student.email)


# --- What the student sees ------------------------------------------------------------------


def test_dashboard_shows_action_needed_waiting_and_new_decisions(
    decide, student_client, path, student, staff_user
):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    decide(services.step_reject, step=cpr, reviewer=staff_user, reason="Upload the back too.")
    hours = step(path, "Externship hours")
    services.step_record_count(step=hours, count=160, user=student)
    decide(services.step_verify, step=step(path, "Complete the coursework"), reviewer=staff_user)

    html = student_client.get(reverse("portal:dashboard")).content.decode()
    banner = html[html.index('id="action-needed-title"') :]
    assert "Action needed" in html
    assert "CPR card" in banner[:2000]
    assert "Upload the back too." in banner[:2000]
    assert "by Stacy Staff" in banner[:2000]
    assert "Waiting for review by your campus" in html
    assert "Externship hours" in html
    assert "New from your campus" in html
    assert "“Complete the coursework” was approved" in html
    # The sent-back step is in the banner, not repeated among the updates.
    updates = html[html.index('id="updates-title"') :]
    assert "sent back for a change" not in updates

    # Sending it again takes it out of the banner.
    services.evidence_submit(step=cpr, file=files.pdf("back.pdf"), user=student)
    html = student_client.get(reverse("portal:dashboard")).content.decode()
    assert "Action needed" not in html


def test_got_it_marks_one_update_seen_and_no_one_elses(
    decide, client, student_client, path, other_path, staff_user, other_student
):
    decide(services.step_verify, step=step(path, "Complete the coursework"), reviewer=staff_user)
    decide(
        services.step_verify, step=step(other_path, "Complete the coursework"), reviewer=staff_user
    )
    mine = Notice.objects.get(student=path.enrollment.student)
    theirs = Notice.objects.get(student=other_student)
    response = student_client.post(reverse("portal:notices_seen"), {"notice": [theirs.pk]})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.seen_at is None
    student_client.post(reverse("portal:notices_seen"), {"notice": [mine.pk]})
    mine.refresh_from_db()
    assert mine.seen_at is not None
    html = student_client.get(reverse("portal:dashboard")).content.decode()
    assert "New from your campus" not in html
    # Ids that are not ids change nothing and break nothing.
    response = student_client.post(
        reverse("portal:notices_seen"),
        {"notice": ["x", "-1", "9" * 30, "1e3", str(theirs.pk) + " "]},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.seen_at is None
    # Only POST, and only signed in.
    assert student_client.get(reverse("portal:notices_seen")).status_code == 405
    client.logout()
    assert client.post(reverse("portal:notices_seen")).status_code == 302
    theirs.refresh_from_db()
    assert theirs.seen_at is None


def test_path_page_shows_the_history_and_marks_it_seen_for_the_student_only(
    decide, student_client, path, staff_user, student
):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    decide(services.step_reject, step=cpr, reviewer=staff_user, reason="Upload the back too.")
    decide(services.step_verify, step=step(path, "Complete the coursework"), reviewer=staff_user)

    staff = Client()
    staff.force_login(staff_user)
    html = staff.get(path.get_absolute_url()).content.decode()
    assert "Decisions from your campus" in html
    assert not Notice.objects.filter(seen_at__isnull=False).exists()

    html = student_client.get(path.get_absolute_url()).content.decode()
    history = html[html.index('id="history-title"') :]
    assert history.index("was approved") < history.index("was sent back")  # newest first
    assert "Upload the back too." in history
    assert "by Stacy Staff" in history
    assert not Notice.objects.filter(seen_at__isnull=True).exists()


def test_the_email_preference_is_on_the_profile_page(student_client, student):
    response = student_client.get(reverse("portal:profile"))
    assert 'id="id_email_updates"' in response.content.decode()
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "email_updates"}
    data.pop("new_photo", None)
    data.pop("remove_photo", None)
    student_client.post(reverse("portal:profile"), data)
    assert StudentProfile.objects.get(user=student).email_updates is False


def test_dashboard_queries_do_not_grow_with_decisions(
    make_user, staff_user, client, cohort, certification
):
    counts = []
    for n in (2, 12):
        student = make_user(f"n{n}@example.com")
        paths = [
            services.enrollment_create(
                email=student.email,
                cohort=make_cohort_like(cohort, i),
                certifications=[certification],
                notify=False,
            ).paths.get()
            for i in range(n)
        ]
        for p in paths:
            cpr = step(p, "CPR card")
            services.evidence_submit(step=cpr, file=files.pdf(), user=student)
            services.step_reject(step=cpr, reviewer=staff_user, reason="Again", notify=False)
            services.step_verify(
                step=step(p, "Complete the coursework"), reviewer=staff_user, notify=False
            )
            services.step_record_count(step=step(p, "Externship hours"), count=160, user=student)
        client.force_login(student)
        client.get(reverse("portal:dashboard"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("portal:dashboard"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def make_cohort_like(cohort, i):
    from tests.factories import make_cohort

    return make_cohort(start_date=cohort.start_date + timedelta(days=i + 1))


def test_staff_see_what_students_were_told_and_a_clerk_without_permission_does_not(
    decide, staff_client, client, make_user, submitted, staff_user
):
    decide(services.step_reject, step=submitted, reviewer=staff_user, reason="Blurry photo.")
    response = staff_client.get(admin_url("notice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“CPR card” was sent back for a change" in html
    assert staff_client.get(admin_url("notice", "add")).status_code == 403
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    assert client.get(admin_url("notice")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_decision_is_queued_when_it_commits_and_the_worker_sends_it(
    settings, submitted, staff_user, student
):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_IMMEDIATE = False
    services.step_reject(step=submitted, reviewer=staff_user, reason="Blurry photo.")
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[student.email]]


def test_a_spanish_student_is_told_in_spanish_whoever_decides(
    decide, submitted, staff_user, student
):
    student.language = "es"
    student.save(update_fields=["language"])
    step = type(submitted).objects.get(pk=submitted.pk)  # as a request reads it
    decide(services.step_reject, step=step, reviewer=staff_user, reason="Blurry.")
    notice = Notice.objects.get()
    assert notice.subject == "Se devolvió «CPR card» para que haga un cambio"
    message, _html = only_email(student.email)
    assert message.subject == notice.subject

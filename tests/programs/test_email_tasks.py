"""E-mail leaves the request: a task row in the caller's transaction, sent by the worker,
retried while the mail server is down, never lost and never sent twice."""

import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from programs import emails
from programs.models import Campus, Inquiry

pytestmark = pytest.mark.django_db(transaction=True)

SEND = "django.core.mail.EmailMultiAlternatives.send"


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_IMMEDIATE = False


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO())


def send_one(**kwargs):
    return emails.send_templated_email(
        template="accounts/email/enrolled",
        subject="Hello",
        context={"user": None, "enrollment": None, "paths": [], "portal_url": "x"},
        to=["sam@example.com"],
        **kwargs,
    )


def test_a_request_only_enqueues_and_the_worker_sends_once(client, catalog):
    admissions = Campus.objects.get(slug="arlington").admissions_email
    with mock.patch(SEND) as smtp:
        response = client.post(
            reverse("programs:request_info"),
            {
                "name": "Ana Alvarez",
                "email": "ana@example.com",
                "phone": "",
                "campus": "arlington",
                "program": "medical-assisting",
                "contact_method": "email",
                "consent_email": "on",
            },
        )
        assert smtp.call_count == 0  # nothing was sent inside the request
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Inquiry.objects.count() == 1
    assert DBTaskResult.objects.ready().count() == 2
    assert mail.outbox == []
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admissions, "ana@example.com"])
    run_worker()
    assert len(mail.outbox) == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_a_mail_server_down_then_back_loses_nothing_and_doubles_nothing():
    send_one()
    real_send = mail.EmailMultiAlternatives.send
    calls = []

    def down(self, *args, **kwargs):
        calls.append(self.subject)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with mock.patch(SEND, down):
        run_worker()
    assert calls == ["Hello"]
    assert mail.outbox == []
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.task_result.kwargs["attempt"] == 2
    assert waiting.run_after > timezone.now() + timedelta(seconds=50)

    run_worker()  # not due yet: nothing happens
    assert mail.outbox == []
    later = timezone.now() + timedelta(seconds=61)
    with time_machine.travel(later, tick=True), mock.patch(SEND, real_send):
        run_worker()
        run_worker()
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert not DBTaskResult.objects.ready().exists()


def test_a_mail_server_that_stays_down_fails_the_task_visibly_after_the_last_attempt():
    send_one()
    moment = timezone.now()
    with mock.patch(SEND, side_effect=ConnectionRefusedError("no server")):
        for delay in (0, *emails.RETRY_DELAYS):
            moment += timedelta(seconds=delay + 1)
            with time_machine.travel(moment, tick=False):
                run_worker()
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(results) == emails.MAX_ATTEMPTS
    assert results[-1].status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in results[-1].exception_class_path
    assert not DBTaskResult.objects.ready().exists()
    assert mail.outbox == []


def test_a_change_that_rolls_back_sends_nothing():
    def change_that_fails():
        with transaction.atomic():
            send_one()
            raise RuntimeError("the save failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_the_immediate_backend_sends_at_once_without_a_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_IMMEDIATE = True
    send_one(reply_to=["campus@example.com"])
    assert [m.reply_to for m in mail.outbox] == [["campus@example.com"]]
    message = mail.outbox[0]
    assert message.alternatives[0][1] == "text/html"

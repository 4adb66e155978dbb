"""E-mails the site sends: plain text and HTML from one set of templates, one way, and
never inside the request.

``send_templated_email`` renders the message now (a template error shows at once) and
enqueues ``deliver_email`` on Django's Tasks API. With the database backend the task is
a row written in the caller's transaction: a change that rolls back sends nothing, and a
worker (``manage.py db_worker``) delivers it once it has committed. A mail server that is
down makes the task schedule the next attempt, later and later (``RETRY_DELAYS``); after
the last one the task fails and shows in the admin (Tasks, "DB task results"). A task row
is claimed by one worker only, and an attempt that failed sent nothing, so no message is
sent twice.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from programs.languages import supported

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd... attempt: about a day and a half in all.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def templated_email(
    *, template, context, to, subject=None, reply_to=None, attachments=(), language=None
):
    """A multipart e-mail from ``<template>.txt`` and ``<template>.html``, unsent.

    The subject is ``subject`` or, when not given, ``<template>_subject.txt`` rendered on
    one line. The context always carries ``SCHOOL_NAME``. Everything is rendered in
    ``language``, the recipient's (``programs.languages.user_language``); staff and
    addresses with no known language read the default language."""
    context = {"SCHOOL_NAME": settings.SCHOOL_NAME, **context}
    with translation.override(supported(language or settings.LANGUAGE_CODE)):
        if subject is None:
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=str(subject),
            body=render_to_string(f"{template}.txt", context),
            to=list(to),
            reply_to=reply_to,
        )
        html = render_to_string(f"{template}.html", context)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_templated_email(
    *, template, context, to, subject=None, reply_to=None, attachments=(), language=None
):
    """Render the e-mail now, in ``language``, and hand it to the task worker; returns
    the task result. ``attachments``: (file name, text content, MIME type), e.g. a
    calendar file."""
    message = templated_email(
        template=template,
        context=context,
        to=to,
        subject=subject,
        reply_to=reply_to,
        attachments=attachments,
        language=language,
    )
    return deliver_email.enqueue(
        message={
            "subject": message.subject,
            "body": message.body,
            "html": message.alternatives[0][0],
            "from_email": message.from_email,
            "to": list(message.to),
            "reply_to": list(message.reply_to),
            "attachments": [list(a) for a in attachments],
        },
        attempt=1,
    )


# OSError covers refused connections and timeouts; SMTPException what a server answers.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


@task()
def deliver_email(*, message, attempt=1):
    """Send one rendered e-mail; if the mail server fails, try again later."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        reply_to=message["reply_to"] or None,
    )
    email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message.get("attachments", ()):
        email.attach(filename, content, mimetype)
    try:
        email.send()
    except DELIVERY_ERRORS as error:
        if attempt >= MAX_ATTEMPTS or settings.TASKS_IMMEDIATE:
            raise  # the task fails and is kept with its traceback for staff to see
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning(
            "E-mail %r not sent (%s); attempt %s of %s in %s s",
            message["subject"],
            error.__class__.__name__,
            attempt + 1,
            MAX_ATTEMPTS,
            delay,
        )
        deliver_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message=message, attempt=attempt + 1
        )
        return {"sent": False, "next_attempt": attempt + 1}
    return {"sent": True, "attempt": attempt}

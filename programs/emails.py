"""E-mails the site sends: plain text and HTML from one set of templates, one way."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_email(*, template, context, to, subject=None, reply_to=None):
    """A multipart e-mail from ``<template>.txt`` and ``<template>.html``.

    The subject is ``subject`` or, when not given, ``<template>_subject.txt`` rendered on
    one line. The context always carries ``SCHOOL_NAME``. Returns the message unsent, so
    that the caller decides how a mail outage is handled."""
    context = {"SCHOOL_NAME": settings.SCHOOL_NAME, **context}
    if subject is None:
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=list(to),
        reply_to=reply_to,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message

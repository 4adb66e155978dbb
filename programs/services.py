"""Writes that span models or send e-mail: requests for information."""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from programs.emails import send_templated_email
from programs.models import Cohort, Inquiry

logger = logging.getLogger(__name__)


def inquiry_submit(*, form, origin):
    """Save a valid inquiry form, then e-mail campus admissions and the visitor.

    The caller has applied the rate limit ("request_info" in ACCOUNT_RATE_LIMITS). A
    failing mail server does not lose the inquiry: it is saved first and staff see it in
    the admin either way.
    """
    with transaction.atomic():
        inquiry = form.save()
        # Enqueued in the same transaction: the worker sends them once it commits.
        inquiry_send_emails(inquiry=inquiry, origin=origin)
    return inquiry


def _next_cohorts(inquiry):
    if not (inquiry.program_id and inquiry.campus_id):
        return []
    cohorts = (
        Cohort.objects.open_for_enrollment()
        .filter(
            offering__program_id=inquiry.program_id,
            offering__campus_id=inquiry.campus_id,
            offering__active=True,
        )
        .select_related("offering")
        .order_by("start_date")
    )
    return list(cohorts[:3])


def inquiry_send_emails(*, inquiry, origin):
    """Notify the campus's admissions team and send the visitor a confirmation.

    The confirmation goes to whatever address was typed, so it carries no text the
    visitor wrote (no name, phone or message): only the site's own program and campus.

    Both messages have a plain-text and an HTML part; the task worker sends them.
    Returns the number of messages enqueued.
    """
    campus, program = inquiry.campus, inquiry.program
    context = {
        "inquiry": inquiry,
        "campus": campus,
        "program": program,
        "origin": origin,
        "school_name": settings.SCHOOL_NAME,
        "next_cohorts": _next_cohorts(inquiry),
        "program_url": origin + program.get_absolute_url() if program else "",
        "campus_url": origin + campus.get_absolute_url() if campus else "",
        "admin_url": origin + reverse("admin:programs_inquiry_change", args=[inquiry.pk]),
    }
    messages = []
    if campus and campus.admissions_email:
        # Admissions staff work in English, whatever language the visitor wrote in.
        with translation.override(settings.LANGUAGE_CODE):
            topic = program.title if program else "our programs"
            messages.append(
                send_templated_email(
                    subject=f"New request for information: {topic} ({campus.name})",
                    template="programs/email/inquiry_admissions",
                    context=context,
                    to=[campus.admissions_email],
                    reply_to=[inquiry.email],
                )
            )
    # The visitor reads it in the language of the page they wrote from.
    topic = program.title if program else gettext("our programs")
    messages.append(
        send_templated_email(
            subject=gettext("%(school)s: we received your request about %(topic)s")
            % {"school": settings.SCHOOL_NAME, "topic": topic},
            template="programs/email/inquiry_confirmation",
            context=context,
            to=[inquiry.email],
            reply_to=[campus.admissions_email] if campus and campus.admissions_email else None,
            language=translation.get_language(),
        )
    )
    return len(messages)


def inquiry_mark_contacted(*, inquiries):
    """Mark new inquiries as contacted (admin bulk action); returns how many changed."""
    return inquiries.filter(status=Inquiry.Status.NEW).update(
        status=Inquiry.Status.CONTACTED, contacted_at=timezone.now()
    )

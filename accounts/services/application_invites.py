"""An invitation to apply: a signed link that staff send to someone who asked for
information. It opens ``/apply/`` with the program, campus and (when staff chose one)
the start prefilled, and ties the application to the inquiry it came from.

The token is signed (``django.core.signing``) and carries only ids; it expires after
``INVITE_DAYS``. The apply pages read it with ``invite_from_token``; staff's admin
action makes it with ``invite_token``.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.services.common import _absolute_url
from programs.emails import send_templated_email
from programs.models import Cohort, Inquiry

INVITE_DAYS = 60
_SALT = "accounts.application-invite"


@dataclass(frozen=True)
class Invite:
    inquiry: Inquiry
    cohort: Cohort | None


def invite_token(inquiry, cohort=None) -> str:
    payload = {"i": inquiry.pk}
    if cohort is not None:
        payload["c"] = cohort.pk
    return signing.dumps(payload, salt=_SALT, compress=True)


def invite_path(inquiry, cohort=None) -> str:
    """``/apply/?invite=<token>``: the page the invitation e-mail links to."""
    return f"{reverse('apply:choose')}?invite={invite_token(inquiry, cohort)}"


def invite_from_token(token) -> Invite | None:
    """The inquiry (and start) a link was made for; None for a forged, altered or
    expired token, or one whose inquiry is gone."""
    if not token or len(token) > 500:
        return None
    try:
        payload = signing.loads(token, salt=_SALT, max_age=INVITE_DAYS * 24 * 3600)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        return None
    inquiry = Inquiry.objects.select_related("program", "campus").filter(pk=payload["i"]).first()
    if inquiry is None:
        return None
    cohort = None
    if isinstance(payload.get("c"), int):
        cohort = (
            Cohort.objects.select_related("offering__program", "offering__campus")
            .filter(pk=payload["c"])
            .first()
        )
    return Invite(inquiry=inquiry, cohort=cohort)


def invite_starts(inquiry, today=None):
    """The starts staff may put in an invitation: upcoming and open ones of the inquiry's
    program (and campus, when the inquirer named one), soonest first."""
    if inquiry.program_id is None:
        return Cohort.objects.none()
    starts = Cohort.objects.open_for_enrollment(today).filter(offering__program=inquiry.program_id)
    if inquiry.campus_id is not None:
        starts = starts.filter(offering__campus=inquiry.campus_id)
    return starts.select_related("offering__program", "offering__campus").order_by(
        "start_date", "pk"
    )


def inquiry_invite(*, inquiry, cohort=None, by, request=None) -> str:
    """E-mail the inquirer an invitation to apply (the signed link, with the start when
    staff chose one) and mark the inquiry contacted; returns the link."""
    if not (by.is_active and by.is_staff and by.has_perm("programs.change_inquiry")):
        raise PermissionDenied
    if cohort is not None and not invite_starts(inquiry).filter(pk=cohort.pk).exists():
        raise ValidationError(
            {"cohort": "Choose an upcoming start of the program and campus asked about."}
        )
    url = _absolute_url(invite_path(inquiry, cohort), request)
    send_templated_email(
        template="accounts/email/apply_invite",
        context={"inquiry": inquiry, "cohort": cohort, "apply_url": url, "days": INVITE_DAYS},
        to=[inquiry.email],
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(
        status=Inquiry.Status.CONTACTED if inquiry.status == Inquiry.Status.NEW else inquiry.status,
        contacted_at=timezone.now(),
    )
    inquiry.refresh_from_db(fields=["status", "contacted_at"])
    return url

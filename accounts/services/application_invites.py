"""An invitation to apply: a signed link that staff send to someone who asked for
information. It opens ``/apply/`` with the program, campus and (when staff chose one)
the start prefilled, and ties the application to the inquiry it came from.

The token is signed (``django.core.signing``) and carries only ids; it expires after
``INVITE_DAYS``. The apply pages read it with ``invite_from_token``; staff's admin
action makes it with ``invite_token``.
"""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

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

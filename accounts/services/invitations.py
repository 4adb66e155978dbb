"""Invitations: a link that lets a new student set a password."""

import hmac
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    Enrollment,
    Invitation,
    User,
)
from accounts.services.common import INVITATION_DAYS, _absolute_url, _hash_token, _send
from accounts.services.profile import profile_ensure
from programs.languages import language_of, supported, user_language

# --- Invitations ------------------------------------------------------------------------


class InvitationError(Exception):
    """Why an invitation link cannot be used: ``reason`` is invalid, expired or used."""

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_create(*, user, created_by=None) -> str:
    """Create a single-use invitation; returns the raw token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        token_hash=_hash_token(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        created_by=created_by,
    )
    return token


@transaction.atomic
def invitation_send(*, user, created_by=None, request=None, enrollment=None) -> str:
    """Create an invitation and e-mail its link; returns the raw token."""
    token = invitation_create(user=user, created_by=created_by)
    if enrollment is None:
        enrollment = (
            Enrollment.objects.filter(student=user)
            .select_related("cohort__offering__program", "cohort__offering__campus")
            .first()
        )
    paths = list(enrollment.paths.select_related("certification")) if enrollment else []
    with language_of(user):
        _send(
            language=user_language(user),
            template="invitation",
            to=user.email,
            context={
                "user": user,
                "enrollment": enrollment,
                "paths": paths,
                "acronyms": ", ".join(path.certification.acronym for path in paths),
                "accept_url": _absolute_url(
                    reverse("portal:invitation_accept", kwargs={"token": token}), request
                ),
                "expires_days": INVITATION_DAYS,
            },
        )
    return token


def invitation_get(*, token) -> Invitation:
    """The usable invitation for a raw token, or InvitationError(invalid|expired|used)."""
    if not token or len(token) > 200:
        raise InvitationError("invalid")
    digest = _hash_token(token)
    invitation = Invitation.objects.select_related("user").filter(token_hash=digest).first()
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        raise InvitationError("invalid")
    if invitation.used_at is not None:
        raise InvitationError("used", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired", invitation)
    if not invitation.user.is_active:
        raise InvitationError("invalid")
    return invitation


@transaction.atomic
def invitation_accept(*, token, password, language=None) -> User:
    """Use an invitation: set the password, mark the link used and the address verified;
    ``language``, the page's, becomes the student's language.

    The password must already be validated (the view's SetPasswordForm does it)."""
    invitation = invitation_get(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:  # used by a concurrent request
        raise InvitationError("used", invitation)
    now = timezone.now()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    user = invitation.user
    user.set_password(password)
    fields = ["password"]
    if language:
        user.language = supported(language)
        fields.append("language")
    user.save(update_fields=fields)
    # The link proves the address: other open invitations for it are spent too.
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    profile_ensure(user=user)
    return user

"""Credentials and continuing education."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import progress, uploads
from accounts.models import (
    CEActivity,
    Credential,
)
from accounts.services.common import MAX_CE_CREDITS
from careers.models import CERequirement
from programs.dates import local_date

# --- Credentials and continuing education -------------------------------------------


@transaction.atomic
def credential_record(
    *,
    issued_on,
    path=None,
    student=None,
    certification=None,
    number="",
    name_on_credential="",
) -> Credential:
    """Record (or update) a credential; its expiry follows the certification's rule.

    With ``path``, the credential belongs to that path (one per path) and the path
    becomes certified; without, give ``student`` and ``certification``."""
    if path is not None:
        student = path.enrollment.student
        certification = path.certification
    if student is None or certification is None:
        raise ValueError("credential_record needs a path, or a student and a certification.")
    expires_on = progress.credential_expiry(certification=certification, issued_on=issued_on)
    defaults = {
        "student": student,
        "certification": certification,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "name_on_credential": name_on_credential or student.get_full_name(),
    }
    if number:
        defaults["number"] = number
    if path is not None:
        credential, _ = Credential.objects.update_or_create(path=path, defaults=defaults)
        progress.path_recompute(path)
    else:
        credential = Credential.objects.create(**{"number": number, **defaults})
    return credential


def ce_categories(certification):
    """(category, label) choices for a certification's CE log."""
    requirements = list(certification.ce_requirements.all())
    choices = [(r.category, r.label) for r in requirements]
    if not choices:
        choices = [(CERequirement.ANY_CATEGORY, _("Continuing education"))]
    return choices


@transaction.atomic
def ce_activity_add(
    *, credential, user, title, provider, category, credits, completed_on, proof=None
) -> CEActivity:
    """Log a continuing-education activity toward a credential's renewal."""
    if credential.student_id != user.pk:
        raise PermissionDenied
    errors = {}
    title, provider = (title or "").strip(), (provider or "").strip()
    if not title:
        errors["title"] = _("Enter the activity's title.")
    if not provider:
        errors["provider"] = _("Enter who provided it.")
    if category not in dict(ce_categories(credential.certification)):
        errors["category"] = _("Choose one of the categories listed.")
    try:
        credits = Decimal(str(credits))
        if not credits.is_finite() or credits <= 0 or credits > MAX_CE_CREDITS:
            raise InvalidOperation
        if credits.as_tuple().exponent < -2:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["credits"] = _("Enter credits between 0.25 and 100, e.g. 1.5.")
    today = timezone.localdate()
    if completed_on is None or completed_on > today:
        errors["completed_on"] = _("Enter the date you completed it (not in the future).")
    elif completed_on < credential.issued_on:
        errors["completed_on"] = _(
            "Only activities completed after your credential was issued (%(day)s) count "
            "toward this renewal."
        ) % {"day": local_date(credential.issued_on, "short")}
    if errors:
        raise ValidationError(errors)
    clean = None
    if proof:
        clean = proof if isinstance(proof, uploads.CleanFile) else uploads.validate_evidence(proof)
    activity = CEActivity(
        credential=credential,
        title=title[:200],
        provider=provider[:200],
        category=category,
        credits=credits,
        completed_on=completed_on,
    )
    if clean is not None:
        activity.proof.save(clean.content.name, clean.content, save=False)
    try:
        activity.save()
    except Exception:
        if clean is not None:
            activity.proof.delete(save=False)
        raise
    return activity


@transaction.atomic
def ce_activity_delete(*, activity, user):
    if activity.credential.student_id != user.pk:
        raise PermissionDenied
    if activity.proof:
        name = activity.proof.name
        storage = activity.proof.storage
        transaction.on_commit(lambda: storage.delete(name))
    activity.delete()

"""Constants and helpers shared by the services: e-mail, permissions, step saving."""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import progress
from accounts.models import (
    Enrollment,
    PathStep,
)
from careers.models import PathStepTemplate
from programs.emails import send_templated_email
from programs.links import site_url

INVITATION_DAYS = 7
MAX_COUNT = 100_000
MAX_EVIDENCE_PER_STEP = 20
EXAM_DATE_PAST_DAYS = 366
EXAM_DATE_FUTURE_DAYS = 2 * 366
MAX_CE_CREDITS = Decimal("100")

Kind = PathStepTemplate.Kind
Milestone = PathStepTemplate.Milestone


# --- Helpers ------------------------------------------------------------------------


def _absolute_url(path, request=None):
    return request.build_absolute_uri(path) if request is not None else site_url(path)


def _send(*, template, to, context, language):
    """E-mail templates/accounts/email/<template>{_subject.txt,.txt,.html} to one address,
    in the recipient's ``language`` (through the task worker: see programs.emails).
    Build the context's links inside ``language_of(recipient)`` so they match."""
    send_templated_email(
        template=f"accounts/email/{template}", context=context, to=[to], language=language
    )


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _ensure_student_can_change(step, user):
    """Students change only their own steps, and not once withdrawn or locked. Staff
    need the admin's change permission on steps (``is_staff`` alone is not enough)."""
    enrollment = step.path.enrollment
    if user is None:
        raise PermissionDenied
    if enrollment.student_id != user.pk and not (
        user.is_staff and user.has_perm("accounts.change_pathstep")
    ):
        raise PermissionDenied
    # Read the status afresh: a cached enrollment must not let a withdrawn student write.
    status = Enrollment.objects.filter(pk=enrollment.pk).values_list("status", flat=True).first()
    if status == Enrollment.Status.WITHDRAWN:
        raise ValidationError(
            _(
                "Your enrollment was withdrawn, so this path is read-only. Your records stay "
                "here; contact your campus if something needs to change."
            ),
            code="withdrawn",
        )
    if step.milestone == Milestone.RENEWAL and not step.path.is_certified:
        raise ValidationError(_("Renewal steps open once you are certified."), code="not_certified")
    if step.is_locked:
        raise ValidationError(
            _(
                "This step is already %(status)s and can't be changed here. Ask your campus "
                "if something is wrong."
            ),
            code="locked",
            params={"status": step.status_label.lower()},
        )


def _ensure_staff(reviewer):
    """Staff decide on steps only with the admin's change permission on steps."""
    if reviewer is None or not (
        reviewer.is_staff and reviewer.has_perm("accounts.change_pathstep")
    ):
        raise PermissionDenied


def _complete(step, now=None):
    """The student finished their part: staff review it, or it is simply done."""
    now = now or timezone.now()
    if step.requires_verification:
        if step.status != PathStep.Status.SUBMITTED or step.submitted_at is None:
            step.submitted_at = now  # keeps its place in the review queue on edits
        step.status = PathStep.Status.SUBMITTED
    else:
        step.status = PathStep.Status.VERIFIED
        step.completed_at = now


def _save_step(step, *fields):
    step.save(update_fields=[*fields, "updated_at"])
    progress.step_recompute(step)
    return step

"""Writes that span several models or send e-mail: enrolments, invitations, steps,
credentials and continuing education.

Every function is keyword-only and runs in a transaction. Business rules that a user can
break (a withdrawn student editing, a count out of range, a rejection without a reason)
raise ``ValidationError`` with a message fit to show as it is. Every function that
changes a step recomputes its path through ``accounts.progress.path_recompute``.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import progress, uploads
from accounts.models import (
    CEActivity,
    CertificationPath,
    Credential,
    Enrollment,
    Evidence,
    Invitation,
    PathStep,
    ReminderLog,
    StepReview,
    StudentProfile,
    User,
    new_calendar_token,
)
from careers.models import CERequirement, PathStepTemplate

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
    if request is not None:
        return request.build_absolute_uri(path)
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def _send(*, template, to, context):
    """Send a multipart e-mail from templates/accounts/email/<template>{_subject.txt,.txt,.html}."""
    context = {"SCHOOL_NAME": settings.SCHOOL_NAME, **context}
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    text = render_to_string(f"accounts/email/{template}.txt", context)
    html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


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
    # Read the status afresh: a cached enrolment must not let a withdrawn student write.
    status = Enrollment.objects.filter(pk=enrollment.pk).values_list("status", flat=True).first()
    if status == Enrollment.Status.WITHDRAWN:
        raise ValidationError(
            "Your enrolment was withdrawn, so this path is read-only. Your records stay "
            "here; contact your campus if something needs to change.",
            code="withdrawn",
        )
    if step.milestone == Milestone.RENEWAL and not step.path.is_certified:
        raise ValidationError("Renewal steps open once you are certified.", code="not_certified")
    if step.is_locked:
        raise ValidationError(
            "This step is already %(status)s and can't be changed here. Ask your campus "
            "if something is wrong.",
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
    progress.path_recompute(step.path)
    return step


# --- Accounts, enrolments and paths ---------------------------------------------------


def profile_ensure(*, user) -> StudentProfile:
    profile, _ = StudentProfile.objects.get_or_create(
        user=user, defaults={"calendar_token": new_calendar_token()}
    )
    return profile


def _step_fields(template, cohort):
    due = None
    if template.due_days_after_start is not None and cohort is not None:
        due = cohort.start_date + timedelta(days=template.due_days_after_start)
    return {
        "order": template.order,
        "title": template.title,
        "kind": template.kind,
        "target": template.target,
        "unit": template.unit,
        "requires_verification": template.requires_verification,
        "student_can_complete": template.student_can_complete,
        "milestone": template.milestone,
        "help_text": template.help_text,
        "due_date": due,
    }


@transaction.atomic
def path_create(*, enrollment, certification) -> CertificationPath:
    """Create a path and copy the certification's step templates into it (idempotent)."""
    path, created = CertificationPath.objects.get_or_create(
        enrollment=enrollment, certification=certification
    )
    if created:
        cohort = enrollment.cohort
        PathStep.objects.bulk_create(
            PathStep(path=path, template=template, **_step_fields(template, cohort))
            for template in certification.path_steps.all()
        )
        progress.path_recompute(path)
    return path


def _has_progress(step):
    return (
        step.status != PathStep.Status.TODO
        or step.count
        or step.date_value
        or step.evidence.exists()
        or step.reviews.exists()
    )


@transaction.atomic
def path_apply_template(*, path) -> dict:
    """Bring a started path in line with its certification's current template.

    Steps still in the template get the new wording, order, target and due date and keep
    the student's progress (status, counts, dates, evidence, reviews). New template steps
    are added. Steps whose template was removed are deleted if untouched, otherwise kept
    (staff can waive them). Returns how many steps were added, updated, removed, kept."""
    path = (
        CertificationPath.objects.select_for_update()
        .select_related("enrollment__cohort")
        .get(pk=path.pk)
    )
    cohort = path.enrollment.cohort
    templates = list(path.certification.path_steps.all())
    steps = {s.template_id: s for s in path.steps.all() if s.template_id}
    summary = {"added": 0, "updated": 0, "removed": 0, "kept": 0}
    current_ids = set()
    for template in templates:
        current_ids.add(template.pk)
        fields = _step_fields(template, cohort)
        step = steps.get(template.pk)
        if step is None:
            PathStep.objects.create(path=path, template=template, **fields)
            summary["added"] += 1
            continue
        changed = [name for name, value in fields.items() if getattr(step, name) != value]
        if changed:
            for name in changed:
                setattr(step, name, fields[name])
            step.save(update_fields=[*changed, "updated_at"])
            summary["updated"] += 1
    for step in path.steps.all():
        if step.template_id in current_ids:
            continue
        if _has_progress(step):
            summary["kept"] += 1
        else:
            step.delete()
            summary["removed"] += 1
    path.template_applied_at = timezone.now()
    path.save(update_fields=["template_applied_at"])
    progress.path_recompute(path)
    return summary


@transaction.atomic
def enrollment_create(
    *,
    email,
    cohort,
    certifications,
    first_name="",
    last_name="",
    created_by=None,
    request=None,
    notify=True,
) -> Enrollment:
    """Enrol a person in a cohort, aiming for the given certifications.

    Reuses the account with this e-mail address (case-insensitive) or creates one with
    no usable password, a profile and a verified e-mail address. Creates one path per
    certification from its template. A person who has never set a password gets an
    invitation link; anyone else gets a "you've been enrolled" e-mail."""
    email = User.objects.normalize_email(email)
    if not email:
        raise ValidationError({"email": "Enter the student's e-mail address."})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
    else:
        changed = []
        if first_name and not user.first_name:
            user.first_name = first_name
            changed.append("first_name")
        if last_name and not user.last_name:
            user.last_name = last_name
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
    )
    profile_ensure(user=user)
    if Enrollment.objects.filter(student=user, cohort=cohort).exists():
        raise ValidationError(
            {"cohort": f"{email} is already enrolled in this cohort."}, code="duplicate"
        )
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                student=user, cohort=cohort, created_by=created_by
            )
    except IntegrityError as exc:  # a concurrent enrolment won the race
        raise ValidationError(
            {"cohort": f"{email} is already enrolled in this cohort."}, code="duplicate"
        ) from exc
    for certification in certifications:
        path_create(enrollment=enrollment, certification=certification)
    if notify:
        if user.has_usable_password():
            enrollment_notify(enrollment=enrollment, request=request)
        else:
            invitation_send(
                user=user, created_by=created_by, request=request, enrollment=enrollment
            )
    return enrollment


def enrollment_notify(*, enrollment, request=None):
    """Tell an existing account holder about a new enrolment."""
    enrollment = Enrollment.objects.select_related(
        "student", "cohort__offering__program", "cohort__offering__campus"
    ).get(pk=enrollment.pk)
    _send(
        template="enrolled",
        to=enrollment.student.email,
        context={
            "user": enrollment.student,
            "enrollment": enrollment,
            "paths": list(enrollment.paths.select_related("certification")),
            "portal_url": _absolute_url(reverse("portal:dashboard"), request),
            "login_url": _absolute_url(reverse("account_login"), request),
            "reset_url": _absolute_url(reverse("account_reset_password"), request),
        },
    )


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
    _send(
        template="invitation",
        to=user.email,
        context={
            "user": user,
            "enrollment": enrollment,
            "paths": list(enrollment.paths.select_related("certification")) if enrollment else [],
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
def invitation_accept(*, token, password) -> User:
    """Use an invitation: set the password, mark the link used and the address verified.

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
    user.save(update_fields=["password"])
    # The link proves the address: other open invitations for it are spent too.
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    profile_ensure(user=user)
    return user


# --- Steps (student side) ---------------------------------------------------------------


@transaction.atomic
def step_record_count(*, step, count, user) -> PathStep:
    """Record the student's running count (hours, venipunctures). Reaching the target
    submits the step for review (or completes it when it needs no verification)."""
    _ensure_student_can_change(step, user)
    if step.kind != Kind.COUNT:
        raise ValidationError("This step is not counted.", code="wrong_kind")
    try:
        count = int(count)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Enter a whole number.", code="invalid") from exc
    if count < 0 or count > MAX_COUNT:
        raise ValidationError(
            "Enter a number between 0 and %(max)s.", code="range", params={"max": MAX_COUNT}
        )
    step.count = count
    if step.target and count >= step.target:
        _complete(step)
    elif count > 0:
        step.status = PathStep.Status.IN_PROGRESS
        step.submitted_at = None
    else:
        step.status = PathStep.Status.TODO
        step.submitted_at = None
    return _save_step(step, "count", "status", "submitted_at", "completed_at")


@transaction.atomic
def step_set_date(*, step, date_value, user) -> PathStep:
    """Set (or clear, with None) a date step, e.g. the exam date."""
    _ensure_student_can_change(step, user)
    if step.kind != Kind.DATE:
        raise ValidationError("This step has no date to set.", code="wrong_kind")
    if date_value is None:
        step.date_value = None
        step.status = PathStep.Status.TODO
        step.submitted_at = None
        return _save_step(step, "date_value", "status", "submitted_at")
    today = timezone.localdate()
    earliest = today - timedelta(days=EXAM_DATE_PAST_DAYS)
    latest = today + timedelta(days=EXAM_DATE_FUTURE_DAYS)
    if not earliest <= date_value <= latest:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="range",
            params={
                "earliest": f"{earliest:%b} {earliest.day}, {earliest.year}",
                "latest": f"{latest:%b} {latest.day}, {latest.year}",
            },
        )
    step.date_value = date_value
    _complete(step)
    return _save_step(step, "date_value", "status", "submitted_at", "completed_at")


@transaction.atomic
def step_mark_done(*, step, user) -> PathStep:
    """The student says a step is done, where the template allows it."""
    _ensure_student_can_change(step, user)
    if not step.student_can_complete:
        raise ValidationError(
            "Your campus confirms this step: upload your evidence or ask your instructor.",
            code="not_allowed",
        )
    if step.kind == Kind.COUNT and step.target and step.count < step.target:
        raise ValidationError(
            "Record your %(unit)s first: %(count)s of %(target)s so far.",
            code="not_reached",
            params={"unit": step.unit or "count", "count": step.count, "target": step.target},
        )
    if step.kind == Kind.DATE and not step.date_value:
        raise ValidationError("Set the date first.", code="no_date")
    if step.kind == Kind.EVIDENCE and not step.evidence.exists():
        raise ValidationError("Upload your file first.", code="no_evidence")
    if step.status == PathStep.Status.SUBMITTED:
        return step
    _complete(step)
    return _save_step(step, "status", "submitted_at", "completed_at")


def accepts_evidence(step):
    """Files belong to evidence steps, count steps (time sheets, skills logs) and checks
    the student completes; staff-confirmed checks and dates need none."""
    return step.kind in (Kind.EVIDENCE, Kind.COUNT) or (
        step.kind == Kind.CHECK and step.student_can_complete
    )


def evidence_submit(*, step, file, user) -> Evidence:
    """Check and store an evidence file for a step; the step goes to staff for review.

    ``file`` is an upload (validated here) or an ``uploads.CleanFile``. Nothing is
    stored when a check fails, and a file is kept only when its row commits. Evidence for
    a count step whose target is not reached yet is kept without submitting the step."""
    stored = []
    try:
        return _evidence_submit(step=step, file=file, user=user, stored=stored)
    except BaseException:
        for name in stored:
            Evidence.file.field.storage.delete(name)
        raise


@transaction.atomic
def _evidence_submit(*, step, file, user, stored):
    _ensure_student_can_change(step, user)
    if not accepts_evidence(step):
        raise ValidationError(
            "This step needs no file: your campus confirms it.", code="no_evidence_needed"
        )
    # Lock the step before counting its files: two uploads at once are counted one after
    # the other, so the cap holds on PostgreSQL as on SQLite.
    list(PathStep.objects.select_for_update().filter(pk=step.pk).values_list("pk", flat=True))
    if step.evidence.count() >= MAX_EVIDENCE_PER_STEP:
        raise ValidationError(
            "This step already has %(max)s files. Ask your campus to remove old ones first.",
            code="too_many",
            params={"max": MAX_EVIDENCE_PER_STEP},
        )
    clean = file if isinstance(file, uploads.CleanFile) else uploads.validate_evidence(file)
    evidence = Evidence(
        step=step,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
        uploaded_by=user,
    )
    evidence.file.save(clean.content.name, clean.content, save=False)
    stored.append(evidence.file.name)
    evidence.save()
    if step.kind == Kind.COUNT and step.target and step.count < step.target:
        if step.status in (PathStep.Status.TODO, PathStep.Status.REJECTED):
            step.status = PathStep.Status.IN_PROGRESS
            _save_step(step, "status")
        return evidence
    if step.kind == Kind.DATE and not step.date_value:
        if step.status in (PathStep.Status.TODO, PathStep.Status.REJECTED):
            step.status = PathStep.Status.IN_PROGRESS
            _save_step(step, "status")
        return evidence
    _complete(step)
    _save_step(step, "status", "submitted_at", "completed_at")
    return evidence


# --- Steps (staff side) -----------------------------------------------------------------


def _review(step, reviewer, action, reason=""):
    return StepReview.objects.create(step=step, reviewer=reviewer, action=action, reason=reason)


@transaction.atomic
def step_verify(*, step, reviewer, note="", credential_number="", issued_on=None) -> PathStep:
    """Staff confirm a step. Verifying the "credential recorded" step records the
    credential (issue date: ``issued_on``, else the step's date, else today)."""
    _ensure_staff(reviewer)
    note = (note or "").strip()
    now = timezone.now()
    step.status = PathStep.Status.VERIFIED
    step.completed_at = now
    step.rejection_reason = ""
    fields = ["status", "completed_at", "rejection_reason"]
    if note:
        step.staff_note = note
        fields.append("staff_note")
    step.save(update_fields=[*fields, "updated_at"])
    _review(step, reviewer, StepReview.Action.VERIFIED, note)
    if step.milestone == Milestone.CREDENTIAL:
        credential_record(
            path=step.path,
            issued_on=issued_on or step.date_value or timezone.localdate(),
            number=credential_number,
        )
    progress.path_recompute(step.path)
    return step


@transaction.atomic
def step_reject(*, step, reviewer, reason) -> PathStep:
    """Staff send a step back with a reason the student will read."""
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Tell the student why, so they know what to fix."}, code="required"
        )
    step.status = PathStep.Status.REJECTED
    step.rejection_reason = reason
    step.completed_at = None
    step.save(update_fields=["status", "rejection_reason", "completed_at", "updated_at"])
    _review(step, reviewer, StepReview.Action.REJECTED, reason)
    progress.path_recompute(step.path)
    return step


@transaction.atomic
def step_waive(*, step, reviewer, reason) -> PathStep:
    """Staff excuse a step (e.g. a CPR card already held); it leaves the progress figure."""
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Record why the step is waived."}, code="required")
    step.status = PathStep.Status.WAIVED
    step.completed_at = timezone.now()
    step.staff_note = reason
    step.save(update_fields=["status", "completed_at", "staff_note", "updated_at"])
    _review(step, reviewer, StepReview.Action.WAIVED, reason)
    progress.path_recompute(step.path)
    return step


@transaction.atomic
def step_reopen(*, step, reviewer, reason="") -> PathStep:
    """Staff undo a verification or waiver; the step goes back to the student."""
    _ensure_staff(reviewer)
    has_work = step.count or step.date_value or step.evidence.exists()
    step.status = PathStep.Status.IN_PROGRESS if has_work else PathStep.Status.TODO
    step.completed_at = None
    step.submitted_at = None
    step.save(update_fields=["status", "completed_at", "submitted_at", "updated_at"])
    _review(step, reviewer, StepReview.Action.REOPENED, (reason or "").strip())
    progress.path_recompute(step.path)
    return step


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
        choices = [(CERequirement.ANY_CATEGORY, "Continuing education")]
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
        errors["title"] = "Enter the activity's title."
    if not provider:
        errors["provider"] = "Enter who provided it."
    if category not in dict(ce_categories(credential.certification)):
        errors["category"] = "Choose one of the categories listed."
    try:
        credits = Decimal(str(credits))
        if not credits.is_finite() or credits <= 0 or credits > MAX_CE_CREDITS:
            raise InvalidOperation
        if credits.as_tuple().exponent < -2:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["credits"] = "Enter credits between 0.25 and 100, e.g. 1.5."
    today = timezone.localdate()
    if completed_on is None or completed_on > today:
        errors["completed_on"] = "Enter the date you completed it (not in the future)."
    elif completed_on < credential.issued_on:
        errors["completed_on"] = (
            "Only activities completed after your credential was issued "
            f"({credential.issued_on:%b} {credential.issued_on.day}, "
            f"{credential.issued_on.year}) count toward this renewal."
        )
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


# --- Profile and calendar -------------------------------------------------------------


@transaction.atomic
def calendar_token_reset(*, user) -> str:
    """Give the student a new secret calendar URL; the old one stops working."""
    profile = profile_ensure(user=user)
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token", "updated_at"])
    return profile.calendar_token


def profile_export(*, user) -> dict:
    """Everything the portal holds about a student, as JSON-ready data."""
    profile = profile_ensure(user=user)

    def day(value):
        return value.isoformat() if value else None

    enrollments = (
        Enrollment.objects.owned_by(user)
        .select_related("cohort__offering__program", "cohort__offering__campus")
        .prefetch_related("paths__certification", "paths__steps__evidence", "paths__steps__reviews")
    )
    credentials = (
        Credential.objects.owned_by(user)
        .select_related("certification")
        .prefetch_related("ce_activities")
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "phone": profile.phone,
            "preferred_campus": str(profile.preferred_campus or "") or None,
            "has_photo": bool(profile.photo),
        },
        "enrollments": [
            {
                "program": e.cohort.offering.program.title,
                "campus": e.cohort.offering.campus.name,
                "schedule": e.cohort.offering.get_schedule_display(),
                "cohort_start": day(e.cohort.start_date),
                "cohort_graduation": day(e.cohort.graduation_date),
                "status": e.get_status_display(),
                "enrolled_on": day(e.enrolled_on),
                "certification_paths": [
                    {
                        "certification": p.certification.name,
                        "acronym": p.certification.acronym,
                        "progress_percent": p.progress_percent,
                        "status": p.get_status_display(),
                        "steps": [
                            {
                                "order": s.order,
                                "title": s.title,
                                "status": s.status_label,
                                "count": s.count if s.kind == Kind.COUNT else None,
                                "target": s.target,
                                "unit": s.unit,
                                "date": day(s.date_value),
                                "due_date": day(s.due_date),
                                "staff_note": s.staff_note,
                                "rejection_reason": s.rejection_reason,
                                "evidence": [
                                    {
                                        "file": ev.original_name,
                                        "type": ev.content_type,
                                        "size": ev.size,
                                        "uploaded_at": ev.uploaded_at.isoformat(),
                                    }
                                    for ev in s.evidence.all()
                                ],
                                "reviews": [
                                    {
                                        "action": r.get_action_display(),
                                        "reason": r.reason,
                                        "at": r.created_at.isoformat(),
                                    }
                                    for r in s.reviews.all()
                                ],
                            }
                            for s in p.steps.all()
                        ],
                    }
                    for p in e.paths.all()
                ],
            }
            for e in enrollments
        ],
        "invitations": [
            {
                "created_at": i.created_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
                "used_at": i.used_at.isoformat() if i.used_at else None,
            }
            for i in Invitation.objects.filter(user=user)
        ],
        "reminders_sent": [
            {"about": r.key, "days_before": r.days_before, "sent_at": r.sent_at.isoformat()}
            for r in ReminderLog.objects.filter(user=user)
        ],
        "credentials": [
            {
                "certification": c.certification.name,
                "acronym": c.certification.acronym,
                "number": c.number,
                "name_on_credential": c.name_on_credential,
                "issued_on": day(c.issued_on),
                "expires_on": day(c.expires_on),
                "ce_activities": [
                    {
                        "title": a.title,
                        "provider": a.provider,
                        "category": a.category,
                        "credits": str(a.credits),
                        "completed_on": day(a.completed_on),
                        "has_proof": bool(a.proof),
                    }
                    for a in c.ce_activities.all()
                ],
            }
            for c in credentials
        ],
    }

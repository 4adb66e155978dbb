"""Steps: what students record and upload, and what staff decide."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import progress, uploads
from accounts.models import (
    Enrollment,
    Evidence,
    Notice,
    PathStep,
    StepReview,
)
from accounts.services.common import (
    EXAM_DATE_FUTURE_DAYS,
    EXAM_DATE_PAST_DAYS,
    MAX_COUNT,
    MAX_EVIDENCE_PER_STEP,
    Kind,
    Milestone,
    _complete,
    _ensure_staff,
    _ensure_student_can_change,
    _save_step,
)
from accounts.services.credentials import credential_record
from accounts.services.notices import notice_create, staff_name
from programs.dates import local_date

# --- Steps (student side) ---------------------------------------------------------------


@transaction.atomic
def step_record_count(*, step, count, user) -> PathStep:
    """Record the student's running count (hours, venipunctures). Reaching the target
    submits the step for review (or completes it when it needs no verification)."""
    _ensure_student_can_change(step, user)
    if step.kind != Kind.COUNT:
        raise ValidationError(_("This step is not counted."), code="wrong_kind")
    try:
        count = int(count)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Enter a whole number."), code="invalid") from exc
    if count < 0 or count > MAX_COUNT:
        raise ValidationError(
            _("Enter a number between 0 and %(max)s."), code="range", params={"max": MAX_COUNT}
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
        raise ValidationError(_("This step has no date to set."), code="wrong_kind")
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
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="range",
            params={
                "earliest": local_date(earliest, "short"),
                "latest": local_date(latest, "short"),
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
            _("Your campus confirms this step: upload your evidence or ask your instructor."),
            code="not_allowed",
        )
    if step.kind == Kind.COUNT and step.target and step.count < step.target:
        raise ValidationError(
            _("Record your %(unit)s first: %(count)s of %(target)s so far."),
            code="not_reached",
            params={
                "unit": step.unit or gettext("count"),
                "count": step.count,
                "target": step.target,
            },
        )
    if step.kind == Kind.DATE and not step.date_value:
        raise ValidationError(_("Set the date first."), code="no_date")
    if step.kind == Kind.EVIDENCE and not step.evidence.exists():
        raise ValidationError(_("Upload your file first."), code="no_evidence")
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
            _("This step needs no file: your campus confirms it."), code="no_evidence_needed"
        )
    # Lock the step before counting its files: two uploads at once are counted one after
    # the other, so the cap holds on PostgreSQL as on SQLite.
    list(PathStep.objects.select_for_update().filter(pk=step.pk).values_list("pk", flat=True))
    if step.evidence.count() >= MAX_EVIDENCE_PER_STEP:
        raise ValidationError(
            _("This step already has %(max)s files. Ask your campus to remove old ones first."),
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


@transaction.atomic
def evidence_withdraw(*, evidence, user) -> PathStep:
    """The student takes back a file uploaded by mistake (``Evidence.withdrawable``).
    A step left with no file goes back out of the review queue."""
    step = evidence.step
    if step.path.enrollment.student_id != getattr(user, "pk", None):
        raise PermissionDenied
    _ensure_student_can_change_files(step, user)
    list(PathStep.objects.select_for_update().filter(pk=step.pk).values_list("pk", flat=True))
    step.refresh_from_db(fields=["status", "submitted_at", "completed_at"])
    evidence = Evidence.objects.select_related("step").filter(pk=evidence.pk).first()
    if evidence is None:
        raise ValidationError(_("This file was already withdrawn."), code="gone")
    evidence.step = step
    if not evidence.withdrawable:
        raise ValidationError(
            _(
                "Your campus has already decided on this file, so it stays in your records. "
                "Ask your campus if something is wrong."
            ),
            code="decided",
        )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
    sent_since_decision = [e for e in step.evidence.all() if e.withdrawable]
    if (
        step.kind == Kind.EVIDENCE
        and step.status == PathStep.Status.SUBMITTED
        and not sent_since_decision
    ):
        # Nothing new left to review: the step is back where the last decision left it.
        last = step.reviews.order_by("-created_at", "-id").first()
        rejected = last is not None and last.action == StepReview.Action.REJECTED
        step.status = PathStep.Status.REJECTED if rejected else PathStep.Status.TODO
        step.submitted_at = None
        _save_step(step, "status", "submitted_at")
    return step


def _ensure_student_can_change_files(step, user):
    """Withdrawn enrollments are read-only (the same refusal as every student write)."""
    status = (
        Enrollment.objects.filter(pk=step.path.enrollment_id)
        .values_list("status", flat=True)
        .first()
    )
    if status == Enrollment.Status.WITHDRAWN:
        raise ValidationError(
            _("Your enrollment was withdrawn, so this path is read-only."), code="withdrawn"
        )


# --- Steps (staff side) -----------------------------------------------------------------
#
# A decision locks the step and reads it afresh, so two staff members deciding at the same
# moment are told one after the other: the second sees the first one's decision and is
# refused (one decision, one notice, one e-mail). Each decision tells the student.

DECISION_REFUSALS = {
    # decision: {status it cannot be taken from: why}
    "verify": {
        PathStep.Status.VERIFIED: "“%(title)s” was already approved%(by)s.",
        PathStep.Status.WAIVED: "“%(title)s” was already waived%(by)s. Reopen it first.",
    },
    "reject": {
        PathStep.Status.REJECTED: "“%(title)s” was already sent back%(by)s.",
        PathStep.Status.VERIFIED: "“%(title)s” was already approved%(by)s. Reopen it first.",
        PathStep.Status.WAIVED: "“%(title)s” was already waived%(by)s. Reopen it first.",
    },
    "waive": {
        PathStep.Status.VERIFIED: "“%(title)s” was already approved%(by)s.",
        PathStep.Status.WAIVED: "“%(title)s” was already waived%(by)s.",
    },
    "reopen": {
        PathStep.Status.TODO: "“%(title)s” is already open.",
        PathStep.Status.IN_PROGRESS: "“%(title)s” is already open.",
        PathStep.Status.SUBMITTED: "“%(title)s” is already open (waiting for review).",
        PathStep.Status.REJECTED: "“%(title)s” is already open (sent back).",
    },
}


def _lock_for_decision(step, decision):
    """Lock the step, read its state afresh and refuse a decision it no longer allows."""
    list(PathStep.objects.select_for_update().filter(pk=step.pk).values_list("pk", flat=True))
    step.refresh_from_db(
        fields=["status", "completed_at", "submitted_at", "rejection_reason", "staff_note"]
    )
    message = DECISION_REFUSALS[decision].get(step.status)
    if message:
        last = step.reviews.select_related("reviewer").order_by("-created_at", "-id").first()
        by = ""
        if last is not None:
            by = f" by {staff_name(last.reviewer)}"
        raise ValidationError(
            message, code="already_decided", params={"title": step.title, "by": by}
        )


def _review(step, reviewer, action, reason=""):
    return StepReview.objects.create(step=step, reviewer=reviewer, action=action, reason=reason)


def _tell(step, kind, reviewer, reason, notify):
    notice_create(
        kind=kind,
        student=step.path.enrollment.student,
        step=step,
        decided_by=reviewer,
        reason=reason,
        send_email=notify,
    )


@transaction.atomic
def step_verify(
    *, step, reviewer, note="", credential_number="", issued_on=None, notify=True
) -> PathStep:
    """Staff confirm a step. Verifying the "credential recorded" step records the
    credential (issue date: ``issued_on``, else the step's date, else today)."""
    _ensure_staff(reviewer)
    _lock_for_decision(step, "verify")
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
        # One decision, one notice: recording the credential is what the student hears.
        _tell(step, Notice.Kind.CREDENTIAL, reviewer, note, notify)
    else:
        _tell(step, Notice.Kind.VERIFIED, reviewer, note, notify)
    progress.step_recompute(step)
    return step


@transaction.atomic
def step_reject(*, step, reviewer, reason, notify=True) -> PathStep:
    """Staff send a step back with a reason the student will read."""
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Tell the student why, so they know what to fix."}, code="required"
        )
    _lock_for_decision(step, "reject")
    step.status = PathStep.Status.REJECTED
    step.rejection_reason = reason
    step.completed_at = None
    step.save(update_fields=["status", "rejection_reason", "completed_at", "updated_at"])
    _review(step, reviewer, StepReview.Action.REJECTED, reason)
    _tell(step, Notice.Kind.SENT_BACK, reviewer, reason, notify)
    progress.step_recompute(step)
    return step


@transaction.atomic
def step_waive(*, step, reviewer, reason, notify=True) -> PathStep:
    """Staff excuse a step (e.g. a CPR card already held); it leaves the progress figure."""
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Record why the step is waived."}, code="required")
    _lock_for_decision(step, "waive")
    step.status = PathStep.Status.WAIVED
    step.completed_at = timezone.now()
    step.staff_note = reason
    step.save(update_fields=["status", "completed_at", "staff_note", "updated_at"])
    _review(step, reviewer, StepReview.Action.WAIVED, reason)
    _tell(step, Notice.Kind.WAIVED, reviewer, reason, notify)
    progress.step_recompute(step)
    return step


@transaction.atomic
def step_reopen(*, step, reviewer, reason="", notify=True) -> PathStep:
    """Staff undo a verification or waiver; the step goes back to the student."""
    _ensure_staff(reviewer)
    _lock_for_decision(step, "reopen")
    reason = (reason or "").strip()
    has_work = step.count or step.date_value or step.evidence.exists()
    step.status = PathStep.Status.IN_PROGRESS if has_work else PathStep.Status.TODO
    step.completed_at = None
    step.submitted_at = None
    step.save(update_fields=["status", "completed_at", "submitted_at", "updated_at"])
    _review(step, reviewer, StepReview.Action.REOPENED, reason)
    _tell(step, Notice.Kind.REOPENED, reviewer, reason, notify)
    progress.step_recompute(step)
    return step

"""The one place that derives where a student stands.

Every service that changes a step calls ``path_recompute``; it stores the path's
progress percentage, status, next step and next due date on the path, so every screen
(dashboard, path page, admin, reports, reminders) reads the same figures. Nothing here
runs in the background: the figures change in the same transaction as the step.

The rules, in words a student could check by hand:

- Progress counts the certification steps (renewal steps are excluded). Each step
  weighs the same. A verified step counts fully; a waived step is left out of the
  calculation; a count step counts its share of the target (112 / 160 hours is 70% of
  one step) unless it was rejected; submitted, rejected and open steps count nothing
  else. 100% means every step is done, so the figure is capped at 99% until then,
  and a certified path shows 100%.
- Status is the furthest milestone reached: a recorded credential (certified, then
  renewal due in its last 90 days, then expired), exam passed, exam scheduled,
  eligible (the "eligibility approved" step is verified, or, without such a step, all
  training steps are done), in training (anything started), not started.
- The next step is the most urgent open step (to do, in progress or sent back) that
  the student can act on: a step sent back comes first, then an overdue one, then the
  soonest due (no due date last), then path order. A step only staff complete (see
  ``PathStep.staff_only``) is never the student's next step: when nothing is left for
  the student, the next step is the first open step, else the first under review, and
  every screen words it as waiting for the school (``PathStep.waits_on_school``).
  Once certified, the renewal steps are the path's steps; before, they wait.
- The next due date is the earliest deadline of the path, by the rule of
  ``accounts.deadlines``: the due date of an open step the student can act on (not
  ``PathStep.staff_only``), the exam date until the exam is passed, or the
  credential's expiry.
- A path is behind when one of its open steps is overdue (``days_behind``).

Credential expiry and continuing-education progress are derived here too.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import RENEWAL_WINDOW_DAYS, CertificationPath, Credential, PathStep
from careers.models import CERequirement, Certification, PathStepTemplate

Milestone = PathStepTemplate.Milestone


# --- Dates ----------------------------------------------------------------------------


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def credential_expiry(*, certification, issued_on: date) -> date | None:
    """The last day a credential is valid under its certification's rule.

    CMA (end of month, 60 months): certified 2024-01-15 -> 2029-01-31.
    NHA (issue date, 24 months): issued 2024-02-29 -> 2026-02-28."""
    months = certification.renewal_months
    if not months:
        return None
    if certification.expiry_rule == Certification.ExpiryRule.FROM_END_OF_MONTH:
        return end_of_month(add_months(issued_on.replace(day=1), months))
    return add_months(issued_on, months)


# --- Path progress --------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    progress_percent: int
    status: str
    next_step: object  # PathStep | None
    next_due_date: date | None


def is_done(step) -> bool:
    return step.is_done


def urgency(step, today):
    """Sort key of the student's open steps: sent back, overdue, soonest due."""
    due = step.due_date
    rejected = step.status == PathStep.Status.REJECTED
    return (not rejected, not (due and due < today), due or date.max)


def next_step_of(steps, today):
    """The next step among a stage's steps (path order), by the rule above."""
    open_steps = [s for s in steps if s.is_open]
    actionable = [s for s in open_steps if not s.staff_only]
    if actionable:
        return min(actionable, key=lambda s: urgency(s, today))  # min keeps path order
    if open_steps:
        return open_steps[0]
    return next((s for s in steps if s.status == PathStep.Status.SUBMITTED), None)


def step_credit(step) -> Fraction:
    """How much of one step is done, from 0 to 1 (waived steps are not weighed at all).
    Exact fractions, so the floored percentage never suffers from float rounding."""
    Status = PathStep.Status
    if step.status == Status.VERIFIED:
        return Fraction(1)
    if step.status == Status.REJECTED:
        return Fraction(0)
    if step.kind == PathStepTemplate.Kind.COUNT and step.target:
        return Fraction(min(step.count, step.target), step.target)
    return Fraction(0)


def derive(steps, *, credential=None, today=None) -> Derived:
    """Derive progress, status, next step and next due date from a path's steps.

    ``steps`` in path order; ``credential`` is the path's Credential, if recorded."""
    today = today or timezone.localdate()
    Status = PathStep.Status
    PathStatus = CertificationPath.Status
    steps = list(steps)
    cert_steps = [s for s in steps if s.milestone != Milestone.RENEWAL]
    renewal_steps = [s for s in steps if s.milestone == Milestone.RENEWAL]

    def milestone_done(name):
        return any(is_done(s) for s in cert_steps if s.milestone == name)

    certified = credential is not None or milestone_done(Milestone.CREDENTIAL)

    # Progress
    weighed = [s for s in cert_steps if s.status != Status.WAIVED]
    if certified or (cert_steps and not weighed):
        percent = 100
    elif not weighed:
        percent = 0
    else:
        percent = int(sum(step_credit(s) for s in weighed) * 100 // len(weighed))
        if not all(is_done(s) for s in weighed):
            percent = min(percent, 99)

    # Status
    training = [s for s in cert_steps if not s.milestone]
    has_eligibility_step = any(s.milestone == Milestone.ELIGIBLE for s in cert_steps)
    if certified:
        status = PathStatus.CERTIFIED
        expires = credential.expires_on if credential is not None else None
        if expires is not None:
            if expires < today:
                status = PathStatus.EXPIRED
            elif (expires - today).days <= RENEWAL_WINDOW_DAYS:
                status = PathStatus.RENEWAL_DUE
    elif milestone_done(Milestone.EXAM_PASSED):
        status = PathStatus.EXAM_PASSED
    elif milestone_done(Milestone.EXAM_SCHEDULED):
        status = PathStatus.EXAM_SCHEDULED
    elif milestone_done(Milestone.ELIGIBLE) or (
        not has_eligibility_step and training and all(is_done(s) for s in training)
    ):
        status = PathStatus.ELIGIBLE
    elif any(s.status != Status.TODO or s.count or s.date_value for s in cert_steps):
        status = PathStatus.IN_TRAINING
    else:
        status = PathStatus.NOT_STARTED

    # Next step
    candidates = renewal_steps if certified else cert_steps
    next_step = next_step_of(candidates, today)

    # Next due date
    dues = [s.due_date for s in candidates if s.due_date and s.is_open and not s.staff_only]
    if not certified and not milestone_done(Milestone.EXAM_PASSED):
        dues += [
            s.date_value
            for s in cert_steps
            if s.milestone == Milestone.EXAM_SCHEDULED and s.date_value and s.date_value >= today
        ]
    if certified and credential is not None and credential.expires_on:
        dues.append(credential.expires_on)
    next_due = min(dues) if dues else None

    return Derived(percent, status, next_step, next_due)


def path_recompute(path, *, today=None, use_cache=False, save=True):
    """Recompute and store a path's derived fields; returns the path.

    Every service that changes a step or a credential calls this. ``use_cache`` reads
    the steps and credential a view already prefetched instead of the database."""
    steps = path.plan_steps()
    if use_cache:
        try:
            credential = path.credential
        except Credential.DoesNotExist:
            credential = None
    else:
        credential = Credential.objects.filter(path=path).first()
    derived = derive(steps, credential=credential, today=today)
    path.progress_percent = derived.progress_percent
    path.status = derived.status
    path.next_step = derived.next_step
    path.next_due_date = derived.next_due_date
    path.recomputed_at = timezone.now()
    if save:
        path.save(
            update_fields=[
                "progress_percent",
                "status",
                "next_step",
                "next_due_date",
                "recomputed_at",
            ]
        )
    return path


def step_recompute(step):
    """Recompute every path a step counts for: its own and those it is shared with."""
    path_recompute(step.path)
    for path in step.also_counts_for.exclude(pk=step.path_id):
        path_recompute(path)


def with_earliest_overdue(paths, today):
    """Annotate ``earliest_overdue``: the due date of the path's earliest overdue open
    step (``PathStep.objects.overdue``), None when the path is on schedule. One subquery."""

    # Two subqueries, not one with "path = x OR also_counts_for = x": the OR across the
    # join cannot use an index and read every step for every path (hours at 10x data).
    def earliest(**counts_for_path):
        steps = PathStep.objects.filter(**counts_for_path).overdue(today).order_by("due_date")
        return Subquery(steps.values("due_date")[:1])

    own = earliest(path=OuterRef("pk"))
    shared = earliest(also_counts_for=OuterRef("pk"))
    # LEAST is NULL on SQLite as soon as one side is NULL: coalesce both sides.
    return paths.annotate(earliest_overdue=Least(Coalesce(own, shared), Coalesce(shared, own)))


def behind(paths, today):
    """Only the paths with an overdue open step (``PathStep.objects.overdue``), their own
    or one shared with them: the same paths ``with_earliest_overdue`` gives a date.

    Filtered by the overdue steps' path ids (two uncorrelated subqueries, each read once)
    rather than by the per-path annotation, which runs its subqueries once per path: this
    is what the staff home's count reads over every active student."""
    overdue = PathStep.objects.overdue(today)
    return paths.filter(
        Q(pk__in=overdue.values("path_id"))
        | Q(pk__in=overdue.filter(also_counts_for__isnull=False).values("also_counts_for"))
    )


def days_behind(path, today=None):
    """How far behind a path is: days since its earliest overdue open step was due
    (0 when nothing is overdue). Needs ``with_earliest_overdue``."""
    overdue = getattr(path, "earliest_overdue", None)
    if overdue is None:
        return 0
    return ((today or timezone.localdate()) - overdue).days


# Statuses that can change with the calendar alone (expiry nears, the exam day passes).
TIME_SENSITIVE = (
    CertificationPath.Status.CERTIFIED,
    CertificationPath.Status.RENEWAL_DUE,
    CertificationPath.Status.EXAM_SCHEDULED,
)


def paths_refresh_stale(paths, *, today=None):
    """Bring stored figures up to date where only the calendar moved.

    "Renewal due" and "expired" follow from the credential's expiry and today's date,
    and a passed exam date drops out of the next due date. A path last derived on an
    earlier day whose status depends on the date is recomputed here, on the read that
    needs it (no background job that can lag). Paths derived today cost no query;
    prefetched ``steps`` are used when present."""
    today = today or timezone.localdate()
    refreshed = []
    for path in paths:
        stamp = path.recomputed_at and timezone.localdate(path.recomputed_at)
        if stamp and (stamp >= today or path.status not in TIME_SENSITIVE):
            continue
        cache = getattr(path, "_prefetched_objects_cache", {})
        prefetched = "steps" in cache and "shared_steps" in cache
        path_recompute(path, today=today, use_cache=prefetched)
        refreshed.append(path)
    return refreshed


# --- Continuing education -------------------------------------------------------------


@dataclass
class CELine:
    category: str
    label: str
    required: Decimal
    earned: Decimal = Decimal(0)

    @property
    def percent(self):
        if not self.required:
            return 100
        return int(min(self.earned / self.required, 1) * 100)

    @property
    def complete(self):
        return self.earned >= self.required

    @property
    def missing(self):
        return max(self.required - self.earned, Decimal(0))


@dataclass
class CEProgress:
    lines: list = field(default_factory=list)
    required: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)
    logged: Decimal = Decimal(0)

    @property
    def percent(self):
        if not self.required:
            return 100 if self.logged else 0
        return int(min(self.earned / self.required, 1) * 100)

    @property
    def complete(self):
        return bool(self.required) and self.earned >= self.required

    @property
    def missing(self):
        return max(self.required - self.earned, Decimal(0))

    @property
    def summary(self):
        if not self.required:
            return gettext("%(logged)s credits") % {"logged": f"{self.logged.normalize():f}"}
        return gettext("%(earned)s of %(required)s credits") % {
            "earned": f"{self.earned.normalize():f}",
            "required": f"{self.required.normalize():f}",
        }


def ce_progress(*, requirements, activities) -> CEProgress:
    """Credits toward each CE category; credits beyond a category's need overflow into
    "any" (CMA: 10 administrative, 10 clinical, 10 general, 30 any)."""
    lines = {
        r.category: CELine(category=r.category, label=r.label, required=Decimal(r.credits))
        for r in requirements
    }
    any_line = lines.get(CERequirement.ANY_CATEGORY)
    overflow = Decimal(0)
    logged = Decimal(0)
    for activity in activities:
        credits = Decimal(activity.credits)
        logged += credits
        line = lines.get(activity.category)
        if line is None or line is any_line:
            overflow += credits
            continue
        room = max(line.required - line.earned, Decimal(0))
        line.earned += min(credits, room)
        overflow += max(credits - room, Decimal(0))
    if any_line is not None:
        any_line.earned = min(overflow, any_line.required)
    progress = CEProgress(lines=list(lines.values()), logged=logged)
    progress.required = sum((line.required for line in progress.lines), Decimal(0))
    progress.earned = sum((min(line.earned, line.required) for line in progress.lines), Decimal(0))
    return progress


def credential_ce(credential, *, certification=None) -> CEProgress:
    """A credential's CE progress toward renewal, from its CE log: the one figure the
    Credentials page, the dashboard and the path's renewal step show. No query when
    ``certification__ce_requirements`` and ``ce_activities`` are prefetched (or the
    already loaded ``certification`` is passed)."""
    certification = certification or credential.certification
    return ce_progress(
        requirements=certification.ce_requirements.all(),
        activities=credential.ce_activities.all(),
    )


def path_ce(path) -> CEProgress | None:
    """The CE figure of a path's renewal step: its credential's, None before one."""
    try:
        credential = path.credential
    except Credential.DoesNotExist:
        return None
    if credential is None:
        return None
    return credential_ce(credential, certification=path.certification)

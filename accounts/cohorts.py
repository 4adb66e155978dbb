"""Cohorts as staff choose them: their label, the seats taken, and whether one more
student may join. The single enrollment form, bulk enrollment and the admin
autocomplete all ask here, so a full cohort reads and behaves the same everywhere."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from accounts.models import Enrollment
from programs.models import Cohort

# A withdrawn student has given their seat back; everyone else still holds one
# (graduates held theirs for the length of the program).
SEAT_HOLDING_STATUSES = (
    Enrollment.Status.ENROLLED,
    Enrollment.Status.ON_LEAVE,
    Enrollment.Status.GRADUATED,
)


def seats_holding_count(cohort_id):
    """Seats taken in a cohort, counted from the rows that hold one: its enrollments
    (but withdrawn ones) and accepted applications not yet enrolled."""
    from accounts.models import Application

    return (
        Enrollment.objects.filter(cohort_id=cohort_id, status__in=SEAT_HOLDING_STATUSES).count()
        + Application.objects.filter(
            cohort_id=cohort_id, status=Application.Status.ACCEPTED, enrollment__isnull=True
        ).count()
    )


def cohort_label(cohort):
    """ "Medical Assistant · Dallas · evening · starts Jan 12, 2027" (needs the
    offering's program and campus selected)."""
    offering = cohort.offering
    return (
        f"{offering.program.title} · {offering.campus.name} · "
        f"{offering.get_schedule_display().lower()} · starts {cohort.start_date:%b %-d, %Y}"
    )


def cohort_seats_recompute(cohort_id):
    """Count the cohort's seats taken from its rows (``seats_holding_count``) and store
    the figure: the only writer of ``Cohort.seats_taken``. Called whenever a seat may
    change (accounts.signals, the accept service, ``recount_seats``).

    The cohort's row is locked first (FOR NO KEY UPDATE on PostgreSQL, which does not
    wait for the foreign-key locks of new enrollments), so two transactions recounting
    at once count one after the other and the later one sees the earlier one's rows.
    Saved only when the figure changed; the save invalidates the public page cache."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update(no_key=True).filter(pk=cohort_id).first()
        if cohort is None:
            return None
        taken = seats_holding_count(cohort_id)
        if cohort.seats_taken != taken:
            cohort.seats_taken = taken
            cohort.save(update_fields=["seats_taken"])
    return cohort


def cohorts_seats_recompute(cohorts=None):
    """Recount every cohort (or those given): a repair after writes that skipped the
    signals (bulk loads). Returns the number of cohorts whose figure changed."""
    changed = 0
    cohorts = Cohort.objects.all() if cohorts is None else cohorts
    for cohort in cohorts.only("pk", "seats_taken").iterator():
        before = cohort.seats_taken
        after = cohort_seats_recompute(cohort.pk)
        changed += after is not None and after.seats_taken != before
    return changed


def cohort_choice_label(cohort):
    """What staff read when they pick a cohort: where, when, and how full it is.

    "Medical Assistant · Dallas · evening · starts Jan 12, 2027 · 3 seats left (17/20 seats taken)"
    """
    return (
        f"{cohort_label(cohort)} · {cohort.availability_label} "
        f"({cohort.seats_taken}/{cohort.seats} seats taken)"
    )


def cohorts_for_choosing(cohorts, today=None):
    """Cohorts in the order staff look for them: upcoming starts first (soonest
    first), then cohorts in class now (latest start first), then past ones."""
    today = today or timezone.localdate()
    return cohorts.select_related("offering__program", "offering__campus").order_by(
        Case(
            When(start_date__gte=today, then=Value(0)),
            When(graduation_date__gte=today, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        Case(When(start_date__gte=today, then="start_date"), default=None).asc(),
        "-start_date",
        "offering__program__title",
        "pk",
    )


CONFIRM_LABEL = "Enroll anyway"


@dataclass(frozen=True)
class SeatCheck:
    """``refused``: enrolling is not possible (a closed cohort). ``warning``: it is
    possible only once staff confirm (full, or more students than seats left)."""

    refused: str = ""
    warning: str = ""


def seat_check(cohort, *, adding=1):
    """May ``adding`` more students join ``cohort``? The one rule for every enroll form."""
    label = cohort_label(cohort)
    if cohort.status == Cohort.Status.CLOSED:
        return SeatCheck(refused=f"{label} is closed: it takes no new enrollments.")
    taken, seats = cohort.seats_taken, cohort.seats
    confirm = f"Tick “{CONFIRM_LABEL}” to confirm."
    seats_text = f"{taken} of {seats} seat{'s' if seats != 1 else ''} taken"
    if cohort.is_full:
        return SeatCheck(warning=f"{label} is full: {seats_text}. {confirm}")
    if taken + adding > seats:
        return SeatCheck(
            warning=f"{label} has {seats - taken} seat{'s' if seats - taken != 1 else ''} "
            f"left ({seats_text}); enrolling {adding} would go over. {confirm}"
        )
    return SeatCheck()

"""The admissions funnel: per campus and month, how many people asked for information,
started an application, submitted it, were accepted and enrolled.

Each stage is counted on its own date, so a month's row is what happened that month:
- inquiries: ``Inquiry.created_at``, at the campus the visitor chose (or none);
- applications started: ``Application.created_at``; submitted: ``Application.submitted_at``
  (the campus of the application's start);
- accepted: the date of the application's "accepted" event (``ApplicationEvent``), at the
  campus of its start, whatever happened to it after (enrolled, withdrawn);
- enrolled: ``Enrollment.created_at``, in a start of that campus (any way a student was
  enrolled: an accepted application, staff, bulk enrollment).
Five grouped queries, whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Application, ApplicationEvent, Enrollment
from programs.models import Campus, Inquiry

STAGES = ["Inquiries", "Applications started", "Submitted", "Accepted", "Enrolled"]
DEFINITION = (
    "Each figure counts what happened in that month: inquiries received; applications "
    "started and submitted; applications accepted (the day admissions accepted them, "
    "even if later withdrawn); students enrolled in a start of that campus (through an "
    "application or entered by staff). Applications and enrollments count at the campus "
    "of their start; inquiries at the campus the visitor chose."
)
DEFAULT_MONTHS = 12
MAX_MONTHS = 36


@dataclass
class FunnelRow:
    month: object  # date: the first of the month
    campus: str
    counts: list[int]


def month_starts(today, months):
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))


def _month(value):
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.replace(day=1)


def _grouped(queryset, date_field, campus_field):
    rows = (
        queryset.annotate(month=TruncMonth(date_field))
        .values("month", campus_field)
        .annotate(count=Count("id"))
        .order_by()
    )
    result = {}
    for row in rows:
        key = (_month(row["month"]), row[campus_field])
        result[key] = result.get(key, 0) + row["count"]
    return result


def funnel(*, today=None, months=DEFAULT_MONTHS, campus=None, program=None):
    """(rows, totals): one row per month and campus (campuses with nothing that month
    are left out), oldest month first; totals per stage over the rows."""
    today = today or timezone.localdate()
    starts = month_starts(today, months)
    since = timezone.make_aware(datetime.combine(starts[0], time.min))
    inquiries = Inquiry.objects.filter(created_at__gte=since)
    applications = Application.objects.all()
    accepted = ApplicationEvent.objects.filter(
        status=Application.Status.ACCEPTED, created_at__gte=since
    )
    enrollments = Enrollment.objects.filter(created_at__gte=since)
    if campus is not None:
        inquiries = inquiries.filter(campus=campus)
        applications = applications.filter(cohort__offering__campus=campus)
        accepted = accepted.filter(application__cohort__offering__campus=campus)
        enrollments = enrollments.filter(cohort__offering__campus=campus)
    if program is not None:
        inquiries = inquiries.filter(program=program)
        applications = applications.filter(cohort__offering__program=program)
        accepted = accepted.filter(application__cohort__offering__program=program)
        enrollments = enrollments.filter(cohort__offering__program=program)
    app_campus = "cohort__offering__campus_id"
    stages = [
        _grouped(inquiries, "created_at", "campus_id"),
        _grouped(applications.filter(created_at__gte=since), "created_at", app_campus),
        _grouped(applications.filter(submitted_at__gte=since), "submitted_at", app_campus),
        _grouped(accepted, "created_at", "application__cohort__offering__campus_id"),
        _grouped(enrollments, "created_at", app_campus),
    ]
    names = dict(Campus.objects.values_list("pk", "name"))
    campus_ids = sorted(
        {key[1] for stage in stages for key in stage},
        key=lambda pk: (pk is None, names.get(pk, "")),
    )
    rows = []
    for month in starts:
        for pk in campus_ids:
            counts = [stage.get((month, pk), 0) for stage in stages]
            if any(counts):
                rows.append(FunnelRow(month, names.get(pk, "No campus chosen"), counts))
    totals = [sum(row.counts[i] for row in rows) for i in range(len(STAGES))]
    return rows, totals


def monthly_totals(rows, today=None, months=DEFAULT_MONTHS):
    """Per month (all campuses): [(month, counts)] for the staff home's chart."""
    starts = month_starts(today or timezone.localdate(), months)
    by_month = {m: [0] * len(STAGES) for m in starts}
    for row in rows:
        by_month[row.month] = [a + b for a, b in zip(by_month[row.month], row.counts, strict=True)]
    return list(by_month.items())

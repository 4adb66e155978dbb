"""The staff home: what needs a staff member today, and the school at a glance.

Every figure calls the rule where it lives: the review queue is
``PathStep.objects.awaiting_review()``, "behind" is ``reports.cohort_progress``'s,
expiry windows are ``reports.EXPIRY_WINDOWS`` with ``Credential.objects.expiring_within``,
"active" enrollments are ``reports.ACTIVE_ENROLLMENT_STATUSES``. A staff member sees a
figure only with the admin's view permission on what it counts, and each figure links to
the admin list it counts. A constant number of queries, whatever the size of the school.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from accounts import charts, funnel, pipeline, reports
from accounts.models import (
    Application,
    CertificationPath,
    Credential,
    Enrollment,
    StepAwaitingReview,
    staff_may_view,
)
from programs.models import Cohort, Inquiry
from programs.translation import localized

# How many cohorts the progress chart shows (the most recently started first).
COHORTS_CHARTED = 10
MONTHS_CHARTED = 12
# Progress buckets of the cohort chart: (label, lowest percent, highest percent).
PROGRESS_BUCKETS = [
    ("0 to 24%", 0, 24),
    ("25 to 49%", 25, 49),
    ("50 to 74%", 50, 74),
    ("75 to 99%", 75, 99),
    ("100%", 100, 100),
]


@dataclass
class Figure:
    """One count on the staff home, linked to the list it counts."""

    label: str
    count: int
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)


def admin_url(name, **query):
    url = reverse(f"admin:{name}")
    return f"{url}?{urlencode(query)}" if query else url


def figures(user, today: date) -> list[Section]:
    """The "what needs me today" counts this user may see, in sections."""
    sections = []
    if staff_may_view(user, StepAwaitingReview):
        sections.append(Section("Review", [review_figure(today)]))
    admissions = Section("Admissions")
    if staff_may_view(user, Inquiry):
        admissions.figures.extend(inquiry_figures())
    if staff_may_view(user, Enrollment):
        admissions.figures.append(invitation_figure())
    if staff_may_view(user, Application):
        admissions.figures.extend(application_figures(today))
    if admissions.figures:
        sections.append(admissions)
    if staff_may_view(user, Enrollment):
        sections.append(Section("Students", [behind_figure(today)]))
    if staff_may_view(user, Credential):
        sections.append(Section("Credentials", credential_figures(today)))
    return sections


def review_figure(today):
    waiting = StepAwaitingReview.objects.awaiting_review().aggregate(
        count=Count("id"), oldest=Min("submitted_at")
    )
    count, oldest = waiting["count"], waiting["oldest"]
    detail = ""
    urgent = False
    if count and oldest:
        age = timezone.now() - oldest
        detail = (
            "oldest sent today"
            if age < timedelta(days=1)
            else f"oldest waiting {timesince(oldest)}"
        )
        urgent = age >= timedelta(days=3)
    return Figure(
        label=f"upload{'s' if count != 1 else ''} waiting for review",
        count=count,
        url=admin_url("accounts_stepawaitingreview_changelist"),
        detail=detail,
        urgent=urgent,
    )


def application_figures(today):
    """Applications to act on (``accounts.pipeline``), each linked to the filtered list."""
    return [
        Figure(
            label=labels[0],
            count=count,
            url=admin_url("accounts_application_changelist", todo=key),
        )
        for key, labels in pipeline.TODO.items()
        for count in [pipeline.to_act_on(key, today).count()]
    ]


def inquiry_figures():
    rows = (
        Inquiry.objects.filter(status=Inquiry.Status.NEW)
        .values("campus_id", "campus__name")
        .annotate(count=Count("id"))
        .order_by("campus__name")
    )
    result = []
    for row in rows:
        if row["campus_id"] is None:
            where, query = "no campus chosen", {"campus__isnull": "True"}
        else:
            where, query = row["campus__name"], {"campus__id__exact": row["campus_id"]}
        count = row["count"]
        result.append(
            Figure(
                label=f"new inquir{'y' if count == 1 else 'ies'}, {where}",
                count=count,
                url=admin_url("programs_inquiry_changelist", status__exact="new", **query),
            )
        )
    if not result:
        result.append(
            Figure(
                label="new inquiries",
                count=0,
                url=admin_url("programs_inquiry_changelist", status__exact="new"),
            )
        )
    return result


def invitation_figure():
    # The same rows as the list it links to (AccountFilter "invited").
    count = (
        Enrollment.objects.invitation_pending()
        .filter(status__in=reports.ACTIVE_ENROLLMENT_STATUSES)
        .count()
    )
    return Figure(
        label=f"enrollment{'s' if count != 1 else ''} waiting for the student to accept "
        "the invitation",
        count=count,
        url=admin_url("accounts_enrollment_changelist", account="invited"),
        detail="resend the invitation from the list",
    )


def behind_figure(today):
    count = (
        reports.cohort_progress(behind_only=True, today=today)
        .values("enrollment__student_id")
        .distinct()
        .count()
    )
    return Figure(
        label=f"student{'s' if count != 1 else ''} behind on a deadline",
        count=count,
        url=admin_url("accounts_enrollment_report", behind="on"),
        urgent=count > 0,
    )


def credential_figures(today):
    windows = reports.EXPIRY_WINDOWS
    counts = Credential.objects.aggregate(
        expired=Count("id", filter=Q(expires_on__lt=today)),
        **{
            f"within_{days}": Count(
                "id", filter=Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))
            )
            for days in windows
        },
    )
    result = [
        Figure(
            label=f"credential{'s' if counts[f'within_{days}'] != 1 else ''} expiring within {days} days",
            count=counts[f"within_{days}"],
            url=admin_url("accounts_credential_changelist", expires=days),
            urgent=days == windows[0] and counts[f"within_{days}"] > 0,
        )
        for days in windows
    ]
    result.append(
        Figure(
            label=f"expired credential{'s' if counts['expired'] != 1 else ''}",
            count=counts["expired"],
            url=admin_url("accounts_credential_changelist", expires="expired"),
        )
    )
    return result


# --- Charts ------------------------------------------------------------------------


def enrollment_chart():
    """Active enrollments per program, one bar per campus."""
    rows = (
        Enrollment.objects.filter(status__in=reports.ACTIVE_ENROLLMENT_STATUSES)
        .values("cohort__offering__program__title", "cohort__offering__campus__name")
        .annotate(count=Count("id"))
        .order_by("cohort__offering__program__title", "cohort__offering__campus__name")
    )
    campuses = sorted({r["cohort__offering__campus__name"] for r in rows})
    programs = {}
    for r in rows:
        programs.setdefault(r["cohort__offering__program__title"], {})[
            r["cohort__offering__campus__name"]
        ] = r["count"]
    return charts.bar_chart(
        id="chart-enrollments",
        title="Students enrolled, per program and campus",
        description="Enrollments that are active (enrolled or on leave).",
        series=campuses,
        rows=[
            (program, [values.get(c, 0) for c in campuses]) for program, values in programs.items()
        ],
        row_heading="Program",
    )


def active_cohorts(today):
    """Cohorts in class today that have active students, most recently started first."""
    return (
        Cohort.objects.in_class(today)
        .filter(enrollments__status__in=reports.ACTIVE_ENROLLMENT_STATUSES)
        .distinct()
        .order_by("-start_date", "id")
    )


def cohort_progress_chart(today):
    """How far along each active cohort's students are: paths per progress bucket."""
    cohorts = list(
        active_cohorts(today)
        .select_related("offering__program", "offering__campus")
        .only("start_date", *localized("offering__program__title"), "offering__campus__name")[
            :COHORTS_CHARTED
        ]
    )
    counts = {
        row["enrollment__cohort_id"]: row
        for row in CertificationPath.objects.filter(
            enrollment__cohort__in=cohorts,
            enrollment__status__in=reports.ACTIVE_ENROLLMENT_STATUSES,
        )
        .values("enrollment__cohort_id")
        .annotate(
            **{
                f"bucket_{i}": Count(
                    "id", filter=Q(progress_percent__gte=low, progress_percent__lte=high)
                )
                for i, (_, low, high) in enumerate(PROGRESS_BUCKETS)
            }
        )
    }
    rows = []
    for cohort in cohorts:
        row = counts.get(cohort.pk, {})
        label = (
            f"{cohort.offering.program.title}, {cohort.offering.campus.name}, "
            f"started {cohort.start_date:%b %-d, %Y}"
        )
        rows.append((label, [row.get(f"bucket_{i}", 0) for i in range(len(PROGRESS_BUCKETS))]))
    return charts.bar_chart(
        id="chart-cohorts",
        title="Progress of the cohorts in class",
        description="Certification paths of each cohort now in class, by progress. "
        f"The {COHORTS_CHARTED} most recently started cohorts.",
        series=[label for label, _, _ in PROGRESS_BUCKETS],
        rows=rows,
        stacked=True,
        row_heading="Cohort",
        sequential=True,
    )


def month_starts(today, months):
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))


def month_key(value):
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def funnel_chart(today):
    """The admissions funnel (accounts.funnel) per month, all campuses together."""
    rows, _ = funnel.funnel(today=today, months=MONTHS_CHARTED)
    return charts.bar_chart(
        id="chart-funnel",
        title="Admissions funnel per month",
        description=f"The last {MONTHS_CHARTED} months: {', '.join(funnel.STAGES).lower()}.",
        series=funnel.STAGES,
        rows=[
            (f"{month:%b %Y}", counts)
            for month, counts in funnel.monthly_totals(rows, today, MONTHS_CHARTED)
        ],
        row_heading="Month",
    )


def chart_list(user, today):
    result = []
    if staff_may_view(user, Enrollment):
        result.append(enrollment_chart())
        result.append(cohort_progress_chart(today))
        if staff_may_view(user, Inquiry) and staff_may_view(user, Application):
            result.append(funnel_chart(today))
    return result


def reports_for(user):
    """Every staff report, for the home's report list."""
    result = []
    if staff_may_view(user, Enrollment):
        result += [
            (
                "Cohort progress report",
                admin_url("accounts_enrollment_report"),
                "every student's progress, CSV export",
            ),
            (
                "Students behind",
                admin_url("accounts_enrollment_report", behind="on"),
                "overdue steps, oldest first",
            ),
        ]
    if staff_may_view(user, Credential):
        result += [
            (
                "Credentials expiring",
                admin_url("accounts_credential_changelist", expires=max(reports.EXPIRY_WINDOWS)),
                "renewals due in the next 90 days",
            ),
        ]
    if staff_may_view(user, Application):
        result += [
            (
                "Admissions funnel",
                admin_url("accounts_application_funnel"),
                "inquiries to enrollments per campus and month, CSV export",
            ),
        ]
    if staff_may_view(user, Inquiry):
        result += [
            (
                "Inquiries",
                admin_url("programs_inquiry_changelist"),
                "select rows, then “Export selected inquiries to CSV”",
            ),
        ]
    return result


def context(user, today=None):
    today = today or timezone.localdate()
    return {
        "staff_sections": figures(user, today),
        "staff_charts": chart_list(user, today),
        "staff_reports": reports_for(user),
        "today": today,
    }

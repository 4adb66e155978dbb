"""Staff report queries: who is behind, where each student stands, what expires soon.

Progress, status and next step are the stored figures that accounts.progress derives
when a step changes: the report reads them and never recomputes, so it shows exactly
what the student sees. "Days behind" is accounts.progress's rule, in the same query.
"""

import csv
from dataclasses import dataclass
from datetime import date

from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts import progress
from accounts.models import CertificationPath, Credential, Enrollment

ACTIVE_ENROLLMENT_STATUSES = [Enrollment.Status.ENROLLED, Enrollment.Status.ON_LEAVE]
EXPIRY_WINDOWS = (30, 60, 90)


def cohort_progress(
    *,
    cohort=None,
    campus=None,
    program=None,
    certification=None,
    enrollment_statuses=None,
    behind_only=False,
    today=None,
):
    """Certification paths with their student, cohort and `earliest_overdue` date.

    One query with joins, whatever the number of students, paths or steps.
    `enrollment_statuses` defaults to the active ones (enrolled, on leave)."""
    today = today or timezone.localdate()
    statuses = ACTIVE_ENROLLMENT_STATUSES if enrollment_statuses is None else enrollment_statuses
    paths = (
        progress.with_earliest_overdue(
            CertificationPath.objects.filter(enrollment__status__in=statuses), today
        )
        .select_related(
            "enrollment__student",
            "enrollment__cohort__offering__program",
            "enrollment__cohort__offering__campus",
            "certification",
            "next_step",
        )
        .order_by(
            "enrollment__cohort__start_date",
            "enrollment__cohort_id",
            "enrollment__student__last_name",
            "enrollment__student__first_name",
            "enrollment__student__email",
            "certification__order",
            "id",
        )
    )
    if cohort is not None:
        paths = paths.filter(enrollment__cohort=cohort)
    if campus is not None:
        paths = paths.filter(enrollment__cohort__offering__campus=campus)
    if program is not None:
        paths = paths.filter(enrollment__cohort__offering__program=program)
    if certification is not None:
        paths = paths.filter(certification=certification)
    if behind_only:
        paths = progress.behind(paths, today)
    return paths


def refresh_stale(paths, today=None):
    """Re-derive the few paths whose stored status depends on the calendar and was
    derived on an earlier day ("renewal due", "expired"), exactly as the portal does on
    read, so staff and student see the same figure. Costs no query when nothing is stale."""
    today = today or timezone.localdate()
    stale = []
    for path in paths:
        stamp = path.recomputed_at and timezone.localdate(path.recomputed_at)
        if not stamp or (stamp < today and path.status in progress.TIME_SENSITIVE):
            stale.append(path)
    if stale:
        prefetch_related_objects(stale, "steps", "shared_steps", "credential")
        progress.paths_refresh_stale(stale, today=today)
    return stale


@dataclass(frozen=True)
class ReportRow:
    path: CertificationPath
    days_behind: int

    @property
    def enrollment(self):
        return self.path.enrollment

    @property
    def student(self):
        return self.path.enrollment.student

    @property
    def cohort(self):
        return self.path.enrollment.cohort


def report_rows(paths, today=None):
    today = today or timezone.localdate()
    return [ReportRow(path=path, days_behind=progress.days_behind(path, today)) for path in paths]


CSV_HEADER = [
    "Student",
    "E-mail",
    "Program",
    "Campus",
    "Cohort start",
    "Enrollment status",
    "Certification",
    "Progress (%)",
    "Path status",
    "Next step",
    "Next step due",
    "Days behind",
    "Earliest overdue date",
]


def _csv_safe(value):
    """Neutralise spreadsheet formulas (=, +, -, @) in free text: CSV injection."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def write_cohort_csv(out, rows):
    """Write the report rows (ReportRow) to a file-like object as CSV."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        path, student, cohort = row.path, row.student, row.cohort
        writer.writerow(
            [
                _csv_safe(student.get_full_name() or student.email),
                _csv_safe(student.email),
                _csv_safe(cohort.offering.program.title),
                _csv_safe(cohort.offering.campus.name),
                cohort.start_date.isoformat(),
                row.enrollment.get_status_display(),
                _csv_safe(path.certification.acronym),
                path.progress_percent,
                path.get_status_display(),
                _csv_safe(path.next_step.title if path.next_step else ""),
                path.next_due_date.isoformat() if path.next_due_date else "",
                row.days_behind,
                path.earliest_overdue.isoformat() if path.earliest_overdue else "",
            ]
        )


def credentials_expiring(*, within=None, expired=False, today=None):
    """Credentials expiring within `within` days (from today), or already expired."""
    today = today or timezone.localdate()
    credentials = Credential.objects.select_related("student", "certification")
    if expired:
        return credentials.filter(expires_on__lt=today)
    return credentials.expiring_within(within or max(EXPIRY_WINDOWS), today=today)


def expiry_label(expires_on: date | None, today=None):
    """(label, tone) for a credential's expiry, tone in ok / soon / urgent / expired."""
    if expires_on is None:
        return "Does not expire", "ok"
    today = today or timezone.localdate()
    days = (expires_on - today).days
    if days < 0:
        ago = -days
        return f"Expired {ago} day{'s' if ago != 1 else ''} ago", "expired"
    if days == 0:
        return "Expires today", "urgent"
    label = f"Expires in {days} day{'s' if days != 1 else ''}"
    if days <= 30:
        return label, "urgent"
    if days <= 90:
        return label, "soon"
    return label, "ok"

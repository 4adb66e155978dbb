"""A student's deadlines: the one rule behind the dashboard, the calendar feed and the
reminder e-mails, which only format what ``for_student`` / ``for_students`` return.

What is a deadline, in words a student could check by hand:

- the due date of an open step (to do, in progress or sent back) of the stage the path
  is in (``PathStep.objects.current()``): its certification steps until it is certified,
  its renewal steps after. The certification steps a certified path left open are
  history, not deadlines. A passed due date stays listed: the step is overdue.
  Only steps the student can act on count: a step only staff complete (a check the
  student may not mark done, ``PathStep.staff_only``, such as "Eligibility approved")
  is the school's to meet, so it is no deadline of the student's: not on the
  dashboard, not in the calendar feed, not in reminder e-mails. Staff still see it
  overdue (``PathStep.objects.overdue``, ``progress.days_behind``).
- the exam day, from today on, until the exam is passed;
- a credential's expiry (its renewal deadline), until ``EXPIRED_SHOWN_DAYS`` after it.

Withdrawn enrollments add nothing; inactive accounts get nothing. A credential counts for
a student with an active enrollment, or with none at all (a graduate recorded without one).
The path's stored ``next_due_date`` (accounts.progress) is the earliest of its deadlines.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import CertificationPath, Credential, Enrollment, PathStep
from careers.models import PathStepTemplate

EXPIRED_SHOWN_DAYS = 30


@dataclass(frozen=True)
class Deadline:
    kind: str  # "step", "exam" or "credential"
    day: date
    today: date
    student: object  # User
    certification: object  # careers.Certification
    title: str  # the step's title, "CMA exam", "CMA credential expires"
    detail: str  # what to do: the step's help text, the renewal summary
    pk: int  # of the step or the credential
    path_id: int | None = None

    @property
    def key(self):
        """What the deadline is about and its date: a moved date is a new deadline."""
        what = {"step": "due", "exam": "on", "credential": "expires"}[self.kind]
        return f"{self.kind}:{self.pk}:{what}:{self.day.isoformat()}"

    @property
    def days(self):
        return (self.day - self.today).days

    @property
    def overdue(self):
        return self.days < 0

    @property
    def url_path(self):
        if self.path_id is None:
            return reverse("portal:credentials")
        url = reverse("portal:path_detail", kwargs={"pk": self.path_id})
        return f"{url}#step-{self.pk}" if self.kind == "step" else url


def _active_steps(students):
    steps = PathStep.objects.filter(path__enrollment__student__is_active=True).exclude(
        path__enrollment__status=Enrollment.Status.WITHDRAWN
    )
    if students is not None:
        steps = steps.of_students(students)
    return steps.select_related("path__certification", "path__enrollment__student")


def for_students(students=None, *, today, until=None):
    """Every deadline of these students (all students when None), soonest first.

    ``until`` leaves out what falls later. Three queries, whatever the numbers."""
    found = []
    upto = Q(due_date__lte=until) if until else Q()

    def of_step(step, *, kind, day, title, detail):
        return Deadline(
            kind=kind,
            day=day,
            today=today,
            student=step.path.enrollment.student,
            certification=step.path.certification,
            title=title,
            detail=detail,
            pk=step.pk,
            path_id=step.path_id,
        )

    active = _active_steps(students)  # once: it reads the students' path ids
    steps = active.current().open().student_can_act()
    for step in steps.filter(upto, due_date__isnull=False):
        found.append(
            of_step(step, kind="step", day=step.due_date, title=step.title, detail=step.help_text)
        )
    exams = (
        active.filter(Q(date_value__lte=until) if until else Q())
        .filter(milestone=PathStepTemplate.Milestone.EXAM_SCHEDULED, date_value__gte=today)
        .exclude(path__status__in=CertificationPath.EXAM_DONE_STATUSES)
    )
    for step in exams:
        cert = step.path.certification
        found.append(
            of_step(
                step,
                kind="exam",
                day=step.date_value,
                title=gettext("%(acronym)s exam") % {"acronym": cert.acronym},
                detail=gettext("Your %(name)s exam. Bring a valid photo ID and arrive early.")
                % {"name": cert.name},
            )
        )
    enrollments = Enrollment.objects.filter(student=OuterRef("student"))
    credentials = (
        Credential.objects.filter(
            student__is_active=True,
            expires_on__gte=today - timedelta(days=EXPIRED_SHOWN_DAYS),
            **({"expires_on__lte": until} if until else {}),
        )
        .annotate(
            has_active=Exists(enrollments.exclude(status=Enrollment.Status.WITHDRAWN)),
            has_any=Exists(enrollments),
        )
        .filter(Q(has_active=True) | Q(has_any=False))
        .select_related("certification", "student")
    )
    if students is not None:
        credentials = credentials.filter(student__in=students)
    for credential in credentials:
        cert = credential.certification
        found.append(
            Deadline(
                kind="credential",
                day=credential.expires_on,
                today=today,
                student=credential.student,
                certification=cert,
                title=gettext("%(acronym)s credential expires") % {"acronym": cert.acronym},
                detail=cert.renewal_summary
                or gettext("Renew before this date to keep your credential."),
                pk=credential.pk,
            )
        )
    found.sort(key=lambda d: (d.day, d.kind, d.pk))
    return found


def for_student(user, *, today, until=None):
    """One student's deadlines, soonest first (overdue steps first of all)."""
    return for_students([user], today=today, until=until)

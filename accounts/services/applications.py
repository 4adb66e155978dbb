"""Applications: every change of an application's status, in one place.

A visitor starts an application to a start date (a draft), fills it in over several
steps, adds documents and submits it. Staff ask for documents, schedule an interview,
then accept (which enrolls the applicant in the cohort on the same account), put it on
the waitlist or decline it. The applicant may withdraw until they are enrolled.

Every status change goes through ``_move``: it checks the transition (``TRANSITIONS``),
records an ``ApplicationEvent`` (the applicant's history and notice) and e-mails the
applicant once the change commits (through the task worker). Acceptance takes the seat
with the cohort's row locked, so two staff accepting the last seat at the same moment
cannot both win: the second application goes to the waitlist.
"""

from datetime import UTC, timedelta

import icalendar
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from accounts import uploads
from accounts.cohorts import cohort_seats_recompute, seats_holding_count
from accounts.models import Application, ApplicationDocument, ApplicationEvent, Enrollment
from accounts.services.common import _absolute_url
from accounts.services.notices import staff_name
from programs.emails import send_templated_email
from programs.languages import language_of, user_language
from programs.models import Cohort

Status = Application.Status
Doc = ApplicationDocument

MAX_DOCUMENTS_PER_KIND = 3
INTERVIEW_MINUTES = 45
# How far ahead an interview may be scheduled, and how late after it.
INTERVIEW_MAX_DAYS = 180

# What may follow what. Staff moves and the applicant's own (submit, withdraw, the
# automatic return to "submitted" once the documents asked for are in) all check here.
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {
        Status.DOCUMENTS_NEEDED,
        Status.INTERVIEW_SCHEDULED,
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.DOCUMENTS_NEEDED: {
        Status.SUBMITTED,
        Status.INTERVIEW_SCHEDULED,
        Status.WAITLISTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.INTERVIEW_SCHEDULED: {
        Status.INTERVIEW_SCHEDULED,  # moved to another time
        Status.DOCUMENTS_NEEDED,
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.WAITLISTED: {
        Status.INTERVIEW_SCHEDULED,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.ACCEPTED: {Status.ENROLLED, Status.WITHDRAWN},
    Status.ENROLLED: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
}

# What the applicant reads about each status: the plain words, and what happens next
# (lazy: read in the language of the page or e-mail being rendered).
STATUS_TEXT = {
    Status.DRAFT: (
        gettext_lazy("Not sent yet"),
        gettext_lazy(
            "Finish the steps and send your application. Your answers are saved at each step."
        ),
    ),
    Status.SUBMITTED: (
        pgettext_lazy("application status", "Submitted"),
        gettext_lazy(
            "Admissions will check your documents and contact you to schedule an interview, "
            "usually within two business days."
        ),
    ),
    Status.DOCUMENTS_NEEDED: (
        gettext_lazy("Documents needed"),
        gettext_lazy(
            "One or more documents could not be accepted. Upload a new one so admissions "
            "can continue."
        ),
    ),
    Status.INTERVIEW_SCHEDULED: (
        gettext_lazy("Interview scheduled"),
        gettext_lazy(
            "Come to your interview at the time and campus shown here. Bring your photo ID."
        ),
    ),
    Status.ACCEPTED: (
        gettext_lazy("Accepted"),
        gettext_lazy(
            "You have a seat in this class. Your student portal shows your certification "
            "plan and what to do before the first day."
        ),
    ),
    Status.ENROLLED: (
        pgettext_lazy("application status", "Enrolled"),
        gettext_lazy(
            "You are a student of this class. Follow your progress in your student portal."
        ),
    ),
    Status.WAITLISTED: (
        gettext_lazy("Waitlisted"),
        gettext_lazy(
            "This start is full. Admissions will offer you a seat if one opens, or a place "
            "in a later start."
        ),
    ),
    Status.DECLINED: (
        gettext_lazy("Declined"),
        gettext_lazy("Your application was not accepted for this start."),
    ),
    Status.WITHDRAWN: (
        pgettext_lazy("application status", "Withdrawn"),
        gettext_lazy("You withdrew this application."),
    ),
}


def status_text(status):
    """(plain words, what happens next) for a status."""
    return STATUS_TEXT[status]


# --- Reading ---------------------------------------------------------------------------


def applications_of(user):
    """The user's own applications, newest first, with what the pages show."""
    return (
        Application.objects.owned_by(user)
        .for_pipeline()
        .prefetch_related("documents")
        .order_by("-created_at", "-id")
    )


def application_get_for(*, user, pk):
    """The application if this user may see it (its applicant, or staff allowed to view
    applications); ``Application.DoesNotExist`` otherwise, which views turn into 404."""
    return (
        Application.objects.visible_to(user)
        .for_pipeline()
        .select_related("interview_campus", "enrollment")
        .get(pk=pk)
    )


def checklist(application):
    """Staff's checklist: each required document verified, interview held, decision.
    Uses the application's prefetched documents when there are."""
    documents = list(application.documents.all())
    items = []
    for kind in Doc.REQUIRED_KINDS:
        of_kind = [d for d in documents if d.kind == kind]
        verified = any(d.status == Doc.Status.VERIFIED for d in of_kind)
        items.append((f"{Doc.Kind(kind).label} verified", verified))
    items.append(("Interview held", application.interview_held_at is not None))
    items.append(
        (
            "Admission decision",
            application.status in (Status.ACCEPTED, Status.ENROLLED, Status.DECLINED),
        )
    )
    return items


def documents_complete(application, *, verified=False):
    """Every required kind has a document that is not sent back (``verified=True``:
    that staff verified)."""
    wanted = {Doc.Status.VERIFIED} if verified else {Doc.Status.VERIFIED, Doc.Status.PENDING}
    kinds = {d.kind for d in application.documents.all() if d.status in wanted}
    return set(Doc.REQUIRED_KINDS) <= kinds


def missing_for_submit(application):
    """What the applicant still has to fill in before sending, as (step, message) pairs;
    empty when the application can be submitted."""
    missing = []
    if not (application.first_name and application.last_name and application.phone):
        missing.append(("about", _("Your name and phone number.")))
    if not application.date_of_birth:
        missing.append(("about", _("Your date of birth.")))
    if not application.education:
        missing.append(("education", _("Your high-school diploma or equivalent.")))
    kinds = {d.kind for d in application.documents.all() if d.status != Doc.Status.REJECTED}
    for kind in Doc.REQUIRED_KINDS:
        if kind not in kinds:
            missing.append(("documents", f"{Doc.Kind(kind).label}."))
    if not (application.consent_truthful and application.consent_contact):
        missing.append(("consent", _("Your consent.")))
    return missing


# --- The applicant's side --------------------------------------------------------------


def _ensure_applicant(application, user):
    if application.applicant_id != getattr(user, "pk", None):
        raise PermissionDenied


def _ensure_editable(application, *, documents=False):
    """Answers change only on a draft; documents also while admissions asks for one."""
    editable = (Status.DRAFT, Status.DOCUMENTS_NEEDED) if documents else (Status.DRAFT,)
    if application.status not in editable:
        raise ValidationError(
            _(
                "This application was sent and can no longer be changed. Contact admissions "
                "if something is wrong."
            ),
            code="not_editable",
        )


def cohort_open_for_applications(cohort, today=None):
    """May a visitor apply to this start? Upcoming and not closed (a full start takes
    applications for its waitlist)."""
    return Cohort.objects.open_for_applications(today).filter(pk=cohort.pk).exists()


@transaction.atomic
def application_start(*, applicant, cohort, inquiry=None) -> Application:
    """The applicant's live application to this start: the existing one (a draft or a
    sent one), or a new draft prefilled from their account."""
    existing = (
        Application.objects.filter(applicant=applicant, cohort=cohort)
        .exclude(status__in=[Status.DECLINED, Status.WITHDRAWN])
        .first()
    )
    if existing is not None:
        return existing
    if not cohort_open_for_applications(cohort):
        raise ValidationError(
            _("This start date no longer takes applications. Choose another start."),
            code="closed",
        )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                cohort=cohort,
                first_name=applicant.first_name,
                last_name=applicant.last_name,
                inquiry=inquiry,
            )
    except IntegrityError:  # the same person, twice at the same moment
        return (
            Application.objects.filter(applicant=applicant, cohort=cohort)
            .exclude(status__in=[Status.DECLINED, Status.WITHDRAWN])
            .get()
        )
    ApplicationEvent.objects.create(
        application=application, status=Status.DRAFT, by=applicant, seen_at=timezone.now()
    )
    return application


@transaction.atomic
def application_update(*, application, user, **fields) -> Application:
    """Save one step's answers on a draft (or on one that needs documents)."""
    _ensure_applicant(application, user)
    application = _lock(application)
    _ensure_editable(application)
    allowed = {
        "first_name",
        "last_name",
        "phone",
        "date_of_birth",
        "address",
        "city",
        "state",
        "postal_code",
        "education",
        "school_name",
        "graduation_year",
        "consent_truthful",
        "consent_contact",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not an applicant's field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(application, name, value)
    changed = list(fields)
    if fields.get("consent_truthful") and fields.get("consent_contact"):
        application.consented_at = timezone.now()
        changed.append("consented_at")
    application.save(update_fields=[*changed, "updated_at"])
    return application


def application_document_add(*, application, kind, file, user) -> ApplicationDocument:
    """Check and store a document; nothing is stored when a check fails or the row does
    not commit. Same checks and private storage as a student's evidence."""
    stored = []
    try:
        return _document_add(
            application=application, kind=kind, file=file, user=user, stored=stored
        )
    except BaseException:
        for name in stored:
            ApplicationDocument.file.field.storage.delete(name)
        raise


@transaction.atomic
def _document_add(*, application, kind, file, user, stored):
    _ensure_applicant(application, user)
    application = _lock(application)
    _ensure_editable(application, documents=True)
    if kind not in Doc.Kind.values:
        raise ValidationError(_("Choose which document this is."), code="kind")
    # Files sent back do not count: the applicant can always replace them.
    live = application.documents.filter(kind=kind).exclude(status=Doc.Status.REJECTED)
    if live.count() >= MAX_DOCUMENTS_PER_KIND:
        raise ValidationError(
            _("You already sent %(max)s files for this document. Remove one first."),
            code="too_many",
            params={"max": MAX_DOCUMENTS_PER_KIND},
        )
    clean = file if isinstance(file, uploads.CleanFile) else uploads.validate_evidence(file)
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
    )
    document.file.save(clean.content.name, clean.content, save=False)
    stored.append(document.file.name)
    document.save()
    if application.status == Status.DOCUMENTS_NEEDED and documents_complete(application):
        _move(application, Status.SUBMITTED, by=user, note=ApplicationEvent.NEW_DOCUMENTS)
    return document


@transaction.atomic
def application_document_remove(*, document, user):
    """The applicant removes a document staff have not decided on yet."""
    document = ApplicationDocument.objects.select_related("application").get(pk=document.pk)
    application = document.application
    _ensure_applicant(application, user)
    _lock(application)
    _ensure_editable(application, documents=True)
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != Doc.Status.PENDING:
        raise ValidationError(
            _("Admissions already reviewed this document; it stays with your application."),
            code="reviewed",
        )
    name = document.file.name
    document.delete()
    transaction.on_commit(lambda: ApplicationDocument.file.field.storage.delete(name))


@transaction.atomic
def application_submit(*, application, user, request=None) -> Application:
    _ensure_applicant(application, user)
    application = _lock(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("This application was already sent."), code="sent")
    missing = missing_for_submit(application)
    if missing:
        raise ValidationError(
            [
                _("Before you send it, add: %(missing)s")
                % {"missing": " ".join(m for __, m in missing)}
            ],
            code="incomplete",
        )
    if not cohort_open_for_applications(application.cohort):
        raise ValidationError(
            _(
                "This start date no longer takes applications. Contact admissions to choose "
                "another start."
            ),
            code="closed",
        )
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at", "updated_at"])
    _move(application, Status.SUBMITTED, by=user, request=request)
    _tell_admissions(application, request=request)
    return application


@transaction.atomic
def application_withdraw(*, application, user, reason="", request=None) -> Application:
    """The applicant (or staff for them) withdraws; an accepted applicant's enrollment
    is withdrawn too, which gives the seat back."""
    if application.applicant_id != user.pk and not user.is_staff:
        raise PermissionDenied
    application = _lock(application)
    if application.status not in Application.WITHDRAWABLE_STATUSES:
        raise ValidationError(_("This application can no longer be withdrawn."), code="closed")
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["withdrawn_at", "updated_at"])
    if application.enrollment_id:
        # The withdrawal e-mail says it all: no separate enrollment notice. Saved (not
        # updated) so that the cohort's seat count follows.
        enrollment = Enrollment.objects.select_for_update().get(pk=application.enrollment_id)
        if enrollment.status != Enrollment.Status.WITHDRAWN:
            enrollment.status = Enrollment.Status.WITHDRAWN
            enrollment.save(update_fields=["status"])
    _move(application, Status.WITHDRAWN, by=user, note=reason.strip(), request=request)
    return application


# --- Staff's side -----------------------------------------------------------------------


def _ensure_staff(user, perm="change_application"):
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied
    if not user.has_perm(f"accounts.{perm}"):
        raise PermissionDenied


@transaction.atomic
def document_verify(*, document, reviewer) -> ApplicationDocument:
    _ensure_staff(reviewer)
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    document.status = Doc.Status.VERIFIED
    document.rejection_reason = ""
    document.reviewed_by, document.reviewed_at = reviewer, timezone.now()
    document.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
    return document


@transaction.atomic
def document_reject(*, document, reviewer, reason, request=None) -> ApplicationDocument:
    """Send a document back; the application then needs documents and the applicant is
    told what to correct."""
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say what is wrong with the document.", code="reason")
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    document.status = Doc.Status.REJECTED
    document.rejection_reason = reason
    document.reviewed_by, document.reviewed_at = reviewer, timezone.now()
    document.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
    application = _lock(document.application)
    if application.status in (Status.SUBMITTED, Status.INTERVIEW_SCHEDULED, Status.WAITLISTED):
        _move(
            application,
            Status.DOCUMENTS_NEEDED,
            by=reviewer,
            note=f"{document.get_kind_display()}: {reason}",
            request=request,
        )
    return document


@transaction.atomic
def interview_schedule(*, application, at, campus, reviewer, request=None) -> Application:
    """Set (or move) the interview; the applicant gets an e-mail with a calendar file."""
    _ensure_staff(reviewer)
    application = _lock(application)
    now = timezone.now()
    if at is None or at <= now:
        raise ValidationError({"interview_at": "Choose a date and time in the future."})
    if at > now + timedelta(days=INTERVIEW_MAX_DAYS):
        raise ValidationError({"interview_at": f"Choose a date within {INTERVIEW_MAX_DAYS} days."})
    if campus is None:
        raise ValidationError({"interview_campus": "Choose the campus of the interview."})
    _check_move(application, Status.INTERVIEW_SCHEDULED)
    application.interview_at, application.interview_campus = at, campus
    application.interview_held_at = None
    application.save(
        update_fields=["interview_at", "interview_campus", "interview_held_at", "updated_at"]
    )
    _move(application, Status.INTERVIEW_SCHEDULED, by=reviewer, request=request)
    return application


@transaction.atomic
def interview_mark_held(*, application, reviewer) -> Application:
    _ensure_staff(reviewer)
    application = _lock(application)
    if application.interview_at is None:
        raise ValidationError("Schedule the interview first.", code="no_interview")
    if application.interview_at > timezone.now():
        raise ValidationError("The interview has not happened yet.", code="future")
    application.interview_held_at = timezone.now()
    application.save(update_fields=["interview_held_at", "updated_at"])
    return application


def seats_free(cohort):
    """Seats left in a cohort, counted from its rows now (call with the cohort locked):
    under the lock the rows are the truth, whatever ``Cohort.seats_taken`` last stored."""
    return cohort.seats - seats_holding_count(cohort.pk)


def application_accept(*, application, reviewer, request=None) -> Application:
    """Accept: with the cohort's row locked, take a seat and enroll the applicant (the
    same account) with the program's certification plan. With no seat left, the
    application goes to the waitlist instead (that change is kept) and ``SeatTaken``
    tells staff so."""
    accepted, message = _accept(application=application, reviewer=reviewer, request=request)
    if message:
        raise SeatTaken(message, code="seat_taken")
    return accepted


@transaction.atomic
def _accept(*, application, reviewer, request):
    _ensure_staff(reviewer)
    application = _lock(application)
    _check_move(application, Status.ACCEPTED)
    missing = [label for label, done in checklist(application)[:-1] if not done]
    if missing:
        raise ValidationError(
            "Before accepting, complete the checklist: " + "; ".join(missing) + ".",
            code="checklist",
        )
    cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
    if cohort.status == Cohort.Status.CLOSED:
        raise ValidationError("This start is closed: it takes no new students.", code="closed")
    if seats_free(cohort) <= 0:
        if application.status != Status.WAITLISTED:
            _move(
                application,
                Status.WAITLISTED,
                by=reviewer,
                note=ApplicationEvent.START_FILLED_UP,
                request=request,
            )
        return application, (
            f"No seat left in this start ({cohort.seats} of {cohort.seats} taken): the "
            "application is on the waitlist."
        )
    from accounts.services.enrollments import enrollment_create

    program = cohort.offering.program
    goals = (
        [program.main_certification]
        if program.main_certification_id
        else list(program.certifications.all())
    )
    enrollment = enrollment_create(
        email=application.applicant.email,
        cohort=cohort,
        certifications=goals,
        first_name=application.first_name,
        last_name=application.last_name,
        created_by=reviewer,
        request=request,
        notify=False,  # the acceptance e-mail says it, with the portal link
    )
    application.enrollment = enrollment
    application.decided_by, application.decided_at = reviewer, timezone.now()
    application.save(update_fields=["enrollment", "decided_by", "decided_at", "updated_at"])
    _move(application, Status.ACCEPTED, by=reviewer, request=request)
    # The receivers recounted on each save above; once more here, with the cohort still
    # locked, so the stored figure is this transaction's final count whatever changes.
    cohort_seats_recompute(cohort.pk)
    return application, ""


class SeatTaken(ValidationError):
    """The last seat went to someone else: the application is waitlisted (committed)."""


@transaction.atomic
def application_waitlist(*, application, reviewer, reason="", request=None) -> Application:
    _ensure_staff(reviewer)
    application = _lock(application)
    _move(application, Status.WAITLISTED, by=reviewer, note=reason.strip(), request=request)
    return application


@transaction.atomic
def application_decline(*, application, reviewer, reason, request=None) -> Application:
    _ensure_staff(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": "Give the applicant a reason."})
    application = _lock(application)
    _check_move(application, Status.DECLINED)
    application.decision_reason = reason
    application.decided_by, application.decided_at = reviewer, timezone.now()
    application.save(update_fields=["decision_reason", "decided_by", "decided_at", "updated_at"])
    _move(application, Status.DECLINED, by=reviewer, note=reason, request=request)
    return application


@transaction.atomic
def application_mark_enrolled(*, application, reviewer, request=None) -> Application:
    """The accepted student started class: the application is done."""
    _ensure_staff(reviewer)
    application = _lock(application)
    _move(application, Status.ENROLLED, by=reviewer, request=request)
    return application


# --- The one way a status changes ------------------------------------------------------


def _lock(application):
    return (
        Application.objects.select_for_update()
        .select_related("applicant", "cohort__offering__program", "cohort__offering__campus")
        .get(pk=application.pk)
    )


def _check_move(application, status):
    if status not in TRANSITIONS[application.status]:
        raise ValidationError(
            f"An application that is “{application.get_status_display().lower()}” cannot "
            f"become “{Status(status).label.lower()}”.",
            code="transition",
        )


def _move(application, status, *, by=None, note="", request=None):
    """Change the status, record it for the applicant, e-mail them once it commits."""
    _check_move(application, status)
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application, status=status, note=note, by=by
    )
    _email_status(application, event, request=request)
    return event


def _email_status(application, event, *, request=None):
    with language_of(application.applicant):
        words, next_text = status_text(application.status)
        cohort = application.cohort
        context = {
            "application": application,
            "event": event,
            "status_words": words,
            "next_text": next_text,
            "decided_by": staff_name(event.by) if event.by_id != application.applicant_id else "",
            "cohort": cohort,
            "program": cohort.offering.program,
            "campus": cohort.offering.campus,
            "application_url": _absolute_url(application.get_absolute_url(), request),
            "portal_url": _absolute_url(reverse("portal:dashboard"), request),
        }
        attachments = []
        if application.status == Status.INTERVIEW_SCHEDULED and application.interview_at:
            attachments.append(
                ("interview.ics", interview_calendar(application, request=request), "text/calendar")
            )
        send_templated_email(
            language=user_language(application.applicant),
            template="accounts/email/application_status",
            context=context,
            to=[application.applicant.email],
            attachments=attachments,
        )
        ApplicationEvent.objects.filter(pk=event.pk).update(emailed=True)


def _tell_admissions(application, *, request=None):
    campus = application.cohort.offering.campus
    if not campus.admissions_email:
        return
    send_templated_email(
        template="accounts/email/application_admissions",
        context={
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.offering.program,
            "campus": campus,
            "admin_url": _absolute_url(
                reverse("admin:accounts_application_change", args=[application.pk]), request
            ),
        },
        to=[campus.admissions_email],
    )


def events_mark_seen(*, user, application=None) -> int:
    events = ApplicationEvent.objects.filter(application__applicant=user, seen_at__isnull=True)
    if application is not None:
        events = events.filter(application=application)
    return events.update(seen_at=timezone.now())


# --- An applicant's interview, as a calendar file ----------------------------------------


def interview_calendar(application, *, request=None, now=None):
    """One timed event (UTC) for the admissions interview: the .ics attached to the
    e-mail that schedules it and offered on the application page."""
    with language_of(application.applicant):
        campus = application.interview_campus
        program = application.cohort.offering.program
        stamp = (now or timezone.now()).astimezone(UTC)
        start = application.interview_at.astimezone(UTC)
        event = icalendar.Event()
        event.add(
            "uid", f"interview-{application.pk}@{settings.SCHOOL_NAME.lower().replace(' ', '-')}"
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=INTERVIEW_MINUTES))
        event.add(
            "summary",
            gettext("Admissions interview: %(program)s (%(school)s)")
            % {"program": program.title, "school": settings.SCHOOL_NAME},
        )
        if campus is not None:
            event.add(
                "location",
                gettext("%(school)s, %(campus)s campus, %(address)s")
                % {
                    "school": settings.SCHOOL_NAME,
                    "campus": campus.name,
                    "address": campus.address_line,
                },
            )
        event.add(
            "description", gettext("Bring a photo ID. To move the interview, call the campus.")
        )
        path = reverse("apply:application", kwargs={"pk": application.pk})
        event.add("url", request.build_absolute_uri(path) if request else path)
        calendar = icalendar.Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", f"-//{settings.SCHOOL_NAME}//Admissions//EN")
        calendar.add("method", "PUBLISH")
        calendar.add_component(event)
        return calendar.to_ical(sorted=False).decode("utf-8")


__all__ = [
    "MAX_DOCUMENTS_PER_KIND",
    "STATUS_TEXT",
    "TRANSITIONS",
    "SeatTaken",
    "application_accept",
    "application_decline",
    "application_document_add",
    "application_document_remove",
    "application_get_for",
    "application_mark_enrolled",
    "application_start",
    "application_submit",
    "application_update",
    "application_waitlist",
    "application_withdraw",
    "applications_of",
    "checklist",
    "cohort_open_for_applications",
    "document_reject",
    "document_verify",
    "documents_complete",
    "events_mark_seen",
    "interview_calendar",
    "interview_mark_held",
    "interview_schedule",
    "missing_for_submit",
    "seats_free",
    "status_text",
]

"""Demo applications across both campuses, in the states staff meet every week: one
waiting for review, one needing a new document, one with an interview next week (the
demo applicant, who can log in), one waitlisted for a full start, one accepted, one
draft. One upcoming Arlington start is made full for real first: a small class whose
seats are all taken by demo students enrolled through the services. Rows are written
directly (no e-mail goes out while the demo loads); each one's
history reads as if it had gone through ``accounts.services.applications``.

Idempotent: an applicant who already has an application is left as they are."""

from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from accounts.models import Application, ApplicationDocument, ApplicationEvent, User
from programs.models import Cohort

Status = Application.Status
Doc = ApplicationDocument

MA_PROGRAM = "medical-assisting-nutrition-weight-management"
ADMIN_PROGRAM = "medical-administrative-assistant"

# (e-mail, first, last, program, campus, story)
APPLICANTS = [
    (
        "kevin.nguyen@demo.trinitycareer.example",
        "Kevin",
        "Nguyen",
        MA_PROGRAM,
        "dallas",
        "submitted",
    ),
    (
        "lauren.brooks@demo.trinitycareer.example",
        "Lauren",
        "Brooks",
        MA_PROGRAM,
        "arlington",
        "documents_needed",
    ),
    (
        "marcus.hill@demo.trinitycareer.example",
        "Marcus",
        "Hill",
        MA_PROGRAM,
        "arlington",
        "waitlisted",
    ),
    ("priya.shah@demo.trinitycareer.example", "Priya", "Shah", MA_PROGRAM, "dallas", "accepted"),
    (
        "tomas.garcia@demo.trinitycareer.example",
        "Tomás",
        "García",
        ADMIN_PROGRAM,
        "arlington",
        "draft",
    ),
]


# The small Arlington class that fills one upcoming start: (e-mail, first, last).
FULL_CLASS = [
    ("andre.wallace@demo.trinitycareer.example", "Andre", "Wallace"),
    ("beatriz.molina@demo.trinitycareer.example", "Beatriz", "Molina"),
    ("chloe.turner@demo.trinitycareer.example", "Chloe", "Turner"),
    ("darius.king@demo.trinitycareer.example", "Darius", "King"),
    ("elena.petrova@demo.trinitycareer.example", "Elena", "Petrova"),
    ("faith.okafor@demo.trinitycareer.example", "Faith", "Okafor"),
]
FULL_CAMPUS, FULL_SCHEDULE = "arlington", "day"


def fill_arlington_start(*, staff, today, out):
    """Make one upcoming Arlington medical-assisting day start full for real: the demo
    class is enrolled through the services and the start's seats are set to the seats
    it then holds, so "full" is derived like any other. The same start on a second run
    (the one the class is in), so loading twice changes nothing."""
    from accounts import services
    from accounts.cohorts import cohort_seats_recompute, seats_holding_count

    starts = Cohort.objects.open_for_applications(today).filter(
        offering__program__slug=MA_PROGRAM,
        offering__campus__slug=FULL_CAMPUS,
        offering__schedule=FULL_SCHEDULE,
    )
    cohort = (
        starts.filter(enrollments__student__email=FULL_CLASS[0][0]).first()
        or starts.order_by("start_date").first()
    )
    if cohort is None:
        out.append(f"  skipped the full Arlington start: no upcoming {MA_PROGRAM} day start")
        return None
    goal = cohort.offering.program.main_certification
    for email, first, last in FULL_CLASS:
        if not cohort.enrollments.filter(student__email=email).exists():
            services.enrollment_create(
                email=email,
                cohort=cohort,
                certifications=[goal] if goal else [],
                first_name=first,
                last_name=last,
                created_by=staff,
                notify=False,
            )
    taken = seats_holding_count(cohort.pk)
    if cohort.seats != taken:
        cohort.seats = taken
        cohort.save(update_fields=["seats"])
        out.append(f"  filled the {cohort.start_date:%b %-d} Arlington day start ({taken} seats)")
    return cohort_seats_recompute(cohort.pk)


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _next_start(program, campus, today, *, full=False):
    """The program's next start with a seat at the campus (``full``: a full one, which
    takes waitlist applications)."""
    if full:
        cohorts = Cohort.objects.open_for_applications(today).filter(seats_taken__gte=F("seats"))
    else:
        cohorts = Cohort.objects.open_for_enrollment(today)
    cohorts = cohorts.filter(offering__program__slug=program, offering__campus__slug=campus)
    return cohorts.select_related("offering__campus").order_by("start_date").first()


def _answers(first, last, i):
    return {
        "first_name": first,
        "last_name": last,
        "phone": f"(817) 555-01{i:02d}",
        "date_of_birth": date(1996 + i, 3 + i, 10 + i),
        "address": f"{120 + i * 7} Oak Street",
        "city": "Arlington" if i % 2 else "Dallas",
        "state": "TX",
        "postal_code": "76010" if i % 2 else "75201",
        "education": Application.Education.GED if i == 2 else Application.Education.DIPLOMA,
        "school_name": "Sam Houston High School" if i % 2 else "Skyline High School",
        "graduation_year": 2014 + i,
        "consent_truthful": True,
        "consent_contact": True,
    }


def _document(
    application, kind, scan, *, status=Doc.Status.PENDING, reason="", staff=None, at=None
):
    upload = scan(f"{kind}.png", str(Doc.Kind(kind).label))
    document = Doc(
        application=application,
        kind=kind,
        original_name=upload.name,
        content_type="image/png",
        size=upload.size,
        status=status,
        rejection_reason=reason,
        reviewed_by=staff if status != Doc.Status.PENDING else None,
        reviewed_at=at if status != Doc.Status.PENDING else None,
        uploaded_at=at or timezone.now(),
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document


def _event(application, status, at, *, by=None, note=""):
    ApplicationEvent.objects.create(
        application=application, status=status, note=note, by=by, created_at=at, emailed=True
    )


def _story(application, story, *, staff, today, scan):
    """Walk the application to its demo state, recording each step of its history."""
    applicant = application.applicant
    sent = _at(today - timedelta(days=6))
    _event(application, Status.DRAFT, sent - timedelta(hours=2), by=applicant)
    if story == "draft":
        _document(application, Doc.Kind.PHOTO_ID, scan)
        return
    verified = Doc.Status.VERIFIED
    if story == "submitted":
        _document(application, Doc.Kind.PHOTO_ID, scan, at=sent)
        _document(application, Doc.Kind.EDUCATION, scan, at=sent)
    elif story == "documents_needed":
        _document(
            application,
            Doc.Kind.PHOTO_ID,
            scan,
            status=Doc.Status.REJECTED,
            reason="The photo is blurred: the name and expiry date cannot be read.",
            staff=staff,
            at=sent,
        )
        _document(application, Doc.Kind.EDUCATION, scan, status=verified, staff=staff, at=sent)
    else:
        for kind in Doc.REQUIRED_KINDS:
            _document(application, kind, scan, status=verified, staff=staff, at=sent)
    application.submitted_at = sent
    _event(application, Status.SUBMITTED, sent, by=applicant)
    if story == "documents_needed":
        _event(
            application,
            Status.DOCUMENTS_NEEDED,
            sent + timedelta(days=1),
            by=staff,
            note="Photo ID: The photo is blurred: the name and expiry date cannot be read.",
        )
    if story in ("interview", "waitlisted", "accepted"):
        held = story != "interview"
        interview = (
            _at(today + timedelta(days=7), 14) if not held else _at(today - timedelta(days=3), 11)
        )
        application.interview_at = interview
        application.interview_campus = application.cohort.offering.campus
        application.interview_held_at = interview + timedelta(hours=1) if held else None
        _event(application, Status.INTERVIEW_SCHEDULED, sent + timedelta(days=1), by=staff)
    if story == "waitlisted":
        _event(
            application,
            Status.WAITLISTED,
            _at(today - timedelta(days=2)),
            by=staff,
            note="This start is full; we will call you as soon as a seat opens.",
        )
    application.status = {"interview": Status.INTERVIEW_SCHEDULED}.get(story, story)
    application.save()


def load_applications(*, staff, applicant, today, out, scan):
    """Demo applications (see the module docstring); ``applicant`` is the demo
    applicant account, whose interview is next week."""
    from accounts import services  # the accepted one is enrolled the real way

    stories = [
        (
            applicant.email,
            applicant.first_name,
            applicant.last_name,
            MA_PROGRAM,
            "arlington",
            "interview",
        ),
        *APPLICANTS,
    ]
    fill_arlington_start(staff=staff, today=today, out=out)
    for i, (email, first, last, program, campus, story) in enumerate(stories, start=1):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, first_name=first, last_name=last
            )
        if Application.objects.filter(applicant=user).exists():
            continue
        cohort = _next_start(program, campus, today, full=story == "waitlisted")
        if cohort is None:
            out.append(f"  skipped {first}'s application: no open {program} start in {campus}")
            continue
        application = Application.objects.create(
            applicant=user,
            cohort=cohort,
            created_at=_at(today - timedelta(days=7)),
            **_answers(first, last, i),
        )
        application.consented_at = application.created_at
        _story(application, story, staff=staff, today=today, scan=scan)
        if story == "accepted":
            # Enrolled through the service, as staff's "Accept" does (no e-mail now).
            goal = cohort.offering.program.main_certification
            enrollment = services.enrollment_create(
                email=user.email,
                cohort=cohort,
                certifications=[goal] if goal else [],
                first_name=first,
                last_name=last,
                created_by=staff,
                notify=False,
            )
            application.enrollment = enrollment
            application.decided_by, application.decided_at = staff, _at(today - timedelta(days=1))
            application.save()
            _event(application, Status.ACCEPTED, application.decided_at, by=staff)

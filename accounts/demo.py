"""Demo accounts and student records for development. Never created with DEBUG off;
no fixed passwords. Idempotent: running it twice gives the same rows."""

import io
import secrets
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import progress, services
from accounts.cohorts import cohort_seats_recompute
from accounts.demo_applications import load_applications
from accounts.models import (
    CEActivity,
    Credential,
    Enrollment,
    Notice,
    PathStep,
    StepReview,
    User,
)
from careers.models import Certification
from programs.models import Cohort

DEMO_STAFF_EMAIL = "staff@demo.trinitycareer.example"
DEMO_STUDENT_EMAIL = "student@demo.trinitycareer.example"
DEMO_CMAA_STUDENT_EMAIL = "jordan@demo.trinitycareer.example"
DEMO_GRADUATE_EMAIL = "graduate@demo.trinitycareer.example"
DEMO_APPLICANT_EMAIL = "applicant@demo.trinitycareer.example"

MA_PROGRAM = "medical-assisting-nutrition-weight-management"
ADMIN_PROGRAM = "medical-administrative-assistant"

DEMO_ACCOUNTS = [
    {
        "email": DEMO_STAFF_EMAIL,
        "first_name": "Dana",
        "last_name": "Reyes",
        "is_staff": True,
        "is_superuser": True,
        "label": "staff (admin at /admin/)",
    },
    {
        "email": DEMO_STUDENT_EMAIL,
        "first_name": "Maria",
        "last_name": "Lopez",
        "is_staff": False,
        "is_superuser": False,
        "label": "student, Dallas, medical assisting, CCMA path (portal at /portal/)",
    },
    {
        "email": DEMO_CMAA_STUDENT_EMAIL,
        "first_name": "Jordan",
        "last_name": "Ellis",
        "is_staff": False,
        "is_superuser": False,
        "label": "student, Arlington, medical administrative assistant, CMAA path",
    },
    {
        "email": DEMO_GRADUATE_EMAIL,
        "first_name": "Aisha",
        "last_name": "Carter",
        "is_staff": False,
        "is_superuser": False,
        "label": "graduate with a credential expiring in 45 days",
    },
    {
        "email": DEMO_APPLICANT_EMAIL,
        "first_name": "Sofia",
        "last_name": "Ramirez",
        "is_staff": False,
        "is_superuser": False,
        "label": "applicant, Arlington, interview next week (her application at /apply/applications/)",
    },
]


def ensure_account(*, email, first_name, last_name, is_staff=False, is_superuser=False):
    """Create (or find) a verified account; returns (user, created)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def _running_cohort(program, campus, today):
    """A cohort of a program that is under way at a campus, so a path can be part done.
    The programs demo lists upcoming starts; when none has begun, a running cohort
    (closed to new enrollment, so not advertised) is added."""
    cohorts = Cohort.objects.filter(
        offering__program__slug=program, offering__campus__slug=campus
    ).select_related("offering__program")
    running = (
        cohorts.filter(start_date__lte=today, graduation_date__gte=today)
        .order_by("-start_date")
        .first()
    )
    if running is not None:
        return running, False
    any_cohort = cohorts.order_by("start_date").first()
    if any_cohort is None:
        return None, False
    weeks = any_cohort.offering.program.length_weeks
    start = (today - timedelta(weeks=weeks) * 0.4).replace(day=1)
    return Cohort.objects.get_or_create(
        offering=any_cohort.offering,
        start_date=start,
        defaults={
            "graduation_date": start + timedelta(weeks=weeks),
            "status": Cohort.Status.CLOSED,
        },
    )


def _past_cohort(today, *, graduated_by):
    """A finished Dallas cohort for the graduate, over by ``graduated_by``; added if the
    programs demo has none that early."""
    finished = (
        Cohort.objects.filter(
            offering__program__slug=MA_PROGRAM,
            offering__campus__slug="dallas",
            graduation_date__lte=graduated_by,
        )
        .order_by("-graduation_date")
        .first()
    )
    if finished:
        return finished, False
    any_cohort = (
        Cohort.objects.filter(offering__program__slug=MA_PROGRAM, offering__campus__slug="dallas")
        .select_related("offering__program")
        .first()
    )
    if any_cohort is None:
        return None, False
    weeks = any_cohort.offering.program.length_weeks
    start = graduated_by - timedelta(weeks=weeks)
    start -= timedelta(days=start.weekday())  # a Monday
    return Cohort.objects.get_or_create(
        offering=any_cohort.offering,
        start_date=start,
        defaults={
            "graduation_date": start + timedelta(weeks=weeks),
            "status": Cohort.Status.CLOSED,
        },
    )


def _demo_scan(name, title):
    """A small, genuine PNG standing in for a photographed document."""
    out = io.BytesIO()
    image = Image.new("RGB", (640, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 400), outline=(18, 53, 91), width=6)
    draw.text((50, 60), title, fill=(18, 53, 91))
    draw.text((50, 110), "Demo document - Trinity Career Institute", fill=(60, 60, 60))
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _cert(slug):
    return Certification.objects.filter(slug=slug).first()


def _steps(path):
    return list(path.steps.order_by("order", "id"))


def _main_goal(cohort):
    program = cohort.offering.program
    return program.main_certification or program.certifications.first()


def _maria(user, staff, today, out):
    """Maria, Dallas, medical assisting, aiming for the program's main certification
    (CCMA): hours logged, a file sent back with a reason."""
    cohort, created = _running_cohort(MA_PROGRAM, "dallas", today)
    goal = _main_goal(cohort) if cohort else None
    if cohort is None or goal is None:
        out.append(f"  skipped Maria's path: needs the {MA_PROGRAM} program in Dallas")
        return
    if Enrollment.objects.filter(student=user, cohort=cohort).exists():
        return
    if created:
        out.append(f"  added a running Dallas cohort ({cohort.start_date:%b %Y}) for Maria")
    enrollment = services.enrollment_create(
        email=user.email, cohort=cohort, certifications=[goal], created_by=staff, notify=False
    )
    path = enrollment.paths.get()
    # Some way into her program: her CPR card photo was sent back, and she has logged most
    # of her externship hours with a time sheet.
    sent_back = False
    for step in (s for s in _steps(path) if not s.milestone):
        if step.kind == "evidence" and not sent_back:
            services.evidence_submit(
                step=step, file=_demo_scan("bls-card.png", step.title), user=user
            )
            services.step_reject(
                step=step,
                reviewer=staff,
                reason="The photo shows only the front of your card: upload both sides, so "
                "we can see the expiry date.",
                notify=False,
            )
            sent_back = True
        elif step.kind == "count" and step.target:
            services.step_record_count(step=step, count=int(step.target * 0.7), user=user)
            services.evidence_submit(
                step=step, file=_demo_scan("time-sheet.png", step.title), user=user
            )


def _jordan(user, staff, today, out):
    """Jordan, Arlington, medical administrative assistant, aiming for the CMAA (the
    program's main certification): just started."""
    cohort, created = _running_cohort(ADMIN_PROGRAM, "arlington", today)
    goal = _main_goal(cohort) if cohort else None
    if cohort is None or goal is None:
        out.append(f"  skipped Jordan's path: needs the {ADMIN_PROGRAM} program in Arlington")
        return
    if Enrollment.objects.filter(student=user, cohort=cohort).exists():
        return
    if created:
        out.append(f"  added a running Arlington cohort ({cohort.start_date:%b %Y}) for Jordan")
    services.enrollment_create(
        email=user.email, cohort=cohort, certifications=[goal], created_by=staff, notify=False
    )
    # Just started: her path is in place, nothing decided yet.


def _at(day):
    """Noon on a past day, in the school's time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _graduate(user, staff, today, out):
    """Aisha graduated from medical assisting in Dallas, passed the CCMA and holds a
    credential that expires in 45 days. Her steps were done when her story says, in
    her cohort's calendar, not on the day the demo is loaded."""
    if Credential.objects.filter(student=user).exists():
        return
    cert = _cert("ccma")
    if cert is None:
        out.append("  skipped the graduate: needs the CCMA certification")
        return
    # Issue date chosen so that the certification's own rule gives an expiry 45 days out.
    target = today + timedelta(days=45)
    months = cert.renewal_months or 24
    issued = progress.add_months(target, -months)
    if cert.expiry_rule == Certification.ExpiryRule.FROM_END_OF_MONTH:
        issued = progress.add_months(target.replace(day=1), -months)
    exam_date = issued - timedelta(days=10)
    cohort, created = _past_cohort(today, graduated_by=exam_date - timedelta(days=30))
    if cohort is None:
        out.append(f"  skipped the graduate: needs the {MA_PROGRAM} program in Dallas")
        return
    if created:
        out.append(f"  added a finished Dallas cohort ({cohort.start_date:%b %Y}) for the graduate")
    enrollment = Enrollment.objects.filter(student=user, cohort=cohort).first()
    if enrollment is None:
        enrollment = services.enrollment_create(
            email=user.email, cohort=cohort, certifications=[cert], created_by=staff, notify=False
        )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.GRADUATED, enrolled_on=cohort.start_date - timedelta(days=21)
    )
    cohort_seats_recompute(cohort.pk)  # update() skips the receivers that count seats
    path = enrollment.paths.get()
    number = f"{cert.acronym}-{secrets.randbelow(900000) + 100000}"
    for step in _steps(path):
        if step.milestone == "renewal":
            continue
        if step.kind == "count" and step.target:
            step.count = step.target
            step.save(update_fields=["count"])
        if step.kind == "date":
            step.date_value = exam_date
            step.save(update_fields=["date_value"])
        services.step_verify(
            step=step, reviewer=staff, issued_on=issued, credential_number=number, notify=False
        )
        # When it happened: the step's due date (its place in the cohort's calendar), the
        # exam steps on exam day, the credential on its issue date.
        done_on = {
            "exam_scheduled": exam_date,
            "exam_passed": exam_date + timedelta(days=2),
            "credential": issued,
        }.get(step.milestone) or min(step.due_date or exam_date, exam_date)
        moment = _at(done_on)
        PathStep.objects.filter(pk=step.pk).update(
            completed_at=moment, submitted_at=moment - timedelta(days=1)
        )
        StepReview.objects.filter(step=step).update(created_at=moment)
        Notice.objects.filter(step=step).update(created_at=moment, seen_at=moment)
    progress.path_recompute(path)
    credential = Credential.objects.get(path=path)
    categories = [c for c, _ in services.ce_categories(cert)]
    for days_ago, title, provider, credits in [
        (300, "Infection control and standard precautions", "NHA Learning Center", "2"),
        (120, "HIPAA privacy refresher", "AAMA e-Learning", "1.5"),
        (20, "Point-of-care testing update", "Texas Society of Medical Assistants", "3"),
    ]:
        day = max(today - timedelta(days=days_ago), credential.issued_on)
        CEActivity.objects.get_or_create(
            credential=credential,
            title=title,
            defaults={
                "provider": provider,
                "category": categories[len(title) % len(categories)],
                "credits": credits,
                "completed_on": day,
            },
        )


def load(*, stdout, style, with_accounts, reset_passwords=False, **kwargs):
    if not with_accounts:
        return
    lines = []
    users = {}
    for spec in DEMO_ACCOUNTS:
        fields = {k: v for k, v in spec.items() if k != "label"}
        user, created = ensure_account(**fields)
        users[spec["email"]] = user
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            lines.append(f"  {spec['label']}: {user.email}  password: {password}")
    if lines:
        stdout.write(style.WARNING("Demo accounts (passwords are shown only this once):"))
        for line in lines:
            stdout.write(line)
    else:
        stdout.write(
            "Demo accounts exist: "
            + ", ".join(spec["email"] for spec in DEMO_ACCOUNTS)
            + ". Run `make demo-passwords` for new passwords."
        )
    today = timezone.localdate()
    staff = users[DEMO_STAFF_EMAIL]
    notes = []
    _maria(users[DEMO_STUDENT_EMAIL], staff, today, notes)
    _jordan(users[DEMO_CMAA_STUDENT_EMAIL], staff, today, notes)
    _graduate(users[DEMO_GRADUATE_EMAIL], staff, today, notes)
    load_applications(
        staff=staff, applicant=users[DEMO_APPLICANT_EMAIL], today=today, out=notes, scan=_demo_scan
    )
    for note in notes:
        stdout.write(style.WARNING(note) if "skipped" in note else note)
    if not notes:
        stdout.write("Demo student records are in place.")

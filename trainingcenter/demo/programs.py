"""Load the demo programs content from ``data/programs.json``: campuses, programs with
curricula, offerings, a year of cohorts, outcomes, disclosures, sample inquiries and
illustrations (drawn by ``programs.demo_images``). Idempotent.

Fixed dates are ISO strings in the data. Dates that move with today are computed here:
cohort starts from the ``cohort_calendar`` and each offering's rhythm, outcome years from
``years_ago``.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from careers.models import Certification, Role
from programs import demo_images
from programs.images import rebuild_renditions
from programs.models import (
    Campus,
    Cohort,
    Course,
    Disclosure,
    Inquiry,
    Offering,
    Outcome,
    Program,
    Schedule,
)
from trainingcenter.demo import parse_date, read_data


def _decimal(value):
    return None if value is None else Decimal(value)


def _start_dates(*, calendar, every_weeks, offset_weeks, today):
    """Mondays counted from a fixed epoch, so reloading weeks later reuses the same dates
    instead of creating near-duplicates; from ``past_days`` ago to ``horizon_days`` ahead."""
    step = timedelta(weeks=every_weeks)
    first = parse_date(calendar["epoch"]) + timedelta(weeks=offset_weeks)
    earliest = today - timedelta(days=calendar["past_days"])
    k = max(0, (earliest - first).days // step.days)
    current = first + k * step
    while current <= today + timedelta(days=calendar["horizon_days"]):
        if current >= earliest:
            yield current
        current += step


def _status(*, start, today):
    # Full is derived from the seats taken (accounts.demo_applications fills one start).
    return Cohort.Status.CLOSED if start < today else Cohort.Status.OPEN


def _save_image(obj, field_name, draw, name):
    """Draw and attach an illustration unless the object already has its image file
    (whose renditions are then brought up to date, if the widths or names changed)."""
    field_file = getattr(obj, field_name)
    if field_file and default_storage.exists(field_file.name):
        return "rebuilt" in list(rebuild_renditions(obj))
    # Assigning a file runs the upload pipeline on save: checks, EXIF removal, renditions.
    setattr(obj, field_name, ContentFile(draw(), name=name))
    obj.save()
    return True


def _load_campuses(specs):
    campuses = {}
    for spec in specs:
        spec = dict(spec)
        slug = spec.pop("slug")
        campus, _ = Campus.objects.update_or_create(slug=slug, defaults=spec)
        campuses[slug] = campus
    return campuses


def _load_program(spec, data, campuses, today):
    spec = dict(spec)
    slug = spec.pop("slug")
    kind = spec.pop("kind")
    courses = spec.pop("courses")
    offerings = spec.pop("offerings")
    outcomes = spec.pop("outcomes")
    cert_slugs = spec.pop("certifications")
    main_slug = spec.pop("main_certification", None)
    role_slugs = spec.pop("roles")
    defaults = {
        **spec,
        "tuition": Decimal(spec["tuition"]),
        "tuition_includes": "\n".join(data["tuition_includes"][kind]),
        "admission_requirements": "\n".join(data["admission_requirements"][kind]),
        "financial_aid": data["financial_aid"],
        "accreditation": data["accreditation"],
        "published": True,
    }
    program, _ = Program.objects.update_or_create(slug=slug, defaults=defaults)

    # Link only what the careers demo created (it may not exist on every branch).
    program.certifications.set(Certification.objects.filter(slug__in=cert_slugs))
    main = Certification.objects.filter(slug=main_slug).first() if main_slug else None
    if program.main_certification_id != (main.pk if main else None):
        program.main_certification = main
        program.save(update_fields=["main_certification"])
    program.roles.set(Role.objects.filter(slug__in=role_slugs))

    orders = []
    for order, course in enumerate(courses, start=1):
        Course.objects.update_or_create(program=program, order=order, defaults=course)
        orders.append(order)
    program.courses.exclude(order__in=orders).delete()

    for outcome in outcomes:
        outcome = dict(outcome)
        year = today.year - outcome.pop("years_ago")
        Outcome.objects.update_or_create(
            program=program,
            year=year,
            defaults={
                "completion_rate": _decimal(outcome["completion_rate"]),
                "placement_rate": _decimal(outcome["placement_rate"]),
                "exam_pass_rate": _decimal(outcome["exam_pass_rate"]),
                "exam_name": outcome["exam_name"],
                "source": data["outcome_source"],
                "note": data["outcome_note"].format(year=year, previous_year=year - 1),
            },
        )

    cohorts = 0
    for spec in offerings:
        schedule = spec["schedule"]
        offering, _ = Offering.objects.update_or_create(
            program=program,
            campus=campuses[spec["campus"]],
            schedule=schedule,
            defaults={
                "class_days": spec["class_days"],
                "class_times": spec["class_times"],
                "tuition_override": _decimal(spec["tuition_override"]),
                "active": True,
            },
        )
        # Evening and weekend classes meet fewer hours a week, so they take longer.
        weeks = program.length_weeks + (
            program.length_weeks // 4 if schedule in {Schedule.EVENING, Schedule.WEEKEND} else 0
        )
        for start in _start_dates(
            calendar=data["cohort_calendar"],
            every_weeks=spec["starts_every_weeks"],
            offset_weeks=spec["first_start_offset_weeks"],
            today=today,
        ):
            status = _status(start=start, today=today)
            _, created = Cohort.objects.get_or_create(
                offering=offering,
                start_date=start,
                defaults={
                    "graduation_date": start + timedelta(weeks=weeks) - timedelta(days=3),
                    "seats": spec["seats"],
                    "status": status,
                },
            )
            cohorts += created
    return program, cohorts


def load(*, stdout, style, with_accounts, reset_passwords=False, data_dir=None, **kwargs):
    data = read_data("programs", data_dir)
    today = timezone.localdate()
    campuses = _load_campuses(data["campuses"])
    images = 0
    for slug, campus in campuses.items():
        images += _save_image(
            campus, "photo", lambda slug=slug: demo_images.campus_image(slug), f"{slug}-campus.jpg"
        )

    programs, new_cohorts = {}, 0
    for spec in data["programs"]:
        program, created = _load_program(spec, data, campuses, today)
        programs[program.slug] = program
        new_cohorts += created
        images += _save_image(
            program,
            "hero_image",
            lambda slug=program.slug: demo_images.program_image(slug),
            f"{program.slug}.jpg",
        )

    for spec in data["disclosures"]:
        spec = dict(spec)
        Disclosure.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)

    for spec in data["sample_inquiries"]:
        spec = dict(spec)
        Inquiry.objects.get_or_create(
            email=spec.pop("email"),
            defaults={
                **spec,
                "program": programs.get(spec["program"]),
                "campus": campuses[spec["campus"]],
                "consent": True,
                "source_page": "/programs/",
            },
        )

    stdout.write(
        style.SUCCESS(
            f"Programs: {len(campuses)} campuses, {len(programs)} programs, "
            f"{new_cohorts} new cohorts, {images} images generated."
        )
    )

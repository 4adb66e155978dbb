"""A small, realistic world for portal tests and screenshots: the demo slugs the
careers and programs demos provide on main (campuses, the medical assisting program with
the CCMA as its main certification, the medical administrative assistant program with the
CMAA, and the CMA with its path template)."""

from datetime import timedelta

from django.utils import timezone

from careers.models import Certification
from programs.models import Campus, Cohort
from tests.factories import (
    make_body,
    make_campus,
    make_certification,
    make_cohort,
    make_offering,
    make_program,
)

CMA_STEPS = [
    {
        "title": "Coursework: anatomy, terminology and clinical procedures",
        "kind": "check",
        "due_days": 150,
        "help_text": "Your instructors confirm this when you pass the final clinical module.",
    },
    {
        "title": "Clinical skills checklist",
        "kind": "evidence",
        "student_can_complete": True,
        "due_days": 160,
        "help_text": "Upload the signed skills checklist (all pages) as a PDF or clear photos.",
    },
    {
        "title": "BLS/CPR card",
        "kind": "evidence",
        "student_can_complete": True,
        "due_days": 90,
        "help_text": "Upload both sides of your American Heart Association BLS Provider card.",
    },
    {
        "title": "Externship hours",
        "kind": "count",
        "target": 160,
        "unit": "hours",
        "student_can_complete": True,
        "due_days": 240,
        "help_text": "Log your hours from your signed externship time sheets; upload the sheets.",
    },
    {
        "title": "Eligibility approved",
        "kind": "check",
        "milestone": "eligible",
        "due_days": 250,
        "help_text": "Your campus confirms you meet the AAMA's eligibility rules and sends your application.",
    },
    {
        "title": "Exam date",
        "kind": "date",
        "milestone": "exam_scheduled",
        "requires_verification": False,
        "student_can_complete": True,
        "due_days": 270,
        "help_text": "Schedule your exam with Prometric and enter the date here.",
    },
    {
        "title": "Exam passed: score report",
        "kind": "evidence",
        "milestone": "exam_passed",
        "student_can_complete": True,
        "help_text": "Upload your score report.",
    },
    {"title": "Credential recorded", "kind": "check", "milestone": "credential"},
    {
        "title": "Recertify: 60 CE credits",
        "kind": "check",
        "milestone": "renewal",
        "student_can_complete": True,
        "help_text": "Log your CE credits on the Credentials page; mark this done when you have recertified.",
    },
]

NHA_STEPS = [
    {
        "title": "Coursework: front office and billing",
        "kind": "check",
        "due_days": 120,
        "help_text": "Your instructors confirm this when you pass the administrative modules.",
    },
    {
        "title": "Practice exam score of 70% or more",
        "kind": "evidence",
        "student_can_complete": True,
        "due_days": 200,
        "help_text": "Upload a screenshot or PDF of your practice exam result.",
    },
    {"title": "Eligibility approved", "kind": "check", "milestone": "eligible"},
    {
        "title": "Exam date",
        "kind": "date",
        "milestone": "exam_scheduled",
        "requires_verification": False,
        "student_can_complete": True,
    },
    {
        "title": "Exam passed: score report",
        "kind": "evidence",
        "milestone": "exam_passed",
        "student_can_complete": True,
    },
    {"title": "Credential recorded", "kind": "check", "milestone": "credential"},
    {
        "title": "Renew: 10 CE credits",
        "kind": "check",
        "milestone": "renewal",
        "student_can_complete": True,
    },
]


def build(*, with_started_cohorts=False):
    """Create the demo slugs (idempotent enough for one test database)."""
    if Certification.objects.filter(slug="cma").exists():
        return
    aama = make_body(name="American Association of Medical Assistants", acronym="AAMA", slug="aama")
    nha = make_body(name="National Healthcareer Association", acronym="NHA", slug="nha")
    make_certification(
        body=aama,
        slug="cma",
        acronym="CMA",
        name="Certified Medical Assistant",
        renewal_months=60,
        expiry_rule="end_of_month",
        is_medical_assistant=True,
        steps=CMA_STEPS,
        ce=[
            ("administrative", "Administrative", 10),
            ("clinical", "Clinical", 10),
            ("general", "General", 10),
            ("any", "Any category", 30),
        ],
    )
    cmaa = make_certification(
        body=nha,
        slug="cmaa",
        acronym="CMAA",
        name="Certified Medical Administrative Assistant",
        track="administrative",
        renewal_months=24,
        steps=NHA_STEPS,
        ce=[("any", "Continuing education", 10)],
    )
    ccma = make_certification(
        body=nha,
        slug="ccma",
        acronym="CCMA",
        name="Certified Clinical Medical Assistant",
        renewal_months=24,
        steps=CMA_STEPS,
        ce=[("any", "Continuing education", 10)],
    )
    dallas = make_campus(name="Dallas", slug="dallas", city="Dallas")
    arlington = make_campus(
        name="Arlington", slug="arlington", city="Arlington", postal_code="76011"
    )
    program = make_program(
        title="Medical Assisting with Nutrition and Weight Management",
        slug="medical-assisting-nutrition-weight-management",
    )
    program.certifications.add(ccma)
    program.main_certification = ccma
    program.save(update_fields=["main_certification"])
    admin_program = make_program(
        title="Medical Administrative Assistant", slug="medical-administrative-assistant"
    )
    admin_program.certifications.add(cmaa)
    admin_program.main_certification = cmaa
    admin_program.save(update_fields=["main_certification"])
    today = timezone.localdate()
    for course, campus, schedule in [
        (program, dallas, "day"),
        (program, arlington, "day"),
        (program, arlington, "evening"),
        (admin_program, arlington, "evening"),
    ]:
        offering = make_offering(program=course, campus=campus, schedule=schedule)
        make_cohort(offering=offering, start_date=today + timedelta(days=40))
        if with_started_cohorts:
            make_cohort(offering=offering, start_date=today - timedelta(days=100))


def campus(slug):
    return Campus.objects.get(slug=slug)


def cohort(campus_slug):
    return Cohort.objects.filter(offering__campus__slug=campus_slug).order_by("start_date").first()

"""Demo content for programs: campuses, programs with curricula, offerings, a year of
cohorts, outcomes, disclosures, sample inquiries and illustrations. Idempotent.

Everything here is fictional: "555" phone numbers, invented street addresses, demo
outcome figures. Staff replace it all in the admin.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from careers.models import Certification, Role
from programs import demo_images
from programs.models import (
    Campus,
    Cohort,
    Course,
    Disclosure,
    Field,
    Inquiry,
    Offering,
    Outcome,
    Program,
    Schedule,
)

CAMPUSES = [
    {
        "slug": "dallas",
        "name": "Dallas",
        "order": 1,
        "street": "1200 Trinity Commons Drive, Suite 210",
        "city": "Dallas",
        "postal_code": "75207",
        "phone": "(214) 555-0142",
        "email": "dallas@trinitycareer.example",
        "admissions_email": "admissions.dallas@trinitycareer.example",
        "summary": "Our Dallas campus sits a few minutes from the Southwestern Medical District, "
        "with two clinical skills labs, a mock medical office and a computer lab for "
        "billing and coding. Classes run during the day, plus weekend phlebotomy.",
        "hours": "Monday to Thursday: 7:30 am to 6:00 pm\n"
        "Friday: 8:00 am to 5:00 pm\n"
        "Saturday: 8:00 am to 2:00 pm (weekend classes and tours by appointment)\n"
        "Sunday: closed",
        "parking": "Free parking in the garage behind the building (levels 2 and 3); take a "
        "ticket and have it validated at the front desk.\n\n"
        "Accessible parking spaces are on level 1, next to the elevator.",
        "transit": "DART light rail: the Green and Orange Lines stop at Market Center "
        "Station, about a 10-minute walk. DART buses on Harry Hines Boulevard stop one "
        "block away.\n\n"
        "Plan your trip with DART's GoPass app or at dart.org. Students may qualify for a "
        "reduced-fare pass: ask the front desk.",
        "map_url": "https://www.openstreetmap.org/search?query=Market%20Center%20Station%2C%20Dallas",
        "photo_alt": "Illustration of the Dallas campus: a low teal-roofed building in front "
        "of the downtown skyline at sunset.",
    },
    {
        "slug": "arlington",
        "name": "Arlington",
        "order": 2,
        "street": "2450 Great Southwest Commons, Suite 105",
        "city": "Arlington",
        "postal_code": "76011",
        "phone": "(817) 555-0176",
        "email": "arlington@trinitycareer.example",
        "admissions_email": "admissions.arlington@trinitycareer.example",
        "summary": "Our Arlington campus is built for working adults: day classes and "
        "evening classes four nights a week, with a patient-care lab, a phlebotomy lab "
        "and plenty of free parking.",
        "hours": "Monday to Thursday: 8:00 am to 10:30 pm\n"
        "Friday: 8:00 am to 5:00 pm\n"
        "Saturday and Sunday: closed",
        "parking": "Free surface parking in front of the building, lit until 11:00 pm for "
        "evening students.\n\nAccessible spaces are beside the main entrance.",
        "transit": "Arlington has no fixed-route city bus. The city's on-demand rideshare "
        "service, operated by Via, picks you up and drops you off anywhere in Arlington; "
        "book a ride in the Via app or by phone.\n\n"
        "Coming from Dallas or Fort Worth? Take the Trinity Railway Express (TRE) to "
        "CentrePort/DFW Airport Station and connect with Via. Check the City of "
        "Arlington's website for current fares and hours.",
        "map_url": "https://www.openstreetmap.org/search?query=Arlington%2C%20Texas",
        "photo_alt": "Illustration of the Arlington campus: a two-storey white building with "
        "a yellow entrance, trees and a parking lot.",
    },
]

TUITION_INCLUDES = {
    "clinical": [
        "Textbooks and e-books",
        "Two sets of scrubs",
        "Lab supplies and practice equipment",
        "American Heart Association BLS (CPR) card",
        "First attempt at one certification exam",
        "Background check and drug screen for the externship",
    ],
    "admin": [
        "Textbooks and e-books",
        "Practice-management and EHR software access",
        "Two sets of scrubs for the externship",
        "First attempt at one certification exam",
        "Background check for the externship",
    ],
}

REQUIREMENTS = {
    "clinical": [
        "High school diploma, GED or equivalent",
        "At least 18 years old by the start date",
        "Interview with an admissions advisor",
        "Immunizations before the externship: hepatitis B, MMR, varicella, a TB test and a "
        "current flu shot",
        "Criminal background check and drug screen before the externship",
        "Government-issued photo ID",
    ],
    "admin": [
        "High school diploma, GED or equivalent",
        "At least 18 years old by the start date",
        "Interview with an admissions advisor",
        "Basic computer skills (we check them at the interview)",
        "Criminal background check before the externship",
        "Government-issued photo ID",
    ],
}

FINANCIAL_AID = (
    "Tuition can be paid in interest-free monthly installments during the program.\n\n"
    "Eligible students may receive workforce training funds through their local Workforce "
    "Solutions board (Greater Dallas or Tarrant County), and veterans may be able to use "
    "their education benefits. An admissions advisor goes through the options with you "
    "before you enroll."
)

ACCREDITATION = (
    "Demo content: a real school names here its institutional accreditor (for example ABHES) "
    "and confirms its Texas Workforce Commission approval. Trinity Career Institute is fictional."
)

OUTCOME_SOURCE = "School annual report to the Texas Workforce Commission (demo figures)"

# slug: program data; courses are (code, title, hours, description, is_externship)
PROGRAMS = [
    {
        "slug": "medical-assisting-nutrition-weight-management",
        "title": "Medical Assisting with Nutrition and Weight Management",
        "field": Field.CLINICAL,
        "order": 1,
        "featured": True,
        "summary": "Train as a clinical and administrative medical assistant, with added "
        "coursework in nutrition and weight-management coaching for primary care, "
        "bariatric and wellness practices.",
        "description": "Medical assistants keep a practice running: they take histories and "
        "vital signs, help with exams, draw blood, give injections as delegated by the "
        "physician, and keep records and schedules in order. This program adds what "
        "weight-management and wellness clinics ask for: the basics of nutrition, how to "
        "take body measurements, and how to coach patients through a care plan.\n\n"
        "You practise every skill in our labs before your externship, then finish with "
        "160 hours in a working clinic.",
        "credential_awarded": "Diploma",
        "clock_hours": 800,
        "length_weeks": 40,
        "externship_hours": 160,
        "tuition": "15950",
        "kind": "clinical",
        "certifications": ["ccma", "rma", "cpt"],
        "roles": ["medical-assistant", "clinical-medical-assistant"],
        "courses": [
            (
                "MA101",
                "Healthcare foundations and medical terminology",
                60,
                "The language of medicine, the healthcare team, and professional conduct.",
            ),
            (
                "MA110",
                "Anatomy and physiology",
                80,
                "Body systems and the common conditions seen in outpatient care.",
            ),
            (
                "MA120",
                "Clinical procedures",
                100,
                "Vital signs, patient histories, assisting with exams, infection control.",
            ),
            (
                "MA130",
                "Phlebotomy and laboratory procedures",
                80,
                "Venipuncture, capillary sticks, specimen handling, CLIA-waived tests.",
            ),
            (
                "MA140",
                "Pharmacology and medication administration",
                70,
                "Drug classes, dosage calculations, injections as delegated.",
            ),
            (
                "MA150",
                "EKG and cardiopulmonary procedures",
                50,
                "12-lead EKG, spirometry and pulse oximetry.",
            ),
            (
                "MA160",
                "Nutrition and weight-management coaching",
                80,
                "Nutrition basics, body measurements, motivational interviewing, care plans.",
            ),
            (
                "MA170",
                "Medical office administration and EHR",
                60,
                "Scheduling, insurance verification, electronic health records, HIPAA.",
            ),
            (
                "MA180",
                "Certification review and career readiness",
                60,
                "Practice exams, résumé, interview skills.",
            ),
            (
                "MA190",
                "Clinical externship",
                160,
                "160 hours in a physician's office, clinic or wellness practice, supervised by its staff.",
                True,
            ),
        ],
        "offerings": [
            ("dallas", Schedule.DAY, "Monday to Thursday", "8:00 am to 1:00 pm", None, 8),
            ("arlington", Schedule.DAY, "Monday to Thursday", "8:30 am to 1:30 pm", None, 8),
            (
                "arlington",
                Schedule.EVENING,
                "Monday to Thursday",
                "6:00 pm to 10:00 pm",
                "16450",
                10,
            ),
        ],
        "outcomes": [
            (1, 81.5, 78.0, 84.0, "CCMA"),
            (2, 79.0, 76.5, 82.0, "CCMA"),
            (3, 77.2, 74.0, 80.5, "CCMA"),
        ],
    },
    {
        "slug": "medical-administrative-assistant",
        "title": "Medical Administrative Assistant",
        "field": Field.HEALTH_ADMIN,
        "order": 2,
        "featured": True,
        "summary": "Run the front office of a clinic: scheduling, electronic health records, "
        "insurance verification, referrals and patient communication.",
        "description": "Administrative medical assistants are the first person patients "
        "meet and the people who keep the schedule, the records and the insurance "
        "paperwork moving. In an urgent care clinic you may handle work injuries and "
        "workers' compensation; in a specialty practice, referrals in and out.\n\n"
        "You train on practice-management and EHR software, then spend 120 hours in a "
        "real front office.",
        "credential_awarded": "Diploma",
        "clock_hours": 600,
        "length_weeks": 30,
        "externship_hours": 120,
        "tuition": "12450",
        "kind": "admin",
        "certifications": ["cmaa", "maac"],
        "roles": ["administrative-medical-assistant", "medical-assistant"],
        "courses": [
            ("MOA101", "Medical terminology and anatomy", 80, ""),
            (
                "MOA110",
                "Front-office procedures and patient communication",
                80,
                "Check-in, scheduling, phone and portal messages, difficult conversations.",
            ),
            (
                "MOA120",
                "Electronic health records",
                80,
                "Charting, orders, results and patient portals in a training EHR.",
            ),
            (
                "MOA130",
                "Insurance, billing basics and referrals",
                80,
                "Eligibility checks, prior authorizations, referrals, co-pays.",
            ),
            ("MOA140", "HIPAA, ethics and workers' compensation", 60, ""),
            ("MOA150", "Computer skills and medical keyboarding", 60, ""),
            ("MOA160", "Certification review and career readiness", 40, ""),
            (
                "MOA190",
                "Front-office externship",
                120,
                "120 hours at a clinic's front desk, supervised by its office manager.",
                True,
            ),
        ],
        "offerings": [
            ("dallas", Schedule.DAY, "Monday to Thursday", "9:00 am to 2:00 pm", None, 10),
            ("arlington", Schedule.EVENING, "Monday to Thursday", "6:00 pm to 10:00 pm", None, 10),
        ],
        "outcomes": [(1, 84.0, 80.5, 88.0, "CMAA"), (2, 82.5, 79.0, 86.0, "CMAA")],
    },
    {
        "slug": "medical-billing-and-coding",
        "title": "Medical Billing and Coding",
        "field": Field.HEALTH_ADMIN,
        "order": 3,
        "featured": True,
        "summary": "Learn ICD-10-CM, CPT and HCPCS coding, claims and the revenue cycle, "
        "and prepare for an entry-level coding certification.",
        "description": "Coders turn a patient visit into the codes insurers pay on; billers "
        "follow the claim until it is paid. Both need an eye for detail, a good grasp of "
        "anatomy and the coding manuals, and the patience to fix denials.\n\n"
        "The program ends with a 90-hour practicum coding real (de-identified) charts.",
        "credential_awarded": "Diploma",
        "clock_hours": 720,
        "length_weeks": 36,
        "externship_hours": 90,
        "tuition": "13950",
        "kind": "admin",
        "certifications": [],
        "roles": ["medical-billing-coding-specialist"],
        "courses": [
            ("MBC101", "Medical terminology", 60, ""),
            ("MBC110", "Anatomy, physiology and disease processes", 100, ""),
            ("MBC120", "ICD-10-CM diagnosis coding", 120, ""),
            ("MBC130", "CPT and HCPCS procedure coding", 120, ""),
            ("MBC140", "Health insurance and reimbursement", 100, ""),
            ("MBC150", "Revenue cycle, claims and denials", 60, ""),
            ("MBC160", "Compliance, HIPAA and auditing", 40, ""),
            ("MBC170", "Coding certification review", 30, ""),
            (
                "MBC190",
                "Coding practicum",
                90,
                "90 hours coding de-identified charts with a billing office, reviewed by a certified coder.",
                True,
            ),
        ],
        "offerings": [
            (
                "dallas",
                Schedule.HYBRID,
                "Online Monday to Wednesday, on campus Thursday",
                "9:00 am to 2:00 pm",
                None,
                12,
            ),
            ("arlington", Schedule.EVENING, "Monday to Thursday", "6:00 pm to 10:00 pm", None, 12),
        ],
        "outcomes": [(1, 80.0, 72.5, None, ""), (2, 78.5, 70.0, None, "")],
    },
    {
        "slug": "phlebotomy-technician",
        "title": "Phlebotomy Technician",
        "field": Field.CLINICAL,
        "order": 4,
        "featured": True,
        "summary": "A short, hands-on program in drawing blood safely, handling specimens "
        "and working with patients, with a clinical externship.",
        "description": "Phlebotomy technicians draw blood in hospitals, labs, clinics and "
        "blood banks. You practise venipuncture and capillary collection in our lab until "
        "you are confident, learn to label, process and transport specimens correctly, "
        "and then complete your draws on site.\n\n"
        "The externship lets you document the live draws the NHA's CPT exam asks for.",
        "credential_awarded": "Certificate",
        "clock_hours": 240,
        "length_weeks": 12,
        "externship_hours": 80,
        "tuition": "3950",
        "kind": "clinical",
        "certifications": ["cpt"],
        "roles": ["phlebotomy-technician"],
        "courses": [
            ("PHL101", "Healthcare, safety and infection control", 30, ""),
            ("PHL110", "Circulatory system and patient identification", 30, ""),
            (
                "PHL120",
                "Venipuncture and capillary collection lab",
                80,
                "Supervised practice until every technique is signed off.",
            ),
            ("PHL130", "Specimen handling and processing", 20, ""),
            (
                "PHL190",
                "Clinical externship",
                80,
                "80 hours at a lab or clinic; you document at least 30 venipunctures and 10 capillary sticks.",
                True,
            ),
        ],
        "offerings": [
            ("dallas", Schedule.DAY, "Monday to Thursday", "8:00 am to 12:30 pm", None, 4),
            ("dallas", Schedule.WEEKEND, "Saturday and Sunday", "8:00 am to 4:30 pm", None, 6),
            ("arlington", Schedule.EVENING, "Monday to Thursday", "6:00 pm to 10:00 pm", None, 4),
        ],
        "outcomes": [(1, 88.0, 79.5, 90.0, "CPT"), (2, 86.5, 77.0, 88.5, "CPT")],
    },
    {
        "slug": "ekg-technician",
        "title": "EKG Technician",
        "field": Field.CLINICAL,
        "order": 5,
        "featured": False,
        "summary": "Perform 12-lead EKGs, set up Holter monitors and recognise the common "
        "heart rhythms, in a ten-week day program.",
        "description": "EKG technicians record the heart's electrical activity for "
        "physicians in hospitals, cardiology practices and clinics. You learn the heart's "
        "anatomy and conduction, place leads correctly every time, spot the rhythms that "
        "need a nurse right away, and assist with stress tests.",
        "credential_awarded": "Certificate",
        "clock_hours": 200,
        "length_weeks": 10,
        "externship_hours": 40,
        "tuition": "3450",
        "kind": "clinical",
        "certifications": ["cet"],
        "roles": ["ekg-technician"],
        "courses": [
            ("EKG101", "Heart anatomy and electrophysiology", 40, ""),
            ("EKG110", "12-lead EKG lab", 60, ""),
            ("EKG120", "Rhythm recognition", 40, ""),
            ("EKG130", "Holter monitoring and stress testing", 20, ""),
            (
                "EKG190",
                "Clinical externship",
                40,
                "40 hours in a cardiology practice or hospital unit.",
                True,
            ),
        ],
        "offerings": [
            ("dallas", Schedule.DAY, "Monday to Thursday", "1:30 pm to 5:30 pm", None, 6),
        ],
        "outcomes": [(1, 90.5, 74.0, 87.0, "CET")],
    },
    {
        "slug": "patient-care-technician",
        "title": "Patient Care Technician",
        "field": Field.CLINICAL,
        "order": 6,
        "featured": True,
        "summary": "Bedside patient care plus phlebotomy and EKG skills for hospitals, "
        "dialysis centers and long-term care.",
        "description": "Patient care technicians work alongside nurses: they help patients "
        "move, bathe and eat, take vital signs, draw blood and run EKGs. Hospitals value "
        "technicians who can do all three.\n\n"
        "The program ends with 120 hours on a hospital or long-term-care unit.",
        "credential_awarded": "Diploma",
        "clock_hours": 560,
        "length_weeks": 28,
        "externship_hours": 120,
        "tuition": "11950",
        "kind": "clinical",
        "certifications": ["cpt", "cet"],
        "roles": [],
        "courses": [
            ("PCT101", "Patient care fundamentals", 100, ""),
            ("PCT110", "Vital signs and basic nursing skills", 80, ""),
            ("PCT120", "Phlebotomy", 80, ""),
            ("PCT130", "EKG", 60, ""),
            ("PCT140", "BLS (CPR) and patient safety", 20, ""),
            ("PCT150", "Rehabilitation and restorative care", 40, ""),
            ("PCT160", "Certification review and career readiness", 60, ""),
            (
                "PCT190",
                "Clinical externship",
                120,
                "120 hours on a hospital or long-term-care unit.",
                True,
            ),
        ],
        "offerings": [
            ("arlington", Schedule.DAY, "Monday to Thursday", "8:00 am to 1:00 pm", None, 8),
            ("arlington", Schedule.EVENING, "Monday to Thursday", "6:00 pm to 10:00 pm", None, 8),
        ],
        "outcomes": [(1, 83.0, 81.0, None, ""), (2, 80.5, 78.5, None, "")],
    },
    {
        "slug": "pharmacy-technician",
        "title": "Pharmacy Technician",
        "field": Field.CLINICAL,
        "order": 7,
        "featured": False,
        "summary": "Prepare for work in retail and hospital pharmacies: medications, "
        "calculations, pharmacy law and sterile compounding basics.",
        "description": "Pharmacy technicians fill prescriptions, manage inventory, process "
        "insurance claims and, in hospitals, help prepare sterile products under a "
        "pharmacist's supervision. Texas requires pharmacy technicians to register with "
        "the Texas State Board of Pharmacy; admissions explain the steps.",
        "credential_awarded": "Diploma",
        "clock_hours": 520,
        "length_weeks": 26,
        "externship_hours": 120,
        "tuition": "10950",
        "kind": "clinical",
        "certifications": [],
        "roles": [],
        "courses": [
            ("PHT101", "Pharmacy law and ethics", 50, ""),
            ("PHT110", "Pharmacology", 100, ""),
            ("PHT120", "Pharmacy calculations", 70, ""),
            ("PHT130", "Community pharmacy practice", 70, ""),
            ("PHT140", "Hospital practice and sterile compounding", 60, ""),
            ("PHT150", "Certification review", 50, ""),
            (
                "PHT190",
                "Pharmacy externship",
                120,
                "120 hours in a retail or hospital pharmacy.",
                True,
            ),
        ],
        "offerings": [
            ("dallas", Schedule.DAY, "Monday to Thursday", "8:30 am to 1:30 pm", None, 8),
        ],
        "outcomes": [(1, 85.0, 76.0, None, "")],
    },
]

DISCLOSURES = [
    {
        "slug": "state-approval",
        "title": "State approval",
        "order": 1,
        "body": "This is a demonstration web site. Trinity Career Institute, its campuses, "
        "programs, people and figures are fictional, and the school holds no approval "
        "or accreditation.\n\n"
        "A career school operating in Texas must be approved and regulated by the Texas "
        "Workforce Commission (TWC), Career Schools and Colleges, and would state that "
        "approval here, for each of its campuses. Before enrolling, students receive the "
        "program's details, tuition and fees, completion and employment rates, attendance "
        "and refund policies, and the complaint procedure below.",
        "footer_text": "Demo site: Trinity Career Institute is fictional. Texas career schools "
        "are approved and regulated by the Texas Workforce Commission, Career Schools and "
        "Colleges.",
    },
    {
        "slug": "student-complaints",
        "title": "Student complaints",
        "order": 2,
        "body": "If something is not right, tell us. Most concerns are solved quickly by "
        "talking with your instructor or the campus director.\n\n"
        "If that does not settle it, put the complaint in writing to the campus director, "
        "by e-mail or on paper. We acknowledge it within two business days and answer in "
        "writing within ten business days, saying what we found and what we will do. You "
        "will not be treated differently for complaining.\n\n"
        "If you are not satisfied with our answer, or at any time if you prefer, you can "
        "file a complaint with the Texas Workforce Commission, Career Schools and "
        "Colleges, which oversees career schools in Texas. TWC explains how to file a "
        "student complaint, and provides the form, on its web site: https://www.twc.texas.gov/\n\n"
        "(Demo text written for this fictional school. A real school copies the exact "
        "notice TWC requires and keeps its contact details current.)",
        "footer_text": "Students may bring a complaint to the school and, if it is not "
        "resolved, to the Texas Workforce Commission, Career Schools and Colleges.",
    },
]

SAMPLE_INQUIRIES = [
    (
        "maria.lopez@example.com",
        "Maria Lopez",
        "(214) 555-0190",
        "medical-assisting-nutrition-weight-management",
        "dallas",
        "phone",
        Inquiry.Status.NEW,
        "Can I start in the next class? I work afternoons.",
    ),
    (
        "dwayne.carter@example.com",
        "Dwayne Carter",
        "",
        "phlebotomy-technician",
        "arlington",
        "email",
        Inquiry.Status.CONTACTED,
        "Do you have evening classes?",
    ),
    (
        "anh.nguyen@example.com",
        "Anh Nguyen",
        "(817) 555-0133",
        "patient-care-technician",
        "arlington",
        "text",
        Inquiry.Status.APPLIED,
        "",
    ),
    (
        "sam.wilson@example.com",
        "Sam Wilson",
        "",
        None,
        "dallas",
        "email",
        Inquiry.Status.NEW,
        "Not sure which program fits me: billing or medical assisting?",
    ),
]

# Cohorts start on Mondays counted from a fixed epoch, so reloading weeks later reuses the
# same dates instead of creating near-duplicates.
EPOCH = date(2024, 1, 1)  # a Monday
PAST_DAYS = 70
HORIZON_DAYS = 365


def _start_dates(*, every_weeks, offset_weeks, today):
    step = timedelta(weeks=every_weeks)
    first = EPOCH + timedelta(weeks=offset_weeks)
    earliest = today - timedelta(days=PAST_DAYS)
    k = max(0, (earliest - first).days // step.days)
    current = first + k * step
    while current <= today + timedelta(days=HORIZON_DAYS):
        if current >= earliest:
            yield current
        current += step


def _status(*, start, today, position):
    if start < today:
        return Cohort.Status.CLOSED
    # A believable mix: the nearest start of some offerings is full or on a waitlist.
    if position == 0:
        statuses = (
            Cohort.Status.FULL,
            Cohort.Status.WAITLIST,
            Cohort.Status.OPEN,
            Cohort.Status.OPEN,
        )
        return statuses[start.toordinal() % len(statuses)]
    return Cohort.Status.OPEN


def _save_image(obj, field_name, draw, name):
    """Draw and attach an illustration unless the object already has its image file."""
    field_file = getattr(obj, field_name)
    if field_file and default_storage.exists(field_file.name):
        return False
    # Assigning a file runs the upload pipeline on save: checks, EXIF removal, renditions.
    setattr(obj, field_name, ContentFile(draw(), name=name))
    obj.save()
    return True


def _load_campuses():
    campuses = {}
    for data in CAMPUSES:
        data = dict(data)
        slug = data.pop("slug")
        campus, _ = Campus.objects.update_or_create(slug=slug, defaults=data)
        campuses[slug] = campus
    return campuses


def _load_program(data, campuses, today):
    data = dict(data)
    slug = data.pop("slug")
    kind = data.pop("kind")
    courses = data.pop("courses")
    offerings = data.pop("offerings")
    outcomes = data.pop("outcomes")
    cert_slugs = data.pop("certifications")
    role_slugs = data.pop("roles")
    defaults = {
        **data,
        "tuition": Decimal(data["tuition"]),
        "tuition_includes": "\n".join(TUITION_INCLUDES[kind]),
        "admission_requirements": "\n".join(REQUIREMENTS[kind]),
        "financial_aid": FINANCIAL_AID,
        "accreditation": ACCREDITATION,
        "hero_alt": f"Illustration for the {data['title']} program in the school's navy, teal "
        "and amber colours.",
        "published": True,
    }
    program, _ = Program.objects.update_or_create(slug=slug, defaults=defaults)

    # Link only what the careers demo created (it may not exist on every branch).
    program.certifications.set(Certification.objects.filter(slug__in=cert_slugs))
    program.roles.set(Role.objects.filter(slug__in=role_slugs))

    orders = []
    for order, course in enumerate(courses, start=1):
        code, title, hours, description, *rest = course
        Course.objects.update_or_create(
            program=program,
            order=order,
            defaults={
                "code": code,
                "title": title,
                "hours": hours,
                "description": description,
                "is_externship": bool(rest and rest[0]),
            },
        )
        orders.append(order)
    program.courses.exclude(order__in=orders).delete()

    this_year = today.year
    for years_back, completion, placement, exam, exam_name in outcomes:
        year = this_year - years_back
        Outcome.objects.update_or_create(
            program=program,
            year=year,
            defaults={
                "completion_rate": Decimal(str(completion)),
                "placement_rate": Decimal(str(placement)),
                "exam_pass_rate": Decimal(str(exam)) if exam is not None else None,
                "exam_name": exam_name,
                "source": OUTCOME_SOURCE,
                "note": f"Students who started between July {year - 1} and June {year}.",
            },
        )

    cohorts = 0
    for index, (campus_slug, schedule, days, times, tuition, every_weeks) in enumerate(offerings):
        offering, _ = Offering.objects.update_or_create(
            program=program,
            campus=campuses[campus_slug],
            schedule=schedule,
            defaults={
                "class_days": days,
                "class_times": times,
                "tuition_override": Decimal(tuition) if tuition else None,
                "active": True,
            },
        )
        # Evening and weekend classes meet fewer hours a week, so they take longer.
        weeks = program.length_weeks + (
            program.length_weeks // 4 if schedule in {Schedule.EVENING, Schedule.WEEKEND} else 0
        )
        upcoming = 0
        for start in _start_dates(
            every_weeks=every_weeks, offset_weeks=index + program.order, today=today
        ):
            status = _status(start=start, today=today, position=upcoming)
            if start >= today:
                upcoming += 1
            _, created = Cohort.objects.get_or_create(
                offering=offering,
                start_date=start,
                defaults={
                    "graduation_date": start + timedelta(weeks=weeks) - timedelta(days=3),
                    "seats": 18 if schedule == Schedule.EVENING else 24,
                    "status": status,
                },
            )
            cohorts += created
    return program, cohorts


def load(*, stdout, style, with_accounts, reset_passwords=False, **kwargs):
    today = timezone.localdate()
    campuses = _load_campuses()
    images = 0
    for slug, campus in campuses.items():
        images += _save_image(
            campus, "photo", lambda slug=slug: demo_images.campus_image(slug), f"{slug}-campus.jpg"
        )

    programs, new_cohorts = {}, 0
    for data in PROGRAMS:
        program, created = _load_program(data, campuses, today)
        programs[program.slug] = program
        new_cohorts += created
        images += _save_image(
            program,
            "hero_image",
            lambda slug=program.slug: demo_images.program_image(slug),
            f"{program.slug}.jpg",
        )

    for data in DISCLOSURES:
        data = dict(data)
        Disclosure.objects.update_or_create(slug=data.pop("slug"), defaults=data)

    for email, name, phone, program_slug, campus_slug, method, status, message in SAMPLE_INQUIRIES:
        Inquiry.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "phone": phone,
                "program": programs.get(program_slug),
                "campus": campuses[campus_slug],
                "contact_method": method,
                "status": status,
                "message": message,
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

"""Demo career content: certifying bodies, certifications with their path templates, roles,
workplace factors and the "What does a medical assistant do?" guide.

Facts come from /shared/content/FACTS.md, written in the site's own words. Each fact keeps
its source and the date it was checked; where sources disagree the record is flagged
``needs_confirmation`` and the site asks readers to confirm with the certifying body.

Idempotent: rows are matched by slug (children by their parent and order, category or
anchor) and updated in place, so running it twice leaves the same rows.
"""

from datetime import date
from decimal import Decimal

from careers.models import (
    CareerGuide,
    Certification,
    CertifyingBody,
    Duty,
    GuideSection,
    LaborFigure,
    PathStepTemplate,
    Role,
    Track,
    WorkplaceFactor,
    WorkPreference,
)

# When the facts below were last checked against their sources.
CHECKED = date(2026, 11, 2)

AAMA_URL = "https://www.aama-ntl.org/"
AMT_URL = "https://americanmedtech.org/"
NHA_URL = "https://www.nhanow.com/"
AMCA_URL = "https://www.amcaexams.com/"
BLS_URL = "https://www.bls.gov/ooh/healthcare/medical-assistants.htm"
TCC_URL = "https://texascareercheck.com/"
ONET_URL = "https://www.onetonline.org/link/summary/31-9092.00"
PROJECTIONS_URL = "https://projectionscentral.org/"

BODIES = [
    {
        "slug": "aama",
        "acronym": "AAMA",
        "name": "American Association of Medical Assistants",
        "website": AAMA_URL,
    },
    {
        "slug": "amt",
        "acronym": "AMT",
        "name": "American Medical Technologists",
        "website": AMT_URL,
    },
    {
        "slug": "nha",
        "acronym": "NHA",
        "name": "National Healthcareer Association",
        "website": NHA_URL,
    },
    {
        "slug": "amca",
        "acronym": "AMCA",
        "name": "American Medical Certification Association",
        "website": AMCA_URL,
    },
]


# --- Path templates -------------------------------------------------------------------
# Kinds: check, count (target + unit), date, evidence. Milestones drive the portal's
# status: eligible, exam_scheduled, exam_passed, credential, renewal (not counted toward
# certification progress). Due days count from the cohort's start date.

K = PathStepTemplate.Kind
M = PathStepTemplate.Milestone


def _coursework(program_kind, due):
    return {
        "title": "Complete your coursework",
        "kind": K.CHECK,
        "requires_verification": True,
        "student_can_complete": False,
        "due_days_after_start": due,
        "help_text": (
            f"Pass every course of your {program_kind} program. Your instructor confirms "
            "this once final grades are posted."
        ),
    }


def _externship(hours, due):
    return {
        "title": f"Complete the {hours}-hour externship",
        "kind": K.COUNT,
        "target": hours,
        "unit": "hours",
        "requires_verification": True,
        "student_can_complete": True,
        "due_days_after_start": due,
        "help_text": (
            "Log your hours at the clinic each week. Your externship coordinator checks "
            "them against the site supervisor's timesheet."
        ),
    }


CPR_CARD = {
    "title": "Upload your CPR/BLS card",
    "kind": K.EVIDENCE,
    "requires_verification": True,
    "student_can_complete": True,
    "due_days_after_start": 120,
    "help_text": (
        "Upload both sides of a current CPR/BLS card (for example from the American Heart "
        "Association). Cards are valid for 2 years, through the end of the month issued."
    ),
}


def _eligibility(body, how):
    return {
        "title": "Eligibility approved",
        "kind": K.CHECK,
        "milestone": M.ELIGIBLE,
        "requires_verification": True,
        "student_can_complete": False,
        "help_text": f"{how} Staff mark this step once {body} confirms you may sit the exam.",
    }


def _exam_date(body, due):
    return {
        "title": "Exam date",
        "kind": K.DATE,
        "milestone": M.EXAM_SCHEDULED,
        "requires_verification": False,
        "student_can_complete": True,
        "due_days_after_start": due,
        "help_text": (
            f"Book your exam with {body} and enter the date here: we send you reminders "
            "and it appears in your calendar feed."
        ),
    }


def _exam_passed(acronym):
    return {
        "title": "Exam passed",
        "kind": K.EVIDENCE,
        "milestone": M.EXAM_PASSED,
        "requires_verification": True,
        "student_can_complete": True,
        "help_text": (
            f"Upload your {acronym} score report. Staff verify it before the credential "
            "is recorded."
        ),
    }


def _credential(acronym):
    return {
        "title": "Credential recorded",
        "kind": K.CHECK,
        "milestone": M.CREDENTIAL,
        "requires_verification": True,
        "student_can_complete": False,
        "help_text": (
            f"Staff record your {acronym} credential number, issue date and expiry date. "
            "It then appears under your credentials, with renewal reminders."
        ),
    }


def _continuing_education(credits, unit, how):
    return {
        "title": "Continuing education",
        "kind": K.COUNT,
        "target": credits,
        "unit": unit,
        "milestone": M.RENEWAL,
        "requires_verification": True,
        "student_can_complete": True,
        "help_text": how,
    }


def _nha_path(acronym, program_kind, extra_training_steps=(), exam_due=300):
    return [
        _coursework(program_kind, 200),
        *extra_training_steps,
        _eligibility(
            "NHA",
            "We confirm your training with NHA when you register for the exam.",
        ),
        _exam_date("NHA", exam_due),
        _exam_passed(acronym),
        _credential(acronym),
        _continuing_education(
            10,
            "CE credits",
            "Earn 10 continuing-education credits in each 2-year cycle and renew with NHA "
            "before your expiry date. Log each course here with its certificate.",
        ),
    ]


# --- Certifications ---------------------------------------------------------------------

CERTIFICATIONS = [
    {
        "slug": "cma",
        "body": "aama",
        "acronym": "CMA",
        "name": "Certified Medical Assistant",
        "track": Track.CLINICAL,
        "is_medical_assistant": True,
        "order": 1,
        "summary": (
            "The CMA (AAMA) is awarded by the Certifying Board of the American Association of "
            "Medical Assistants. It is one of the best-known medical assistant credentials "
            "and is open to graduates of accredited medical assisting programs."
        ),
        "eligibility_summary": (
            "Graduate of a CAAHEP- or ABHES-accredited medical assisting program (students "
            "may apply within 30 days of finishing)."
        ),
        "exam_questions": "200 multiple-choice",
        "exam_minutes": 160,
        "exam_format": "Four 40-minute segments.",
        "renewal_months": 60,
        "expiry_rule": Certification.ExpiryRule.FROM_END_OF_MONTH,
        "renewal_summary": (
            "Recertify every 60 months, counted from the end of the month you certified, "
            "either by retaking the exam or by earning 60 continuing-education points: 10 "
            "administrative, 10 clinical, 10 general and 30 in any category, with at least "
            "30 of them approved by the AAMA. A credential lapsed for more than 90 days can "
            "only be renewed by retaking the exam."
        ),
        "ce_credits_required": 60,
        "ce": [
            ("administrative", "administrative points", 10),
            ("clinical", "clinical points", 10),
            ("general", "general points", 10),
            ("any", "points in any category", 30),
        ],
        "source_name": "AAMA: CMA exam, eligibility and recertification",
        "source_url": AAMA_URL,
        "routes": [
            {
                "name": "Recent graduates and students about to graduate",
                "description": (
                    "Graduates of a medical assisting program accredited by CAAHEP or ABHES. "
                    "Students may apply up to 30 days before they complete the program."
                ),
            },
            {
                "name": "Earlier graduates, recertifying CMAs and the alternative pathway",
                "description": (
                    "The AAMA has further categories for earlier graduates of accredited "
                    "programs, for CMAs recertifying by exam, and an alternative pathway. "
                    "Check the current rules with the AAMA before applying."
                ),
            },
        ],
        "steps": [
            _coursework("medical assisting", 200),
            _externship(160, 250),
            CPR_CARD,
            _eligibility(
                "the AAMA",
                "Apply to the AAMA with proof that you finished (or will finish within 30 "
                "days) an accredited program.",
            ),
            _exam_date("the AAMA", 300),
            _exam_passed("CMA"),
            _credential("CMA (AAMA)"),
            _continuing_education(
                60,
                "CE points",
                "Recertify every 60 months: 10 administrative, 10 clinical, 10 general and "
                "30 points in any category, at least 30 of them AAMA-approved. Log each "
                "course here with its category.",
            ),
        ],
    },
    {
        "slug": "rma",
        "body": "amt",
        "acronym": "RMA",
        "name": "Registered Medical Assistant",
        "track": Track.CLINICAL,
        "is_medical_assistant": True,
        "order": 2,
        "summary": (
            "The RMA (AMT) is awarded by American Medical Technologists. Besides the "
            "education route it offers routes for military training, work experience, "
            "apprenticeships and instructors."
        ),
        "eligibility_summary": (
            "Graduate within the last 4 years of a program of at least 720 clock hours "
            "including a 160-hour externship; other routes for military, work experience, "
            "apprentices and instructors."
        ),
        "exam_questions": "About 210",
        "exam_minutes": 120,
        "exam_format": (
            "Taken at your school, at a Pearson VUE test centre, or online with a remote proctor."
        ),
        "renewal_months": 36,
        "expiry_rule": Certification.ExpiryRule.FROM_ISSUE_DATE,
        "renewal_summary": (
            "Pay AMT's annual fee and complete the Certification Continuation Program every "
            "3 years: 30 points earned inside the 3-year cycle. Points do not carry over to "
            "the next cycle, and AMT audits members at random."
        ),
        "ce_credits_required": 30,
        "ce": [("any", "CCP points", 30)],
        "source_name": "AMT: RMA eligibility and Certification Continuation Program",
        "source_url": AMT_URL,
        "routes": [
            {
                "name": "Education",
                "description": (
                    "Graduated within the last 4 years from a medical assisting program of at "
                    "least 720 clock hours, including a 160-hour externship."
                ),
            },
            {
                "name": "Military",
                "description": (
                    "Medical training completed in the U.S. armed forces: AMT lists the "
                    "qualifying courses."
                ),
            },
            {
                "name": "Work experience",
                "description": (
                    "Sources disagree: one says 5 of the last 7 years working as a medical "
                    "assistant, another 3 of the last 7 years plus a current CPR card."
                ),
                "needs_confirmation": True,
            },
            {
                "name": "Apprenticeship",
                "description": "Completion of a registered medical assistant apprenticeship.",
            },
            {
                "name": "Instructors",
                "description": "Experienced instructors of medical assisting programs.",
            },
        ],
        "steps": [
            _coursework("medical assisting", 200),
            _externship(160, 250),
            CPR_CARD,
            _eligibility(
                "AMT",
                "Apply to AMT through the education route with your transcript showing at "
                "least 720 clock hours and your completed externship.",
            ),
            _exam_date("AMT or Pearson VUE", 300),
            _exam_passed("RMA"),
            _credential("RMA (AMT)"),
            _continuing_education(
                30,
                "CCP points",
                "Complete AMT's Certification Continuation Program: 30 points within each "
                "3-year cycle (no carry-over), and pay the annual fee.",
            ),
        ],
    },
    {
        "slug": "cmaa",
        "body": "nha",
        "acronym": "CMAA",
        "name": "Certified Medical Administrative Assistant",
        "track": Track.ADMINISTRATIVE,
        "is_medical_assistant": True,
        "order": 3,
        "summary": (
            "The CMAA (NHA) is the National Healthcareer Association's credential for "
            "front-office work in healthcare: scheduling, records and patient accounts."
        ),
        "eligibility_summary": (
            "High school diploma or GED plus a training program completed within the last 5 "
            "years, or 1 year of supervised work experience within the last 3 years."
        ),
        "exam_questions": "About 110 scored + 20-25 pretest",
        "exam_minutes": 130,
        "exam_format": "The pretest questions are not scored.",
        "renewal_months": 24,
        "renewal_summary": "Renew every 2 years with 10 continuing-education credits.",
        "ce_credits_required": 10,
        "ce": [("any", "CE credits", 10)],
        "source_name": "NHA: CMAA certification and continuing education",
        "source_url": NHA_URL,
        "routes": [
            {
                "name": "Training program",
                "description": (
                    "High school diploma or GED, and a medical administrative training program "
                    "completed within the last 5 years."
                ),
            },
            {
                "name": "Work experience",
                "description": (
                    "High school diploma or GED, and 1 year of supervised work in the field "
                    "within the last 3 years."
                ),
            },
        ],
        "steps": _nha_path("CMAA", "medical administrative"),
    },
    {
        "slug": "maac",
        "body": "amca",
        "acronym": "MAAC",
        "name": "Medical Administrative Assistant Certification",
        "alternate_names": "CMAAC",
        "needs_confirmation": True,
        "track": Track.ADMINISTRATIVE,
        "is_medical_assistant": True,
        "order": 4,
        "summary": (
            "The American Medical Certification Association's administrative credential. We "
            "call it MAAC; an AMCA page also lists it as CMAAC, so check the current name "
            "with AMCA."
        ),
        "eligibility_summary": (
            "Age 17 or older, a high school diploma (or working toward one), acceptance of "
            "AMCA's code of ethics, and a qualifying program at an AMCA-approved site or "
            "another pathway."
        ),
        "exam_questions": "",
        "exam_minutes": None,
        "exam_format": "Question count and length: confirm with AMCA.",
        "exam_needs_confirmation": True,
        "renewal_months": 24,
        "renewal_summary": "Renew every 2 years with 10 continuing-education credits.",
        "ce_credits_required": 10,
        "ce": [("any", "CE credits", 10)],
        "source_name": "AMCA: eligibility and staying certified",
        "source_url": AMCA_URL,
        "routes": [
            {
                "name": "Approved training program",
                "description": (
                    "Age 17 or older, a high school diploma or working toward one, acceptance "
                    "of AMCA's code of ethics, and a qualifying program at an AMCA-approved "
                    "training site."
                ),
            },
            {
                "name": "Other pathways",
                "description": "AMCA lists further pathways: confirm the current ones with AMCA.",
                "needs_confirmation": True,
            },
        ],
        "steps": [
            _coursework("medical administrative", 200),
            {
                "title": "Accept AMCA's code of ethics",
                "kind": K.CHECK,
                "requires_verification": False,
                "student_can_complete": True,
                "due_days_after_start": 210,
                "help_text": "Read AMCA's code of ethics and accept it in your AMCA application.",
            },
            _eligibility(
                "AMCA",
                "AMCA shows your application as pending until it is approved, and exam "
                "registration opens only after approval.",
            ),
            _exam_date("AMCA", 300),
            _exam_passed("MAAC"),
            _credential("MAAC (AMCA)"),
            _continuing_education(
                10,
                "CE credits",
                "Earn 10 continuing-education credits in each 2-year cycle and renew with "
                "AMCA. Log each course here with its certificate.",
            ),
        ],
    },
    {
        "slug": "ccma",
        "body": "nha",
        "acronym": "CCMA",
        "name": "Certified Clinical Medical Assistant",
        "track": Track.CLINICAL,
        "is_medical_assistant": False,
        "order": 5,
        "summary": (
            "The CCMA (NHA) is the National Healthcareer Association's clinical medical "
            "assistant credential. Its eligibility rules follow the same pattern as the CMAA."
        ),
        "eligibility_summary": (
            "High school diploma or GED plus a training program completed within the last 5 "
            "years, or 1 year of supervised work experience within the last 3 years."
        ),
        "exam_questions": "About 150 scored",
        "exam_minutes": 180,
        "exam_format": "",
        "renewal_months": 24,
        "renewal_summary": "Renew every 2 years with 10 continuing-education credits.",
        "ce_credits_required": 10,
        "ce": [("any", "CE credits", 10)],
        "source_name": "NHA: CCMA certification and continuing education",
        "source_url": NHA_URL,
        "routes": [
            {
                "name": "Training program",
                "description": (
                    "High school diploma or GED, and a clinical medical assisting program "
                    "completed within the last 5 years."
                ),
            },
            {
                "name": "Work experience",
                "description": (
                    "High school diploma or GED, and 1 year of supervised work in the field "
                    "within the last 3 years."
                ),
            },
        ],
        "steps": _nha_path(
            "CCMA", "medical assisting", extra_training_steps=[_externship(160, 250), CPR_CARD]
        ),
    },
    {
        "slug": "cpt",
        "body": "nha",
        "acronym": "CPT",
        "name": "Certified Phlebotomy Technician",
        "track": Track.CLINICAL,
        "is_medical_assistant": False,
        "order": 6,
        "summary": (
            "The CPT (NHA) certifies phlebotomy skills: drawing blood safely, labelling and "
            "handling specimens. Candidates document their draws on live people."
        ),
        "eligibility_summary": (
            "A phlebotomy training program, with at least 30 venipunctures and 10 capillary "
            "sticks performed on live people and documented."
        ),
        "exam_questions": "",
        "exam_minutes": None,
        "exam_format": "Question count and length: confirm with NHA.",
        "exam_needs_confirmation": True,
        "renewal_months": 24,
        "renewal_summary": "Renew every 2 years with 10 continuing-education credits.",
        "ce_credits_required": 10,
        "ce": [("any", "CE credits", 10)],
        "source_name": "NHA: CPT certification",
        "source_url": NHA_URL,
        "routes": [
            {
                "name": "Training program with documented draws",
                "description": (
                    "A phlebotomy training program, and at least 30 venipunctures and 10 "
                    "capillary sticks on live people, documented and signed off."
                ),
            },
        ],
        "steps": _nha_path(
            "CPT",
            "phlebotomy",
            extra_training_steps=[
                {
                    "title": "Document 30 venipunctures",
                    "kind": K.COUNT,
                    "target": 30,
                    "unit": "venipunctures",
                    "requires_verification": True,
                    "student_can_complete": True,
                    "due_days_after_start": 90,
                    "help_text": (
                        "Record each successful venipuncture on a live person; your instructor "
                        "signs the log."
                    ),
                },
                {
                    "title": "Document 10 capillary sticks",
                    "kind": K.COUNT,
                    "target": 10,
                    "unit": "capillary sticks",
                    "requires_verification": True,
                    "student_can_complete": True,
                    "due_days_after_start": 90,
                    "help_text": (
                        "Record each successful capillary (finger or heel) stick on a live "
                        "person; your instructor signs the log."
                    ),
                },
            ],
            exam_due=150,
        ),
    },
    {
        "slug": "cet",
        "body": "nha",
        "acronym": "CET",
        "name": "Certified EKG Technician",
        "track": Track.CLINICAL,
        "is_medical_assistant": False,
        "order": 7,
        "summary": (
            "The CET (NHA) certifies EKG skills: preparing patients, placing leads, running "
            "and checking electrocardiograms."
        ),
        "eligibility_summary": (
            "An EKG training program; confirm the current requirements with NHA."
        ),
        "exam_questions": "About 100 scored",
        "exam_minutes": 120,
        "exam_format": "",
        "renewal_months": 24,
        "renewal_summary": "Renew every 2 years with 10 continuing-education credits.",
        "ce_credits_required": 10,
        "ce": [("any", "CE credits", 10)],
        "source_name": "NHA: CET certification",
        "source_url": NHA_URL,
        "routes": [
            {
                "name": "Training program",
                "description": (
                    "An EKG technician training program. Ask NHA which documented practice it "
                    "currently requires."
                ),
                "needs_confirmation": True,
            },
        ],
        "steps": _nha_path(
            "CET",
            "EKG technician",
            extra_training_steps=[
                {
                    "title": "Pass the EKG skills check-off",
                    "kind": K.CHECK,
                    "requires_verification": True,
                    "student_can_complete": False,
                    "due_days_after_start": 90,
                    "help_text": (
                        "Your instructor watches you prepare a patient, place the leads and "
                        "record a clean 12-lead EKG."
                    ),
                },
            ],
            exam_due=150,
        ),
    },
]


# --- Roles -------------------------------------------------------------------------------

S = Duty.Source

MA_WORKPLACES = (
    "Physicians' offices\nHospitals\nUrgent care clinics\n"
    "Specialist practices (dermatology, cardiology, pediatrics)\nOutpatient care centres"
)

ROLES = [
    {
        "slug": "medical-assistant",
        "title": "Medical assistant",
        "track": Track.OTHER,
        "soc_code": "31-9092",
        "recommend_for": WorkPreference.BOTH,
        "order": 1,
        "summary": (
            "Medical assistants keep a practice running: they prepare patients for the "
            "doctor, take vital signs, give injections as directed, schedule appointments "
            "and keep medical records up to date."
        ),
        "description": (
            '"Medical assistant" is an umbrella term. What the job looks like depends on the '
            "type of facility (a hospital, an urgent care clinic or a specialist practice), "
            "the certifications the employer asks for, and what the physicians need.\n\n"
            "Entry-level positions divide into clinical and administrative medical "
            "assistants. In Texas, medical assistants need no state license: they work under "
            "the delegation of a physician."
        ),
        "typical_workplaces": MA_WORKPLACES,
        "certifications": ["cma", "rma", "ccma", "cmaa", "maac"],
        "source_name": "BLS Occupational Outlook Handbook; Texas Career Check 31-9092.00",
        "source_url": BLS_URL,
        "duties": [
            ("Record patients' history and personal information", Track.ADMINISTRATIVE, S.BLS),
            ("Measure vital signs, such as blood pressure", Track.CLINICAL, S.BLS),
            ("Help physicians with patient examinations", Track.CLINICAL, S.BLS),
            (
                "Give patients injections or medications as physicians direct and as state "
                "law allows",
                Track.CLINICAL,
                S.BLS,
            ),
            ("Schedule patient appointments", Track.ADMINISTRATIVE, S.BLS),
            ("Prepare blood samples for laboratory tests", Track.CLINICAL, S.BLS),
            ("Enter patient information into medical records", Track.ADMINISTRATIVE, S.BLS),
            (
                "Interview patients about their symptoms and medical history before the visit",
                Track.CLINICAL,
                S.TEXAS_CAREER_CHECK,
            ),
            (
                "Keep examination rooms and equipment clean, stocked and ready",
                Track.CLINICAL,
                S.ONET,
            ),
        ],
        "labor": [
            {
                "region": LaborFigure.Region.US,
                "pay_label": "Median annual pay",
                "annual_pay": Decimal(44200),
                "growth_percent": Decimal(12),
                "growth_period": "2024-2034",
                "openings_per_year": 112300,
                "data_year": "May 2024 pay; 2024-2034 projections",
                "note": (
                    "Much faster than the average for all occupations. About 57% of medical "
                    "assistants work in physicians' offices and 17% in hospitals."
                ),
                "source_name": "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook",
                "source_url": BLS_URL,
                "order": 1,
            },
            {
                "region": LaborFigure.Region.TEXAS,
                "pay_label": "Average annual wage",
                "annual_pay": Decimal(36914),
                "growth_percent": Decimal(29),
                "growth_period": "2020-2030",
                "data_year": "2020-2030 (wage year to confirm)",
                "note": (
                    "Another Texas Career Check snapshot shows 35.78% growth: the figure "
                    "depends on the projection vintage."
                ),
                "needs_confirmation": True,
                "source_name": "Texas Career Check (Texas Workforce Commission), 31-9092",
                "source_url": TCC_URL,
                "order": 2,
            },
            {
                "region": LaborFigure.Region.TEXAS,
                "pay_label": "Employment",
                "employment": 72040,
                "projected_employment": 92940,
                "growth_percent": Decimal("29.01"),
                "growth_period": "2020-2030",
                "openings_per_year": 11640,
                "data_year": "2020-2030 long-term projections",
                "source_name": "Projections Central (state employment projections)",
                "source_url": PROJECTIONS_URL,
                "order": 3,
            },
        ],
    },
    {
        "slug": "clinical-medical-assistant",
        "title": "Clinical medical assistant",
        "parent": "medical-assistant",
        "track": Track.CLINICAL,
        "soc_code": "31-9092",
        "recommend_for": WorkPreference.PATIENTS,
        "order": 2,
        "summary": (
            "Clinical medical assistants work with patients in the exam room: they take "
            "vital signs, help with examinations, give injections and prepare lab samples."
        ),
        "description": (
            "A clinical medical assistant spends most of the day with patients. In a small "
            "practice the job may stretch to drawing blood or taking X-rays; in a large "
            "hospital practice patients are sent to the radiology or diagnostic centre "
            "instead.\n\n"
            "Employers hiring for clinical roles usually ask for the CMA (AAMA), the RMA "
            "(AMT) or the CCMA (NHA)."
        ),
        "typical_workplaces": (
            "Physicians' offices\nUrgent care clinics\nHospital outpatient clinics\n"
            "Specialist practices"
        ),
        "certifications": ["cma", "rma", "ccma"],
        "source_name": "BLS Occupational Outlook Handbook",
        "source_url": BLS_URL,
        "duties": [
            ("Measure vital signs, weight and height", Track.CLINICAL, S.BLS),
            ("Help physicians with patient examinations", Track.CLINICAL, S.BLS),
            (
                "Give injections or medications as physicians direct and as state law allows",
                Track.CLINICAL,
                S.BLS,
            ),
            ("Prepare blood samples for laboratory tests", Track.CLINICAL, S.BLS),
            (
                "Interview patients about their symptoms and medical history",
                Track.CLINICAL,
                S.TEXAS_CAREER_CHECK,
            ),
            (
                "In smaller practices, draw blood or take X-rays",
                Track.CLINICAL,
                S.SCHOOL,
            ),
        ],
    },
    {
        "slug": "administrative-medical-assistant",
        "title": "Administrative medical assistant",
        "parent": "medical-assistant",
        "track": Track.ADMINISTRATIVE,
        "soc_code": "31-9092",
        "recommend_for": WorkPreference.OFFICE,
        "order": 3,
        "summary": (
            "Administrative medical assistants run the front office: they greet patients, "
            "schedule appointments, keep records and handle insurance and billing."
        ),
        "description": (
            "An administrative medical assistant is often the first person a patient meets. "
            "In a large hospital a billing department handles claims; in a private practice "
            "the medical assistant may handle billing and insurance claims too.\n\n"
            "Employers hiring for administrative roles usually ask for the CMAA (NHA) or the "
            "MAAC (AMCA)."
        ),
        "typical_workplaces": (
            "Physicians' offices\nUrgent care clinics\nSpecialist practices\n"
            "Hospital registration and scheduling desks"
        ),
        "certifications": ["cmaa", "maac"],
        "source_name": "BLS Occupational Outlook Handbook",
        "source_url": BLS_URL,
        "duties": [
            ("Schedule patient appointments", Track.ADMINISTRATIVE, S.BLS),
            ("Record patients' history and personal information", Track.ADMINISTRATIVE, S.BLS),
            ("Enter patient information into medical records", Track.ADMINISTRATIVE, S.BLS),
            (
                "Answer phones, greet patients and check them in and out",
                Track.ADMINISTRATIVE,
                S.TEXAS_CAREER_CHECK,
            ),
            (
                "In private practices, handle billing and insurance claims",
                Track.ADMINISTRATIVE,
                S.SCHOOL,
            ),
            (
                "At urgent care clinics, handle work-injury visits and workers' compensation",
                Track.ADMINISTRATIVE,
                S.SCHOOL,
            ),
            (
                "At specialty clinics, send and receive referrals",
                Track.ADMINISTRATIVE,
                S.SCHOOL,
            ),
        ],
    },
    {
        "slug": "phlebotomy-technician",
        "title": "Phlebotomy technician",
        "track": Track.CLINICAL,
        "soc_code": "31-9097",
        "order": 4,
        "summary": (
            "Phlebotomy technicians draw blood for tests, transfusions and donations, and "
            "label and handle the samples safely."
        ),
        "description": (
            "Phlebotomy training is hands-on: to sit NHA's CPT exam, candidates document at "
            "least 30 venipunctures and 10 capillary sticks on live people."
        ),
        "typical_workplaces": "Hospitals\nMedical and diagnostic laboratories\nBlood donation centres",
        "certifications": ["cpt"],
        "source_name": "NHA: CPT certification",
        "source_url": NHA_URL,
        "duties": [
            ("Draw blood from patients and donors", Track.CLINICAL, S.SCHOOL),
            ("Check each patient's identity and label every sample", Track.CLINICAL, S.SCHOOL),
            ("Prepare samples for the laboratory", Track.CLINICAL, S.SCHOOL),
        ],
    },
    {
        "slug": "ekg-technician",
        "title": "EKG technician",
        "track": Track.CLINICAL,
        "soc_code": "29-2031",
        "order": 5,
        "summary": (
            "EKG technicians record the heart's electrical activity: they prepare patients, "
            "place the leads and check that each tracing is clean."
        ),
        "description": "Employers often ask for NHA's CET credential.",
        "typical_workplaces": "Hospitals\nCardiology practices\nPhysicians' offices",
        "certifications": ["cet"],
        "source_name": "NHA: CET certification",
        "source_url": NHA_URL,
        "duties": [
            ("Prepare patients and place EKG leads", Track.CLINICAL, S.SCHOOL),
            ("Run electrocardiograms and check the tracings", Track.CLINICAL, S.SCHOOL),
        ],
    },
    {
        "slug": "medical-billing-coding-specialist",
        "title": "Medical billing and coding specialist",
        "track": Track.ADMINISTRATIVE,
        "soc_code": "29-2072",
        "order": 6,
        "summary": (
            "Billing and coding specialists turn each visit into codes and claims, follow up "
            "with insurers and keep patient accounts accurate."
        ),
        "description": "",
        "typical_workplaces": "Physicians' offices\nHospitals\nBilling companies",
        "certifications": [],
        "source_name": "",
        "source_url": "",
        "duties": [
            ("Assign codes to diagnoses and procedures", Track.ADMINISTRATIVE, S.SCHOOL),
            ("Prepare and submit insurance claims", Track.ADMINISTRATIVE, S.SCHOOL),
            ("Follow up on denied or unpaid claims", Track.ADMINISTRATIVE, S.SCHOOL),
        ],
    },
]

DUTY_SOURCE_URLS = {S.BLS: BLS_URL, S.TEXAS_CAREER_CHECK: TCC_URL, S.ONET: ONET_URL}


FACTORS = [
    {
        "slug": "team-size",
        "name": "Size of the medical team",
        "order": 1,
        "summary": "The smaller the team, the more hats a medical assistant wears.",
        "one_side_label": "Small private practice",
        "one_side": (
            "One medical assistant may schedule appointments at the front desk and also take "
            "each patient's weight and height in the exam room."
        ),
        "other_side_label": "Large group practice",
        "other_side": (
            "Patient care and administrative work are often split into separate clinical and "
            "administrative roles."
        ),
    },
    {
        "slug": "structure-and-volume",
        "name": "Workplace structure and patient volume",
        "order": 2,
        "summary": "Busy hospitals have departments for work a small practice does in-house.",
        "one_side_label": "Small practice",
        "one_side": (
            "The medical assistant may take X-rays or draw blood, and may handle billing and "
            "insurance claims."
        ),
        "other_side_label": "High-volume hospital practice",
        "other_side": (
            "Patients go to the radiology or diagnostic centre, and a billing department "
            "handles claims."
        ),
    },
    {
        "slug": "practice-type",
        "name": "Type of practice",
        "order": 3,
        "summary": "Each kind of practice has its own paperwork and routines.",
        "one_side_label": "Urgent care clinic",
        "one_side": (
            "Administrative medical assistants often handle work-related injuries and "
            "workers' compensation claims."
        ),
        "other_side_label": "Dermatology or other specialty clinic",
        "other_side": "Administrative medical assistants send and receive patient referrals.",
    },
]


GUIDE = {
    "slug": "what-does-a-medical-assistant-do",
    "title": "What does a medical assistant do?",
    "role": "medical-assistant",
    "meta_description": (
        "Clinical and administrative medical assistants: their duties, the certifications "
        "employers accept, and how the workplace shapes the job. Train in Dallas or Arlington."
    ),
    "intro": (
        "Medical assistants are the people who keep a clinic moving: they bring you to the "
        "exam room, take your blood pressure, update your records and book your next visit. "
        "This guide explains what the job involves, how it differs from one workplace to the "
        "next, and which certifications open the door."
    ),
    "sections": [
        {
            "anchor": "an-umbrella-term",
            "heading": "An umbrella term",
            "kind": GuideSection.Kind.TEXT,
            "body": (
                '"Medical assistant" covers a family of jobs rather than one fixed set of '
                "tasks. What a medical assistant does on a given day depends on three "
                "things:\n\n"
                "- The type of facility: a hospital, an urgent care clinic or a specialist "
                "practice.\n"
                "- The certifications the employer requires.\n"
                "- The needs of the physicians they work with.\n\n"
                "In Texas there is no state license for medical assistants: they work under "
                "a physician's delegation, so employers rely on national certifications to "
                "judge a candidate's training."
            ),
        },
        {
            "anchor": "clinical-or-administrative",
            "heading": "Clinical or administrative?",
            "kind": GuideSection.Kind.TRACKS,
            "body": (
                "Entry-level positions divide into two kinds. Clinical medical assistants work "
                "with patients; administrative medical assistants run the front office. Each "
                "kind has its own certifications."
            ),
        },
        {
            "anchor": "duties",
            "heading": "Typical duties",
            "kind": GuideSection.Kind.DUTIES,
            "body": (
                "The U.S. Bureau of Labor Statistics and Texas Career Check list these tasks "
                "for medical assistants. Which ones you do depends on your role."
            ),
        },
        {
            "anchor": "what-changes-the-job",
            "heading": "Three things that change the job",
            "kind": GuideSection.Kind.FACTORS,
            "body": "The same job title can mean quite different days. Three factors matter most.",
        },
        {
            "anchor": "certifications",
            "heading": "Certifications compared",
            "kind": GuideSection.Kind.CERTIFICATIONS,
            "body": (
                "Four national credentials are common for medical assistants. Eligibility, "
                "exams and renewal rules differ."
            ),
        },
        {
            "anchor": "start-your-training",
            "heading": "Start your training in Dallas or Arlington",
            "kind": GuideSection.Kind.CALL_TO_ACTION,
            "body": (
                "Our programs prepare you for these certification exams, with an externship "
                "in a local clinic. Choose the campus closest to you."
            ),
        },
    ],
}


# --- Loader ------------------------------------------------------------------------------


def _sync_children(manager, rows, key_fields):
    """update_or_create each row by key_fields; delete the children no longer listed."""
    keep = []
    for row in rows:
        lookup = {field: row[field] for field in key_fields}
        defaults = {k: v for k, v in row.items() if k not in key_fields}
        obj, _ = manager.update_or_create(**lookup, defaults=defaults)
        keep.append(obj.pk)
    manager.exclude(pk__in=keep).delete()


def _load_certifications(bodies):
    certifications = {}
    for spec in CERTIFICATIONS:
        spec = dict(spec)
        routes = spec.pop("routes")
        steps = spec.pop("steps")
        ce = spec.pop("ce")
        body = bodies[spec.pop("body")]
        source_url = spec["source_url"]
        defaults = {
            "alternate_names": "",
            "needs_confirmation": False,
            "exam_needs_confirmation": False,
            "expiry_rule": Certification.ExpiryRule.FROM_ISSUE_DATE,
            "as_of": CHECKED,
            "exam_source_url": source_url,
            "exam_as_of": CHECKED,
            "renewal_source_url": source_url,
            "renewal_as_of": CHECKED,
            "renewal_needs_confirmation": False,
            "published": True,
            **spec,
            "body": body,
        }
        slug = defaults.pop("slug")
        cert, _ = Certification.objects.update_or_create(slug=slug, defaults=defaults)
        certifications[slug] = cert
        _sync_children(
            cert.eligibility_routes,
            [
                {
                    "order": order,
                    "needs_confirmation": False,
                    "source_name": spec["source_name"],
                    "source_url": source_url,
                    "as_of": CHECKED,
                    **route,
                }
                for order, route in enumerate(routes, start=1)
            ],
            ["order"],
        )
        _sync_children(
            cert.ce_requirements,
            [
                {"category": category, "label": label, "credits": credits, "order": order}
                for order, (category, label, credits) in enumerate(ce, start=1)
            ],
            ["category"],
        )
        _sync_children(
            cert.path_steps,
            [
                {
                    "order": order,
                    "target": None,
                    "unit": "",
                    "milestone": "",
                    "due_days_after_start": None,
                    **step,
                }
                for order, step in enumerate(steps, start=1)
            ],
            ["order"],
        )
    return certifications


def _load_roles(certifications):
    roles = {}
    for spec in ROLES:
        spec = dict(spec)
        duties = spec.pop("duties")
        labor = spec.pop("labor", [])
        cert_slugs = spec.pop("certifications")
        parent = spec.pop("parent", None)
        slug = spec.pop("slug")
        defaults = {
            "recommend_for": "",
            "as_of": CHECKED,
            "published": True,
            **spec,
            "parent": roles.get(parent),
        }
        # The one-role-per-answer constraint: free the answer before taking it.
        if defaults["recommend_for"]:
            Role.objects.filter(recommend_for=defaults["recommend_for"]).exclude(slug=slug).update(
                recommend_for=""
            )
        role, _ = Role.objects.update_or_create(slug=slug, defaults=defaults)
        role.certifications.set([certifications[c] for c in cert_slugs])
        roles[slug] = role
        _sync_children(
            role.duties,
            [
                {
                    "order": order,
                    "text": text,
                    "track": track,
                    "source": source,
                    "source_url": DUTY_SOURCE_URLS.get(source, ""),
                }
                for order, (text, track, source) in enumerate(duties, start=1)
            ],
            ["order"],
        )
        _sync_children(
            role.labor_figures,
            [
                {
                    "as_of": CHECKED,
                    "needs_confirmation": False,
                    "annual_pay": None,
                    "growth_percent": None,
                    "openings_per_year": None,
                    "employment": None,
                    "projected_employment": None,
                    "note": "",
                    **figure,
                }
                for figure in labor
            ],
            ["order"],
        )
    return roles


def load(*, stdout, style, with_accounts, reset_passwords=False, **kwargs):
    bodies = {}
    for spec in BODIES:
        spec = dict(spec)
        slug = spec.pop("slug")
        bodies[slug], _ = CertifyingBody.objects.update_or_create(
            slug=slug,
            defaults={
                **spec,
                "source_name": f"{spec['acronym']} web site",
                "source_url": spec["website"],
                "as_of": CHECKED,
            },
        )
    certifications = _load_certifications(bodies)
    roles = _load_roles(certifications)

    for spec in FACTORS:
        spec = dict(spec)
        WorkplaceFactor.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)

    spec = dict(GUIDE)
    sections = spec.pop("sections")
    guide, _ = CareerGuide.objects.update_or_create(
        slug=spec.pop("slug"),
        defaults={**spec, "role": roles[spec["role"]], "published": True},
    )
    _sync_children(
        guide.sections,
        [{"order": order, **section} for order, section in enumerate(sections, start=1)],
        ["anchor"],
    )

    stdout.write(
        style.SUCCESS(
            f"Careers: {len(bodies)} certifying bodies, {len(certifications)} certifications, "
            f"{len(roles)} roles, {len(FACTORS)} workplace factors, 1 guide."
        )
    )

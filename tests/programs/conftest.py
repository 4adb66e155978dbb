import io
import json
import re
from datetime import timedelta

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.factories import make_campus, make_cohort, make_offering, make_program


def inquiry_limit(per):
    """The request-for-information allowance per "ip" or per "key" (e-mail address)."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["request_info"])
    return next(rate.amount for rate in rates if rate.per == per)


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_blocks(response):
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def image_bytes(fmt="JPEG", size=(800, 500), color=(18, 53, 91), **save_options):
    buffer = io.BytesIO()
    mode = "RGB" if fmt in {"JPEG", "WEBP", "BMP", "GIF"} else "RGBA"
    Image.new(mode, size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def two_campuses(db):
    dallas = make_campus(name="Dallas", slug="dallas", city="Dallas", order=1)
    arlington = make_campus(
        name="Arlington", slug="arlington", city="Arlington", postal_code="76011", order=2
    )
    return dallas, arlington


@pytest.fixture
def catalog(two_campuses, today):
    """Dallas and Arlington teach different programs; evening classes only in Arlington."""
    dallas, arlington = two_campuses
    ma = make_program(
        title="Medical Assisting", slug="medical-assisting", field="clinical", featured=True
    )
    billing = make_program(title="Medical Billing", slug="medical-billing", field="health-admin")
    ekg = make_program(title="EKG Technician", slug="ekg-technician", field="clinical")
    hidden = make_program(title="Secret Draft", slug="secret-draft", published=False)
    ma_dallas = make_offering(program=ma, campus=dallas, schedule="day")
    ma_arl_day = make_offering(program=ma, campus=arlington, schedule="day")
    ma_arl_eve = make_offering(
        program=ma,
        campus=arlington,
        schedule="evening",
        class_days="Monday to Thursday",
        class_times="6:00 pm to 10:00 pm",
    )
    billing_arl = make_offering(program=billing, campus=arlington, schedule="evening")
    ekg_dallas = make_offering(program=ekg, campus=dallas, schedule="day")
    make_offering(program=hidden, campus=dallas, schedule="day")
    make_cohort(offering=ma_dallas, start_date=today + timedelta(days=20))
    make_cohort(offering=ma_dallas, start_date=today + timedelta(days=80))
    # Arlington day: full in 10 days (every seat taken), open in 40; evening: 3 seats
    # left in 30 days.
    make_cohort(offering=ma_arl_day, start_date=today + timedelta(days=10), seats=2, taken=2)
    make_cohort(offering=ma_arl_day, start_date=today + timedelta(days=40))
    make_cohort(offering=ma_arl_eve, start_date=today + timedelta(days=30), seats=5, taken=2)
    make_cohort(offering=billing_arl, start_date=today + timedelta(days=15))
    make_cohort(offering=billing_arl, start_date=today - timedelta(days=15), status="closed")
    # EKG has only a past cohort: no upcoming start.
    make_cohort(offering=ekg_dallas, start_date=today - timedelta(days=5))
    return {
        "dallas": dallas,
        "arlington": arlington,
        "ma": ma,
        "billing": billing,
        "ekg": ekg,
        "hidden": hidden,
    }

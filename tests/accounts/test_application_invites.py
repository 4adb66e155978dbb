from datetime import timedelta

import time_machine
from django.core import signing
from django.utils import timezone

from accounts.services.application_invites import (
    INVITE_DAYS,
    invite_from_token,
    invite_path,
    invite_token,
)
from programs.models import Inquiry


def _inquiry(program=None, campus=None):
    return Inquiry.objects.create(
        name="Ana Lopez", email="ana@example.com", consent=True, program=program, campus=campus
    )


def test_a_token_reads_back_as_its_inquiry_and_start(db, cohort):
    inquiry = _inquiry(cohort.offering.program, cohort.offering.campus)
    invite = invite_from_token(invite_token(inquiry, cohort))
    assert invite.inquiry == inquiry
    assert invite.cohort == cohort
    assert invite_from_token(invite_token(inquiry)).cohort is None
    assert invite_path(inquiry).startswith("/apply/?invite=")


def test_altered_forged_or_expired_tokens_are_refused(db, cohort):
    inquiry = _inquiry()
    token = invite_token(inquiry, cohort)
    assert invite_from_token(token[:-2] + "xx") is None
    assert invite_from_token(signing.dumps({"i": inquiry.pk}, salt="other")) is None
    assert invite_from_token("") is None
    assert invite_from_token("a" * 600) is None
    with time_machine.travel(timezone.now() + timedelta(days=INVITE_DAYS + 1)):
        assert invite_from_token(token) is None
    inquiry.delete()
    assert invite_from_token(token) is None

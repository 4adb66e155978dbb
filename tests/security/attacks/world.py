"""The accounts and records the attack scripts need, created on the attacked server's
database by `manage.py shell -c "from tests.security.attacks.world import build; build()"`.

load_demo creates no accounts with DEBUG off, so the attacks bring their own: a student
with a CMA path (a count step and an evidence step holding one file), a second student
(the victim of the password guessing) and a staff member with no permissions at all."""

import io
import json
import sys

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services
from accounts.models import User
from careers.models import Certification
from programs.models import Cohort

PASSWORD = "Attack-scripts-Pass-9"
STUDENT = "student@attack.example"
OTHER_STUDENT = "victim@attack.example"
STAFF = "staff@attack.example"


def _account(email, **fields):
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _png():
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (240, 240, 240)).save(out, format="PNG")
    return SimpleUploadedFile("cpr-card.png", out.getvalue(), content_type="image/png")


def build():
    student = _account(STUDENT, first_name="Sam", last_name="Student")
    _account(OTHER_STUDENT, first_name="Vic", last_name="Victim")
    # Staff flag only: not a superuser, no groups, no model permissions.
    _account(STAFF, first_name="Stan", last_name="Staff", is_staff=True)
    certification = Certification.objects.get(slug="cma")
    cohort = Cohort.objects.order_by("start_date", "pk").first()
    enrollment = services.enrollment_create(
        email=STUDENT, cohort=cohort, certifications=[certification], notify=False
    )
    path = enrollment.paths.get()
    steps = list(path.steps.order_by("order", "id"))
    count_step = next(s for s in steps if s.kind == "count" and not s.milestone)
    evidence_step = next(s for s in steps if s.kind == "evidence" and not s.milestone)
    evidence = services.evidence_submit(step=evidence_step, file=_png(), user=student)
    sys.stdout.write(
        json.dumps(
            {
                "path": path.pk,
                "count_step": count_step.pk,
                "evidence_step": evidence_step.pk,
                "evidence": evidence.pk,
            }
        )
        + "\n"
    )

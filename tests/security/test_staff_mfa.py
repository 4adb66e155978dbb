"""Staff without two-factor authentication reach no student record, by any staff route.

tests/accounts/test_staff_mfa.py covers the setting itself; here every route by which
staff see a student's records is tried: admin screens, the cohort report and its CSV,
portal pages viewed by staff, evidence and CE proof downloads, the data export."""

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from trainingcenter.middleware import StaffMFARequiredMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_REQUIRE_MFA = True


def staff_routes(records):
    path, evidence, activity = records["path"], records["evidence"], records["activity"]
    return [
        "/admin/",
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[path.enrollment.student_id]),
        reverse("admin:accounts_enrollment_changelist"),
        reverse("admin:accounts_enrollment_change", args=[path.enrollment_id]),
        reverse("admin:accounts_certificationpath_change", args=[path.pk]),
        reverse("admin:accounts_stepawaitingreview_changelist"),
        reverse("admin:accounts_pathstep_changelist"),
        reverse("admin:accounts_credential_changelist"),
        reverse("admin:accounts_enrollment_report"),
        reverse("admin:accounts_enrollment_report") + "?format=csv",
        reverse("admin:programs_inquiry_changelist"),
        path.get_absolute_url(),
        evidence.get_absolute_url(),
        activity.get_proof_url(),
        reverse("portal:dashboard"),
        reverse("portal:credentials"),
        reverse("portal:profile"),
        reverse("portal:profile_export"),
    ]


def test_every_staff_route_to_student_records_needs_mfa(mfa_required, staff_client, records):
    for url in staff_routes(records):
        response = staff_client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response.url.startswith(reverse("mfa_activate_totp")), url
        assert "Staff accounts need two-factor" not in response.content.decode()


def test_the_same_routes_open_once_mfa_is_enrolled(mfa_required, staff_client, staff_user, records):
    Authenticator.objects.create(
        user=staff_user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    for url in staff_routes(records):
        response = staff_client.get(url)
        if url == reverse("portal:dashboard"):  # staff who do not study here: staff home
            assert response.url == reverse("admin:index")
            continue
        assert response.status_code == HTTPStatus.OK, url


def test_staff_cannot_change_records_by_post_without_mfa(mfa_required, staff_client, records):
    student = records["path"].enrollment.student
    url = reverse("admin:accounts_user_change", args=[student.pk])
    response = staff_client.post(url, {"email": student.email, "first_name": "Changed"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("mfa_activate_totp"))
    student.refresh_from_db()
    assert student.first_name == "Sam"


def test_student_files_are_served_only_below_guarded_prefixes(records):
    """Private files are served only below /portal/, a prefix the MFA check guards."""
    for url in (records["evidence"].get_absolute_url(), records["activity"].get_proof_url()):
        assert url.startswith("/portal/")
    assert "/portal/" in StaffMFARequiredMiddleware.protected_prefixes
    assert "/admin/" in StaffMFARequiredMiddleware.protected_prefixes

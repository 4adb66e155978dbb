from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_REQUIRE_MFA = True


def test_staff_without_mfa_are_sent_to_set_it_up(mfa_required, staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert "next=%2Fadmin%2F" in response.url


def test_staff_without_mfa_cannot_open_portal_records(mfa_required, staff_client):
    response = staff_client.get("/portal/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_mfa_setup_page_itself_stays_reachable(mfa_required, staff_client):
    # allauth asks for the password again before MFA setup; no redirect loop.
    response = staff_client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_mfa_reach_the_admin(mfa_required, staff_client, staff_user):
    Authenticator.objects.create(
        user=staff_user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert staff_client.get("/admin/").status_code == HTTPStatus.OK


def test_students_are_not_asked_for_mfa(mfa_required, student_client):
    assert student_client.get("/portal/").status_code == HTTPStatus.OK


def test_requirement_off_in_development(settings, staff_client):
    settings.STAFF_REQUIRE_MFA = False
    assert staff_client.get("/admin/").status_code == HTTPStatus.OK


def test_requirement_is_on_by_default_in_production():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="trainingcenter.settings",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings;print(settings.STAFF_REQUIRE_MFA)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "True"

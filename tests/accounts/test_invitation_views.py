import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User

pytestmark = pytest.mark.django_db

PASSWORD = "Sunny-Clinic-2026"


@pytest.fixture
def invitation_url(cohort, certification, mailoutbox):
    services.enrollment_create(
        email="nia@example.com", cohort=cohort, certifications=[certification], first_name="Nia"
    )
    return re.search(r"https?://[^/\s]+(/portal/invitation/\S+/)", mailoutbox[0].body).group(1)


def accept(client, url, password=PASSWORD, again=None):
    return client.post(url, {"new_password1": password, "new_password2": again or password})


def test_invitation_page_greets_the_student(client, invitation_url, cohort):
    response = client.get(invitation_url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Set your password" in html
    assert "Hello Nia!" in html
    assert "nia@example.com" in html
    assert cohort.offering.program.title in html
    assert "no-store" in response["Cache-Control"]


def test_accepting_sets_the_password_logs_in_and_opens_the_dashboard(client, invitation_url):
    response = accept(client, invitation_url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("portal:dashboard")
    dashboard = client.get(response.url)
    assert dashboard.context["user"].email == "nia@example.com"
    assert "Your password is set" in dashboard.content.decode()
    assert User.objects.get(email="nia@example.com").check_password(PASSWORD)
    client.logout()
    assert client.login(email="nia@example.com", password=PASSWORD)


def test_a_used_link_says_so_and_points_to_log_in(client, invitation_url):
    accept(client, invitation_url)
    client.logout()
    response = client.get(invitation_url)
    assert response.status_code == HTTPStatus.GONE
    html = response.content.decode()
    assert "This invitation was already used" in html
    assert reverse("account_login") in html
    assert reverse("account_reset_password") in html
    response = accept(client, invitation_url, password="Other-Passw0rd-99")
    assert response.status_code == HTTPStatus.GONE
    assert not User.objects.get(email="nia@example.com").check_password("Other-Passw0rd-99")


def test_an_expired_link_explains_how_to_get_a_new_one(client, invitation_url, cohort):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(invitation_url)
    assert response.status_code == HTTPStatus.GONE
    html = response.content.decode()
    assert "This invitation has expired" in html
    assert "Ask your campus to send you a new one" in html
    assert cohort.offering.campus.phone in html
    response = accept(client, invitation_url)
    assert response.status_code == HTTPStatus.GONE
    assert not User.objects.get(email="nia@example.com").has_usable_password()


@pytest.mark.parametrize("token", ["nope", "a" * 300, "%00", "../../etc"])
def test_unknown_links_are_404_with_help(client, token):
    response = client.get(f"/portal/invitation/{token}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "not valid" in response.content.decode() or response.status_code == 404


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("short", "short", "too short"),
        ("password123", "password123", "too common"),
        (PASSWORD, "Different-Passw0rd", "two password fields didn"),
        ("nia@example.com", "nia@example.com", "too similar"),
        ("", "", "required"),
    ],
)
def test_weak_or_mismatched_passwords_are_refused(client, invitation_url, first, second, message):
    response = accept(client, invitation_url, password=first, again=second)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not User.objects.get(email="nia@example.com").has_usable_password()
    assert Invitation.objects.get().used_at is None


def test_invitation_endpoint_is_rate_limited(client):
    for _ in range(30):
        client.get("/portal/invitation/guess/")
    response = client.get("/portal/invitation/guess/")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many attempts" in response.content.decode()


def test_the_email_has_text_and_html_parts_with_the_same_link(invitation_url, mailoutbox):
    mail = mailoutbox[0]
    html, mime = mail.alternatives[0]
    assert mime == "text/html"
    assert invitation_url in mail.body
    assert invitation_url in html
    assert "7 days" in mail.body
    assert "<h1" in html

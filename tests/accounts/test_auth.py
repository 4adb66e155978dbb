import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_case_insensitive_unique():
    user = User.objects.create_user(email="  Ana.Perez@Example.COM ", password="x")
    assert user.email == "ana.perez@example.com"
    assert User.objects.get_by_natural_key("ANA.PEREZ@example.com") == user
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="ana.perez@example.com", password="y")


def test_login_page_renders_inside_the_site_layout(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "site-header" in html
    assert "<footer" in html
    assert html.count("<h1") == 1
    assert "form-control" in html  # crispy-rendered fields


def test_login_with_email_then_logout(client, student, password):
    response = client.post(
        reverse("account_login"), {"login": "STUDENT@example.com", "password": password}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/").context["user"] == student
    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_shows_error_and_does_not_log_in(client, student):
    response = client.post(reverse("account_login"), {"login": student.email, "password": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert "not correct" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_unverified_email_must_be_confirmed_before_login(client, make_user, password, mailoutbox):
    user = make_user("new@example.com", verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mailoutbox[0].body).group(
        1
    )
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified


def test_password_reset_sends_a_link_that_sets_a_new_password(client, student, mailoutbox):
    response = client.get(reverse("account_reset_password"))
    assert response.status_code == HTTPStatus.OK
    assert "site-header" in response.content.decode()
    client.post(reverse("account_reset_password"), {"email": student.email})
    assert len(mailoutbox) == 1
    path = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body
    ).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "Fresh-Passw0rd-42", "password2": "Fresh-Passw0rd-42"}
    )
    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    assert student.check_password("Fresh-Passw0rd-42")


def test_password_reset_for_unknown_address_does_not_reveal_it(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_reset_password_done")
    # An "unknown account" notice may be mailed to the address itself, never shown on screen.
    assert all(m.to == ["nobody@example.com"] for m in mailoutbox)


def test_repeated_failed_logins_are_rate_limited(client, student):
    statuses = []
    for _ in range(7):
        response = client.post(
            reverse("account_login"), {"login": student.email, "password": "wrong"}
        )
        statuses.append(response.status_code)
    assert (
        HTTPStatus.TOO_MANY_REQUESTS in statuses
        or "Too many failed login attempts" in response.content.decode()
    )


def test_admin_login_goes_through_allauth_and_is_rate_limited(client, staff_user):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    response = client.get("/admin/login/")
    assert response.url.startswith(reverse("account_login"))
    for _ in range(7):
        response = client.post(
            reverse("account_login") + "?next=/admin/",
            {"login": staff_user.email, "password": "wrong"},
        )
    assert (
        response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        or "Too many failed login attempts" in response.content.decode()
    )


def test_students_cannot_enter_the_admin(client, student):
    client.force_login(student)
    response = client.get("/admin/")
    assert response.status_code in {HTTPStatus.FORBIDDEN, HTTPStatus.FOUND}
    assert response.status_code != HTTPStatus.OK


def test_open_signup_is_closed_by_default(client):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
    client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": "Abc-12345-xyz", "password2": "Abc-12345-xyz"},
    )
    assert not User.objects.filter(email="x@example.com").exists()


def test_signup_can_be_opened_by_setting(client, settings):
    settings.ACCOUNT_ALLOW_SIGNUP = True
    response = client.get(reverse("account_signup"))
    assert response.status_code == HTTPStatus.OK
    assert 'name="password1"' in response.content.decode()


def test_mfa_setup_is_available_to_every_user(student_client):
    response = student_client.get(reverse("mfa_index"))
    assert response.status_code == HTTPStatus.OK
    response = student_client.get(reverse("mfa_activate_totp"))
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}

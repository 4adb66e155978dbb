"""Creating an account on the way to an application: allauth's signup with mandatory
e-mail verification, open through the apply pages only, then straight into the draft."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Application, User
from accounts.services.application_invites import invite_path
from programs.models import Inquiry
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db
PASSWORD = "correct-Horse-battery-9"


@pytest.fixture
def cohort(db):
    program = make_program(title="Medical Assistant", slug="medical-assistant")
    campus = make_campus(name="Arlington", slug="arlington")
    return make_cohort(
        offering=make_offering(program=program, campus=campus),
        start_date=timezone.localdate() + timedelta(days=30),
    )


def signup_data(**kw):
    return {
        "first_name": "Ana",
        "last_name": "Lopez",
        "email": "ana@example.com",
        "password1": PASSWORD,
        **kw,
    }


def confirmation_path(mail):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_signup_through_a_start_then_confirm_opens_the_draft(client, cohort, mailoutbox, settings):
    assert settings.ACCOUNT_ALLOW_SIGNUP is False
    start = reverse("apply:start", args=[cohort.pk])
    page = client.get(start)
    assert page.status_code == HTTPStatus.OK
    assert 'name="first_name"' in page.content.decode()
    response = client.post(reverse("apply:signup", args=[cohort.pk]), signup_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ana@example.com")
    assert (user.first_name, user.last_name) == ("Ana", "Lopez")
    # Not logged in and no draft until the e-mail is confirmed.
    assert not EmailAddress.objects.get(user=user).verified
    assert not Application.objects.exists()
    assert client.get(reverse("apply:applications")).status_code == HTTPStatus.FOUND
    link = confirmation_path(mailoutbox[-1])
    assert "next=" in link  # back to the start from another browser too
    response = client.post(link)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == start
    response = client.get(start)
    application = Application.objects.get(applicant=user)
    assert application.cohort == cohort
    assert application.status == Application.Status.DRAFT
    assert response["Location"] == reverse("apply:step", args=[application.pk, "about"])


def test_confirming_in_another_browser_leads_back_to_the_start(client, cohort, mailoutbox):
    client.get(reverse("apply:start", args=[cohort.pk]))
    client.post(reverse("apply:signup", args=[cohort.pk]), signup_data())
    link = confirmation_path(mailoutbox[-1])
    client.cookies.clear()  # another browser
    response = client.post(link)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("apply:start", args=[cohort.pk]) + "?confirmed=1"
    assert EmailAddress.objects.get(email="ana@example.com").verified
    page = client.get(response["Location"]).content.decode()
    # The account exists: the page asks to log in, it offers no second signup.
    assert "Log in to start your application" in page
    assert "Create my account and apply" not in page
    assert not Application.objects.exists()
    login = client.post(
        f"{reverse('account_login')}?next={reverse('apply:start', args=[cohort.pk])}",
        {"login": "ana@example.com", "password": PASSWORD},
    )
    client.get(login["Location"])
    assert Application.objects.filter(applicant__email="ana@example.com").exists()


def test_plain_signup_stays_closed_even_after_visiting_apply(client, cohort):
    client.get(reverse("apply:start", args=[cohort.pk]))
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "closed" in response.content.decode().lower()
    assert not User.objects.filter(email="x@example.com").exists()


def test_apply_signup_without_opening_the_start_page_is_closed(client, cohort):
    response = client.post(reverse("apply:signup", args=[cohort.pk]), signup_data())
    assert "closed" in response.content.decode().lower()
    assert not User.objects.exists()


def test_apply_signup_for_another_start_than_the_one_opened_is_closed(client, cohort):
    other = make_cohort(offering=cohort.offering, start_date=cohort.start_date + timedelta(days=90))
    client.get(reverse("apply:start", args=[cohort.pk]))
    client.post(reverse("apply:signup", args=[other.pk]), signup_data())
    assert not User.objects.exists()


def test_signup_errors_keep_what_was_typed(client, cohort):
    client.get(reverse("apply:start", args=[cohort.pk]))
    response = client.post(
        reverse("apply:signup", args=[cohort.pk]),
        signup_data(first_name="", email="not-an-email", password1="123"),
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'value="Lopez"' in html
    assert 'value="not-an-email"' in html
    assert not User.objects.exists()


def test_signup_with_an_existing_email_creates_nothing_and_tells_nothing(
    client, cohort, make_user, mailoutbox
):
    make_user("ana@example.com")
    client.get(reverse("apply:start", args=[cohort.pk]))
    response = client.post(reverse("apply:signup", args=[cohort.pk]), signup_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="ana@example.com").count() == 1
    assert not Application.objects.exists()


def test_start_page_offers_log_in_with_next_back_to_the_start(client, cohort):
    html = client.get(reverse("apply:start", args=[cohort.pk])).content.decode()
    assert f"/accounts/login/?next=%2Fapply%2F{cohort.pk}%2F" in html


def test_signup_is_rate_limited(client, cohort, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    client.get(reverse("apply:start", args=[cohort.pk]))
    for i in range(2):
        client.post(
            reverse("apply:signup", args=[cohort.pk]), signup_data(email=f"a{i}@example.com")
        )
    response = client.post(
        reverse("apply:signup", args=[cohort.pk]), signup_data(email="a9@example.com")
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert User.objects.count() == 2


def test_logged_in_user_starts_a_draft_directly(client, cohort, make_user):
    user = make_user("sam@example.com", first_name="Sam", last_name="Lee")
    client.force_login(user)
    response = client.post(reverse("apply:start", args=[cohort.pk]))
    application = Application.objects.get(applicant=user)
    assert response["Location"] == reverse("apply:step", args=[application.pk, "about"])
    assert application.first_name == "Sam"
    # Again: the same application.
    client.post(reverse("apply:start", args=[cohort.pk]))
    assert Application.objects.filter(applicant=user).count() == 1


def test_anonymous_post_to_start_asks_to_log_in(client, cohort):
    response = client.post(reverse("apply:start", args=[cohort.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert not Application.objects.exists()


def test_invite_prefills_the_choice_the_signup_and_links_the_inquiry(client, cohort, mailoutbox):
    inquiry = Inquiry.objects.create(
        name="Ana Lopez",
        email="ana.invited@example.com",
        program=cohort.offering.program,
        campus=cohort.offering.campus,
        consent=True,
    )
    page = client.get(invite_path(inquiry, cohort))
    html = page.content.decode()
    assert "The start date admissions suggested" in html
    assert reverse("apply:start", args=[cohort.pk]) in html
    assert '<option value="medical-assistant" selected' in html
    start = client.get(reverse("apply:start", args=[cohort.pk])).content.decode()
    assert 'value="ana.invited@example.com"' in start
    client.post(
        reverse("apply:signup", args=[cohort.pk]), signup_data(email="ana.invited@example.com")
    )
    client.post(confirmation_path(mailoutbox[-1]))
    client.get(reverse("apply:start", args=[cohort.pk]))
    assert Application.objects.get().inquiry == inquiry
    # Used once: a later application in this browser is not linked to the inquiry.
    assert "apply_invite" not in client.session


def test_a_bad_invite_token_is_said_and_ignored(client, cohort):
    response = client.get(reverse("apply:choose") + "?invite=forged.token")
    assert response.status_code == HTTPStatus.OK
    assert "not valid any more" in response.content.decode()
    assert "apply_invite" not in client.session


def test_the_confirmation_e_mail_speaks_of_the_application_in_each_language(
    client, cohort, mailoutbox
):
    client.get(reverse("apply:start", args=[cohort.pk]))
    client.post(reverse("apply:signup", args=[cohort.pk]), signup_data())
    english = mailoutbox[-1]
    assert english.subject.endswith("Confirm your e-mail address")
    assert "start an application" in english.body
    assert "go on with your application, open this link" in english.body

    other = Client()
    start = f"/es{reverse('apply:start', args=[cohort.pk])}"
    other.get(start)
    sent = other.post(f"{start}account/", signup_data(email="maria@example.com"), follow=True)
    assert "Revise su correo electrónico" in sent.content.decode()
    spanish = mailoutbox[-1]
    assert spanish.to == ["maria@example.com"]
    assert spanish.subject.endswith("Confirme su correo electrónico")
    assert "continuar con su solicitud, abra este enlace" in spanish.body
    for informal in ("Estás", "tu dirección", "vete"):
        assert informal not in spanish.body
    assert "/es/accounts/confirm-email/" in spanish.body

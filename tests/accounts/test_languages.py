"""A student's and an applicant's language: stored when the account is created, changed on
the profile, and used for their e-mails, calendar feed and landing page."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.feeds import student_calendar_events
from accounts.models import StudentProfile, User
from programs.emails import templated_email
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db
PASSWORD = "Sunny-Clinic-2026"


def html_lang(html):
    return re.search(r"<html lang=\"([^\"]+)\"", html).group(1)


def html_part(mail):
    return mail.alternatives[0][0]


# --- Stored when the account is created ----------------------------------------------


def invitation_path(mail):
    return re.search(r"https?://[^/\s]+(/(?:es/)?portal/invitation/\S+/)", mail.body).group(1)


def test_setting_the_invitation_password_on_the_spanish_page_makes_a_spanish_student(
    client, cohort, certification, mailoutbox
):
    services.enrollment_create(
        email="nia@example.com", cohort=cohort, certifications=[certification]
    )
    path = invitation_path(mailoutbox[0])
    assert not path.startswith("/es/")  # staff enrolled her: no language known yet
    response = client.post("/es" + path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/portal/"
    assert User.objects.get(email="nia@example.com").language == "es"


def test_setting_the_invitation_password_in_english_keeps_english(
    client, cohort, certification, mailoutbox
):
    services.enrollment_create(
        email="nia@example.com", cohort=cohort, certifications=[certification]
    )
    path = invitation_path(mailoutbox[0])
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == "/portal/"
    assert User.objects.get(email="nia@example.com").language == "en"


@pytest.fixture
def open_start(db):
    program = make_program(title="Medical Assistant", slug="medical-assistant")
    campus = make_campus(name="Arlington", slug="arlington")
    return make_cohort(
        offering=make_offering(program=program, campus=campus),
        start_date=timezone.localdate() + timedelta(days=30),
    )


@pytest.mark.parametrize(("prefix", "language"), [("/es", "es"), ("", "en")])
def test_applying_from_a_page_stores_its_language(client, open_start, prefix, language):
    start = prefix + reverse("apply:start", args=[open_start.pk])
    signup = prefix + reverse("apply:signup", args=[open_start.pk])
    assert client.get(start).status_code == HTTPStatus.OK
    response = client.post(
        signup,
        {
            "first_name": "Ana",
            "last_name": "López",
            "email": "ana@example.com",
            "password1": "correct-Horse-battery-9",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(email="ana@example.com").language == language


# --- Changed on the profile; the portal follows ---------------------------------------


def test_the_profile_changes_the_language_and_the_portal_follows(student_client, student):
    page = student_client.get(reverse("portal:profile")).content.decode()
    assert 'name="language"' in page
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": "Sam", "last_name": "Student", "phone": "", "language": "es"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/portal/profile/"
    student.refresh_from_db()
    assert student.language == "es"
    page = student_client.get(response["Location"]).content.decode()
    assert html_lang(page) == "es"
    assert re.search(r'<option value="es" selected>', page)


def test_a_language_the_site_does_not_have_is_refused(student_client, student):
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": "Sam", "last_name": "Student", "phone": "", "language": "fr"},
    )
    assert response.status_code == HTTPStatus.OK
    student.refresh_from_db()
    assert student.language == "en"


@pytest.mark.parametrize(("language", "landing"), [("es", "/es/portal/"), ("en", "/portal/")])
def test_after_login_a_student_lands_on_the_portal_in_their_language(
    client, student, password, language, landing
):
    User.objects.filter(pk=student.pk).update(language=language)
    response = client.post(reverse("account_login"), {"login": student.email, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == landing


def test_logging_in_on_a_spanish_page_chooses_spanish(client, student, password):
    """Chosen English on the profile, then logged in on /es/: Spanish from now on."""
    assert student.language == "en"
    response = client.post("/es/accounts/login/", {"login": student.email, "password": password})
    assert response["Location"] == "/es/portal/"
    student.refresh_from_db()
    assert student.language == "es"
    # The English login page is only the default: it keeps the saved choice.
    client.logout()
    response = client.post(reverse("account_login"), {"login": student.email, "password": password})
    assert response["Location"] == "/es/portal/"


# --- E-mails in the recipient's language ----------------------------------------------


def test_templated_email_renders_in_the_given_language_not_the_active_one():
    with translation.override("es"):
        message = templated_email(
            template="accounts/email/invitation",
            context={"user": None, "enrollment": None, "paths": [], "accept_url": "x"},
            to=["a@example.com"],
        )
    assert message.subject.startswith("Welcome to")  # no language given: the default
    assert html_lang(html_part(message)) == "en"
    message = templated_email(
        template="accounts/email/invitation",
        context={"user": None, "enrollment": None, "paths": [], "accept_url": "x"},
        to=["a@example.com"],
        language="es",
    )
    assert message.subject == (
        "Le damos la bienvenida a Trinity Career Institute: cree la contraseña de su "
        "portal del estudiante"
    )
    assert html_lang(html_part(message)) == "es"


def test_a_spanish_student_invited_by_english_staff_gets_a_spanish_invitation(
    cohort, certification, mailoutbox
):
    with translation.override("en"):
        user = User.objects.create_user(email="luz@example.com", language="es")
        services.enrollment_create(email=user.email, cohort=cohort, certifications=[certification])
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Le damos la bienvenida")
    assert html_lang(html_part(mail)) == "es"
    assert "/es/portal/invitation/" in mail.body  # the link opens the Spanish page


def test_an_english_student_gets_english_whatever_page_staff_are_on(
    cohort, certification, mailoutbox
):
    with translation.override("es"):
        services.enrollment_create(
            email="joe@example.com", cohort=cohort, certifications=[certification]
        )
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Welcome to")
    assert "/es/" not in mail.body


def test_the_inquiry_confirmation_speaks_the_language_of_the_form(client, mailoutbox):
    program = make_program(title="Medical Assisting", slug="medical-assisting")
    campus = make_campus(name="Arlington", slug="arlington")
    make_offering(program=program, campus=campus)
    response = client.post(
        "/es/request-info/",
        {
            "name": "María López",
            "email": "maria@example.com",
            "phone": "214 555 0190",
            "program": "medical-assisting",
            "campus": "arlington",
            "contact_method": "phone",
            "message": "",
            "consent_phone": "on",
            "source_page": "/es/programs/medical-assisting/",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    confirmation = next(m for m in mailoutbox if m.to == ["maria@example.com"])
    assert confirmation.subject == (
        "Trinity Career Institute: recibimos su solicitud de información sobre Medical Assisting"
    )
    assert html_lang(html_part(confirmation)) == "es"
    staff = [m for m in mailoutbox if m.to != ["maria@example.com"]]
    assert all(m.subject.startswith("New request for information") for m in staff)


# --- The calendar in the owner's language ------------------------------------------------


def test_the_calendar_feed_is_in_the_owners_language(client, student, enroll):
    enroll(student)
    User.objects.filter(pk=student.pk).update(language="es")
    profile = services.profile_ensure(user=student)
    token = StudentProfile.objects.get(pk=profile.pk).calendar_token
    url = reverse("portal:calendar", args=[token])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "primer día de clases" in body
    assert "first day of class" not in body
    assert "/es/portal/" in body.replace("\r\n ", "")
    User.objects.filter(pk=student.pk).update(language="en")
    body = client.get(url).content.decode()
    assert "first day of class" in body


def test_calendar_events_follow_the_active_language(student, enroll):
    enroll(student)
    with translation.override("es"):
        events = student_calendar_events(
            student, absolute_uri=lambda path: path, uid_domain="example.com"
        )
    assert {e.category for e in events} >= {"Grupo"}

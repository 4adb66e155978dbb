"""Apply online in Spanish: the pages, the form errors, the statuses and the e-mails an
applicant reads, with dates written the Spanish way; English stays the default."""

import re
from datetime import datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Application, ApplicationEvent
from accounts.services import applications as apps
from programs.languages import language_url
from tests.accounts.apply_world import about_post, fill, make_start

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def cohort(db):
    return make_start()


@pytest.fixture
def applicant(make_user):
    return make_user("ana@example.com", first_name="Ana", last_name="Lopez")


@pytest.fixture
def draft(applicant, cohort):
    return apps.application_start(applicant=applicant, cohort=cohort)


@pytest.fixture
def submitted(applicant, draft):
    fill(draft, applicant)
    apps.application_submit(application=draft, user=applicant)
    return draft


def spanish(client, method, url, **kwargs):
    """The page at its Spanish URL (/es/...), as a reader who chose Español asks for it."""
    with translation.override("es"):
        return getattr(client, method)(language_url(url, "es"), **kwargs)


def text(response):
    """The page's words, without tags (what a reader sees, roughly)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_choose_page_in_spanish(client, cohort):
    response = spanish(
        client, "get", reverse("apply:choose") + "?program=" + cohort.offering.program.slug
    )
    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Elija su programa, campus y fecha de inicio" in page
    assert "Ver fechas de inicio" in page
    assert "Choose your program" not in page
    # The English page is unchanged.
    english = text(client.get(reverse("apply:choose")))
    assert "Choose your program, campus and start date" in english


def test_start_page_writes_the_start_date_in_spanish(client, cohort):
    page = text(spanish(client, "get", reverse("apply:start", args=[cohort.pk])))
    assert "Comience su solicitud" in page
    assert "Crear mi cuenta y presentar mi solicitud" in page
    assert f"{cohort.start_date.day} de " in page
    assert "Costo de matrícula" in page


def test_step_errors_are_in_spanish(client, applicant, draft):
    client.force_login(applicant)
    url = reverse("apply:step", args=[draft.pk, "about"])
    response = spanish(client, "post", url, data=about_post(postal_code="7601", first_name=""))
    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Paso 1 de 5" in page
    assert "Sus datos" in page
    assert "Escriba su nombre." in page
    assert "Escriba un código postal de 5 dígitos, por ejemplo 76010." in page
    assert "Enter your first name." not in page
    draft.refresh_from_db()
    assert draft.postal_code == ""


def test_review_lists_what_is_missing_in_spanish(client, applicant, draft):
    client.force_login(applicant)
    page = text(spanish(client, "get", reverse("apply:step", args=[draft.pk, "review"])))
    assert "Lo que falta antes de poder enviarla" in page
    assert "Su fecha de nacimiento." in page
    assert "Identificación con foto." in page
    assert "Enviar mi solicitud" in page
    response = spanish(client, "post", reverse("apply:step", args=[draft.pk, "review"]))
    assert "Antes de enviarla, agregue:" in text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_application_page_shows_status_and_interview_in_spanish(
    client, applicant, submitted, staff_user
):
    at = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=7), datetime.min.time())
    ) + timedelta(hours=9, minutes=30)
    apps.interview_schedule(
        application=submitted, at=at, campus=submitted.cohort.offering.campus, reviewer=staff_user
    )
    client.force_login(applicant)
    page = text(spanish(client, "get", submitted.get_absolute_url()))
    assert "Entrevista programada" in page
    assert "Traiga su identificación con foto." in page
    # weekday_datetime: "lunes, 4 de enero de 2027, 09:30 CST" in Spanish.
    assert re.search(r"\w+, \d{1,2} de \w+ de \d{4}, 09:30 C[SD]T", page), page
    assert "Agregar al calendario" in page
    # In English: "Monday, January 4, 2027, 9:30 a.m. CST".
    english = text(client.get(submitted.get_absolute_url()))
    assert re.search(r"\w+day, \w+ \d{1,2}, \d{4}, 9:30 a\.m\. C[SD]T", english), english


def test_site_notes_are_read_in_the_readers_language(applicant, submitted, cohort):
    event = ApplicationEvent(application=submitted, status=Status.SUBMITTED)
    event.note = ApplicationEvent.NEW_DOCUMENTS
    with translation.override("es"):
        assert event.note_text == "Se recibieron documentos nuevos."
    assert event.note_text == "New documents received."
    event.note = "Bring the original."  # staff's words stay as written
    with translation.override("es"):
        assert event.note_text == "Bring the original."


def test_status_email_in_spanish(applicant, draft, mailoutbox):
    fill(draft, applicant)
    applicant.language = "es"  # chosen when the account was made on a Spanish page
    applicant.save(update_fields=["language"])
    apps.application_submit(application=draft, user=applicant)
    mail = next(m for m in mailoutbox if m.to == ["ana@example.com"])
    assert "Recibimos su solicitud" in mail.subject
    assert "Hola, Ana:" in mail.body
    assert "Próximo paso:" in mail.body
    html = mail.alternatives[0][0]
    assert "Ver mi solicitud" in html
    assert "We received" not in mail.subject


def test_english_stays_the_default_for_status_words():
    words, next_text = apps.status_text(Status.SUBMITTED)
    assert str(words) == "Submitted"
    with translation.override("es"):
        assert str(words) == "Enviada"
        assert str(next_text).startswith("La oficina de admisiones revisará sus documentos")

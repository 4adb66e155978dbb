"""The public program pages read in Spanish when Spanish is the active language."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from programs.dates import local_date
from programs.models import Inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(spanish_client):
    """Pages at their /es/ URLs, Spanish active in the test (tests/conftest.py)."""
    return spanish_client


@pytest.mark.parametrize(
    ("url", "spanish_text", "english_text"),
    [
        ("/", "Prepárese para una carrera en el área de la salud", "Train for a healthcare"),
        ("/programs/", "Programas de capacitación profesional", "Career training programs"),
        ("/programs/medical-assisting/", "Horarios y fechas de inicio", "Schedules and start"),
        ("/campuses/", "Dos campus en Dallas", "Two campuses in Dallas"),
        ("/campuses/arlington/", "Programas en el campus de Arlington", "Programs at the"),
        ("/request-info/", "Enviar mi solicitud", "Send my request"),
        ("/disclosures/", "Divulgaciones y quejas de estudiantes", "Disclosures and student"),
    ],
)
def test_public_pages_speak_spanish(client, catalog, spanish, url, spanish_text, english_text):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert spanish_text in html
    assert english_text not in html
    # The header and footer are translated too.
    assert "Solicitar en línea" in html
    assert "Saltar al contenido principal" in html


def test_start_dates_are_written_in_spanish(client, catalog, spanish, today):
    cohort = catalog["ma"].offerings.get(campus=catalog["dallas"]).cohorts.earliest("start_date")
    written = local_date(cohort.start_date, "short")
    assert written.startswith(f"{cohort.start_date.day} ")  # 4 dic 2026, not Dec 4, 2026
    html = client.get("/programs/medical-assisting/").content.decode()
    assert written in html
    assert "Costo de matrícula" in html


def test_filters_and_counts_in_spanish(client, catalog, spanish):
    html = client.get("/programs/?schedule=evening").content.decode()
    assert "con horario vespertino" in html
    assert "2 programas" in html
    html = client.get("/programs/?campus=nowhere").content.decode()
    assert "No tenemos ningún campus con ese nombre" in html


def test_request_form_errors_in_spanish(client, catalog, spanish):
    response = client.post(reverse("programs:request_info"), {"name": "", "email": "x"})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Díganos su nombre" in html
    assert "Escriba un correo electrónico completo" in html
    assert Inquiry.objects.count() == 0


def test_confirmation_in_spanish_and_admissions_email_in_english(client, catalog, spanish):
    response = client.post(
        reverse("programs:request_info"),
        {
            "name": "María López",
            "email": "maria@example.com",
            "phone": "214 555 0123",
            "program": "medical-assisting",
            "campus": "dallas",
            "contact_method": "phone",
            "consent_phone": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    thanks = client.get(response.url).content.decode()
    assert "¡Gracias, María!" in thanks
    assert "le llamará en un día hábil" in thanks
    admissions, confirmation = mail.outbox
    assert confirmation.subject.endswith(
        "recibimos su solicitud de información sobre Medical Assisting"
    )
    assert "Recibimos su solicitud de información sobre Medical Assisting" in confirmation.body
    assert "Un asesor de admisiones le llamará" in confirmation.body
    assert "Próximas fechas de inicio" in confirmation.body
    assert admissions.subject.startswith("New request for information")
    assert "Preferred contact" in admissions.body


def test_error_page_in_spanish(client, spanish):
    response = client.get("/es/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "No encontramos esa página" in response.content.decode()

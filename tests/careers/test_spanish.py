"""The career pages and the path finder read in Spanish when Spanish is active."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(spanish_client):
    """Pages at their /es/ URLs, Spanish active in the test (tests/conftest.py)."""
    return spanish_client


@pytest.mark.parametrize(
    ("name", "kwargs", "spanish_text", "english_text"),
    [
        ("careers:index", {}, "Empiece una carrera en el área de la salud", "Start a career"),
        ("careers:certification_list", {}, "Otorgada por", "Issued by"),
        ("careers:certification_detail", {"slug": "rma"}, "Quién puede presentar", "Who can"),
        (
            "careers:role_detail",
            {"slug": "medical-assistant"},
            "En qué consiste",
            "What the job involves",
        ),
        (
            "careers:guide_detail",
            {"slug": "what-does-a-medical-assistant-do"},
            "Guía de carrera",
            "Career guide",
        ),
        ("careers:find_your_path", {}, "¿Qué tipo de trabajo le atrae más?", "What kind of work"),
    ],
)
def test_career_pages_speak_spanish(
    client, school, spanish, name, kwargs, spanish_text, english_text
):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert spanish_text in html
    assert english_text not in html
    assert "Solicitar en línea" in html  # the header


def test_path_finder_explains_in_spanish(client, school, spanish):
    response = client.get(
        reverse("careers:find_your_path"),
        {"work": "patients", "needles": "no", "schedule": "either", "campus": "either"},
    )
    assert response.status_code == HTTPStatus.OK
    rec = response.context["recommendation"]
    assert rec.role_why.startswith("Usted prefiere evitar las agujas")
    html = response.content.decode()
    assert "Nuestra sugerencia" in html
    assert "Por qué:" in html


def test_path_finder_errors_in_spanish(client, school, spanish):
    response = client.get(reverse("careers:find_your_path"), {"work": "nonsense"})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Responda todas las preguntas" in html
    assert "Elija uno de los tipos de trabajo de la lista." in html

"""The student portal and the student e-mails read in Spanish when Spanish is active,
and the same pages stay in English otherwise."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.templatetags.portal import days_ago_phrase, days_phrase
from programs.dates import local_date
from programs.languages import language_url
from tests.accounts.conftest import step
from tests.accounts.staff_data import make_path, make_student
from tests.accounts.test_reminders import run, set_due

pytestmark = pytest.mark.django_db


def spanish_get(client, url):
    with translation.override("es"):
        response = client.get(language_url(url, "es"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_reads_in_spanish(student_client, path, student, cohort):
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    html = spanish_get(student_client, reverse("portal:dashboard"))
    assert "Portal del estudiante" in html
    assert "Próximas fechas límite" in html
    assert "Próximo paso" in html
    assert 'aria-label="Progreso de la certificación CMA"' in html
    assert "10% completado" in html
    with translation.override("es"):
        assert local_date(cohort.start_date, "short") in html
    for english in ("Upcoming deadlines", "Next step", "My progress", "% complete"):
        assert english not in html


def test_the_path_page_credentials_and_profile_read_in_spanish(student_client, path):
    html = spanish_get(student_client, path.get_absolute_url())
    assert "Sus pasos" in html
    assert "Cómo se calcula su progreso" in html
    assert "Your steps" not in html
    html = spanish_get(student_client, reverse("portal:credentials"))
    assert "Credenciales y educación continua" in html
    html = spanish_get(student_client, reverse("portal:profile"))
    assert "Guardar mi perfil" in html
    assert "Teléfono celular" in html
    assert "Mobile phone" not in html


def test_the_same_pages_stay_in_english_by_default(student_client, path):
    html = student_client.get(reverse("portal:dashboard")).content.decode()
    assert "Upcoming deadlines" in html
    assert "Próximas fechas límite" not in html


def test_a_refused_form_says_what_to_fix_in_spanish(student_client, path):
    hours = step(path, "Externship hours")
    with translation.override("es"):
        response = student_client.post(
            language_url(reverse("portal:step_count", args=[hours.pk]), "es"),
            {f"step-{hours.pk}-count": "lots"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    html = response.content.decode()
    assert "Escriba un número entero, por ejemplo 112." in html
    assert "Hay un problema" in html


def test_days_phrases_in_both_languages():
    today = date(2026, 12, 4)
    assert days_phrase(today + timedelta(days=1), today) == "tomorrow"
    assert days_phrase(today + timedelta(days=12), today) == "in 12 days"
    assert days_phrase(today - timedelta(days=1), today) == "1 day overdue"
    assert days_ago_phrase(today - timedelta(days=3), today) == "3 days ago"
    with translation.override("es"):
        assert days_phrase(today, today) == "hoy"
        assert days_phrase(today + timedelta(days=12), today) == "en 12 días"
        assert days_phrase(today - timedelta(days=1), today) == "1 día de retraso"
        assert days_ago_phrase(today - timedelta(days=3), today) == "hace 3 días"


def test_a_reminder_written_in_spanish(mailoutbox):
    deadline = timezone.localdate() + timedelta(days=120)
    student = make_student(first_name="Maria")
    student.language = "es"  # the reminder follows the student's language
    student.save(update_fields=["language"])
    path = make_path(student=student)
    set_due(path, "Externship hours", deadline)
    run(deadline - timedelta(days=7))
    with translation.override("es"):
        weekday = local_date(deadline, "weekday")
    (message,) = mailoutbox
    acronym = path.certification.acronym
    assert message.subject == f"Recordatorio: Externship hours ({acronym}) vence en 7 días"
    assert "Hola, Maria:" in message.body
    assert f"Fecha límite: {weekday} (en 7 días)" in message.body
    html, _ = message.alternatives[0]
    assert '<html lang="es">' in html
    assert "Abrir mi panel" in html

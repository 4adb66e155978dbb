"""The request form asks consent only for the channel chosen, and a preferred start and
schedule (a start of the chosen program and campus, or "not sure yet")."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import Cohort, Inquiry

pytestmark = pytest.mark.django_db

URL = "/request-info/"


@pytest.fixture
def valid(catalog):
    return {
        "name": "Maria Lopez",
        "email": "maria@example.com",
        "phone": "214 555 0190",
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "text",
        "consent_text": "on",
    }


def arlington_evening():
    return Cohort.objects.get(
        offering__campus__slug="arlington",
        offering__program__slug="medical-assisting",
        offering__schedule="evening",
    )


def test_each_channel_has_its_own_consent_sentence(client, catalog):
    html = client.get(URL).content.decode()
    assert "may contact me about its programs by e-mail" in html
    assert "may call me about its programs" in html
    assert "may send me text messages about its programs" in html
    # The old sentence agreed to every channel at once.
    assert "by e-mail, phone or text message" not in html
    assert 'src="/static/js/request_info.js"' in html


@pytest.mark.parametrize("method", ["email", "phone", "text"])
def test_consent_for_another_channel_is_not_enough(client, valid, method):
    others = {"email", "phone", "text"} - {method}
    data = {**valid, "contact_method": method}
    data.pop("consent_text")
    for other in others:
        data[f"consent_{other}"] = "on"
    response = client.post(URL, data)
    assert response.status_code == HTTPStatus.OK
    assert f"consent_{method}" in response.context["form"].errors
    assert not Inquiry.objects.exists()
    response = client.post(URL, {**data, f"consent_{method}": "on"})
    assert response.status_code == HTTPStatus.FOUND
    inquiry = Inquiry.objects.get()
    assert inquiry.consent is True
    assert inquiry.consent_channel == method


def test_preferred_start_and_schedule_are_saved_and_mailed(client, valid):
    cohort = arlington_evening()
    data = {**valid, "preferred_cohort": cohort.pk, "preferred_schedule": "evening"}
    assert client.post(URL, data).status_code == HTTPStatus.FOUND
    inquiry = Inquiry.objects.get()
    assert inquiry.preferred_cohort == cohort
    assert inquiry.preferred_schedule == "evening"
    admissions, confirmation = mail.outbox
    assert "Preferred schedule: Evening" in admissions.body
    assert "agreed to be contacted by text message only" in admissions.body
    assert "Preferred start: " in confirmation.body
    assert "Not sure yet" not in confirmation.body.split("Preferred start: ")[1].split("\n")[0]


def test_not_sure_yet_is_the_default(client, valid):
    assert client.post(URL, valid).status_code == HTTPStatus.FOUND
    inquiry = Inquiry.objects.get()
    assert inquiry.preferred_cohort is None
    assert inquiry.preferred_schedule == ""
    assert "Preferred start: Not sure yet" in mail.outbox[1].body


def test_start_of_another_program_or_campus_is_refused(client, valid):
    dallas = Cohort.objects.open_for_enrollment().filter(offering__campus__slug="dallas").first()
    response = client.post(URL, {**valid, "preferred_cohort": dallas.pk})
    assert response.status_code == HTTPStatus.OK
    assert "Choose a start date of the program and campus you chose" in response.content.decode()
    # Without a program, no start can be chosen either.
    response = client.post(URL, {**valid, "program": "", "preferred_cohort": dallas.pk})
    assert "preferred_cohort" in response.context["form"].errors
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "1 OR 1=1"])
def test_bad_start_values_are_a_clear_error(client, valid, bad):
    response = client.post(URL, {**valid, "preferred_cohort": bad})
    assert response.status_code == HTTPStatus.OK
    assert "preferred_cohort" in response.context["form"].errors


def test_full_start_is_not_offered(client, valid):
    full = Cohort.objects.get(seats=2, seats_taken=2)
    html = client.get(URL).content.decode()
    assert f'value="{full.pk}"' not in html
    response = client.post(URL, {**valid, "campus": "arlington", "preferred_cohort": full.pk})
    assert "preferred_cohort" in response.context["form"].errors


def test_schedule_must_match_the_chosen_start(client, valid):
    cohort = arlington_evening()
    data = {**valid, "preferred_cohort": cohort.pk, "preferred_schedule": "day"}
    response = client.post(URL, data)
    assert "The start date you chose is for evening classes." in response.content.decode()
    bad = client.post(URL, {**valid, "preferred_schedule": "midnight"})
    assert "preferred_schedule" in bad.context["form"].errors


def test_admin_and_csv_show_consent_channel_and_preferences(client, staff_client, valid):
    cohort = arlington_evening()
    client.post(URL, {**valid, "preferred_cohort": cohort.pk, "preferred_schedule": "evening"})
    inquiry = Inquiry.objects.get()
    changelist = staff_client.get(reverse("admin:programs_inquiry_changelist")).content.decode()
    assert "Evening" in changelist
    response = staff_client.post(
        reverse("admin:programs_inquiry_changelist"),
        {"action": "export_csv", "_selected_action": [inquiry.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["Consent given for", "Preferred start", "Preferred schedule"]
    assert rows[1][-3:] == ["Text message", cohort.start_date.isoformat(), "Evening"]

import re
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from programs.models import Inquiry
from tests.programs.conftest import inquiry_limit

pytestmark = pytest.mark.django_db

URL = "/request-info/"


@pytest.fixture
def valid(catalog):
    return {
        "name": "Maria  Lopez",
        "email": "maria@example.com",
        "phone": "214 555 0190",
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "phone",
        "message": "Do you have evening classes?",
        "consent_phone": "on",
        "source_page": "/programs/medical-assisting/",
    }


def test_form_page_renders_with_honeypot_hidden_from_people(client, catalog):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    html = " ".join(response.content.decode().split())
    wrapper = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div> </div>', html)
    assert wrapper, "the honeypot sits in an off-screen wrapper hidden from screen readers"
    assert 'name="website"' in wrapper.group(1)
    assert 'tabindex="-1"' in wrapper.group(1)
    assert 'autocomplete="off"' in wrapper.group(1)
    assert "Secret Draft" not in html  # unpublished programs are not offered


def test_query_string_preselects_program_and_campus(client, catalog):
    response = client.get(URL, {"program": "medical-billing", "campus": "arlington"})
    assertContains(response, '<option value="medical-billing" selected>')
    assertContains(response, '<option value="arlington" selected>')


def test_unknown_preselect_values_are_ignored(client, catalog):
    response = client.get(URL, {"program": "<script>", "campus": "houston"})
    assert response.status_code == HTTPStatus.OK
    assert "selected>" not in response.content.decode().split("<select", 1)[1].split("</select>")[
        0
    ].replace('value="" selected>', "")


def test_referring_page_is_recorded(client, catalog):
    response = client.get(URL, HTTP_REFERER="http://testserver/programs/medical-assisting/?x=1")
    assertContains(response, 'value="/programs/medical-assisting/?x=1"')
    other = client.get(URL, HTTP_REFERER="https://evil.example/phish")
    assert "evil.example" not in other.content.decode()


def test_valid_request_saves_emails_both_and_thanks(client, valid, catalog):
    response = client.post(URL, valid)
    assertRedirects(response, reverse("programs:request_info_thanks"))
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Maria Lopez"
    assert inquiry.phone == "(214) 555-0190"
    assert inquiry.program == catalog["ma"]
    assert inquiry.campus == catalog["arlington"]
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.consent is True
    assert inquiry.source_page == "/programs/medical-assisting/"

    assert len(mail.outbox) == 2
    admissions, confirmation = mail.outbox
    assert admissions.to == [catalog["arlington"].admissions_email]
    assert admissions.reply_to == ["maria@example.com"]
    assert "Medical Assisting (Arlington)" in admissions.subject
    assert "Maria Lopez" in admissions.body
    assert "(214) 555-0190" in admissions.body
    assert "Do you have evening classes?" in admissions.body
    assert f"/admin/programs/inquiry/{inquiry.pk}/change/" in admissions.body
    assert confirmation.to == ["maria@example.com"]
    assert confirmation.reply_to == [catalog["arlington"].admissions_email]
    assert "An admissions advisor will call you" in confirmation.body
    assert "http://testserver/programs/medical-assisting/" in confirmation.body
    assert "Maria" in admissions.alternatives[0][0]
    for message in (admissions, confirmation):
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert "<html" in html

    thanks = client.get(response.url)
    assertContains(thanks, "Thank you, Maria!")
    assertContains(thanks, "maria@example.com")
    assertContains(thanks, "Arlington campus will call you")


def test_confirmation_lists_next_enrollable_start_dates(client, valid, catalog, today):
    valid["contact_method"] = "email"
    valid["consent_email"] = "on"
    client.post(URL, valid)
    confirmation = mail.outbox[1]
    # Arlington MA: the day class in 10 days is full, so it is not offered; the evening
    # class in 30 days has 3 seats left; the day class in 40 days is open.
    assert "Next start dates for Medical Assisting in Arlington" in confirmation.body

    def line(days):
        start = today + timedelta(days=days)
        return f"{start:%A, %B} {start.day}, {start.year}"

    assert line(10) not in confirmation.body
    assert f"{line(30)} (evening classes" in confirmation.body
    assert f"{line(40)} (day classes" in confirmation.body
    assert (
        f"{line(30)} (evening classes, Monday to Thursday, 6:00 pm to 10:00 pm): 3 seats left"
        in (confirmation.body)
    )
    assert "waitlist" not in confirmation.body
    assert line(30) in confirmation.alternatives[0][0]


def test_not_sure_program_is_allowed(client, valid, catalog):
    valid["program"] = ""
    response = client.post(URL, valid)
    assert response.status_code == HTTPStatus.FOUND
    assert Inquiry.objects.get().program is None
    assert "our programs" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "maria@"}, "email", "Enter a complete e-mail address"),
        ({"email": ""}, "email", "Enter your e-mail address so we can reply."),
        ({"consent_phone": None}, "consent_phone", "Tick this box so admissions may contact you"),
        ({"program": "underwater-welding"}, "program", "We don&#x27;t have that program."),
        ({"program": "secret-draft"}, "program", "We don&#x27;t have that program."),
        ({"campus": ""}, "campus", "Choose the campus you would like to attend."),
        ({"campus": "houston"}, "campus", "Choose one of our campuses from the list."),
        ({"name": " "}, "name", "Tell us your name"),
        ({"phone": "555-12"}, "phone", "Enter a 10-digit U.S. phone number"),
        ({"phone": ""}, "phone", "Enter your phone number, or choose e-mail"),
        (
            {"program": "ekg-technician"},
            "campus",
            "EKG Technician is not taught at our Arlington campus.",
        ),
    ],
)
def test_bad_input_saves_nothing_sends_nothing_and_explains(client, valid, changes, field, message):
    data = {**valid, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(URL, data)
    assert response.status_code == HTTPStatus.OK
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []
    html = response.content.decode()
    assert message in html
    # the error sits beside its field and the field points at it
    assert f'id="id_{field}_error"' in html
    assert "aria-describedby" in html
    assert 'aria-invalid="true"' in html
    # the error summary links to the field
    assert "Please check" in html
    # the visitor's other answers are kept
    assert "Do you have evening classes?" in html


def test_honeypot_submission_is_dropped_silently(client, valid):
    response = client.post(URL, {**valid, "website": "http://spam.example"})
    assertRedirects(response, reverse("programs:request_info_thanks"))
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []
    thanks = client.get(response.url)
    assert "Thank you!" in thanks.content.decode()


def test_rate_limit_per_email_address(client, valid):
    for i in range(inquiry_limit("key")):
        response = client.post(URL, valid, REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert response.status_code == HTTPStatus.FOUND
    mail.outbox.clear()
    response = client.post(URL, {**valid, "email": "MARIA@example.com"}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertContains(response, "several requests from you in the last hour", status_code=429)
    assert Inquiry.objects.count() == inquiry_limit("key")
    assert mail.outbox == []


def test_rate_limit_per_ip_address(client, valid):
    for i in range(inquiry_limit("ip")):
        client.post(URL, {**valid, "email": f"person{i}@example.com"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(URL, {**valid, "email": "new@example.com"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Inquiry.objects.count() == inquiry_limit("ip")
    # another network is not affected
    other = client.post(URL, {**valid, "email": "new@example.com"}, REMOTE_ADDR="10.2.2.2")
    assert other.status_code == HTTPStatus.FOUND


def test_invalid_attempts_do_not_use_up_the_allowance(client, valid):
    for _ in range(inquiry_limit("key") + 2):
        client.post(URL, {**valid, "consent_phone": ""})
    assert client.post(URL, valid).status_code == HTTPStatus.FOUND


def test_mail_outage_still_saves_and_thanks(client, valid):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        response = client.post(URL, valid)
    assert response.status_code == HTTPStatus.FOUND
    assert Inquiry.objects.count() == 1


def test_thank_you_page_without_a_request_is_generic(client, catalog):
    response = client.get(reverse("programs:request_info_thanks"))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Your request has reached our admissions team.")
    assertContains(response, '<meta name="robots" content="noindex">')


def test_thank_you_page_shows_only_your_own_request(client, valid, catalog):
    client.post(URL, valid)
    other = client.__class__()
    response = other.get(reverse("programs:request_info_thanks"))
    assert "Maria" not in response.content.decode()


def test_confirmation_carries_no_text_the_visitor_wrote(client, valid):
    """It goes to any address typed in the form: it must not relay the sender's words."""
    valid.update(name="Cheap Pills", message="Buy now at pills.example", phone="214 555 0199")
    client.post(URL, valid)
    confirmation = mail.outbox[1]
    assert confirmation.to == ["maria@example.com"]
    for part in (confirmation.subject, confirmation.body, confirmation.alternatives[0][0]):
        for written in ("Cheap", "Pills", "pills.example", "555-0199"):
            assert written not in part
    assert "Medical Assisting" in confirmation.body
    assert "Arlington" in confirmation.body

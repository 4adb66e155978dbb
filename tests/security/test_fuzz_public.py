# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""Hostile and random input on every public form and query string: never a 500, nothing
saved from invalid input, and a clear message each time.

The portal's own forms are fuzzed in tests/accounts/test_fuzz.py; uploads in
tests/security/test_fuzz_uploads.py."""

import itertools
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.core import mail
from hypothesis import event, given
from hypothesis import strategies as st

from careers.models import WorkPreference
from careers.pathfinder import NeedleComfort
from programs.models import Field, Inquiry, Schedule
from tests.factories import make_certification, make_role
from tests.programs.conftest import catalog, today, two_campuses  # noqa: F401
from tests.security.strategies import FUZZ, hostile_value, last, raw_query

pytestmark = pytest.mark.django_db

ERROR_MARKERS = ("invalid-feedback", "alert-danger")
_addresses = itertools.count(1)


def has_error_message(response):
    html = response.content.decode()
    return any(marker in html for marker in ERROR_MARKERS)


# --- Request information (POST) ---------------------------------------------------------

INQUIRY_FIELDS = [
    "name",
    "email",
    "phone",
    "program",
    "campus",
    "contact_method",
    "message",
    "consent_email",
    "consent_phone",
    "consent_text",
    "preferred_cohort",
    "preferred_schedule",
    "source_page",
]


def valid_inquiry(n):
    return {
        "name": "Maria Lopez",
        "email": f"person{n}@example.com",
        "phone": "214 555 0190",
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "phone",
        "message": "Evening classes?",
        "consent_phone": "on",
        "source_page": "/programs/",
    }


@FUZZ
@given(overrides=st.dictionaries(st.sampled_from(INQUIRY_FIELDS), hostile_value, max_size=4))
def test_inquiry_form_withstands_anything(client, catalog, overrides):
    n = next(_addresses)
    data = {**valid_inquiry(n), **overrides}
    before = Inquiry.objects.count()
    mail.outbox.clear()
    response = client.post("/request-info/", data, REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1")
    event(f"status {response.status_code}")
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.OK:
        assert Inquiry.objects.count() == before, "an invalid request was saved"
        assert mail.outbox == []
        assert has_error_message(response), "refused without saying why"
    else:
        assert Inquiry.objects.count() == before + 1
        saved = Inquiry.objects.latest("pk")
        assert "\x00" not in saved.name + saved.email + saved.message + saved.phone
        assert saved.source_page == "" or saved.source_page.startswith("/")
        assert not saved.source_page.startswith("//")


@FUZZ
@given(query=raw_query(["program", "campus"]))
def test_inquiry_page_preselection_withstands_any_query(client, catalog, query):
    response = client.get(f"/request-info/?{query}")
    assert response.status_code == HTTPStatus.OK


# --- Programs filter (GET) --------------------------------------------------------------

FILTER_CHOICES = {
    "campus": {"", "dallas", "arlington"},
    "field": {"", *Field.values},
    "schedule": {"", *Schedule.values},
}


@FUZZ
@given(params=st.dictionaries(st.sampled_from(list(FILTER_CHOICES)), hostile_value, min_size=1))
def test_programs_filter_withstands_anything(client, catalog, params):
    response = client.get(f"/programs/?{urlencode(params, doseq=True)}")
    assert response.status_code == HTTPStatus.OK
    invalid = [name for name, value in params.items() if last(value) not in FILTER_CHOICES[name]]
    if invalid:
        assert has_error_message(response), f"no message for {invalid}"
    else:
        assert not has_error_message(response)


@FUZZ
@given(query=raw_query(list(FILTER_CHOICES)))
def test_programs_list_withstands_any_raw_query(client, catalog, query):
    assert client.get(f"/programs/?{query}").status_code == HTTPStatus.OK


# --- Find your path (GET) ---------------------------------------------------------------

PATH_CHOICES = {
    "work": set(WorkPreference.values),
    "needles": set(NeedleComfort.values),
    "schedule": {"day", "evening", "either"},
    "campus": {"dallas", "arlington", "either"},
}


@pytest.fixture
def roles(db):
    make_role(title="Medical assistant", slug="medical-assistant")
    make_certification(acronym="CMA", slug="cma")


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(list(PATH_CHOICES)),
        st.one_of(hostile_value, st.sampled_from(sorted(set().union(*PATH_CHOICES.values())))),
        min_size=1,
    )
)
def test_find_your_path_withstands_anything(client, catalog, roles, params):
    response = client.get(f"/careers/find-your-path/?{urlencode(params, doseq=True)}")
    assert response.status_code == HTTPStatus.OK
    complete = all(last(params.get(name, "")) in PATH_CHOICES[name] for name in PATH_CHOICES)
    if not complete:
        assert has_error_message(response), "an incomplete questionnaire must say what to fix"


# --- Careers and other public pages: any query string -----------------------------------


@FUZZ
@given(
    page=st.sampled_from(
        [
            "/",
            "/careers/",
            "/careers/certifications/",
            "/careers/certifications/cma/",
            "/careers/medical-assistant/",
            "/careers/find-your-path/",
            "/campuses/",
            "/campuses/dallas/",
            "/programs/medical-assisting/",
            "/disclosures/",
            "/request-info/thank-you/",
        ]
    ),
    query=raw_query(["work", "needles", "schedule", "campus", "program", "field"]),
)
def test_public_pages_ignore_or_explain_any_query(client, catalog, roles, page, query):
    response = client.get(f"{page}?{query}")
    assert response.status_code == HTTPStatus.OK, f"{page}?{query}"


# --- Log in, password reset, invitation (allauth and the portal's set-password page) ---


@FUZZ
@given(login=hostile_value, password=hostile_value)
def test_login_form_withstands_anything(client, student, login, password):
    n = next(_addresses)
    response = client.post(
        "/accounts/login/",
        {"login": login, "password": password},
        REMOTE_ADDR=f"10.{n // 250}.{n % 250}.2",
    )
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session
    assert has_error_message(response)


@FUZZ
@given(email=hostile_value)
def test_password_reset_form_withstands_anything(client, student, email):
    n = next(_addresses)
    response = client.post(
        "/accounts/password/reset/", {"email": email}, REMOTE_ADDR=f"10.{n // 250}.{n % 250}.3"
    )
    assert response.status_code in (
        HTTPStatus.OK,  # not an e-mail address: said so on the form
        HTTPStatus.FOUND,  # looks like one: the same "check your inbox" page for all
        HTTPStatus.TOO_MANY_REQUESTS,
    )
    if response.status_code == HTTPStatus.OK:
        assert has_error_message(response)


@FUZZ
@given(first=hostile_value, second=hostile_value)
def test_invitation_password_form_withstands_anything(client, student, first, second):
    from accounts import services

    student.set_unusable_password()
    student.save(update_fields=["password"])
    token = services.invitation_create(user=student)
    n = next(_addresses)
    response = client.post(
        f"/portal/invitation/{token}/",
        {"new_password1": first, "new_password2": second},
        REMOTE_ADDR=f"10.{n // 250}.{n % 250}.4",
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    student.refresh_from_db()
    if response.status_code == HTTPStatus.OK:
        assert not student.has_usable_password()
        assert has_error_message(response)
    client.logout()

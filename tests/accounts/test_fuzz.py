"""Hostile and random input: never a 500, never anything saved from invalid input."""

import io
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from accounts import uploads
from accounts.models import CEActivity, Evidence, PathStep
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_upload_budget(settings):
    """Hundreds of examples per test: the per-student upload budget is tested elsewhere."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "upload": "100000/h/user",
        "photo": "100000/h/user",
    }


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

headers = st.sampled_from(
    [b"", b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP"]
)
names = st.sampled_from(["a.pdf", "a.jpg", "a.jpeg", "a.png", "a.webp", "a.PDF", "a.exe", "a"])


def clean_or_messages(check, upload):
    """The clean file's type, or the refusal's messages; anything else propagates."""
    try:
        return check(upload).content_type
    except ValidationError as error:
        return error.messages


def truncated(fmt):
    data = files.image_bytes(fmt, size=(300, 200))
    return st.integers(min_value=1, max_value=len(data) - 1).map(lambda n: data[:n])


@FUZZ
@given(head=headers, body=st.binary(max_size=4000), name=names)
def test_random_bytes_are_cleaned_or_refused(head, body, name):
    outcome = clean_or_messages(uploads.validate_evidence, files.upload(name, head + body))
    assert outcome in ("application/pdf", "image/jpeg", "image/png", "image/webp") or (
        isinstance(outcome, list) and outcome
    )


@FUZZ
@given(data=st.one_of(truncated("JPEG"), truncated("PNG"), truncated("WEBP")), photo=st.booleans())
def test_truncated_images_never_crash(data, photo):
    check = uploads.validate_photo if photo else uploads.validate_evidence
    name = (
        "x.jpg"
        if data.startswith(b"\xff\xd8")
        else ("x.png" if data.startswith(b"\x89") else "x.webp")
    )
    outcome = clean_or_messages(check, files.upload(name, data))
    assert outcome == "image/jpeg" or isinstance(outcome, (str, list))


def test_polyglot_jpeg_with_html_is_reencoded_without_the_payload():
    payload = b"<script>alert(document.cookie)</script>"
    data = files.image_bytes("JPEG") + payload
    clean = uploads.validate_evidence(files.upload("poly.jpg", data))
    cleaned = clean.content.read()
    assert payload not in cleaned
    Image.open(io.BytesIO(cleaned)).verify()


@pytest.mark.parametrize("size", [(20_000, 1), (1, 20_000), (9000, 9000)])
def test_huge_dimensions_are_refused(size):
    with pytest.raises(ValidationError, match="pixels"):
        uploads.validate_evidence(files.png_bomb(width=size[0], height=size[1]))


text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300
) | st.sampled_from(
    ["", " ", "-1", "1e309", "NaN", "9" * 5000, "0x10", "١٢٣", "<script>", "'; DROP TABLE x;--"]
)


@FUZZ
@given(value=text)
def test_step_count_form_withstands_anything(student_client, path, value):
    hours = step(path, "Externship hours")
    response = student_client.post(
        reverse("portal:step_count", kwargs={"pk": hours.pk}), {f"step-{hours.pk}-count": value}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    saved = PathStep.objects.get(pk=hours.pk).count
    if response.status_code == HTTPStatus.OK:
        assert saved == hours.count  # refused: nothing changed


@FUZZ
@given(value=text)
def test_exam_date_form_withstands_anything(student_client, path, value):
    exam = step(path, "Exam date")
    response = student_client.post(
        reverse("portal:step_date", kwargs={"pk": exam.pk}), {f"step-{exam.pk}-date_value": value}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)


@FUZZ
@given(title=text, provider=text, category=text, credits=text, day=text)
def test_ce_form_withstands_anything(student_client, path, title, provider, category, credits, day):
    from accounts import services

    credential = services.credential_record(
        path=path, issued_on=__import__("datetime").date(2024, 1, 1)
    )
    before = CEActivity.objects.count()
    prefix = f"ce-{credential.pk}-"
    response = student_client.post(
        reverse("portal:ce_add", kwargs={"pk": credential.pk}),
        {
            prefix + "title": title,
            prefix + "provider": provider,
            prefix + "category": category,
            prefix + "credits": credits,
            prefix + "completed_on": day,
        },
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.OK:
        assert CEActivity.objects.count() == before


@FUZZ
@given(first=text, last=text, phone=text, campus=text)
def test_profile_form_withstands_anything(student_client, first, last, phone, campus):
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": first, "last_name": last, "phone": phone, "preferred_campus": campus},
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)


@FUZZ
@given(data=st.binary(max_size=3000), name=names)
def test_upload_view_withstands_random_files(student_client, path, data, name):
    cpr = step(path, "CPR card")
    before = Evidence.objects.count()
    response = student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": cpr.pk}),
        {f"step-{cpr.pk}-file": files.upload(name, data)},
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.OK:
        assert Evidence.objects.count() == before


@pytest.mark.parametrize("token", ["%F0%9F%92%A9", "a" * 2000, "..%2F..%2F", "\u202e", "null"])
def test_invitation_urls_withstand_junk(client, token):
    response = client.get(f"/portal/invitation/{token}/")
    assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.TOO_MANY_REQUESTS)

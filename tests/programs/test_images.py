import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from programs import images
from programs.images import validate_image_upload
from tests.factories import make_campus, make_program
from tests.programs.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def _code(file):
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(file)
    return caught.value.code, " ".join(caught.value.messages)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_pass(fmt):
    validate_image_upload(upload(content=image_bytes(fmt)))


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF")])
def test_other_image_formats_are_refused_by_name(fmt, name):
    code, message = _code(upload("photo.jpg", image_bytes(fmt)))
    assert code == "wrong_format"
    assert f"{name} images are not accepted" in message
    assert "JPEG, PNG or WebP" in message


def test_a_file_that_is_not_an_image_is_refused():
    code, message = _code(upload("cv.jpg", b"%PDF-1.7 this is a document, not a picture"))
    assert code == "not_an_image"
    assert "not an image we can read" in message


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG", size=(400, 300))
    code, _message = _code(upload("broken.png", data[: len(data) // 2]))
    assert code in {"corrupt", "not_an_image"}


def test_a_file_over_the_byte_limit_is_refused():
    # Random pixels do not compress: a real 12 MB PNG, well within the pixel limit.
    noise = Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > images.MAX_UPLOAD_BYTES
    code, message = _code(upload("huge.png", buffer.getvalue()))
    assert code == "too_large"
    assert "the limit is 10 MB" in message
    assert "This file is 11.4 MB" in message


def test_an_image_over_the_pixel_limit_is_refused_before_decoding():
    # 8000 x 5200 = 41.6 megapixels, a tiny file: the header alone is checked.
    buffer = io.BytesIO()
    Image.new("1", (8000, 5200)).save(buffer, "PNG")
    code, message = _code(upload("wide.png", buffer.getvalue()))
    assert code == "too_many_pixels"
    assert "8000 by 5200 pixels" in message


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    code, _message = _code(upload("bomb.png", image_bytes("PNG", size=(1000, 1000))))
    assert code == "too_many_pixels"


def test_a_tiny_image_is_refused():
    code, message = _code(upload(content=image_bytes(size=(120, 80))))
    assert code == "too_small"
    assert "at least 200 pixels" in message


def test_saving_an_upload_strips_exif_and_makes_renditions():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    data = image_bytes("JPEG", size=(2000, 1000), exif=exif.tobytes())
    program = make_program()
    program.hero_image = ContentFile(data, name="IMG_0001.jpg")
    program.save()

    with default_storage.open(program.hero_image.name) as stored:
        original = Image.open(stored)
        assert dict(original.getexif()) == {}
        # The EXIF rotation was applied before it was removed.
        assert original.size == (1000, 2000)
    renditions = program.hero_renditions
    assert renditions["width"] == 1000
    assert [s["width"] for s in renditions["sources"]] == [360, 480, 720, 960]
    for source in renditions["sources"]:
        assert source["height"] == source["width"] * 2
        for key, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with default_storage.open(source[key]) as handle:
                rendition = Image.open(handle)
                assert rendition.format == fmt
                assert rendition.width == source["width"]
                assert dict(rendition.getexif()) == {}


def test_renditions_are_made_once_not_on_every_save():
    campus = make_campus()
    campus.photo = ContentFile(image_bytes(size=(1700, 900)), name="front.jpg")
    campus.save()
    first = campus.photo_renditions
    assert [s["width"] for s in first["sources"]] == [360, 480, 720, 960, 1280, 1600]
    campus.name = "Renamed"
    campus.save()
    campus.refresh_from_db()
    assert campus.photo_renditions == first


def test_replacing_an_image_deletes_the_old_renditions():
    program = make_program()
    program.hero_image = ContentFile(image_bytes(size=(1000, 600)), name="one.jpg")
    program.save()
    old = [s["webp"] for s in program.hero_renditions["sources"]]
    program.hero_image = ContentFile(image_bytes(size=(1000, 600), color=(1, 2, 3)), name="two.png")
    program.save()
    assert not any(default_storage.exists(path) for path in old)
    assert all(default_storage.exists(s["webp"]) for s in program.hero_renditions["sources"])


def test_clearing_an_image_clears_its_renditions():
    program = make_program()
    program.hero_image = ContentFile(image_bytes(size=(600, 400)), name="one.jpg")
    program.save()
    program.hero_image = None
    program.save()
    assert program.hero_renditions == {}


def test_model_validation_refuses_a_bad_upload():
    program = make_program()
    program.hero_image = upload("notes.jpg", b"plain text")
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert "hero_image" in caught.value.message_dict


def test_small_image_gets_a_single_rendition_at_its_own_width():
    campus = make_campus()
    campus.photo = ContentFile(image_bytes("PNG", size=(300, 200)), name="small.png")
    campus.save()
    assert [(s["width"], s["height"]) for s in campus.photo_renditions["sources"]] == [(300, 200)]

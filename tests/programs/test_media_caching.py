"""Public images are named after their content and cached accordingly: a year and
``immutable`` for content-named files (a new image means a new name), an hour for any
other name; every file answers a conditional GET with a 304."""

import io
import re
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from programs import media_names
from programs.images import RENDITION_WIDTHS, make_renditions, renditions_are_current
from programs.models import Campus, Program
from programs.storage_s3 import PublicS3Storage
from tests.factories import make_campus, make_program
from tests.programs.conftest import image_bytes

pytestmark = pytest.mark.django_db

HASHED = re.compile(r"\.[0-9a-f]{12}\.(jpg|png|webp)$")


def _media(client, name, **headers):
    response = client.get(f"/media/{name}", **headers)
    if hasattr(response, "streaming_content"):
        response.content_bytes = b"".join(response.streaming_content)
    return response


def test_the_upload_and_its_renditions_are_named_after_their_content():
    program = make_program()
    data = image_bytes(size=(1000, 600))
    program.hero_image = ContentFile(data, name="Front door.jpg")
    program.save()
    assert HASHED.search(program.hero_image.name), program.hero_image.name
    with default_storage.open(program.hero_image.name) as stored:
        assert media_names.content_hash(stored.read()) in program.hero_image.name
    for source in program.hero_renditions["sources"]:
        for key in ("webp", "jpeg"):
            name = source[key]
            assert name.startswith("renditions/programs/Front_door-"), name
            assert f"-{source['width']}w." in name
            with default_storage.open(name) as stored:
                assert media_names.content_hash(stored.read()) in name
    assert renditions_are_current(program.hero_image, program.hero_renditions)


def test_a_different_image_gets_different_names():
    first, second = make_campus(), make_campus(slug="second", name="Second")
    first.photo = ContentFile(image_bytes(size=(800, 500)), name="front.jpg")
    first.save()
    second.photo = ContentFile(image_bytes(size=(800, 500), color=(200, 10, 10)), name="front.jpg")
    second.save()
    assert first.photo.name != second.photo.name
    names = {s["webp"] for c in (first, second) for s in c.photo_renditions["sources"]}
    assert len(names) == 2 * len(first.photo_renditions["sources"])


def test_renditions_are_cached_for_a_year_with_validators(client):
    campus = make_campus()
    campus.photo = ContentFile(image_bytes(size=(800, 500)), name="front.jpg")
    campus.save()
    for name in [campus.photo.name, *(s["webp"] for s in campus.photo_renditions["sources"])]:
        response = _media(client, name)
        assert response.status_code == HTTPStatus.OK
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]

        again = _media(client, name, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == HTTPStatus.NOT_MODIFIED
        assert again["ETag"] == response["ETag"]
        assert again["Cache-Control"] == response["Cache-Control"]
        assert not again.content

        since = _media(client, name, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == HTTPStatus.NOT_MODIFIED

        stale = _media(client, name, HTTP_IF_NONE_MATCH='"something-else"')
        assert stale.status_code == HTTPStatus.OK
        # An ETag that does not match wins over a date that would (RFC 9110 13.2.2).
        both = _media(
            client,
            name,
            HTTP_IF_NONE_MATCH='"something-else"',
            HTTP_IF_MODIFIED_SINCE="Wed, 01 Jan 2100 00:00:00 GMT",
        )
        assert both.status_code == HTTPStatus.OK
        assert both.content_bytes


def test_a_name_without_a_content_hash_is_cached_briefly_never_immutable(client, settings):
    folder = settings.MEDIA_ROOT / "campuses"
    folder.mkdir(parents=True)
    (folder / "front.jpg").write_bytes(image_bytes())
    response = _media(client, "campuses/front.jpg")
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "immutable" not in response["Cache-Control"]
    assert response["ETag"]
    assert _media(
        client, "campuses/front.jpg", HTTP_IF_NONE_MATCH=response["ETag"]
    ).status_code == (HTTPStatus.NOT_MODIFIED)


def test_missing_files_and_folders_are_404s_without_cache_headers(client, settings):
    (settings.MEDIA_ROOT / "campuses").mkdir(parents=True)
    too_long = "campuses/" + "a" * 300 + ".jpg"  # longer than a file name may be
    for name in ("campuses/none.0123456789ab.jpg", "campuses/", "campuses", too_long):
        response = _media(client, name)
        assert response.status_code == HTTPStatus.NOT_FOUND, name
        assert "immutable" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("name", "immutable"),
    [
        ("renditions/campuses/dallas-campus-360w.0a1b2c3d4e5f.webp", True),
        ("campuses/dallas-campus.0a1b2c3d4e5f.jpg", True),
        ("campuses/dallas-campus.0a1b2c3d4e5f_AbC1234.jpg", True),  # storage's suffix
        ("campuses/dallas-campus.jpg", False),
        ("renditions/campuses/dallas-campus-3minw85h-480.webp", False),  # old naming
        ("campuses/notes.0a1b2c3d4e5f.pdf", False),
        ("campuses/DALLAS.0A1B2C3D4E5F.jpg", False),
    ],
)
def test_which_names_are_content_named(name, immutable):
    assert media_names.is_content_named(name) is immutable
    assert ("immutable" in media_names.cache_control(name)) is immutable


def test_the_object_store_gets_the_same_cache_control_per_object():
    storage = PublicS3Storage(bucket_name="school-media", object_parameters={"ACL": "x"})
    hashed = storage.get_object_parameters("renditions/programs/a-360w.0a1b2c3d4e5f.webp")
    assert hashed == {"ACL": "x", "CacheControl": "public, max-age=31536000, immutable"}
    plain = storage.get_object_parameters("programs/a.jpg")
    assert plain["CacheControl"] == "public, max-age=3600"


def _old_style(obj, field_name, renditions_name, data, name):
    """An image stored the way it was before names carried a hash: a plain name and
    renditions at the old widths, with random tokens."""
    stored = default_storage.save(name, ContentFile(data))
    setattr(obj, field_name, stored)
    field = getattr(obj, field_name)
    renditions = make_renditions(field, folder=name.split("/")[0])
    for source in renditions["sources"]:
        for key in ("webp", "jpeg"):
            old = source[key].rsplit("/", 1)[0] + f"/old-x1y2z3w4-{source['width']}.{key[:4]}"
            source[key] = default_storage.save(old, ContentFile(b"old"))
    renditions["sources"] = renditions["sources"][1:]  # a width is missing
    setattr(obj, renditions_name, renditions)
    type(obj).objects.filter(pk=obj.pk).update(**{field_name: stored, renditions_name: renditions})
    obj.refresh_from_db()
    return obj


def test_rebuild_renditions_brings_old_images_up_to_date_and_is_idempotent():
    campus = _old_style(
        make_campus(), "photo", "photo_renditions", image_bytes(size=(1000, 600)), "campuses/a.jpg"
    )
    program = _old_style(
        make_program(),
        "hero_image",
        "hero_renditions",
        image_bytes(size=(300, 250)),
        "programs/b.jpg",
    )
    old_files = [campus.photo.name] + [
        s[k] for s in campus.photo_renditions["sources"] for k in ("webp", "jpeg")
    ]
    assert not renditions_are_current(campus.photo, campus.photo_renditions)

    call_command("rebuild_renditions", stdout=(out := io.StringIO()))
    assert "2 images rebuilt, 0 already current" in out.getvalue()
    campus, program = Campus.objects.get(pk=campus.pk), Program.objects.get(pk=program.pk)
    assert renditions_are_current(campus.photo, campus.photo_renditions)
    assert renditions_are_current(program.hero_image, program.hero_renditions)
    assert [s["width"] for s in campus.photo_renditions["sources"]] == [
        w for w in RENDITION_WIDTHS if w <= 1000
    ]
    assert [s["width"] for s in program.hero_renditions["sources"]] == [300]
    assert campus.photo.name.startswith("campuses/a.")
    assert HASHED.search(campus.photo.name)
    assert default_storage.exists(campus.photo.name)
    assert not any(default_storage.exists(name) for name in old_files)

    call_command("rebuild_renditions", stdout=(out := io.StringIO()))
    assert "0 images rebuilt, 2 already current" in out.getvalue()

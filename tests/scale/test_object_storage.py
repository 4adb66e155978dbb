"""Uploads in S3-compatible object storage (DJANGO_MEDIA_STORAGE=s3), against a local moto
server: public images by plain URL, student evidence private and only streamed by the
permission-checked view."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Evidence, StudentProfile
from programs.models import Campus
from tests.accounts import files
from tests.accounts.conftest import step
from tests.programs.conftest import image_bytes, upload
from tests.programs.test_admin import _campus_form
from tests.scale.conftest import anonymous_get, keys

pytestmark = pytest.mark.django_db


def test_campus_photo_and_renditions_land_in_the_public_bucket(
    use_s3, s3_client, staff_client, client, moto_endpoint
):
    use_s3()
    response = staff_client.post(
        reverse("admin:programs_campus_add"),
        _campus_form(photo=upload("front.png", image_bytes("PNG", size=(1200, 800)), "image/png")),
    )
    assert response.status_code == HTTPStatus.FOUND
    campus = Campus.objects.get(slug="fort-worth")
    stored = keys(s3_client, "tc-public")
    assert campus.photo.name in stored
    renditions = [s[kind] for s in campus.photo_renditions["sources"] for kind in ("webp", "jpeg")]
    assert len(renditions) == 8  # 360, 480, 720 and 960 wide, WebP and JPEG
    assert set(renditions) <= set(stored)
    assert all(key.startswith("renditions/") for key in renditions)

    # The public page links the bucket directly; a visitor's browser can fetch the image.
    html = client.get(campus.get_absolute_url()).content.decode()
    src = f"{moto_endpoint}/tc-public/{campus.photo_renditions['sources'][-1]['jpeg']}"
    assert f'src="{src}"' in html
    status, body = anonymous_get(src)
    assert status == HTTPStatus.OK
    assert body.startswith(b"\xff\xd8")  # a JPEG
    # Every object is named after its content: browsers and CDNs keep it for a year.
    for key in [campus.photo.name, *renditions]:
        head = s3_client.head_object(Bucket="tc-public", Key=key)
        assert head["CacheControl"] == "public, max-age=31536000, immutable", key


def test_profile_photo_is_private_and_served_only_to_its_owner(
    use_s3, s3_client, student_client, student
):
    use_s3()
    response = student_client.post(
        reverse("portal:profile"),
        {
            "first_name": "Sam",
            "last_name": "Student",
            "phone": "",
            "preferred_campus": "",
            "new_photo": files.upload("me.jpg", files.image_bytes("JPEG", size=(800, 600))),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    photo = StudentProfile.objects.get(user=student).photo
    assert photo.name.startswith("profiles/")
    # Under the private prefix, never readable from the bucket by URL.
    assert keys(s3_client, "tc-public") == [f"private/{photo.name}"]
    public_url = f"{s3_client.meta.endpoint_url}/tc-public/private/{photo.name}"
    assert anonymous_get(public_url)[0] == HTTPStatus.FORBIDDEN
    response = student_client.get(reverse("portal:profile_photo"))
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content if response.streaming else [response.content])

    # Replacing the photo deletes the old object.
    student_client.post(
        reverse("portal:profile"),
        {
            "first_name": "Sam",
            "last_name": "Student",
            "phone": "",
            "preferred_campus": "",
            "new_photo": files.png("new.png"),
        },
    )
    new = StudentProfile.objects.get(user=student).photo
    assert keys(s3_client, "tc-public") == [f"private/{new.name}"]


@pytest.mark.parametrize(
    "private_bucket", [None, "tc-private"], ids=["prefix-in-public-bucket", "own-bucket"]
)
def test_evidence_is_private_and_streamed_only_to_its_owner(
    use_s3, s3_client, client, student, other_student, path, other_path, private_bucket
):
    env = use_s3(**({"DJANGO_S3_PRIVATE_BUCKET": private_bucket} if private_bucket else {}))
    bucket = private_bucket or "tc-public"
    client.force_login(student)
    cpr = step(path, "CPR card")
    response = client.post(
        reverse("portal:step_evidence", kwargs={"pk": cpr.pk}),
        {f"step-{cpr.pk}-file": files.pdf("cpr-card.pdf")},
    )
    assert response.status_code == HTTPStatus.FOUND
    evidence = Evidence.objects.get()
    key = f"private/{evidence.file.name}"
    assert key in keys(s3_client, bucket)
    if private_bucket:
        assert keys(s3_client, "tc-public") == []
    assert "cpr-card" not in key  # a random name, nothing about the student

    # No URL: neither the storage nor the bucket hands the file to anyone without keys.
    with pytest.raises(ValueError, match="no URL"):
        evidence.file.url  # noqa: B018
    acl = s3_client.get_object_acl(Bucket=bucket, Key=key)
    assert not any("AllUsers" in grant["Grantee"].get("URI", "") for grant in acl["Grants"])
    assert anonymous_get(f"{env['DJANGO_S3_ENDPOINT_URL']}/{bucket}/{key}")[0] == (
        HTTPStatus.FORBIDDEN
    )

    # The owner downloads it through the portal, streamed from the bucket.
    download = reverse("portal:evidence_download", kwargs={"pk": evidence.pk})
    response = client.get(download)
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert b"".join(response.streaming_content) == files.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert 'filename="cpr-card.pdf"' in response["Content-Disposition"]

    # Another student gets a 404, as for a file that does not exist.
    client.force_login(other_student)
    assert client.get(download).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.get(download).status_code == HTTPStatus.FOUND  # to the login page


def test_evidence_missing_from_the_bucket_is_a_404_not_a_500(
    use_s3, s3_client, student_client, path
):
    use_s3()
    cpr = step(path, "CPR card")
    student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": cpr.pk}),
        {f"step-{cpr.pk}-file": files.pdf()},
    )
    evidence = Evidence.objects.get()
    s3_client.delete_object(Bucket="tc-public", Key=f"private/{evidence.file.name}")
    response = student_client.get(reverse("portal:evidence_download", kwargs={"pk": evidence.pk}))
    assert response.status_code == HTTPStatus.NOT_FOUND

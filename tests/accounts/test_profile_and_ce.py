import io
import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import services
from accounts.models import CEActivity, StudentProfile
from tests.accounts import files
from tests.factories import make_campus

pytestmark = pytest.mark.django_db


def profile_data(**kw):
    return {
        "first_name": "Samantha",
        "last_name": "Student",
        "phone": "(214) 555-0147",
        "preferred_campus": "",
        **kw,
    }


def test_profile_saves_name_phone_campus_and_a_clean_photo(student_client, student, settings):
    campus = make_campus(name="Arlington")
    response = student_client.post(
        reverse("portal:profile"),
        profile_data(
            preferred_campus=campus.pk,
            new_photo=files.upload(
                "me.jpg", files.image_bytes("JPEG", size=(1600, 1200), exif=files.gps_exif())
            ),
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    profile = StudentProfile.objects.get(user=student)
    assert student.first_name == "Samantha"
    assert profile.phone == "(214) 555-0147"
    assert profile.preferred_campus == campus
    assert "me" not in profile.photo.name
    with profile.photo.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert image.size == (512, 384)
    assert 0x8825 not in image.getexif()
    html = student_client.get(reverse("portal:profile")).content.decode()
    assert f'src="{reverse("portal:profile_photo")}"' in html
    photo = student_client.get(reverse("portal:profile_photo"))
    assert photo.status_code == HTTPStatus.OK
    assert photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    with profile.photo.open("rb") as fh:
        assert b"".join(photo.streaming_content) == fh.read()


def test_replacing_the_photo_deletes_the_old_file(student_client, student):
    student_client.post(reverse("portal:profile"), profile_data(new_photo=files.png("a.png")))
    first = StudentProfile.objects.get(user=student).photo
    path = first.path
    student_client.post(reverse("portal:profile"), profile_data(new_photo=files.png("b.png")))
    import os

    assert not os.path.exists(path)
    student_client.post(reverse("portal:profile"), profile_data(remove_photo="on"))
    assert not StudentProfile.objects.get(user=student).photo


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (profile_data(first_name=""), "This field is required."),
        (profile_data(first_name="Sam\x07\x1b"), "Enter your name"),
        (profile_data(first_name="\x00"), "Null characters are not allowed"),
        (profile_data(phone="call me maybe"), "Enter a phone number"),
        (profile_data(phone="1" * 31), "Ensure this value has at most 30"),
        (profile_data(preferred_campus="99999"), "Select a valid choice"),
        (profile_data(new_photo=files.pdf("me.pdf")), "Upload a photo"),
        (profile_data(new_photo=files.png_bomb("me.png")), "pixels"),
        (profile_data(first_name="x" * 500), "at most 150"),
    ],
)
def test_bad_profile_input_is_explained_and_changes_nothing(student_client, student, data, message):
    response = student_client.post(reverse("portal:profile"), data)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    student.refresh_from_db()
    assert student.first_name == "Sam"
    profile = StudentProfile.objects.get(user=student)
    assert profile.phone == ""
    assert not profile.photo


def test_data_export_is_a_json_attachment(student_client, path):
    response = student_client.get(reverse("portal:profile_export"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-student-record-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "student@example.com"
    assert data["enrollments"][0]["certification_paths"][0]["acronym"] == "CMA"


# --- CE log --------------------------------------------------------------------------


@pytest.fixture
def credential(path):
    return services.credential_record(
        path=path, issued_on=timezone.localdate() - timedelta(days=100)
    )


def ce_data(credential, **kw):
    prefix = f"ce-{credential.pk}-"
    data = {
        "title": "Phlebotomy safety",
        "provider": "NHA",
        "category": "clinical",
        "credits": "1.5",
        "completed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        **kw,
    }
    return {prefix + key: value for key, value in data.items() if value is not None}


def test_log_a_ce_activity_with_proof(student_client, credential):
    response = student_client.post(
        reverse("portal:ce_add", kwargs={"pk": credential.pk}),
        ce_data(credential, proof=files.jpeg_with_gps("certificate.jpg")),
    )
    assert response.status_code == HTTPStatus.FOUND
    activity = CEActivity.objects.get()
    assert activity.credits == 1.5
    assert activity.proof
    page = student_client.get(reverse("portal:credentials")).content.decode()
    assert "Phlebotomy safety" in page
    assert "1.5 / 10" in page
    assert activity.get_proof_url() in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter the activity&#x27;s title"),
        ("category", "cooking", "Select a valid choice"),
        ("credits", "0", "greater than or equal to 0.25"),
        ("credits", "abc", "Enter a number of credits"),
        ("credits", "1e5", "less than or equal to 100"),
        ("completed_on", "2999-01-01", "not in the future"),
        ("completed_on", "2001-01-01", "Only activities completed after"),
        ("proof", files.upload("cert.pdf", b"<html>not a pdf</html>"), "named like a PDF"),
    ],
)
def test_bad_ce_entries_are_explained_and_nothing_is_saved(
    student_client, credential, settings, field, value, message
):
    response = student_client.post(
        reverse("portal:ce_add", kwargs={"pk": credential.pk}),
        ce_data(credential, **{field: value}),
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert CEActivity.objects.count() == 0
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_remove_a_ce_activity(student_client, credential, student):
    activity = services.ce_activity_add(
        credential=credential,
        user=student,
        title="Old",
        provider="X",
        category="any",
        credits="1",
        completed_on=timezone.localdate(),
    )
    response = student_client.post(reverse("portal:ce_delete", kwargs={"pk": activity.pk}))
    assert response.status_code == HTTPStatus.FOUND
    assert CEActivity.objects.count() == 0

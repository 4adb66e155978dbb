import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from programs.models import Campus, Disclosure, Inquiry, Program
from tests.programs.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

MODELS = ["campus", "program", "offering", "cohort", "inquiry", "disclosure"]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load_for_staff(staff_client, catalog, model):
    response = staff_client.get(reverse(f"admin:programs_{model}_changelist"))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_add_pages_load_for_staff(staff_client, catalog, model):
    assert staff_client.get(reverse(f"admin:programs_{model}_add")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_change_pages_load_for_staff(staff_client, catalog, model):
    Inquiry.objects.create(name="A", email="a@example.com", campus=catalog["dallas"], consent=True)
    Disclosure.objects.create(title="Approval", slug="approval", body="Text")
    from django.apps import apps

    obj = apps.get_model("programs", model).objects.first()
    response = staff_client.get(reverse(f"admin:programs_{model}_change", args=[obj.pk]))
    assert response.status_code == HTTPStatus.OK


def test_staff_can_log_a_phone_inquiry_with_consent(staff_client, catalog):
    data = {
        "status": "new",
        "staff_notes": "Called the front desk.",
        "name": "Walk In",
        "email": "walkin@example.com",
        "phone": "(817) 555-0111",
        "contact_method": "phone",
        "program": catalog["ma"].pk,
        "campus": catalog["arlington"].pk,
        "message": "",
    }
    refused = staff_client.post(reverse("admin:programs_inquiry_add"), data)
    assert refused.status_code == HTTPStatus.OK
    assertContains(refused, "only keep an inquiry when the person agreed to be contacted")
    assert not Inquiry.objects.exists()
    response = staff_client.post(reverse("admin:programs_inquiry_add"), {**data, "consent": "on"})
    assert response.status_code == HTTPStatus.FOUND
    inquiry = Inquiry.objects.get()
    assert inquiry.source_page == "Entered by staff (staff@example.com)"


def test_students_cannot_open_the_admin(student_client):
    response = student_client.get(reverse("admin:programs_inquiry_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response.url


def test_filters_show_facet_counts(staff_client, catalog):
    response = staff_client.get(reverse("admin:programs_cohort_changelist"))
    assertContains(response, "By campus")
    assertContains(response, "By availability")
    assertContains(response, "(")  # facet counts
    response = staff_client.get(
        reverse("admin:programs_cohort_changelist"), {"availability": "full"}
    )
    assert response.context["cl"].result_count == 1
    program = staff_client.get(
        reverse("admin:programs_program_changelist"), {"field": "health-admin"}
    )
    assert program.context["cl"].result_count == 1


def test_cohort_dates_are_checked_with_a_clear_message(staff_client, catalog, today):
    offering = catalog["ma"].offerings.first()
    response = staff_client.post(
        reverse("admin:programs_cohort_add"),
        {
            "offering": offering.pk,
            "start_date": today.isoformat(),
            "graduation_date": today.isoformat(),
            "seats": 20,
            "status": "open",
        },
    )
    assertContains(response, "The graduation date must come after the start date.")


def test_cohort_changelist_has_date_hierarchy(staff_client, catalog):
    response = staff_client.get(reverse("admin:programs_cohort_changelist"))
    assert response.context["cl"].date_hierarchy == "start_date"


def test_program_change_page_has_inlines(staff_client, catalog):
    response = staff_client.get(reverse("admin:programs_program_change", args=[catalog["ma"].pk]))
    for prefix in ("courses", "offerings", "outcomes"):
        assertContains(response, f'name="{prefix}-TOTAL_FORMS"')


def test_offering_change_page_has_cohorts_inline(staff_client, catalog):
    offering = catalog["ma"].offerings.first()
    response = staff_client.get(reverse("admin:programs_offering_change", args=[offering.pk]))
    assertContains(response, 'name="cohorts-TOTAL_FORMS"')


def test_inquiries_search_and_newest_first(staff_client, catalog):
    old = Inquiry.objects.create(
        name="Old", email="old@example.com", campus=catalog["dallas"], consent=True
    )
    new = Inquiry.objects.create(
        name="New", email="new@example.com", campus=catalog["arlington"], consent=True
    )
    response = staff_client.get(reverse("admin:programs_inquiry_changelist"))
    assert list(response.context["cl"].result_list) == [new, old]
    found = staff_client.get(reverse("admin:programs_inquiry_changelist"), {"q": "old@"})
    assert list(found.context["cl"].result_list) == [old]
    by_campus = staff_client.get(
        reverse("admin:programs_inquiry_changelist"), {"campus__id__exact": catalog["arlington"].pk}
    )
    assert list(by_campus.context["cl"].result_list) == [new]


def _inquiries(catalog):
    return [
        Inquiry.objects.create(
            name='=HYPERLINK("http://evil")',
            email="a@example.com",
            campus=catalog["dallas"],
            program=catalog["ma"],
            consent=True,
            message="Evening classes?",
        ),
        Inquiry.objects.create(
            name="Bo",
            email="b@example.com",
            campus=catalog["arlington"],
            consent=True,
            status=Inquiry.Status.APPLIED,
        ),
    ]


def test_mark_contacted_action(staff_client, catalog):
    first, second = _inquiries(catalog)
    response = staff_client.post(
        reverse("admin:programs_inquiry_changelist"),
        {"action": "mark_contacted", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assertContains(response, "1 inquiry marked as contacted.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Inquiry.Status.CONTACTED
    assert first.contacted_at is not None
    assert second.status == Inquiry.Status.APPLIED  # not moved backwards


def test_csv_export_action(staff_client, catalog):
    first, second = _inquiries(catalog)
    response = staff_client.post(
        reverse("admin:programs_inquiry_changelist"),
        {"action": "export_csv", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="inquiries-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Received", "Name", "E-mail"]
    assert len(rows) == 3
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email["a@example.com"][4] == "Medical Assisting"
    assert by_email["a@example.com"][5] == "Dallas"
    assert by_email["a@example.com"][9] == "Evening classes?"
    # a formula typed into the form is not run by the spreadsheet
    assert by_email["a@example.com"][1].startswith("'=")
    assert by_email["b@example.com"][7] == "Applied"


def _campus_form(**overrides):
    data = {
        "name": "Fort Worth",
        "slug": "fort-worth",
        "summary_en": "",
        "published": "on",
        "order": 3,
        "street": "1 Main St",
        "city": "Fort Worth",
        "state": "TX",
        "postal_code": "76102",
        "map_url": "",
        "phone": "(817) 555-0100",
        "email": "fw@example.com",
        "admissions_email": "admissions.fw@example.com",
        "hours_en": "Mon-Fri 8-5",
        "parking_en": "",
        "transit_en": "",
        "photo_alt_en": "The building",
    }
    return {**data, **overrides}


def test_admin_upload_makes_renditions(staff_client, db):
    response = staff_client.post(
        reverse("admin:programs_campus_add"),
        _campus_form(photo=upload("front.png", image_bytes("PNG", size=(1200, 800)), "image/png")),
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    campus = Campus.objects.get(slug="fort-worth")
    assert [s["width"] for s in campus.photo_renditions["sources"]] == [360, 480, 720, 960]
    page = staff_client.get(reverse("admin:programs_campus_change", args=[campus.pk]))
    assertContains(page, 'class="tc-admin-thumb"')


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (("anim.gif", image_bytes("GIF"), "image/gif"), "GIF images are not accepted"),
        (("notes.jpg", b"just some text", "image/jpeg"), "not an image we can read"),
    ],
)
def test_admin_refuses_bad_uploads_with_a_clear_message(staff_client, db, file, message):
    response = staff_client.post(
        reverse("admin:programs_campus_add"), _campus_form(photo=upload(*file))
    )
    assert response.status_code == HTTPStatus.OK
    assertContains(response, message)
    assert not Campus.objects.exists()


def test_admin_refuses_an_oversized_program_image(staff_client, catalog, monkeypatch):
    monkeypatch.setattr("programs.images.MAX_PIXELS", 100_000)
    program = catalog["ma"]
    response = staff_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    form = response.context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in form.initial.items()
        if name not in {"certifications", "roles", "hero_image"}
    }
    data.update(
        {
            "hero_image": upload("big.jpg", image_bytes(size=(1000, 800))),
            "published": "on",
            "courses-TOTAL_FORMS": 0,
            "courses-INITIAL_FORMS": 0,
            "offerings-TOTAL_FORMS": 0,
            "offerings-INITIAL_FORMS": 0,
            "outcomes-TOTAL_FORMS": 0,
            "outcomes-INITIAL_FORMS": 0,
        }
    )
    data.pop("featured", None)
    response = staff_client.post(reverse("admin:programs_program_change", args=[program.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "1000 by 800 pixels")
    program.refresh_from_db()
    assert not program.hero_image
    assert Program.objects.get(pk=program.pk).hero_renditions == {}

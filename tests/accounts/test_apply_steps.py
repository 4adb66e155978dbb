"""The application's steps: each saves a draft, validates with an error summary and
keeps what was typed; documents go through the evidence checks; sending it."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Application, ApplicationDocument
from accounts.services import applications as apps
from tests.accounts.apply_world import about_post, fill, make_start
from tests.accounts.files import big_file, pdf, png, upload

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def cohort(db):
    return make_start()


@pytest.fixture
def applicant(make_user):
    return make_user("ana@example.com", first_name="Ana", last_name="Lopez")


@pytest.fixture
def draft(applicant, cohort):
    return apps.application_start(applicant=applicant, cohort=cohort)


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def url(application, step):
    return reverse("apply:step", args=[application.pk, step])


def stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_every_step_renders_with_its_progress(applicant_client, draft):
    for number, step in enumerate(["about", "education", "documents", "consent", "review"], 1):
        response = applicant_client.get(url(draft, step))
        assert response.status_code == HTTPStatus.OK
        assert f"Step {number} of 5" in response.content.decode()
        assert (
            response["Cache-Control"].startswith("private")
            or "no-store" in response["Cache-Control"]
        )


def test_unknown_step_is_404(applicant_client, draft):
    assert applicant_client.get(url(draft, "payment")).status_code == HTTPStatus.NOT_FOUND


def test_about_saves_and_goes_on(applicant_client, draft):
    response = applicant_client.post(url(draft, "about"), about_post())
    assert response["Location"] == url(draft, "education")
    draft.refresh_from_db()
    assert (draft.phone, draft.city, draft.postal_code) == ("(817) 555-0100", "Arlington", "76010")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_name": ""}, "Enter your first name."),
        ({"date_of_birth": "31/02/2001"}, "Enter a date, like 2001-05-14."),
        ({"date_of_birth": "2999-01-01"}, "cannot be in the future"),
        ({"date_of_birth": "1900-01-01"}, "Check the year"),
        ("too_young", "at least 18 years old on the start date"),
        ({"phone": "call me"}, "Enter a phone number"),
        ({"postal_code": "7601"}, "5-digit ZIP code"),
        ({"state": "ZZ"}, "Choose a U.S. state."),
    ],
)
def test_about_errors_change_nothing_and_keep_what_was_typed(
    applicant_client, draft, change, message
):
    if change == "too_young":
        change = {"date_of_birth": (timezone.localdate() - timedelta(days=365 * 10)).isoformat()}
    response = applicant_client.post(url(draft, "about"), about_post(**change))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "data-error-summary" in html
    assert message in html
    assert 'value="12 Main St"' in html
    draft.refresh_from_db()
    assert draft.phone == ""
    assert draft.address == ""


def test_the_minimum_age_is_the_programs_on_the_start_date(applicant_client, draft):
    program = draft.cohort.offering.program
    start = draft.cohort.start_date
    try:
        eighteen_at_start = start.replace(year=start.year - 18)
    except ValueError:  # a start on February 29
        eighteen_at_start = date(start.year - 18, 2, 28)
    one_day_short = eighteen_at_start + timedelta(days=1)
    response = applicant_client.post(
        url(draft, "about"), about_post(date_of_birth=one_day_short.isoformat())
    )
    assert "at least 18 years old on the start date" in response.content.decode()
    draft.refresh_from_db()
    assert draft.date_of_birth is None
    response = applicant_client.post(
        url(draft, "about"), about_post(date_of_birth=eighteen_at_start.isoformat())
    )
    assert response.status_code == HTTPStatus.FOUND
    # Staff set the rule per program; the form follows.
    program.minimum_age = 21
    program.save(update_fields=["minimum_age"])
    response = applicant_client.post(
        url(draft, "about"), about_post(date_of_birth=eighteen_at_start.isoformat())
    )
    assert "at least 21 years old on the start date" in response.content.decode()


def test_education_saves_and_checks_the_year(applicant_client, draft):
    data = {"education": "ged", "school_name": "Arlington  High", "graduation_year": "2015"}
    assert applicant_client.post(url(draft, "education"), data)["Location"] == url(
        draft, "documents"
    )
    draft.refresh_from_db()
    assert (draft.education, draft.school_name, draft.graduation_year) == (
        "ged",
        "Arlington High",
        2015,
    )
    bad = {"education": "", "school_name": "X", "graduation_year": "1800"}
    html = applicant_client.post(url(draft, "education"), bad).content.decode()
    assert "Choose your high-school diploma or equivalent." in html
    assert "Enter a year between" in html
    draft.refresh_from_db()
    assert draft.school_name == "Arlington High"


def test_consent_needs_both_boxes(applicant_client, draft):
    html = applicant_client.post(url(draft, "consent"), {"consent_truthful": "on"}).content.decode()
    assert "Agree to be contacted" in html
    # The summary names the box by its error alone: not its whole sentence, then ".:".
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert ".:" not in summary
    assert 'href="#id_consent_contact">Agree to be contacted' in summary
    draft.refresh_from_db()
    assert not draft.consent_truthful
    response = applicant_client.post(
        url(draft, "consent"), {"consent_truthful": "on", "consent_contact": "on"}
    )
    assert response["Location"] == url(draft, "review")
    draft.refresh_from_db()
    assert draft.consented_at is not None


def test_documents_upload_list_and_remove(applicant_client, draft, settings):
    response = applicant_client.post(
        url(draft, "documents"), {"kind": "photo_id", "file": png("license.png")}
    )
    assert response["Location"] == url(draft, "documents")
    document = draft.documents.get()
    page = applicant_client.get(url(draft, "documents")).content.decode()
    assert "license.png" in page
    assert "Waiting for review" in page
    remove = reverse("apply:document_remove", args=[document.pk])
    assert "Remove the document" in applicant_client.get(remove).content.decode()
    applicant_client.post(remove)
    assert not draft.documents.exists()


def test_continue_uploads_a_chosen_file_before_moving_on(applicant_client, draft):
    page = applicant_client.get(url(draft, "documents")).content.decode()
    assert 'form="doc-upload-form" name="then" value="next"' in page  # Continue submits
    response = applicant_client.post(
        url(draft, "documents"), {"kind": "photo_id", "file": png("id.png"), "then": "next"}
    )
    assert response["Location"] == url(draft, "consent")
    assert draft.documents.get().original_name == "id.png"
    # Nothing chosen: Continue just moves on, without an error about a missing file.
    response = applicant_client.post(url(draft, "documents"), {"kind": "", "then": "next"})
    assert response["Location"] == url(draft, "consent")
    # A refused file stops on the step with its error, however it was sent.
    response = applicant_client.post(
        url(draft, "documents"),
        {"kind": "education", "file": upload("x.html", b"<p>hi</p>"), "then": "next"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "not a file type we accept" in response.content.decode()
    assert draft.documents.count() == 1


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: upload("evil.html", b"<script>alert(1)</script>"), "not a file type we accept"),
        (lambda: upload("fake.pdf", b"GIF89a not a pdf", "application/pdf"), "named like a PDF"),
        (lambda: big_file(), "the limit is 10 MB"),
        (lambda: None, "Choose a file to upload."),
    ],
)
def test_refused_documents_store_nothing(applicant_client, draft, settings, file, message):
    data = {"kind": "photo_id"}
    if (f := file()) is not None:
        data["file"] = f
    response = applicant_client.post(url(draft, "documents"), data)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "data-error-summary" in html
    assert message in html
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []


def test_a_fourth_file_of_a_kind_is_refused_and_not_stored(applicant_client, draft, settings):
    for i in range(apps.MAX_DOCUMENTS_PER_KIND):
        applicant_client.post(
            url(draft, "documents"), {"kind": "photo_id", "file": png(f"{i}.png")}
        )
    before = len(stored_files(settings))
    html = applicant_client.post(
        url(draft, "documents"), {"kind": "photo_id", "file": png("4.png")}
    ).content.decode()
    assert "Remove one first" in html
    assert draft.documents.count() == apps.MAX_DOCUMENTS_PER_KIND
    assert len(stored_files(settings)) == before


def test_uploads_are_rate_limited(applicant_client, draft, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": "1/h/user"}
    applicant_client.post(url(draft, "documents"), {"kind": "photo_id", "file": png()})
    response = applicant_client.post(url(draft, "documents"), {"kind": "education", "file": pdf()})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert draft.documents.count() == 1


def test_review_lists_what_is_missing_with_links(applicant_client, draft):
    html = applicant_client.get(url(draft, "review")).content.decode()
    assert "Still to do" in html
    assert url(draft, "documents") in html
    response = applicant_client.post(url(draft, "review"))
    assert "Your application was not sent" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submit_sends_it(applicant_client, draft, applicant, mailoutbox):
    fill(draft, applicant)
    response = applicant_client.post(url(draft, "review"))
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert any(applicant.email in m.to for m in mailoutbox)
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "Submitted" in page


def test_submission_is_rate_limited(applicant_client, draft, applicant, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "apply_submit": "1/h/user"}
    for _ in range(3):  # incomplete: refused, not counted
        response = applicant_client.post(url(draft, "review"))
        assert response.status_code == HTTPStatus.OK
        assert "Before you send it, add" in response.content.decode()
    fill(draft, applicant)
    response = applicant_client.post(url(draft, "review"))
    assert response.status_code == HTTPStatus.FOUND  # the one attempt: sent
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_complete_sendings_count_against_the_limit(applicant_client, draft, applicant, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "apply_submit": "1/h/user"}
    fill(draft, applicant)
    draft.cohort.status = draft.cohort.Status.CLOSED
    draft.cohort.save(update_fields=["status"])
    refused = applicant_client.post(url(draft, "review"))  # complete, refused: counted
    assert refused.status_code == HTTPStatus.OK
    assert "no longer takes applications" in refused.content.decode()
    response = applicant_client.post(url(draft, "review"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_replaying_a_step_on_a_sent_application_is_404_and_changes_nothing(
    applicant_client, draft, applicant
):
    fill(draft, applicant)
    apps.application_submit(application=draft, user=applicant)
    response = applicant_client.post(url(draft, "about"), about_post(first_name="Mallory"))
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = applicant_client.post(url(draft, "documents"), {"kind": "photo_id", "file": png()})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert applicant_client.post(url(draft, "review")).status_code == HTTPStatus.NOT_FOUND
    draft.refresh_from_db()
    assert draft.first_name == "Ana"
    assert draft.documents.count() == 2
    # Opening a step of a sent application leads to its page.
    assert applicant_client.get(url(draft, "about"))["Location"] == draft.get_absolute_url()


def test_documents_needed_reopens_the_documents_step_only(
    applicant_client, draft, applicant, staff_user
):
    fill(draft, applicant)
    apps.application_submit(application=draft, user=applicant)
    document = draft.documents.get(kind="photo_id")
    apps.document_reject(document=document, reviewer=staff_user, reason="Too blurry to read.")
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "Too blurry to read." in page
    assert applicant_client.get(url(draft, "documents")).status_code == HTTPStatus.OK
    assert applicant_client.post(url(draft, "about"), about_post()).status_code == 404
    response = applicant_client.post(
        url(draft, "documents"), {"kind": "photo_id", "file": png("clear.png")}
    )
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED

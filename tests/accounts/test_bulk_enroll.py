"""Bulk enrollment: preview saves nothing, enroll saves the valid lines, every rule of the
single enroll form applies, and only staff who may add enrollments get there."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Enrollment, Invitation, User
from tests.accounts.staff_data import make_ma_certification, make_student
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db

URL = "admin:accounts_enrollment_bulk"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def certification(db):
    return make_ma_certification(acronym="CMA")


@pytest.fixture
def cohort(db, certification):
    offering = make_offering(
        program=make_program(title="Medical Assistant"),
        campus=make_campus(name="Dallas", slug="dallas-bulk"),
        schedule="evening",
    )
    offering.program.certifications.add(certification)
    return make_cohort(offering=offering, start_date=timezone.localdate() + timedelta(days=20))


def post(client, cohort, rows="", step="_preview", **extra):
    data = {"cohort": cohort.pk, "rows": rows, step: "1", **extra}
    return client.post(reverse(URL), data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


FIVE_LINES = """nia@example.com
Sam Student <STUDENT@example.com>
lee@example.com, Lee, Park
not-an-email
NIA@example.com
"""


def test_preview_shows_each_line_and_saves_nothing(staff_client, student, cohort, mailoutbox):
    users = User.objects.count()
    response = post(staff_client, cohort, FIVE_LINES)
    assert response.status_code == HTTPStatus.OK
    rows = {r.line: r for r in response.context["rows"]}
    assert rows[1].outcome == "New account: created, invitation e-mailed"
    assert rows[2].outcome == "Existing account: enrolled and told by e-mail"
    assert (rows[3].first_name, rows[3].last_name) == ("Lee", "Park")
    assert rows[4].error == "not a valid e-mail address."
    assert rows[5].error == "duplicate of line 1."
    html = response.content.decode()
    assert "<caption>What will happen to each line: 3 to enroll (2 new accounts), 2 with" in html
    assert '<th scope="row">not-an-email</th>' in html
    assert "<strong>Error:</strong> Duplicate of line 1." in html
    assert 'value="Enroll 3 students"' in html
    assert Enrollment.objects.count() == 0
    assert User.objects.count() == users
    assert mailoutbox == []


def test_enroll_saves_the_valid_lines_and_reports_the_others(
    staff_client, staff_user, student, cohort, certification, mailoutbox
):
    response = post(staff_client, cohort, FIVE_LINES, step="_enroll")
    enrolled = Enrollment.objects.filter(cohort=cohort)
    assert {e.student.email for e in enrolled} == {
        "nia@example.com",
        "student@example.com",
        "lee@example.com",
    }
    assert all(e.created_by == staff_user for e in enrolled)
    assert all([p.certification for p in e.paths.all()] == [certification] for e in enrolled)
    assert User.objects.get(email="lee@example.com").get_full_name() == "Lee Park"
    assert Invitation.objects.filter(user__email="nia@example.com").count() == 1
    assert len(mailoutbox) == 3
    text = " ".join(messages_of(response))
    assert "Enrolled 3 students in Medical Assistant · Dallas" in text
    assert "2 new accounts invited by e-mail, 1 existing account told by e-mail" in text
    assert "line 4 (not-an-email): not a valid e-mail address." in text
    assert "line 5 (nia@example.com): duplicate of line 1." in text
    assert response.redirect_chain[-1][0].endswith(f"?cohort={cohort.pk}")


def test_someone_already_in_the_cohort_is_an_error_line(staff_client, student, cohort):
    Enrollment.objects.create(student=student, cohort=cohort)
    response = post(staff_client, cohort, "student@example.com\nnew@example.com")
    (already, new) = response.context["rows"]
    assert already.error == "already enrolled in this cohort."
    assert not new.error
    post(staff_client, cohort, "student@example.com\nnew@example.com", step="_enroll")
    assert Enrollment.objects.filter(cohort=cohort).count() == 2


def test_a_csv_file_with_a_header_is_read(staff_client, cohort):
    upload = SimpleUploadedFile(
        "class.csv",
        "\ufeffemail,first_name,last_name\r\nana@example.com,Ana,Ruiz\r\nbo@example.com,Bo,Li\r\n".encode(),
        content_type="text/csv",
    )
    response = post(staff_client, cohort, csv_file=upload)
    assert [(r.line, r.email, r.name) for r in response.context["rows"]] == [
        (2, "ana@example.com", "Ana Ruiz"),
        (3, "bo@example.com", "Bo Li"),
    ]
    # Step 2 sends the file's lines back as text: the file is not needed again.
    assert "ana@example.com,Ana,Ruiz" in response.context["form"]["rows"].value()
    assert Enrollment.objects.count() == 0


def test_a_file_that_lies_about_being_csv_is_refused(staff_client, cohort):
    upload = SimpleUploadedFile("class.csv", PNG, content_type="text/csv")
    response = post(staff_client, cohort, csv_file=upload, step="_enroll")
    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].errors["csv_file"])
    assert "class.csv is not a CSV text file" in errors
    assert response.context["rows"] == []
    assert Enrollment.objects.count() == 0


def test_too_many_lines_are_refused(staff_client, cohort):
    rows = "\n".join(f"s{i}@example.com" for i in range(201))
    response = post(staff_client, cohort, rows)
    assert "At most 200 students at a time; this list has 201." in " ".join(
        response.context["form"].errors["rows"]
    )


def test_a_batch_over_the_seats_left_needs_enroll_anyway_once(staff_client, cohort):
    cohort.seats = 4
    cohort.save()
    Enrollment.objects.create(student=make_student(), cohort=cohort)
    rows = "a@example.com\nb@example.com\nc@example.com\nd@example.com"
    response = post(staff_client, cohort, rows, step="_enroll")
    message = " ".join(response.context["form"].errors["enroll_anyway"])
    assert "has 3 seats left (1 of 4 seats taken); enrolling 4 would go over." in message
    assert "Tick “Enroll anyway” to confirm." in message
    assert Enrollment.objects.count() == 1
    assert 'value="Enroll 4 students"' in response.content.decode()  # tick, then enroll
    post(staff_client, cohort, rows, step="_enroll", enroll_anyway="on")
    assert Enrollment.objects.count() == 5


def test_a_tampered_enroll_step_is_checked_again(staff_client, cohort, certification):
    cohort.status = "closed"
    cohort.save()
    response = post(staff_client, cohort, "a@example.com", step="_enroll", enroll_anyway="on")
    assert "is closed" in " ".join(response.context["form"].errors["cohort"])
    other = make_ma_certification(acronym="CPT")
    other.programs.add(make_program())  # a goal of another program only
    cohort.status = "open"
    cohort.save()
    response = post(
        staff_client, cohort, "a@example.com", step="_enroll", certifications=[other.pk]
    )
    assert "does not prepare for CPT" in " ".join(response.context["form"].errors["certifications"])
    assert Enrollment.objects.count() == 0


def test_the_enrollment_list_links_to_bulk_enrollment(staff_client):
    html = staff_client.get(reverse("admin:accounts_enrollment_changelist")).content.decode()
    assert f'href="{reverse(URL)}"' in html


def test_staff_without_the_add_permission_get_403(client, make_user, cohort):
    clerk = make_user("clerk@example.com", is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_enrollment", content_type__app_label="accounts")
    )
    client.force_login(clerk)
    assert client.get(reverse(URL)).status_code == HTTPStatus.FORBIDDEN
    response = client.post(reverse(URL), {"cohort": cohort.pk, "rows": "a@x.com", "_enroll": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Enrollment.objects.count() == 0
    clerk.user_permissions.add(
        Permission.objects.get(codename="add_enrollment", content_type__app_label="accounts")
    )
    assert client.get(reverse(URL)).status_code == HTTPStatus.OK
    post(client, cohort, "a@example.com", step="_enroll")
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "1 OR 1=1"])
def test_a_hand_edited_cohort_link_opens_an_empty_form(staff_client, value):
    response = staff_client.get(reverse(URL), {"cohort": value})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].initial["cohort"] is None


def test_a_line_too_long_for_csv_is_an_error_line_not_a_crash(staff_client, cohort):
    response = post(staff_client, cohort, "ok@example.com\n" + '"' + "x" * 140_000 + '"\n')
    assert response.status_code == HTTPStatus.OK
    # The textarea's own limit answers first; a file gets the per-line error.
    assert response.context["form"].errors["rows"]
    upload = SimpleUploadedFile(
        "list.csv", b"ok@example.com\n" + b'"' + b"x" * 90_000 + b'"\n', "text/csv"
    )
    from accounts.admin.bulk import parse_rows

    rows = parse_rows('"' + "x" * 140_000 + '"\nok@example.com')
    assert rows[0].error == "this line could not be read as a CSV line."
    assert rows[1].email == "ok@example.com"
    response = staff_client.post(
        reverse(URL), {"cohort": cohort.pk, "csv_file": upload, "_preview": "1"}
    )
    assert response.status_code == HTTPStatus.OK
    assert Enrollment.objects.count() == 0


def test_the_same_person_created_at_the_same_moment_is_enrolled_once(
    staff_client, cohort, monkeypatch
):
    """Two submits of one list: the other request creates the account between this
    one's look-up and its insert; the account is reused, no 500."""
    make_student(email="RACE@example.com")  # made by the other request...
    real_filter = User.objects.filter
    missed = []

    def filter_missing_it_once(*args, **kwargs):
        if kwargs == {"email__iexact": "race@example.com"} and not missed:
            missed.append(True)  # ...after this request looked for it
            return User.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(User.objects, "filter", filter_missing_it_once)
    response = post(staff_client, cohort, "race@example.com", step="_enroll")
    assert response.status_code == HTTPStatus.OK
    assert (
        Enrollment.objects.filter(cohort=cohort, student__email__iexact="race@example.com").count()
        == 1
    )
    assert User.objects.filter(email__iexact="race@example.com").count() == 1


def test_nothing_enrolled_is_a_warning_not_a_success(staff_client, student, cohort):
    Enrollment.objects.create(student=student, cohort=cohort)
    # The preview said "enroll"; meanwhile someone else enrolled the student.
    from accounts.admin import bulk

    real_check = bulk.check_rows

    def check_before_the_other_enrollment(rows, cohort_):
        Enrollment.objects.filter(student=student).delete()
        checked = real_check(rows, cohort_)
        Enrollment.objects.create(student=student, cohort=cohort_)
        return checked

    bulk.check_rows = check_before_the_other_enrollment
    try:
        response = post(staff_client, cohort, student.email, step="_enroll")
    finally:
        bulk.check_rows = real_check
    levels = [m.level_tag for m in response.context["messages"]]
    assert "success" not in levels
    assert "Enrolled 0 students" in " ".join(messages_of(response))

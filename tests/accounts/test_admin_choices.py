"""Staff choose cohorts and students by search-as-you-type; filters list current cohorts;
a full cohort (or one short of seats) needs explicit confirmation, a closed one is
refused."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.admin.common import CohortFilter
from accounts.models import Enrollment
from programs.models import Cohort
from tests.accounts.staff_data import make_ma_certification, make_student
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + timedelta(days=n)


def fill(cohort, n):
    for _ in range(n):
        Enrollment.objects.create(student=make_student(), cohort=cohort)
    cohort.refresh_from_db()


@pytest.fixture
def certification(db):
    return make_ma_certification(acronym="CMA")


@pytest.fixture
def offering(db, certification):
    offering = make_offering(
        program=make_program(title="Medical Assistant"),
        campus=make_campus(name="Dallas", slug="dallas-choices"),
        schedule="evening",
    )
    offering.program.certifications.add(certification)
    return offering


def autocomplete(client, term="", field_name="cohort", model_name="enrollment"):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )


def perm(codename):
    return Permission.objects.get(codename=codename, content_type__app_label="accounts")


# --- Search-as-you-type ----------------------------------------------------------------


def test_cohort_options_say_program_campus_schedule_start_status_and_seats(staff_client, offering):
    cohort = make_cohort(offering=offering, start_date=days(40), seats=20)
    fill(cohort, 18)
    make_cohort(start_date=days(40))  # another program: not found by "medical"
    response = autocomplete(staff_client, "medical dallas")
    assert response.status_code == HTTPStatus.OK
    results = response.json()["results"]
    assert results == [
        {
            "id": str(cohort.pk),
            "text": f"Medical Assistant · Dallas · evening · starts "
            f"{cohort.start_date:%b %-d, %Y} · 2 seats left (18/20 seats taken)",
        }
    ]


def test_cohort_options_put_upcoming_then_current_then_past(staff_client, offering):
    past = make_cohort(offering=offering, start_date=days(-400), weeks=30)
    running = make_cohort(offering=offering, start_date=days(-30))
    later = make_cohort(offering=offering, start_date=days(90))
    soon = make_cohort(offering=offering, start_date=days(10))
    ids = [int(r["id"]) for r in autocomplete(staff_client, "medical").json()["results"]]
    assert ids == [soon.pk, later.pk, running.pk, past.pk]


def test_withdrawn_students_give_their_seat_back(staff_client, offering):
    cohort = make_cohort(offering=offering, seats=5)
    fill(cohort, 2)
    withdrawn = Enrollment.objects.first()
    withdrawn.status = "withdrawn"
    withdrawn.save()
    (result,) = autocomplete(staff_client, "medical").json()["results"]
    assert result["text"].endswith("4 seats left (1/5 seats taken)")


def test_student_options_show_name_and_email(staff_client):
    make_student(email="nia@example.com", first_name="Nia", last_name="Nguyen")
    response = autocomplete(staff_client, "nguyen", field_name="student", model_name="credential")
    assert [r["text"] for r in response.json()["results"]] == ["Nia Nguyen <nia@example.com>"]


def test_the_enroll_form_chooses_its_cohort_by_search(staff_client):
    html = staff_client.get(reverse("admin:accounts_enrollment_add")).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'data-field-name="cohort"' in html
    assert reverse("admin:accounts_enrollment_bulk") in html


def test_autocomplete_is_refused_to_staff_without_permission(client, make_user, offering):
    make_cohort(offering=offering)
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    assert autocomplete(client, "medical").status_code == HTTPStatus.FORBIDDEN
    # Viewing enrollments does not let anyone pick a cohort for a new one.
    clerk.user_permissions.add(perm("view_enrollment"))
    assert autocomplete(client, "medical").status_code == HTTPStatus.FORBIDDEN


def test_staff_who_may_enroll_can_search_cohorts_but_no_other_field(client, make_user, offering):
    make_cohort(offering=offering)
    clerk = make_user("clerk@example.com", is_staff=True)
    clerk.user_permissions.add(perm("add_enrollment"))
    client.force_login(clerk)
    response = autocomplete(client, "medical")
    assert response.status_code == HTTPStatus.OK
    assert len(response.json()["results"]) == 1
    # Not a way to list every account: the enroll forms do not offer these fields.
    assert autocomplete(client, field_name="student").status_code == HTTPStatus.FORBIDDEN
    assert autocomplete(client, field_name="created_by").status_code == HTTPStatus.FORBIDDEN


def test_students_never_reach_the_autocomplete(client, student, offering):
    client.force_login(student)
    assert autocomplete(client, "medical").status_code == HTTPStatus.FOUND  # to the login


# --- The cohort list filter --------------------------------------------------------------


def cohort_filter_choices(response):
    (spec,) = [s for s in response.context["cl"].filter_specs if isinstance(s, CohortFilter)]
    return [int(pk) for pk, _ in spec.lookup_choices]


def test_cohort_filter_lists_only_cohorts_in_class_or_starting_soon(staff_client, offering):
    old = [make_cohort(offering=offering, start_date=days(-700 + i), weeks=30) for i in range(30)]
    running = make_cohort(offering=offering, start_date=days(-60))
    soon = make_cohort(offering=offering, start_date=days(30))
    far = make_cohort(offering=offering, start_date=days(300))
    response = staff_client.get(reverse("admin:accounts_enrollment_changelist"))
    assert cohort_filter_choices(response) == [running.pk, soon.pk]
    assert far.pk not in cohort_filter_choices(response)
    # An older cohort chosen from a link stays visible as the chosen one.
    response = staff_client.get(
        reverse("admin:accounts_enrollment_changelist"), {"cohort": old[0].pk}
    )
    assert cohort_filter_choices(response) == [old[0].pk, running.pk, soon.pk]


def test_older_cohorts_are_found_by_the_search_box(staff_client, offering):
    old = make_cohort(offering=offering, start_date=days(-800), weeks=30)
    enrollment = Enrollment.objects.create(student=make_student(), cohort=old)
    Enrollment.objects.create(student=make_student(), cohort=make_cohort(start_date=days(-800)))
    response = staff_client.get(
        reverse("admin:accounts_enrollment_changelist"), {"q": "medical dallas"}
    )
    assert [e.pk for e in response.context["cl"].result_list] == [enrollment.pk]


@pytest.mark.parametrize("url", ["accounts_enrollment_changelist", "accounts_pathstep_changelist"])
def test_cohort_filter_costs_the_same_queries_however_many_old_cohorts(staff_client, offering, url):
    make_cohort(offering=offering, start_date=days(10))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse(f"admin:{url}"))
    Cohort.objects.bulk_create(
        Cohort(
            offering=offering,
            start_date=days(-2000 + i),
            graduation_date=days(-1800 + i),
        )
        for i in range(100)
    )
    cache.clear()  # bulk_create sends no post_save: forget the labels by hand
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(reverse(f"admin:{url}"))
    assert len(many) == len(few)
    assert len(cohort_filter_choices(response)) == 1
    with CaptureQueriesContext(connection) as cached:
        staff_client.get(reverse(f"admin:{url}"))
    assert len(cached) == len(few) - 1  # the labels come from the cache


# --- Full, waitlisted and closed cohorts in the enroll form ---------------------------------


def enroll(client, cohort, certification, email="new@example.com", **extra):
    return client.post(
        reverse("admin:accounts_enrollment_add"),
        {
            "email": email,
            "first_name": "",
            "last_name": "",
            "cohort": cohort.pk,
            "certifications": [certification.pk],
            "_save": "Save",
            **extra,
        },
        follow=True,
    )


def form_errors(response, field):
    return " ".join(response.context["adminform"].form.errors.get(field, []))


@pytest.mark.parametrize(
    ("seats", "taken", "says"),
    [
        (20, 20, "is full: 20 of 20 seats taken."),
        (3, 3, "is full: 3 of 3 seats taken."),
        (3, 4, "is full: 4 of 3 seats taken."),  # over-full (enrolled anyway before)
    ],
)
def test_a_full_cohort_needs_enroll_anyway(
    staff_client, offering, certification, mailoutbox, seats, taken, says
):
    cohort = make_cohort(offering=offering, start_date=days(20), seats=seats)
    fill(cohort, taken)
    response = enroll(staff_client, cohort, certification)
    assert response.status_code == HTTPStatus.OK
    message = form_errors(response, "enroll_anyway")
    label = f"Medical Assistant · Dallas · evening · starts {cohort.start_date:%b %-d, %Y}"
    assert message == f"{label} {says} Tick “Enroll anyway” to confirm."
    assert "Tick “Enroll anyway” to confirm." in response.content.decode()
    assert not Enrollment.objects.filter(student__email="new@example.com").exists()
    assert mailoutbox == []

    response = enroll(staff_client, cohort, certification, enroll_anyway="on")
    assert Enrollment.objects.filter(student__email="new@example.com", cohort=cohort).exists()
    assert response.redirect_chain


def test_an_open_cohort_with_seats_left_needs_no_confirmation(
    staff_client, offering, certification
):
    cohort = make_cohort(offering=offering, seats=3)
    fill(cohort, 2)
    enroll(staff_client, cohort, certification)
    assert Enrollment.objects.filter(student__email="new@example.com").exists()


def test_a_closed_cohort_is_refused_even_when_confirmed(staff_client, offering, certification):
    cohort = make_cohort(offering=offering, status="closed")
    response = enroll(staff_client, cohort, certification, enroll_anyway="on")
    assert "is closed: it takes no new enrollments." in form_errors(response, "cohort")
    assert not Enrollment.objects.exists()


def test_staff_who_may_record_credentials_pick_students_never_staff_accounts(client, make_user):
    make_student(email="nia@example.com", first_name="Nia", last_name="Nguyen")
    make_user("nina.admin@example.com", is_staff=True, first_name="Nina")
    clerk = make_user("clerk@example.com", is_staff=True)
    clerk.user_permissions.add(perm("add_credential"))
    client.force_login(clerk)
    response = autocomplete(client, "ni", field_name="student", model_name="credential")
    assert response.status_code == HTTPStatus.OK
    assert [r["text"] for r in response.json()["results"]] == ["Nia Nguyen <nia@example.com>"]
    # With permission to see accounts, every account is a choice, as in the user list.
    clerk.user_permissions.add(perm("view_user"))
    response = autocomplete(client, "ni", field_name="student", model_name="credential")
    assert len(response.json()["results"]) == 2

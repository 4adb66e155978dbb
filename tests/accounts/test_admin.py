"""Staff in the admin: enrollment by e-mail, the verification queue, paths, credentials."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import progress, services
from accounts.models import (
    CertificationPath,
    Credential,
    Enrollment,
    Invitation,
    PathStep,
    ReminderLog,
    StepReview,
    User,
)
from careers.models import PathStepTemplate
from tests.accounts import files
from tests.accounts.staff_data import (
    make_credential,
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
    submit,
    update_step,
)
from tests.factories import make_campus

pytestmark = pytest.mark.django_db


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:accounts_{model}_{view}", args=args)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def change_form_data(response):
    """The POST data a browser would send back from an admin change page."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for f in formset.forms:
            for name in f.fields:
                value = f[name].value()
                if value not in (None, False):
                    data[f.add_prefix(name)] = value
    return data


@pytest.fixture
def cohort(db, certification):
    cohort = make_staff_cohort(campus=make_campus(name="Dallas", slug="dallas-admin"))
    cohort.offering.program.certifications.add(certification)  # what the program prepares for
    return cohort


@pytest.fixture
def certification(db):
    return make_ma_certification(acronym="CMA", name="Certified Medical Assistant")


@pytest.fixture
def path(student, cohort, certification):
    return make_path(student=student, cohort=cohort, certification=certification)


# --- Every admin page opens for staff ------------------------------------------------


@pytest.fixture
def records(path, staff_user):
    submit(step(path, "CPR card"))
    update_step(step(path, "Complete the coursework"), status=PathStep.Status.VERIFIED)
    StepReview.objects.create(
        step=step(path, "Complete the coursework"), reviewer=staff_user, action="verified"
    )
    credential = make_credential(student=path.enrollment.student, certification=path.certification)
    services.invitation_create(user=path.enrollment.student)
    ReminderLog.objects.create(
        user=path.enrollment.student, key="step:1:due:2026-12-01", days_before=30
    )
    return {"path": path, "credential": credential}


@pytest.mark.parametrize(
    "model",
    [
        "user",
        "enrollment",
        "certificationpath",
        "pathstep",
        "stepawaitingreview",
        "stepreview",
        "credential",
        "invitation",
        "reminderlog",
    ],
)
def test_changelists_open_for_staff(staff_client, records, model):
    response = staff_client.get(admin_url(model))
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", ["enrollment", "certificationpath", "credential"])
def test_add_pages_open_for_staff(staff_client, records, model):
    assert staff_client.get(admin_url(model, "add")).status_code == HTTPStatus.OK


def test_change_pages_open_for_staff(staff_client, records):
    path = records["path"]
    for url in [
        admin_url("enrollment", "change", path.enrollment.pk),
        admin_url("certificationpath", "change", path.pk),
        admin_url("stepawaitingreview", "change", step(path, "CPR card").pk),
        admin_url("pathstep", "change", step(path, "CPR card").pk),
        admin_url("pathstep", "change", step(path, "Externship hours").pk),
        admin_url("credential", "change", records["credential"].pk),
        admin_url("user", "change", path.enrollment.student.pk),
        reverse("admin:index"),
    ]:
        response = staff_client.get(url)
        assert response.status_code == HTTPStatus.OK, url


def test_admin_home_offers_the_staff_shortcuts(staff_client, records):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "waiting for review" in html
    assert admin_url("stepawaitingreview") in html
    assert reverse("admin:accounts_enrollment_report") in html
    assert ">Enroll a student</a>" in html


# --- Only staff get in -----------------------------------------------------------------


STAFF_URLS = [
    ("admin:index", ()),
    ("admin:accounts_enrollment_changelist", ()),
    ("admin:accounts_enrollment_add", ()),
    ("admin:accounts_enrollment_report", ()),
    ("admin:accounts_stepawaitingreview_changelist", ()),
    ("admin:accounts_credential_changelist", ()),
]


@pytest.mark.parametrize(("name", "args"), STAFF_URLS)
def test_students_and_visitors_never_reach_the_admin(client, student, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url
    client.force_login(student)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url


def test_a_student_cannot_post_a_decision(client, student, path):
    submitted = submit(step(path, "CPR card"))
    client.force_login(student)
    client.post(
        admin_url("stepawaitingreview"),
        {"action": "approve_selected", "_selected_action": [submitted.pk]},
    )
    submitted.refresh_from_db()
    assert submitted.status == PathStep.Status.SUBMITTED


def test_staff_without_permissions_cannot_verify_or_see_reports(client, make_user, path):
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    assert client.get(admin_url("stepawaitingreview")).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.get(reverse("admin:accounts_enrollment_report")).status_code == HTTPStatus.FORBIDDEN
    )
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_enrollment", content_type__app_label="accounts")
    )
    assert client.get(reverse("admin:accounts_enrollment_report")).status_code == HTTPStatus.OK


# --- Enrollment by e-mail ---------------------------------------------------------------


def enroll(client, *, email, cohort, certifications, first_name="", last_name=""):
    return client.post(
        admin_url("enrollment", "add"),
        {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "cohort": cohort.pk,
            "certifications": [c.pk for c in certifications],
            "_save": "Save",
        },
        follow=True,
    )


def test_enrol_a_new_person_by_email_creates_account_paths_and_invitation(
    staff_client, staff_user, cohort, certification, mailoutbox
):
    response = enroll(
        staff_client,
        email="  New.Student@Example.com ",
        first_name="Nia",
        last_name="Nguyen",
        cohort=cohort,
        certifications=[certification],
    )
    assert response.status_code == HTTPStatus.OK
    user = User.objects.get(email="new.student@example.com")
    assert user.get_full_name() == "Nia Nguyen"
    assert not user.has_usable_password()
    enrollment = Enrollment.objects.get(student=user)
    assert enrollment.cohort == cohort
    assert enrollment.created_by == staff_user
    path = enrollment.paths.get()
    assert path.certification == certification
    assert path.steps.count() == certification.path_steps.count()
    assert Invitation.objects.filter(user=user).count() == 1
    assert [m.to for m in mailoutbox] == [["new.student@example.com"]]
    assert response.redirect_chain[-1][0] == admin_url("enrollment", "change", enrollment.pk)
    assert any("invitation e-mailed" in m for m in messages_of(response))


def test_enrol_an_existing_account_reuses_it(
    staff_client, student, cohort, certification, mailoutbox
):
    users_before = User.objects.count()
    response = enroll(
        staff_client, email="STUDENT@example.com", cohort=cohort, certifications=[certification]
    )
    assert response.status_code == HTTPStatus.OK
    assert User.objects.count() == users_before
    assert Enrollment.objects.get(cohort=cohort).student == student
    assert student.check_password("correct-Horse-battery-9")  # untouched
    assert Invitation.objects.filter(user=student).count() == 0
    assert len(mailoutbox) == 1  # "you have been enrolled", no password link
    assert any("existing account was used" in m for m in messages_of(response))


def test_the_same_cohort_twice_is_a_clear_form_error(staff_client, path, mailoutbox):
    cohort, certification = path.enrollment.cohort, path.certification
    response = enroll(
        staff_client,
        email=path.enrollment.student.email,
        cohort=cohort,
        certifications=[certification],
    )
    assert response.status_code == HTTPStatus.OK
    form = response.context["adminform"].form
    assert "already enrolled in this cohort" in " ".join(form.errors["cohort"])
    assert "already enrolled in this cohort" in response.content.decode()
    assert Enrollment.objects.filter(cohort=cohort).count() == 1
    assert mailoutbox == []


def test_a_concurrent_duplicate_is_a_message_not_a_500(
    staff_client, student, cohort, certification, monkeypatch
):
    from accounts.admin.enrollments import EnrollmentAddForm

    # The form's own check passes (as if the other request had not committed yet).
    monkeypatch.setattr(EnrollmentAddForm, "clean", lambda self: self.cleaned_data)
    services.enrollment_create(
        email=student.email, cohort=cohort, certifications=[certification], notify=False
    )
    response = staff_client.post(
        admin_url("enrollment", "add"),
        {
            "email": student.email,
            "cohort": cohort.pk,
            "certifications": [certification.pk],
            "first_name": "",
            "last_name": "",
        },
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert any("already enrolled" in m for m in messages_of(response))
    assert Enrollment.objects.filter(cohort=cohort).count() == 1


def test_no_certification_ticked_uses_the_programs_main_one_only(
    staff_client, cohort, certification
):
    other = make_ma_certification(acronym="RMA", name="Registered Medical Assistant")
    program = cohort.offering.program
    program.certifications.add(other)
    program.main_certification = other
    program.save()
    enroll(staff_client, email="a@example.com", cohort=cohort, certifications=[])
    path = CertificationPath.objects.get(enrollment__student__email="a@example.com")
    assert path.certification == other


def test_a_program_with_several_goals_and_no_main_one_asks_to_choose(
    staff_client, cohort, certification
):
    cohort.offering.program.certifications.add(make_ma_certification(acronym="RMA"))
    response = enroll(staff_client, email="a@example.com", cohort=cohort, certifications=[])
    errors = " ".join(response.context["adminform"].form.errors["certifications"])
    assert "Tick the certification(s) the student aims for" in errors
    assert not Enrollment.objects.exists()


def test_a_certification_the_program_does_not_prepare_for_is_refused(
    staff_client, cohort, certification
):
    elsewhere = make_ma_certification(acronym="CPT", name="Certified Phlebotomy Technician")
    elsewhere.programs.add(make_staff_cohort().offering.program)
    response = enroll(
        staff_client,
        email="a@example.com",
        cohort=cohort,
        certifications=[certification, elsewhere],
    )
    errors = " ".join(response.context["adminform"].form.errors["certifications"])
    assert "does not prepare for CPT" in errors
    assert not Enrollment.objects.exists()


def test_the_enrol_form_for_a_cohort_offers_its_programs_goals_with_the_main_one_ticked(
    staff_client, cohort, certification
):
    other = make_ma_certification(acronym="RMA", name="Registered Medical Assistant")
    unrelated = make_ma_certification(acronym="CPT", name="Certified Phlebotomy Technician")
    unrelated.programs.add(make_staff_cohort().offering.program)
    program = cohort.offering.program
    program.certifications.add(other)
    program.main_certification = other
    program.save()
    response = staff_client.get(admin_url("enrollment", "add") + f"?cohort={cohort.pk}")
    field = response.context["adminform"].form["certifications"]
    assert set(field.field.queryset) == {certification, other}
    assert [int(pk) for pk in field.value()] == [other.pk]
    html = response.content.decode()
    assert f'value="{other.pk}"' in html
    assert "CPT" not in field.as_widget()


@pytest.mark.parametrize(
    ("email", "with_cert", "field", "message"),
    [
        ("not-an-email", True, "email", "valid email"),
        ("", True, "email", "required"),
    ],
)
def test_bad_enrolment_input_saves_nothing(
    staff_client, cohort, certification, email, with_cert, field, message, mailoutbox
):
    response = enroll(
        staff_client,
        email=email,
        cohort=cohort,
        certifications=[certification] if with_cert else [],
    )
    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert Enrollment.objects.count() == 0
    assert mailoutbox == []


# --- Enrollment list: filters, search, progress --------------------------------------


def test_enrolment_list_shows_the_stored_progress_of_each_path(staff_client, path, staff_user):
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    services.step_record_count(
        step=step(path, "Externship hours"), count=80, user=path.enrollment.student
    )
    path.refresh_from_db()
    derived = progress.derive(path.steps.order_by("order", "id"))
    assert 0 < path.progress_percent < 100
    assert path.progress_percent == derived.progress_percent
    html = staff_client.get(admin_url("enrollment")).content.decode()
    assert f'value="{path.progress_percent}"' in html
    assert f"<strong>{path.progress_percent}%</strong>" in html
    assert path.get_status_display() in html
    html = staff_client.get(admin_url("certificationpath")).content.decode()
    assert f"<strong>{path.progress_percent}%</strong>" in html


def test_enrolment_list_filters_by_campus_program_cohort_status_and_search(staff_client, path):
    other = make_path(cohort=make_staff_cohort(), enrollment_status=Enrollment.Status.WITHDRAWN)
    mine = path.enrollment
    offering = mine.cohort.offering

    def ids(**params):
        response = staff_client.get(admin_url("enrollment"), params)
        assert response.status_code == HTTPStatus.OK
        return {e.pk for e in response.context["cl"].result_list}

    assert ids() == {mine.pk, other.enrollment.pk}
    assert ids(cohort__offering__campus__id__exact=offering.campus_id) == {mine.pk}
    assert ids(cohort__offering__program__id__exact=offering.program_id) == {mine.pk}
    assert ids(cohort=mine.cohort_id) == {mine.pk}
    assert ids(status__exact="withdrawn") == {other.enrollment.pk}
    assert ids(q="student@example") == {mine.pk}
    assert ids(q="Sam") == {mine.pk}


def build_enrolments(n, cohort, certifications):
    for _ in range(n):
        enrollment = Enrollment.objects.create(student=make_student(), cohort=cohort)
        for certification in certifications:
            make_path(enrollment=enrollment, certification=certification)


def test_enrolment_list_query_count_is_constant(staff_client, cohort, certification):
    second = make_ma_certification()
    build_enrolments(3, cohort, [certification, second])
    staff_client.get(admin_url("enrollment"))  # warm the cached cohort filter choices
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(admin_url("enrollment")).status_code == HTTPStatus.OK
    build_enrolments(27, cohort, [certification, second])
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(admin_url("enrollment"))
    assert response.context["cl"].result_count == 30
    assert len(many) == len(few)


def test_path_list_query_count_is_constant(staff_client, cohort, certification):
    build_enrolments(3, cohort, [certification])
    staff_client.get(admin_url("certificationpath"))  # warm the cached cohort filter choices
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(admin_url("certificationpath")).status_code == HTTPStatus.OK
    build_enrolments(27, cohort, [certification])
    with CaptureQueriesContext(connection) as many:
        staff_client.get(admin_url("certificationpath"))
    assert len(many) == len(few)


def test_resend_invitation_only_to_people_without_a_password(
    staff_client, staff_user, cohort, certification, student, mailoutbox
):
    invited = services.enrollment_create(
        email="invitee@example.com", cohort=cohort, certifications=[certification], notify=False
    )
    has_password = services.enrollment_create(
        email=student.email, cohort=cohort, certifications=[certification], notify=False
    )
    response = staff_client.post(
        admin_url("enrollment"),
        {"action": "resend_invitation", "_selected_action": [invited.pk, has_password.pk]},
        follow=True,
    )
    assert [m.to for m in mailoutbox] == [["invitee@example.com"]]
    assert Invitation.objects.filter(user=invited.student, created_by=staff_user).count() == 1
    text = " ".join(messages_of(response))
    assert "Invitation sent again to invitee@example.com" in text
    assert f"Not sent to {student.email}" in text


# --- Templates applied on request ------------------------------------------------------


def test_template_changes_reach_only_the_paths_staff_choose(staff_client, cohort, certification):
    first = make_path(cohort=cohort, certification=certification)
    second = make_path(cohort=cohort, certification=certification)
    template = certification.path_steps.get(title="CPR card")
    template.title = "BLS/CPR card (American Heart Association)"
    template.save()

    changed = staff_client.get(admin_url("certificationpath"), {"template": "changed"})
    assert {p.pk for p in changed.context["cl"].result_list} == {first.pk, second.pk}

    response = staff_client.post(
        admin_url("certificationpath"),
        {"action": "apply_template_changes", "_selected_action": [first.pk]},
        follow=True,
    )
    assert "applied to 1 certification path" in " ".join(messages_of(response))
    assert first.steps.filter(title__startswith="BLS/CPR").exists()
    assert second.steps.filter(title="CPR card").exists()  # not chosen, not rewritten
    changed = staff_client.get(admin_url("certificationpath"), {"template": "changed"})
    assert {p.pk for p in changed.context["cl"].result_list} == {second.pk}


def test_adding_a_path_to_an_enrolment_copies_the_template(staff_client, path):
    extra = make_ma_certification(acronym="RMA")
    response = staff_client.post(
        admin_url("certificationpath", "add"),
        {"enrollment": path.enrollment.pk, "certification": extra.pk, "_save": "Save"},
    )
    assert response.status_code == HTTPStatus.FOUND
    new = CertificationPath.objects.get(enrollment=path.enrollment, certification=extra)
    assert new.steps.count() == extra.path_steps.count()
    assert new.next_step is not None


def test_moving_a_due_date_in_the_path_page_recomputes_the_path(staff_client, path):
    url = admin_url("certificationpath", "change", path.pk)
    data = change_form_data(staff_client.get(url))
    # A step the student can act on: a staff-only step's date is no deadline of theirs,
    # so it is not the path's next due date either (accounts.deadlines).
    first = step(path, "CPR card")
    index = next(
        i for i in range(int(data["steps-TOTAL_FORMS"])) if int(data[f"steps-{i}-id"]) == first.pk
    )
    new_due = timezone.localdate() + timedelta(days=12)
    data[f"steps-{index}-due_date"] = new_due.isoformat()
    data["_save"] = "Save"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    path.refresh_from_db()
    assert path.next_due_date == new_due


# --- Verification queue ---------------------------------------------------------------


@pytest.fixture
def queue(student, other_student, cohort, certification):
    mine = make_path(student=student, cohort=cohort, certification=certification)
    theirs = make_path(student=other_student, cohort=cohort, certification=certification)
    services.evidence_submit(step=step(mine, "CPR card"), file=files.pdf(), user=student)
    older = submit(step(theirs, "CPR card"), days_ago=5)
    newer = submit(step(mine, "Complete the coursework"), days_ago=0)
    return {"mine": mine, "theirs": theirs, "older": older, "newer": newer}


def test_queue_lists_submitted_steps_oldest_first_with_their_evidence(staff_client, queue):
    response = staff_client.get(admin_url("stepawaitingreview"))
    results = list(response.context["cl"].result_list)
    assert [s.pk for s in results] == [
        queue["older"].pk,
        step(queue["mine"], "CPR card").pk,
        queue["newer"].pk,
    ]
    evidence = step(queue["mine"], "CPR card").evidence.get()
    html = response.content.decode()
    assert reverse("portal:evidence_download", kwargs={"pk": evidence.pk}) in html
    assert "cpr-card.pdf" in html
    # Steps not submitted never show up.
    assert all(s.status == PathStep.Status.SUBMITTED for s in results)


def test_approve_action_verifies_audits_and_raises_progress(staff_client, staff_user, queue):
    target = step(queue["mine"], "CPR card")
    before = queue["mine"].progress_percent
    response = staff_client.post(
        admin_url("stepawaitingreview"),
        {"action": "approve_selected", "_selected_action": [target.pk]},
        follow=True,
    )
    assert "Verified 1 step." in messages_of(response)
    target.refresh_from_db()
    assert target.status == PathStep.Status.VERIFIED
    review = StepReview.objects.get(step=target)
    assert (review.reviewer, review.action) == (staff_user, StepReview.Action.VERIFIED)
    queue["mine"].refresh_from_db()
    assert queue["mine"].progress_percent > before
    assert target.pk not in [s.pk for s in response.context["cl"].result_list]


def test_reject_action_asks_for_a_reason_first(staff_client, staff_user, queue):
    targets = [queue["older"].pk, queue["newer"].pk]
    url = admin_url("stepawaitingreview")
    response = staff_client.post(url, {"action": "reject_selected", "_selected_action": targets})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Reject steps with a reason" in html
    assert queue["older"].title in html

    response = staff_client.post(
        url,
        {"action": "reject_selected", "_selected_action": targets, "apply": "1", "reason": "   "},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Give the student a reason" in response.content.decode()
    assert PathStep.objects.filter(pk__in=targets, status=PathStep.Status.SUBMITTED).count() == 2

    response = staff_client.post(
        url,
        {
            "action": "reject_selected",
            "_selected_action": targets,
            "apply": "1",
            "reason": "The card photo is blurred: upload a sharper scan of both sides.",
        },
        follow=True,
    )
    assert any("Rejected 2 steps" in m for m in messages_of(response))
    for pk in targets:
        rejected = PathStep.objects.get(pk=pk)
        assert rejected.status == PathStep.Status.REJECTED
        assert rejected.rejection_reason.startswith("The card photo is blurred")
        review = rejected.reviews.get()
        assert (review.reviewer, review.action) == (staff_user, StepReview.Action.REJECTED)


def test_review_page_shows_evidence_and_history_and_records_a_decision(
    staff_client, staff_user, queue
):
    target = step(queue["mine"], "CPR card")
    url = admin_url("stepawaitingreview", "change", target.pk)
    response = staff_client.get(url)
    html = response.content.decode()
    assert "cpr-card.pdf" in html
    assert "review history" in html.lower()
    data = change_form_data(response)

    # Rejecting needs a message.
    response = staff_client.post(url, {**data, "decision": "reject", "message": ""})
    assert response.status_code == HTTPStatus.OK
    assert "Give the student a reason" in response.content.decode()
    target.refresh_from_db()
    assert target.status == PathStep.Status.SUBMITTED

    response = staff_client.post(
        url,
        {**data, "decision": "reject", "message": "Upload the back of the card too."},
        follow=True,
    )
    # On to the next waiting step (tests/accounts/test_review_queue.py has the details).
    assert response.redirect_chain[-1][0] == admin_url(
        "stepawaitingreview", "change", queue["newer"].pk
    )
    target.refresh_from_db()
    assert target.status == PathStep.Status.REJECTED
    assert target.rejection_reason == "Upload the back of the card too."

    # Back in the queue after a new upload; the history shows the earlier rejection.
    services.evidence_submit(
        step=target, file=files.pdf("back.pdf"), user=target.path.enrollment.student
    )
    response = staff_client.get(url)
    assert "Upload the back of the card too." in response.content.decode()
    data = change_form_data(response)
    staff_client.post(url, {**data, "decision": "approve", "message": "Thanks, all good."})
    target.refresh_from_db()
    assert target.status == PathStep.Status.VERIFIED
    assert target.staff_note == "Thanks, all good."
    assert list(target.reviews.order_by("created_at").values_list("action", "reviewer")) == [
        ("rejected", staff_user.pk),
        ("verified", staff_user.pk),
    ]
    audit = staff_client.get(admin_url("stepreview")).content.decode()
    assert "Upload the back of the card too." in audit
    assert staff_user.email in audit or str(staff_user) in audit


def test_a_step_reviewed_meanwhile_is_not_reviewed_twice(staff_client, queue, staff_user):
    target = queue["older"]
    services.step_verify(step=PathStep.objects.get(pk=target.pk), reviewer=staff_user)
    response = staff_client.get(admin_url("stepawaitingreview", "change", target.pk), follow=True)
    assert response.redirect_chain[-1][0] == admin_url("stepawaitingreview")
    assert any("no longer waiting for review" in m for m in messages_of(response))


def test_staff_without_queue_permission_learn_nothing_of_a_reviewed_step(client, make_user, path):
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    done = step(path, "Complete the coursework")  # not waiting for review
    response = client.get(admin_url("stepawaitingreview", "change", done.pk))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Complete the coursework" not in response.content.decode()
    assert not any("no longer waiting" in m for m in messages_of(response))


def test_verifying_the_credential_step_records_the_credential(staff_client, path, student):
    credential_step = submit(step(path, "Credential recorded"))
    url = admin_url("stepawaitingreview", "change", credential_step.pk)
    response = staff_client.get(url)
    assert "Credential number" in response.content.decode()
    data = change_form_data(response)
    issued = timezone.localdate().replace(day=1) - timedelta(days=40)
    staff_client.post(
        url,
        {
            **data,
            "decision": "approve",
            "credential_number": "CMA-123456",
            "issued_on": issued.isoformat(),
        },
    )
    credential = Credential.objects.get(path=path)
    assert credential.number == "CMA-123456"
    assert credential.issued_on == issued
    assert credential.expires_on == progress.credential_expiry(
        certification=path.certification, issued_on=issued
    )
    path.refresh_from_db()
    assert path.status == CertificationPath.Status.CERTIFIED


def test_bulk_approve_leaves_credential_steps_for_a_closer_look(staff_client, path):
    credential_step = submit(step(path, "Credential recorded"))
    response = staff_client.post(
        admin_url("stepawaitingreview"),
        {"action": "approve_selected", "_selected_action": [credential_step.pk]},
        follow=True,
    )
    credential_step.refresh_from_db()
    assert credential_step.status == PathStep.Status.SUBMITTED
    assert any("credential number" in m for m in messages_of(response))


def build_queue(n, cohort, certification):
    for _ in range(n):
        student = make_student()
        path = make_path(student=student, cohort=cohort, certification=certification)
        services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
        submit(step(path, "Complete the coursework"))


def test_queue_query_count_is_constant(staff_client, cohort, certification):
    build_queue(3, cohort, certification)
    staff_client.get(admin_url("stepawaitingreview"))  # warm the cached cohort filter choices
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(admin_url("stepawaitingreview")).status_code == HTTPStatus.OK
    build_queue(27, cohort, certification)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(admin_url("stepawaitingreview"))
    assert response.context["cl"].result_count == 60
    assert len(many) == len(few)


# --- Credentials -------------------------------------------------------------------------


def test_credentials_filter_by_expiry_window_and_flag_expired(staff_client, student, certification):
    soon = make_credential(student=student, certification=certification, expires_in=20)
    later = make_credential(student=student, certification=certification, expires_in=75)
    expired = make_credential(student=student, certification=certification, expires_in=-3)
    never = make_credential(student=student, certification=certification, expires_in=None)

    def ids(value):
        response = staff_client.get(admin_url("credential"), {"expires": value})
        return {c.pk for c in response.context["cl"].result_list}

    assert ids("30") == {soon.pk}
    assert ids("60") == {soon.pk}
    assert ids("90") == {soon.pk, later.pk}
    assert ids("expired") == {expired.pk}
    assert ids("never") == {never.pk}
    html = staff_client.get(admin_url("credential")).content.decode()
    assert re.search(r'tc-flag-expired">Expired 3 days ago<', html)
    assert "Expires in 20 days" in html


def test_a_credential_added_by_staff_gets_its_expiry_from_the_rule(
    staff_client, student, certification
):
    certification.renewal_months = 24
    certification.save()
    response = staff_client.post(
        admin_url("credential", "add"),
        {
            "student": student.pk,
            "certification": certification.pk,
            "number": "X-1",
            "name_on_credential": "Sam Student",
            "issued_on": "2026-01-15",
            "expires_on": "",
            "ce_activities-TOTAL_FORMS": "0",
            "ce_activities-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    credential = Credential.objects.get(number="X-1")
    assert credential.expires_on == progress.credential_expiry(
        certification=certification, issued_on=credential.issued_on
    )


def test_template_step_kinds_are_shown_in_the_queue(staff_client, path, student):
    hours = step(path, "Externship hours")
    services.step_record_count(step=hours, count=160, user=student)
    html = staff_client.get(admin_url("stepawaitingreview")).content.decode()
    assert "160 / 160 hours" in html
    assert hours.kind == PathStepTemplate.Kind.COUNT


def test_the_same_figure_on_dashboard_path_page_admin_and_report(client, staff_user, path):
    student = path.enrollment.student
    services.step_record_count(step=step(path, "Externship hours"), count=112, user=student)
    services.step_verify(step=step(path, "Complete the coursework"), reviewer=staff_user)
    path.refresh_from_db()
    percent = path.progress_percent
    assert 0 < percent < 100

    client.force_login(student)
    for url in (reverse("portal:dashboard"), path.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'aria-valuenow="{percent}"' in html, url
        assert f"{percent}% complete" in html, url

    staff = Client()
    staff.force_login(staff_user)
    for url in (
        admin_url("enrollment"),
        admin_url("certificationpath"),
        admin_url("enrollment", "change", path.enrollment.pk),
        reverse("admin:accounts_enrollment_report"),
    ):
        html = staff.get(url).content.decode()
        assert f"<strong>{percent}%</strong>" in html, url
        assert f'value="{percent}"' in html, url


def test_staff_open_the_evidence_linked_from_the_queue(staff_client, queue):
    evidence = step(queue["mine"], "CPR card").evidence.get()
    url = reverse("portal:evidence_download", kwargs={"pk": evidence.pk})
    assert url in staff_client.get(admin_url("stepawaitingreview")).content.decode()
    response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).startswith(b"%PDF")


# --- Waiving and reopening steps ---------------------------------------------------------


def test_waive_needs_a_reason_and_leaves_the_progress_figure(staff_client, staff_user, path):
    cpr = step(path, "CPR card")
    url = admin_url("pathstep")
    response = staff_client.post(url, {"action": "waive_selected", "_selected_action": [cpr.pk]})
    assert "Waive steps" in response.content.decode()
    response = staff_client.post(
        url, {"action": "waive_selected", "_selected_action": [cpr.pk], "apply": "1", "reason": ""}
    )
    assert "Record why the step is waived." in response.content.decode()
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.TODO

    staff_client.post(
        url,
        {
            "action": "waive_selected",
            "_selected_action": [cpr.pk],
            "apply": "1",
            "reason": "Current BLS card from her employer, seen on Mar 2.",
        },
    )
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.WAIVED
    assert cpr.staff_note.startswith("Current BLS card")
    assert cpr.reviews.get().action == StepReview.Action.WAIVED
    path.refresh_from_db()
    assert (
        path.progress_percent
        == progress.derive(path.steps.order_by("order", "id")).progress_percent
    )

    staff_client.post(
        url, {"action": "reopen_selected", "_selected_action": [cpr.pk], "apply": "1", "reason": ""}
    )
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.TODO
    assert list(cpr.reviews.order_by("created_at").values_list("action", flat=True)) == [
        "waived",
        "reopened",
    ]


def test_step_page_edits_due_date_and_note_and_recomputes(staff_client, path):
    hours = step(path, "Externship hours")
    url = admin_url("pathstep", "change", hours.pk)
    data = change_form_data(staff_client.get(url))
    new_due = timezone.localdate() + timedelta(days=3)
    data.update(
        {
            "due_date": new_due.isoformat(),
            "staff_note": "Your site supervisor signs weekly.",
            "_save": "Save",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    hours.refresh_from_db()
    assert hours.due_date == new_due
    assert hours.staff_note == "Your site supervisor signs weekly."
    path.refresh_from_db()
    assert path.next_due_date == new_due


def test_step_list_query_count_is_constant(staff_client, cohort, certification):
    build_queue(3, cohort, certification)
    staff_client.get(admin_url("pathstep"))  # warm the cached cohort filter choices
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(admin_url("pathstep")).status_code == HTTPStatus.OK
    build_queue(27, cohort, certification)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(admin_url("pathstep"))
    assert response.context["cl"].result_count == 30 * certification.path_steps.count()
    assert len(many) == len(few)


def test_credential_and_review_lists_query_counts_are_constant(
    staff_client, staff_user, cohort, certification
):
    def build(n):
        for _ in range(n):
            path = make_path(cohort=cohort, certification=certification)
            s = step(path, "Complete the coursework")
            services.step_verify(step=s, reviewer=staff_user)
            make_credential(student=path.enrollment.student, certification=certification)

    build(3)
    with CaptureQueriesContext(connection) as few_credentials:
        staff_client.get(admin_url("credential"))
    with CaptureQueriesContext(connection) as few_reviews:
        staff_client.get(admin_url("stepreview"))
    build(27)
    with CaptureQueriesContext(connection) as many_credentials:
        assert staff_client.get(admin_url("credential")).context["cl"].result_count == 30
    with CaptureQueriesContext(connection) as many_reviews:
        assert staff_client.get(admin_url("stepreview")).context["cl"].result_count == 30
    assert len(many_credentials) == len(few_credentials)
    assert len(many_reviews) == len(few_reviews)


def test_a_path_with_work_done_cannot_be_deleted(staff_client, cohort, certification):
    untouched = make_path(cohort=cohort, certification=certification)
    started = make_path(cohort=cohort, certification=certification)
    update_step(step(started, "Externship hours"), count=12, status=PathStep.Status.IN_PROGRESS)
    assert (
        staff_client.get(admin_url("certificationpath", "delete", started.pk)).status_code
        == HTTPStatus.FORBIDDEN
    )
    response = staff_client.get(admin_url("certificationpath"))
    assert (
        "delete_selected" not in response.context["action_form"].fields["action"].choices.__str__()
    )
    staff_client.post(admin_url("certificationpath", "delete", untouched.pk), {"post": "yes"})
    assert not CertificationPath.objects.filter(pk=untouched.pk).exists()
    assert CertificationPath.objects.filter(pk=started.pk).exists()


def test_template_changes_from_the_enrolment_list_cover_all_its_paths(staff_client, path):
    template = path.certification.path_steps.get(title="Externship hours")
    template.target = 180
    template.save()
    PathStepTemplate.objects.create(
        certification=path.certification, order=99, title="Background check", kind="check"
    )
    response = staff_client.post(
        admin_url("enrollment"),
        {"action": "apply_template_changes", "_selected_action": [path.enrollment.pk]},
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "applied to 1 certification path: 1 step added, 1 step updated, 0 steps removed" in text
    assert step(path, "Externship hours").target == 180
    assert path.steps.filter(title="Background check").exists()


def test_files_of_a_submission_are_listed_without_escaped_markup(staff_client, queue):
    target = step(queue["mine"], "CPR card")
    services.evidence_submit(
        step=target, file=files.pdf("back.pdf"), user=target.path.enrollment.student
    )
    for url in (
        admin_url("stepawaitingreview"),
        admin_url("stepawaitingreview", "change", target.pk),
    ):
        html = staff_client.get(url).content.decode()
        assert "back.pdf" in html
        assert "&lt;br&gt;" not in html

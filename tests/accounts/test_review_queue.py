"""The verification queue built for throughput: submissions with their files grouped,
one review screen with previews, preset reasons, and straight on to the next step."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import services
from accounts.admin.review import REJECTION_PRESETS
from accounts.models import Evidence, Notice, PathStep, StepReview
from tests.accounts import files
from tests.accounts.staff_data import (
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
    submit,
)

pytestmark = pytest.mark.django_db

QUEUE = "admin:accounts_stepawaitingreview_changelist"


def review_url(pk, **query):
    url = reverse("admin:accounts_stepawaitingreview_change", args=[pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def certification(db):
    return make_ma_certification(acronym="CMA", name="Certified Medical Assistant")


@pytest.fixture
def cohort(db):
    return make_staff_cohort()


def resubmitted(student, *, cohort, certification, staff):
    """A CPR card sent back once (blurry.pdf, Nov 3-like: 4 days ago) and submitted
    again (clear.pdf): one submission waiting, one earlier."""
    path = make_path(student=student, cohort=cohort, certification=certification)
    card = step(path, "CPR card")
    first = services.evidence_submit(step=card, file=files.pdf("blurry.pdf"), user=student)
    services.step_reject(step=card, reviewer=staff, reason="Too blurry to read.")
    second = services.evidence_submit(step=card, file=files.pdf("clear.pdf"), user=student)
    # Distinct times, whatever the clock's resolution.
    Evidence.objects.filter(pk=first.pk).update(uploaded_at=timezone.now() - timedelta(days=5))
    card.reviews.update(created_at=timezone.now() - timedelta(days=4))
    Evidence.objects.filter(pk=second.pk).update(uploaded_at=timezone.now() - timedelta(days=1))
    card.refresh_from_db()
    return card, first, second


# --- The queue: files grouped by submission ----------------------------------------


def test_queue_groups_files_and_marks_the_earlier_rejected_submission(
    staff_client, staff_user, student, cohort, certification
):
    _card, first, second = resubmitted(
        student, cohort=cohort, certification=certification, staff=staff_user
    )
    html = staff_client.get(reverse(QUEUE)).content.decode()
    sent_back = timezone.localtime(timezone.now() - timedelta(days=4))
    label = f"Earlier submission, sent back {sent_back:%b} {sent_back.day}"
    assert label in html
    # The current file first, then the label, then the earlier file under it.
    current_at = html.index(reverse("portal:evidence_download", kwargs={"pk": second.pk}))
    earlier_at = html.index(reverse("portal:evidence_download", kwargs={"pk": first.pk}))
    assert current_at < html.index(label) < earlier_at
    earlier_block = re.search(r'<div class="tc-earlier">(.*?)</div>', html, re.S).group(1)
    assert "blurry.pdf" in earlier_block
    assert "clear.pdf" not in earlier_block
    # Muted and said in words, not by color only; no escaped markup anywhere.
    assert f'<p class="tc-muted">{label}</p>' in html
    assert "&lt;br" not in html


def test_a_first_submission_has_no_earlier_group(staff_client, student, cohort, certification):
    path = make_path(student=student, cohort=cohort, certification=certification)
    services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    html = staff_client.get(reverse(QUEUE)).content.decode()
    assert "cpr-card.pdf" in html
    assert "Earlier submission" not in html


def test_queue_query_count_is_constant_with_many_resubmitted_rows(
    staff_client, staff_user, cohort, certification
):
    def build(n):
        for _ in range(n):
            resubmitted(
                make_student(), cohort=cohort, certification=certification, staff=staff_user
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(reverse(QUEUE))
        assert response.status_code == HTTPStatus.OK
        return len(queries), response

    build(2)
    staff_client.get(reverse(QUEUE))  # warm the cached cohort filter choices
    few, _ = count()
    build(28)
    many, response = count()
    assert response.context["cl"].result_count == 30
    assert response.content.decode().count("Earlier submission, sent back") == 30
    assert many == few


def test_review_page_query_count_does_not_grow_with_history(
    staff_client, staff_user, student, cohort, certification
):
    card, *_ = resubmitted(student, cohort=cohort, certification=certification, staff=staff_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(review_url(card.pk)).status_code == HTTPStatus.OK
        return len(queries)

    count()  # warm-up: session and once-a-day refreshes
    few = count()
    for i in range(6):
        services.step_reject(step=card, reviewer=staff_user, reason=f"Again {i}")
        services.evidence_submit(step=card, file=files.pdf(f"try{i}.pdf"), user=student)
    assert count() == few


# --- The review page: previews through the permission-checked views -----------------


def test_review_page_previews_current_files_and_shows_the_history_beside_the_decision(
    staff_client, staff_user, student, cohort, certification
):
    card, first, second = resubmitted(
        student, cohort=cohort, certification=certification, staff=staff_user
    )
    photo = services.evidence_submit(step=card, file=files.png("back.png"), user=student)
    html = staff_client.get(review_url(card.pk)).content.decode()
    main, side = html.split('<div class="tc-review-side">')
    # Current files previewed in the main column, through the permission-checked view.
    pdf_inline = reverse("portal:evidence_inline", kwargs={"pk": second.pk})
    assert f'<iframe src="{pdf_inline}"' in main
    assert 'title="PDF submitted: clear.pdf"' in main
    photo_inline = reverse("portal:evidence_inline", kwargs={"pk": photo.pk})
    assert f'<img src="{photo_inline}"' in main
    assert 'alt="Image submitted: back.png"' in main
    assert reverse("portal:evidence_download", kwargs={"pk": second.pk}) in main
    # The decision, then the history: the rejection with the files it sent back.
    assert side.index('name="decision"') < side.index("Review history")
    assert "Too blurry to read." in side
    assert "blurry.pdf" in side
    assert "blurry.pdf" not in main
    assert reverse("portal:evidence_download", kwargs={"pk": first.pk}) in side
    assert reverse("portal:evidence_inline", kwargs={"pk": first.pk}) not in main
    # Every preset reason is offered with a label.
    for text in REJECTION_PRESETS.values():
        assert escape(text) in html
    assert 'src="/static/accounts/review-presets.js"' in html


@pytest.fixture
def evidence_pair(student, cohort, certification):
    path = make_path(student=student, cohort=cohort, certification=certification)
    card = step(path, "CPR card")
    document = services.evidence_submit(step=card, file=files.pdf(), user=student)
    photo = services.evidence_submit(step=card, file=files.png("card.png"), user=student)
    return {"pdf": document, "image": photo}


PREVIEW_VIEWS = ["portal:evidence_inline", "portal:evidence_thumbnail"]


@pytest.mark.parametrize("view", PREVIEW_VIEWS)
def test_previews_are_refused_to_staff_without_permission(client, make_user, evidence_pair, view):
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    url = reverse(view, kwargs={"pk": evidence_pair["image"].pk})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    clerk.user_permissions.add(Permission.objects.get(codename="view_evidence"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh permission cache
    client.force_login(clerk)
    assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize("view", PREVIEW_VIEWS)
def test_previews_are_refused_to_a_student_of_another_path(
    client, other_student, student, evidence_pair, view
):
    url = reverse(view, kwargs={"pk": evidence_pair["image"].pk})
    client.force_login(other_student)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(student)
    assert client.get(url).status_code == HTTPStatus.OK


def test_pdf_is_served_inline_framable_by_the_site_only(staff_client, evidence_pair):
    pdf_id = evidence_pair["pdf"].pk
    response = staff_client.get(reverse("portal:evidence_inline", kwargs={"pk": pdf_id}))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "sandbox" not in response["Content-Security-Policy"]  # no PDF viewer if sandboxed
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Only that response: the download and the admin pages still refuse any frame.
    download = staff_client.get(reverse("portal:evidence_download", kwargs={"pk": pdf_id}))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in download["Content-Security-Policy"]
    page = staff_client.get(review_url(evidence_pair["pdf"].step_id))
    assert page["X-Frame-Options"] == "DENY"
    # The review page's own policy lets it frame its own origin.
    policy = page["Content-Security-Policy"]
    frame_rule = re.search(r"frame-src ([^;]*)", policy) or re.search(
        r"default-src ([^;]*)", policy
    )
    assert "'self'" in frame_rule.group(1)


def test_images_are_served_inline_and_other_files_are_not(staff_client, evidence_pair):
    image = evidence_pair["image"]
    response = staff_client.get(reverse("portal:evidence_inline", kwargs={"pk": image.pk}))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"
    Evidence.objects.filter(pk=image.pk).update(content_type="text/plain")
    response = staff_client.get(reverse("portal:evidence_inline", kwargs={"pk": image.pk}))
    assert response.status_code == HTTPStatus.NOT_FOUND


# --- Deciding: preset reasons, refusals, then the next step ---------------------------


@pytest.fixture
def waiting(student, cohort, certification):
    """Three submissions waiting, oldest first: a (5 days), b (3 days), c (1 day)."""
    steps = {}
    for name, days in (("a", 5), ("b", 3), ("c", 1)):
        path = make_path(student=make_student(), cohort=cohort, certification=certification)
        steps[name] = submit(step(path, "Complete the coursework"), days_ago=days)
    return steps


def test_a_chosen_preset_is_the_reason_when_the_message_is_empty(staff_client, waiting):
    target = waiting["b"]
    staff_client.post(
        review_url(target.pk), {"decision": "reject", "reason_preset": "expired", "message": ""}
    )
    target.refresh_from_db()
    assert target.status == PathStep.Status.REJECTED
    assert target.rejection_reason == REJECTION_PRESETS["expired"]
    notice = Notice.objects.get(step=target)
    assert (notice.kind, notice.reason) == (Notice.Kind.SENT_BACK, REJECTION_PRESETS["expired"])


def test_a_typed_message_wins_over_the_preset(staff_client, waiting):
    target = waiting["b"]
    staff_client.post(
        review_url(target.pk),
        {"decision": "reject", "reason_preset": "expired", "message": "Renewed card, please."},
    )
    target.refresh_from_db()
    assert target.rejection_reason == "Renewed card, please."


def test_reject_without_a_reason_is_refused_and_changes_nothing(staff_client, waiting):
    target = waiting["b"]
    response = staff_client.post(
        review_url(target.pk), {"decision": "reject", "reason_preset": "", "message": "   "}
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Give the student a reason for the rejection" in html
    assert 'class="errornote"' in html
    target.refresh_from_db()
    assert target.status == PathStep.Status.SUBMITTED
    assert not StepReview.objects.filter(step=target).exists()
    assert not Notice.objects.filter(step=target).exists()


def test_an_unknown_preset_is_refused(staff_client, waiting):
    target = waiting["b"]
    response = staff_client.post(
        review_url(target.pk), {"decision": "reject", "reason_preset": "made-up", "message": ""}
    )
    assert response.status_code == HTTPStatus.OK
    target.refresh_from_db()
    assert target.status == PathStep.Status.SUBMITTED


def test_after_a_decision_the_next_waiting_step_opens(staff_client, waiting):
    response = staff_client.post(review_url(waiting["b"].pk), {"decision": "approve"}, follow=True)
    assert response.redirect_chain == [(review_url(waiting["c"].pk), HTTPStatus.FOUND)]
    assert any("Verified “Complete the coursework”" in m for m in messages_of(response))
    # The newest decided: back round to the oldest still waiting.
    response = staff_client.post(
        review_url(waiting["c"].pk), {"decision": "reject", "reason_preset": "wrong"}
    )
    assert response["Location"] == review_url(waiting["a"].pk)


def test_after_the_last_decision_back_to_the_queue(staff_client, waiting):
    PathStep.objects.filter(pk__in=[waiting["a"].pk, waiting["b"].pk]).update(
        status=PathStep.Status.VERIFIED
    )
    response = staff_client.post(review_url(waiting["c"].pk), {"decision": "approve"}, follow=True)
    assert response.redirect_chain == [(reverse(QUEUE), HTTPStatus.FOUND)]
    assert "Nothing else is waiting for review." in messages_of(response)


def test_the_next_step_respects_the_queue_filters(staff_client, waiting, student, certification):
    elsewhere = make_staff_cohort()
    other = make_path(student=make_student(), cohort=elsewhere, certification=certification)
    between = submit(step(other, "Complete the coursework"), days_ago=4)
    cohort_id = waiting["a"].path.enrollment.cohort_id
    filters = f"cohort%3D{cohort_id}"
    response = staff_client.post(
        review_url(waiting["a"].pk, _changelist_filters=filters), {"decision": "approve"}
    )
    # b, not the other cohort's step submitted between a and b; the filters go along.
    assert response["Location"] == review_url(waiting["b"].pk, _changelist_filters=filters)
    # Without filters, the other cohort's step is next.
    response = staff_client.get(
        reverse("admin:accounts_stepawaitingreview_next", args=[waiting["b"].pk])
    )
    assert response["Location"] == review_url(waiting["c"].pk)
    response = staff_client.post(review_url(waiting["b"].pk), {"decision": "approve"})
    assert response["Location"] == review_url(waiting["c"].pk)
    response = staff_client.post(review_url(waiting["c"].pk), {"decision": "approve"})
    assert response["Location"] == review_url(between.pk)


def test_skip_to_next_leaves_the_step_waiting(staff_client, waiting):
    html = staff_client.get(review_url(waiting["a"].pk)).content.decode()
    skip = reverse("admin:accounts_stepawaitingreview_next", args=[waiting["a"].pk])
    assert f'href="{skip}"' in html
    response = staff_client.get(skip, follow=True)
    assert response.redirect_chain == [(review_url(waiting["b"].pk), HTTPStatus.FOUND)]
    assert PathStep.objects.get(pk=waiting["a"].pk).status == PathStep.Status.SUBMITTED
    # Skipping the only one left goes back to the queue.
    PathStep.objects.filter(pk__in=[waiting["a"].pk, waiting["b"].pk]).update(
        status=PathStep.Status.VERIFIED
    )
    response = staff_client.get(
        reverse("admin:accounts_stepawaitingreview_next", args=[waiting["c"].pk]), follow=True
    )
    assert response.redirect_chain == [(reverse(QUEUE), HTTPStatus.FOUND)]
    assert "Nothing else is waiting for review." in messages_of(response)


def test_skip_is_refused_to_staff_without_the_queue_permission(client, make_user, waiting):
    clerk = make_user("clerk@example.com", is_staff=True)
    client.force_login(clerk)
    response = client.get(reverse("admin:accounts_stepawaitingreview_next", args=[waiting["a"].pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_preset_reason_with_an_approval_is_refused(staff_client, waiting):
    """The preset filled the message in: approving would tell the student a rejection
    reason on a verified step."""
    target = waiting["b"]
    response = staff_client.post(
        review_url(target.pk),
        {
            "decision": "approve",
            "reason_preset": "expired",
            "message": REJECTION_PRESETS["expired"],
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "You chose a reason to reject but marked the step approved" in response.content.decode()
    target.refresh_from_db()
    assert target.status == PathStep.Status.SUBMITTED
    assert not Notice.objects.filter(step=target).exists()

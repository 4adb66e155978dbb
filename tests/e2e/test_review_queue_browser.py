"""The review page in a browser: previews load in their frames, a preset reason fills the
message, the page reads at phone and desktop widths with no axe WCAG 2.2 AA violation."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.admin.review import REJECTION_PRESETS
from accounts.models import PathStep
from tests.accounts import files
from tests.accounts.staff_data import make_ma_certification, make_path, make_staff_cohort, step
from tests.e2e.support import DESKTOP, PHONE, axe_violations, report, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resubmitted(make_user, settings):
    settings.STAFF_REQUIRE_MFA = False
    staff = make_user("reviewer@example.com", is_staff=True, is_superuser=True)
    path = make_path(cohort=make_staff_cohort(), certification=make_ma_certification())
    student = path.enrollment.student
    card = step(path, "CPR card")
    services.evidence_submit(step=card, file=files.pdf("blurry.pdf"), user=student)
    services.step_reject(step=card, reviewer=staff, reason="Too blurry.", notify=False)
    services.evidence_submit(step=card, file=files.pdf("front.pdf"), user=student)
    services.evidence_submit(step=card, file=files.png("back.png"), user=student)
    return {"staff": staff, "card": card}


def test_review_page_previews_presets_and_reads_at_both_widths(
    browser, live_server, resubmitted, shoot
):
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, live_server, resubmitted["staff"])
    page = context.new_page()
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "Refused" in m.text else None)
    card = resubmitted["card"]
    response = page.goto(
        live_server.url + reverse("admin:accounts_stepawaitingreview_change", args=[card.pk])
    )
    assert response.status == 200
    # The image preview decoded; the PDF frame was allowed to load from the site.
    page.wait_for_load_state("networkidle")
    assert page.eval_on_selector("img.tc-preview-image", "img => img.naturalWidth") > 0
    assert not refusals, refusals
    assert page.locator("iframe.tc-preview-pdf").count() == 1
    # Earlier submission in the history column, beside the decision on a wide screen.
    side = page.locator(".tc-review-side").bounding_box()
    main = page.locator(".tc-review-main").bounding_box()
    assert side["x"] > main["x"] + main["width"] - 1
    assert "blurry.pdf" in page.locator(".tc-review-side").inner_text()

    problems = axe_violations(page)
    shoot(page, "review-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    problems += axe_violations(page)
    shoot(page, "review-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not problems, report(problems)

    # The queue: the earlier submission's files apart, said in words.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("admin:accounts_stepawaitingreview_changelist"))
    earlier = page.locator(".tc-earlier")
    assert "Earlier submission, sent back" in earlier.inner_text()
    assert "blurry.pdf" in earlier.inner_text()
    problems = axe_violations(page)
    shoot(page, "queue-desktop")
    page.set_viewport_size(PHONE)
    problems += axe_violations(page)
    shoot(page, "queue-phone")
    assert not problems, report(problems)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("admin:accounts_stepawaitingreview_change", args=[card.pk]))

    # A preset fills the message and selects "Reject"; sending it rejects the step.
    page.get_by_label(REJECTION_PRESETS["expired"]).check()
    assert page.locator("#id_message").input_value() == REJECTION_PRESETS["expired"]
    assert page.locator('input[name="decision"][value="reject"]').is_checked()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    card.refresh_from_db()
    assert card.status == PathStep.Status.REJECTED
    assert card.rejection_reason == REJECTION_PRESETS["expired"]
    assert "Nothing else is waiting for review." in page.content()
    context.close()

"""The student's loop in real browsers: staff send an upload back, the student (on a
360 px phone) sees the banner and the e-mail, uploads again, staff approve, the progress
moves and the student is told."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Notice, PathStep
from tests.accounts import files
from tests.accounts.staff_data import (
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
)
from tests.e2e.support import DESKTOP, PHONE, axe_violations, sign_in
from tests.factories import make_campus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def progress_of(page):
    return int(re.search(r"(\d+)%", page.locator(".path-hero-status").inner_text()).group(1))


def test_sent_back_upload_reaches_the_student_who_fixes_it_and_is_approved(
    browser, live_server, make_user, settings, shoot, tmp_path
):
    settings.STAFF_REQUIRE_MFA = False
    staff = make_user(
        "dana.lee@example.com",
        first_name="Dana",
        last_name="Lee",
        is_staff=True,
        is_superuser=True,
    )
    cohort = make_staff_cohort(campus=make_campus(name="Arlington", slug="arlington-loop"))
    certification = make_ma_certification(acronym="RMA", name="Registered Medical Assistant")
    student = make_student(first_name="Jordan", last_name="Rivera")
    path = make_path(student=student, cohort=cohort, certification=certification)
    cpr = step(path, "CPR card")
    first_file = tmp_path / "cpr-front.pdf"
    first_file.write_bytes(files.pdf("cpr-front.pdf").read())
    second_file = tmp_path / "cpr-both-sides.pdf"
    second_file.write_bytes(files.pdf("cpr-both-sides.pdf").read())

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    desk = browser.new_context(viewport=DESKTOP)
    sign_in(phone, live_server, student)
    sign_in(desk, live_server, staff)
    me, admin = phone.new_page(), desk.new_page()
    path_url = f"{live_server.url}{path.get_absolute_url()}"

    # The student uploads the CPR card from the phone.
    me.goto(path_url)
    start = progress_of(me)
    card = me.locator(f"#step-{cpr.pk}")
    card.get_by_label("Add a file").set_input_files(str(first_file))
    card.get_by_role("button", name=re.compile("Upload and submit")).click()
    expect(me.locator(f"#step-{cpr.pk}")).to_contain_text("Submitted for review")

    # Staff send it back with a reason, from the review queue.
    admin.goto(f"{live_server.url}/admin/accounts/stepawaitingreview/{cpr.pk}/change/")
    admin.get_by_role("radio", name=re.compile("Reject")).check()
    admin.get_by_label("Message to the student").fill(
        "We need both sides of the card: the back shows the expiry date."
    )
    admin.get_by_role("button", name="Record the decision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Rejected")

    # The e-mail (sent once the decision committed) and the dashboard both say so.
    sent_back = [m for m in mail.outbox if m.to == [student.email]]
    assert [m.subject for m in sent_back] == ["“CPR card” was sent back for a change"]
    assert "both sides of the card" in sent_back[0].body
    me.goto(f"{live_server.url}/portal/")
    banner = me.get_by_role("region", name=re.compile("Action needed"))
    expect(banner).to_contain_text("CPR card")
    expect(banner).to_contain_text("both sides of the card")
    expect(banner).to_contain_text("by Dana Lee")
    shoot(me, "loop-dashboard-action-needed-phone")
    assert axe_violations(me) == []
    width = me.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard is {width}px wide on a phone"

    # The banner's button leads to the step; the student uploads both sides.
    banner.get_by_role("link", name=re.compile("Fix and send it again")).click()
    expect(me).to_have_url(re.compile(rf"#step-{cpr.pk}$"))
    card = me.locator(f"#step-{cpr.pk}")
    expect(card).to_contain_text("both sides of the card")
    card.get_by_label("Add a file").set_input_files(str(second_file))
    card.get_by_role("button", name=re.compile("Upload and submit")).click()
    expect(me.locator(f"#step-{cpr.pk}")).to_contain_text("Submitted for review")
    me.goto(f"{live_server.url}/portal/")
    expect(me.get_by_role("region", name=re.compile("Action needed"))).to_have_count(0)
    expect(me.locator(".decision-waiting")).to_contain_text("CPR card")

    # Staff approve the new upload.
    admin.goto(f"{live_server.url}/admin/accounts/stepawaitingreview/{cpr.pk}/change/")
    expect(admin.locator("body")).to_contain_text("cpr-both-sides.pdf")
    admin.get_by_role("radio", name=re.compile("Approve")).check()
    admin.get_by_role("button", name="Record the decision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Verified")
    cpr.refresh_from_db()
    assert cpr.status == PathStep.Status.VERIFIED

    # The student hears of it, and the progress has moved.
    to_student = [m.subject for m in mail.outbox if m.to == [student.email]]
    assert to_student == [
        "“CPR card” was sent back for a change",
        "“CPR card” was approved",
    ]
    me.goto(f"{live_server.url}/portal/")
    updates = me.get_by_role("region", name="New from your campus")
    expect(updates).to_contain_text("“CPR card” was approved")
    shoot(me, "loop-dashboard-approved-phone")
    updates.get_by_role("button", name=re.compile("Got it")).click()
    expect(me.get_by_role("region", name="New from your campus")).to_have_count(0)
    me.goto(path_url)
    assert progress_of(me) > start
    history = me.get_by_role("region", name="Decisions from your campus")
    expect(history).to_contain_text("“CPR card” was approved")
    expect(history).to_contain_text("sent back")
    assert Notice.objects.filter(student=student).count() == 2
    phone.close()
    desk.close()

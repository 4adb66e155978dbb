"""Findings of a phone walk (360 px) of the student portal: messages where the student
lands, the photo's file line under the photo, one wording for steps sent back, deadlines
the student can act on, files of an earlier submission marked, and the file shown on
the withdraw confirmation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import deadlines, progress, services
from accounts.feeds import student_calendar_events
from accounts.management.commands.send_reminders import candidate_reminders
from accounts.models import PathStep
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def html_after(response):
    """The page a redirect lands on, and the fragment it lands at."""
    assert response.redirect_chain, "expected a redirect"
    url = response.redirect_chain[-1][0]
    return response.content.decode(), url.partition("#")[2]


def card_of(html, step_id):
    """The HTML of one step's card on the path page."""
    start = html.index(f'id="step-{step_id}"')
    ends = [html.find(mark, start) for mark in ('<li class="timeline-step', "</ol>")]
    return html[start : min(end for end in ends if end > 0)]


# --- 1. Messages: live regions, and shown where the redirect lands ------------------------


def test_messages_are_live_regions_errors_alert_the_rest_status(student_client, path, staff_user):
    cpr = step(path, "CPR card")
    response = student_client.post(
        reverse("portal:step_evidence", kwargs={"pk": cpr.pk}),
        {f"step-{cpr.pk}-file": files.pdf("card.pdf")},
        follow=True,
    )
    html, fragment = html_after(response)
    assert fragment == f"step-{cpr.pk}"
    # The success message is in the step's card the page opens at, in a status region.
    card = card_of(html, cpr.pk)
    status = card[card.index('role="status"') :]
    assert "Uploaded card.pdf." in status[: status.index("</div>\n")]
    assert html.count("Uploaded card.pdf.") == 1  # not at the top of the page as well
    # No live region inside another: the message itself carries no second role.
    assert not re.search(r'class="alert[^"]*"[^>]*role=', html)

    evidence = cpr.evidence.get()
    services.step_verify(step=step(path, "CPR card"), reviewer=staff_user, notify=False)
    response = student_client.get(
        reverse("portal:evidence_withdraw", kwargs={"pk": evidence.pk}), follow=True
    )
    html, fragment = html_after(response)
    card = card_of(html, cpr.pk)
    alert = card[card.index('role="alert"') :]
    assert "stays in your records" in alert[: alert.index("</div>\n")]


def test_messages_not_about_a_step_stay_at_the_top_in_a_status_region(student_client, student):
    response = student_client.post(
        reverse("portal:profile"),
        {"first_name": "Ana", "last_name": "Lopez", "phone": "", "email_updates": "on"},
        follow=True,
    )
    html = response.content.decode()
    top = html[html.index('class="container pt-3 page-messages messages"') :]
    status = top[top.index('role="status"') :]
    assert "Your profile is saved." in status[: status.index("</div>\n")]


# --- 2. The photo's file line under the Photo field ----------------------------------------


@pytest.mark.parametrize("with_photo", [False, True])
def test_the_photos_file_line_is_under_the_photo_field(student_client, student, with_photo):
    if with_photo:
        profile = services.profile_ensure(user=student)
        profile.photo.save("me.png", files.png("me.png"), save=True)
    html = student_client.get(reverse("portal:profile")).content.decode()
    form = html[html.index('enctype="multipart/form-data"') :]
    form = form[: form.index("</form>")]
    photo = form.index('id="id_new_photo"')
    line = form.index('id="id_new_photo-chosen"')
    assert photo < line < form.index('id="id_email_updates"')
    if with_photo:
        assert line < form.index('id="id_remove_photo"')
    # Nothing but the Photo field's own help and wrapper between the input and its line.
    between = form[photo:line]
    assert "<input" not in between
    assert "A JPEG, PNG or WebP photo" in between


# --- 3. One wording for a step sent back: "Sent back by <reviewer>" -----------------------


def visible_text(html):
    body = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_step_sent_back_is_worded_the_same_on_dashboard_and_path_page(
    student_client, path, student, staff_user
):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    services.step_reject(step=cpr, reviewer=staff_user, reason="Card is blurry.")

    dashboard = visible_text(student_client.get(reverse("portal:dashboard")).content.decode())
    page = visible_text(student_client.get(path.get_absolute_url()).content.decode())
    for text in (dashboard, page):
        assert "Rejected" not in text
        assert "rejected" not in text
        assert "by staff" not in text
    # The banner and the path card name the reviewer, as the path page does.
    assert "CPR card (CMA) was sent back by Stacy Staff on" in dashboard
    assert "Sent back by Stacy Staff: Card is blurry." in dashboard
    assert "CPR card Sent back" in page  # the step's badge
    assert "Sent back by Stacy Staff: Card is blurry." in page
    assert "Sent back by Stacy Staff on" in page  # its review history
    # The staff admin keeps its own words.
    assert step(path, "CPR card").status_label == "Rejected"


# --- 4. Deadlines: only steps the student can act on ---------------------------------------


def test_deadlines_leave_out_steps_only_staff_complete(student_client, path, student):
    today = timezone.localdate()
    dues = {"Eligibility approved": 5, "Complete the coursework": 8, "CPR card": 20}
    for title, days in dues.items():
        PathStep.objects.filter(pk=step(path, title).pk).update(
            due_date=today + timedelta(days=days)
        )
    progress.path_recompute(path)
    staff_steps = {step(path, "Eligibility approved").pk, step(path, "Complete the coursework").pk}
    cpr = step(path, "CPR card")

    # The one rule ...
    rule = deadlines.for_student(student, today=today)
    assert cpr.pk in {d.pk for d in rule if d.kind == "step"}
    assert not staff_steps & {d.pk for d in rule if d.kind == "step"}
    # ... on the dashboard,
    html = student_client.get(reverse("portal:dashboard")).content.decode()
    listed = html.split("Upcoming deadlines", 1)[1]
    assert "CPR card" in listed
    assert "Eligibility approved" not in listed
    assert "Complete the coursework" not in listed
    # ... in the calendar feed,
    events = student_calendar_events(
        student, absolute_uri=lambda url: url, uid_domain="test.example"
    )
    summaries = " ".join(e.summary for e in events)
    assert "CPR card" in summaries
    assert "Eligibility approved" not in summaries
    assert "coursework" not in summaries
    # ... in the reminder e-mails,
    reminded = {r.key for r in candidate_reminders(today) if r.user == student}
    assert any(key.startswith(f"step:{cpr.pk}:") for key in reminded)
    assert not any(key.split(":")[1] in {str(pk) for pk in staff_steps} for key in reminded)
    # ... and the path's stored next due date, the earliest of them.
    path.refresh_from_db()
    assert path.next_due_date == today + timedelta(days=20)


# --- 5. Files of an earlier submission, sent back, are marked --------------------------------


def test_files_of_an_earlier_submission_sent_back_are_marked(
    student_client, path, student, staff_user
):
    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf("front-only.pdf"), user=student)
    services.step_reject(step=cpr, reviewer=staff_user, reason="Both sides.", notify=False)
    services.evidence_submit(
        step=step(path, "CPR card"), file=files.pdf("both-sides.pdf"), user=student
    )
    html = student_client.get(path.get_absolute_url()).content.decode()
    card = card_of(html, cpr.pk)
    items = {
        name: item
        for item in card.split('<li class="evidence-item')[1:]
        for name in ("front-only.pdf", "both-sides.pdf")
        if name in item
    }
    assert "Earlier submission — sent back" in items["front-only.pdf"]
    assert items["front-only.pdf"].startswith(" is-earlier")
    assert "Earlier submission" not in items["both-sides.pdf"]
    # Approved later: the old file still belongs to the submission sent back.
    services.step_verify(step=step(path, "CPR card"), reviewer=staff_user, notify=False)
    card = card_of(student_client.get(path.get_absolute_url()).content.decode(), cpr.pk)
    assert card.count("Earlier submission — sent back") == 1


# --- 6. The withdraw confirmation shows the file; "Keep it" looks like a button ------------


def test_the_withdraw_confirmation_shows_the_files_thumbnail(student_client, path, student):
    image = services.evidence_submit(
        step=step(path, "CPR card"), file=files.png("card-front.png"), user=student
    )
    document = services.evidence_submit(
        step=step(path, "Externship hours"), file=files.pdf("sheet.pdf"), user=student
    )
    url = reverse("portal:evidence_withdraw", kwargs={"pk": image.pk})
    html = student_client.get(url).content.decode()
    preview = reverse("portal:evidence_thumbnail", kwargs={"pk": image.pk})
    assert re.search(
        rf'<img [^>]*src="{re.escape(preview)}"[^>]*alt="Preview of card-front.png"', html
    )
    assert student_client.get(preview).status_code == 200
    # "Keep it" is an ordinary secondary button, not the grey outline that looks disabled.
    keep = re.search(r'<a class="([^"]*)" href="[^"]*#step-\d+">Keep it</a>', html)
    assert keep
    assert "btn-outline-primary" in keep.group(1).split()
    # A PDF has no preview: its icon and name instead.
    html = student_client.get(
        reverse("portal:evidence_withdraw", kwargs={"pk": document.pk})
    ).content.decode()
    assert "evidence_thumbnail" not in html
    assert "/preview.jpg" not in html
    assert 'class="confirm-file-name">sheet.pdf<' in html

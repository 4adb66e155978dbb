"""The path card pairs the next step with its own due date, never another step's."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def test_card_shows_the_next_steps_own_due_date(student_client, path, cohort):
    coursework = step(path, "Complete the coursework")
    cpr = step(path, "CPR card")
    assert path.next_step_id == coursework.pk
    # The CPR card is due sooner than the coursework, but it is not the next step.
    assert cpr.due_date < coursework.due_date == cohort.start_date + timedelta(days=200)

    html = student_client.get(reverse("portal:dashboard")).content.decode()
    card = html[html.index('class="next-title"') :]
    card = card[: card.index("</time>")]
    assert f'datetime="{coursework.due_date:%Y-%m-%d}"' in card
    assert f'datetime="{cpr.due_date:%Y-%m-%d}"' not in card
    assert "Next deadline: <strong>CPR card</strong>" in html


def test_path_page_headline_uses_the_next_steps_due_date(student_client, path):
    coursework = step(path, "Complete the coursework")
    html = student_client.get(path.get_absolute_url()).content.decode()
    headline = html[html.index('class="path-hero-next"') :]
    headline = headline[: headline.index("</p>")]
    assert "Complete the coursework" in headline
    assert f"by {coursework.due_date:%b} {coursework.due_date.day}" in headline

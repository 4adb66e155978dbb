"""The path card pairs the next step with its own due date, never another step's."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.conftest import step

pytestmark = pytest.mark.django_db


def test_card_shows_the_next_steps_own_due_date(student_client, path, cohort):
    coursework = step(path, "Complete the coursework")
    hours = step(path, "Externship hours")
    cpr = step(path, "CPR card")
    # Coursework comes first in the path, but only staff complete it; of the steps the
    # student can act on, the CPR card is due soonest.
    assert path.next_step_id == cpr.pk
    assert cpr.due_date < coursework.due_date == cohort.start_date + timedelta(days=200)

    html = student_client.get(reverse("portal:dashboard")).content.decode()
    card = html[html.index('class="next-title"') :]
    card = card[: card.index("</time>")]
    assert f'datetime="{cpr.due_date:%Y-%m-%d}"' in card
    assert f'datetime="{hours.due_date:%Y-%m-%d}"' not in card
    assert "Next deadline: <strong>CPR card</strong>" in html


def test_path_page_headline_uses_the_next_steps_due_date(student_client, path):
    cpr = step(path, "CPR card")
    html = student_client.get(path.get_absolute_url()).content.decode()
    headline = html[html.index('class="path-hero-next"') :]
    headline = headline[: headline.index("</p>")]
    assert "CPR card" in headline
    assert f"by {cpr.due_date:%b} {cpr.due_date.day}" in headline

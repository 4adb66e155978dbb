from datetime import timedelta

import pytest
import time_machine

from careers.demo import CHECKED
from tests.careers.scenario import load_careers_demo, make_campuses, make_school


@pytest.fixture
def careers_demo(db):
    """The careers demo content, as `load_demo` loads it."""
    load_careers_demo()


@pytest.fixture
def campuses(db):
    return make_campuses()


@pytest.fixture
def school(careers_demo, campuses):
    """Programs at both campuses preparing for the demo certifications."""
    return make_school(campuses)


@pytest.fixture
def demo_facts_fresh():
    """A day on which the demo's facts, checked on a fixed date, are still fresh."""
    with time_machine.travel(CHECKED + timedelta(days=30), tick=False):
        yield

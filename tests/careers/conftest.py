from datetime import timedelta

import pytest
import time_machine

from tests.careers.scenario import load_careers_demo, make_campuses, make_school
from trainingcenter.demo.careers import checked_on


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
    with time_machine.travel(checked_on() + timedelta(days=30), tick=False):
        yield

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.utils import timezone

from programs.images import RENDITION_WIDTHS, renditions_are_current
from programs.models import Campus, Cohort, Course, Disclosure, Inquiry, Offering, Outcome, Program
from tests.factories import make_certification, make_role
from tests.programs.conftest import image_bytes
from trainingcenter.demo import programs as demo

pytestmark = pytest.mark.django_db

PROGRAM_SLUGS = {
    "medical-assisting-nutrition-weight-management",
    "medical-administrative-assistant",
    "medical-billing-and-coding",
    "phlebotomy-technician",
    "ekg-technician",
    "patient-care-technician",
    "pharmacy-technician",
}


def _load():
    out = io.StringIO()
    demo.load(stdout=OutputWrapper(out), style=no_style(), with_accounts=False)
    return out.getvalue()


def _counts():
    return [
        m.objects.count()
        for m in (Campus, Program, Course, Outcome, Offering, Cohort, Disclosure, Inquiry)
    ]


@pytest.fixture
def quick_images(monkeypatch):
    """Drawing and encoding nine full-size illustrations takes seconds: use small stand-ins."""
    monkeypatch.setattr(
        demo.demo_images, "program_image", lambda slug: image_bytes(size=(640, 400))
    )
    monkeypatch.setattr(demo.demo_images, "campus_image", lambda slug: image_bytes(size=(640, 400)))


@pytest.fixture
def loaded(quick_images):
    make_certification(slug="ccma", acronym="CCMA")
    make_certification(slug="cpt", acronym="CPT")
    make_role(slug="medical-assistant", title="Medical Assistant")
    _load()


def test_demo_is_idempotent(loaded):
    before = _counts()
    images = {p.slug: p.hero_image.name for p in Program.objects.all()}
    output = _load()
    assert _counts() == before
    assert {p.slug: p.hero_image.name for p in Program.objects.all()} == images
    assert "0 new cohorts, 0 images generated" in output


def test_demo_has_both_campuses_and_the_agreed_programs(loaded):
    assert set(Campus.objects.values_list("slug", flat=True)) == {"dallas", "arlington"}
    assert set(Program.objects.values_list("slug", flat=True)) >= PROGRAM_SLUGS
    for campus in Campus.objects.all():
        assert "555-01" in campus.phone
        assert campus.hours
        assert campus.parking
        assert campus.transit
    assert "DART" in Campus.objects.get(slug="dallas").transit
    assert "Via" in Campus.objects.get(slug="arlington").transit


def test_campuses_offer_different_programs_and_evenings_only_in_arlington(loaded):
    def programs_at(slug):
        return set(
            Offering.objects.filter(campus__slug=slug).values_list("program__slug", flat=True)
        )

    assert programs_at("dallas") != programs_at("arlington")
    evening = set(
        Offering.objects.filter(schedule="evening").values_list("campus__slug", flat=True)
    )
    assert evening == {"arlington"}
    ma = Offering.objects.filter(program__slug="medical-assisting-nutrition-weight-management")
    assert set(ma.values_list("campus__slug", "schedule")) == {
        ("dallas", "day"),
        ("arlington", "day"),
        ("arlington", "evening"),
    }


def test_every_program_has_an_ordered_curriculum_with_an_externship(loaded):
    for program in Program.objects.all():
        courses = list(program.courses.all())
        assert len(courses) >= 4
        assert courses[-1].is_externship
        assert sum(c.hours for c in courses) == program.clock_hours
        assert program.outcomes.exists()
        assert all(o.source for o in program.outcomes.all())


def test_a_year_of_cohorts_with_a_mix_of_statuses(loaded):
    today = timezone.localdate()
    upcoming = Cohort.objects.filter(start_date__gte=today)
    assert upcoming.filter(start_date__gte=today + timedelta(days=300)).exists()
    assert not Cohort.objects.filter(start_date__gt=today + timedelta(days=366)).exists()
    # Full is derived from seats taken (the accounts demo fills one start), never typed.
    assert set(Cohort.objects.values_list("status", flat=True)) == {"open", "closed"}
    for offering in Offering.objects.all():
        assert offering.cohorts.filter(start_date__gte=today).count() >= 4


def test_programs_link_only_existing_certifications_and_roles(loaded):
    ma = Program.objects.get(slug="medical-assisting-nutrition-weight-management")
    assert set(ma.certifications.values_list("slug", flat=True)) == {"ccma", "cpt"}
    assert set(ma.roles.values_list("slug", flat=True)) == {"medical-assistant"}


def test_disclosures_say_the_school_is_a_demo_and_explain_complaints(loaded):
    approval = Disclosure.objects.get(slug="state-approval")
    complaints = Disclosure.objects.get(slug="student-complaints")
    assert "demonstration" in approval.body
    assert "Texas Workforce Commission" in complaints.body
    assert complaints.footer_text


def test_demo_images_are_drawn_and_have_renditions_on_disk():
    _load()
    for obj in [*Campus.objects.all(), *Program.objects.all()]:
        [(image_field, renditions_field)] = obj.image_renditions.items()
        renditions = getattr(obj, renditions_field)
        sources = renditions["sources"]
        assert [s["width"] for s in sources] == list(RENDITION_WIDTHS)
        assert all(default_storage.exists(s["webp"]) for s in sources)
        # Content-named files: the image and every rendition.
        assert renditions_are_current(getattr(obj, image_field), renditions)


def test_missing_image_files_are_regenerated(loaded):
    program = Program.objects.get(slug="ekg-technician")
    default_storage.delete(program.hero_image.name)
    output = _load()
    assert "1 images generated" in output

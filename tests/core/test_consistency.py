"""One rule, one home: every page, feed, e-mail, report and JSON-LD tells the same story.

The demo data is loaded on a fixed day (the day the contradictions were reported), so
these tests never depend on the date they run on."""

import io
import json
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import deadlines, progress
from accounts.management.commands.send_reminders import candidate_reminders
from accounts.models import CertificationPath, Credential, PathStep, User
from careers import catalog
from programs import demo_images
from programs.models import Campus, Cohort, Offering, Program
from tests.conftest import SCHOOL_TZ
from tests.programs.conftest import image_bytes

DAY = datetime(2026, 12, 2, 12, 0, tzinfo=SCHOOL_TZ)
TODAY = DAY.date()
MARIA, JORDAN, GRADUATE = (
    "student@demo.trinitycareer.example",
    "jordan@demo.trinitycareer.example",
    "graduate@demo.trinitycareer.example",
)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(demo_images, "program_image", lambda slug: image_bytes(size=(640, 400)))
    monkeypatch.setattr(demo_images, "campus_image", lambda slug: image_bytes(size=(640, 400)))
    with time_machine.travel(DAY, tick=False):
        call_command("load_demo", "--with-accounts", stdout=io.StringIO())
        yield


def expected_next_start(offering):
    """The rule, written again by hand: the first upcoming open cohort with a seat left."""
    cohorts = [
        c
        for c in offering.cohorts.all()
        if c.start_date >= TODAY and c.status == "open" and c.seats_taken < c.seats
    ]
    return min(cohorts, key=lambda c: (c.start_date, c.pk), default=None)


def few_left(cohort):
    return 0 < cohort.seats - cohort.seats_taken <= 5


def next_start_dates(html, marker):
    """The ISO dates that follow ``marker`` (the words before a next start) in a page."""
    return re.findall(re.escape(marker) + r'\s*<time datetime="([\d-]+)"', html)


def labelled(html, day):
    """Whether the next start shown for ``day`` carries the "N seats left" label."""
    at = html.index(f'datetime="{day.isoformat()}"')
    return "cohort-status-few" in html[at : at + 200]


# --- Next start ------------------------------------------------------------------------


def test_demo_next_start_is_the_same_everywhere_and_never_full(client, demo):
    offerings = list(Offering.objects.active().select_related("program", "campus"))
    expected = {o.pk: expected_next_start(o) for o in offerings}
    # The demo fills one Arlington start for real: it is never anyone's next start.
    full = Cohort.objects.filter(status="open", start_date__gte=TODAY, seats_taken__gte=F("seats"))
    assert full.exists()
    assert not {c.pk for c in expected.values() if c} & {c.pk for c in full}
    with time_machine.travel(DAY, tick=False):
        for offering in Offering.objects.active().with_upcoming():
            assert offering.next_cohort == expected[offering.pk]

        # Home hero: each campus's earliest next start, label included.
        home = client.get("/").content.decode()
        hero = home[home.index("hero-starts") : home.index("</ul>", home.index("hero-starts"))]
        for campus in Campus.objects.published():
            starts = [expected[o.pk] for o in offerings if o.campus_id == campus.pk]
            first = min((c for c in starts if c), key=lambda c: (c.start_date, c.pk))
            assert f'datetime="{first.start_date.isoformat()}"' in hero
            assert labelled(hero, first.start_date) == few_left(first)

        # Campus pages: one next start per offering.
        for campus in Campus.objects.published():
            html = client.get(campus.get_absolute_url()).content.decode()
            shown = next_start_dates(html, '<span class="next-start-label">Next start</span>')
            wanted = [
                expected[o.pk].start_date.isoformat()
                for o in offerings
                if o.campus_id == campus.pk and expected[o.pk]
            ]
            assert sorted(shown) == sorted(wanted)
            for day in wanted:
                cohort = next(c for c in expected.values() if c and c.start_date.isoformat() == day)
                if cohort.offering.campus_id == campus.pk and few_left(cohort):
                    assert labelled(html, cohort.start_date)

        # Program pages: the JSON-LD startDate is the program's next start.
        for program in Program.objects.published():
            html = client.get(program.get_absolute_url()).content.decode()
            blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
            course = next(
                json.loads(b)
                for b in blocks
                if '"Course"' in b or '"EducationalOccupationalProgram"' in b
            )
            starts = [expected[o.pk] for o in offerings if o.program_id == program.pk]
            starts = [c for c in starts if c]
            if starts:
                first = min(starts, key=lambda c: (c.start_date, c.pk))
                assert course.get("startDate") == first.start_date.isoformat()

        # The career guide's "Start your training" box.
        guide = client.get(
            reverse("careers:guide_detail", args=["what-does-a-medical-assistant-do"])
        ).content.decode()
        shown = next_start_dates(guide, "next start")
        wanted = [
            expected[o.pk].start_date.isoformat()
            for o in catalog.medical_assistant_offerings()
            if expected[o.pk]
        ]
        assert sorted(shown) == sorted(wanted)
        assert all(
            expected[o.pk].seats_taken < expected[o.pk].seats for o in offerings if expected[o.pk]
        )
        for offering in catalog.medical_assistant_offerings():
            cohort = expected[offering.pk]
            if cohort and few_left(cohort):
                assert labelled(guide, cohort.start_date)

        # Find your path: every recommended offering shows its next start.
        for campus in ("dallas", "arlington"):
            answers = {"work": "patients", "needles": "yes", "schedule": "either", "campus": campus}
            response = client.get(f"{reverse('careers:find_your_path')}?{urlencode(answers)}")
            html = response.content.decode()
            rec = response.context["recommendation"]
            for match in rec.programs:
                for offering in match.offerings:
                    cohort = expected[offering.pk]
                    if cohort:
                        assert f'datetime="{cohort.start_date.isoformat()}"' in html
                        assert labelled(html, cohort.start_date) == few_left(cohort)


STATUSES = st.sampled_from(["open", "closed"])
# Seats taken of 20: open, few seats left (3), the last seat, full, over-full.
TAKEN = st.sampled_from([0, 17, 19, 20, 22])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(-60, 400), STATUSES, TAKEN), max_size=8, unique_by=lambda t: t[0]
    )
)
def test_generated_cohorts_next_start_follows_the_one_rule(demo, cohorts):
    offering = Offering.objects.active().order_by("pk").first()
    Cohort.objects.filter(offering=offering, enrollments__isnull=True).delete()
    Cohort.objects.filter(offering=offering).update(status="closed")
    for days, status, taken in cohorts:
        start = TODAY + timedelta(days=days)
        # seats_taken written directly: a stand-in for that many seat-holding rows.
        Cohort.objects.update_or_create(
            offering=offering,
            start_date=start,
            defaults={
                "graduation_date": start + timedelta(days=200),
                "status": status,
                "seats": 20,
                "seats_taken": taken,
            },
        )
    with time_machine.travel(DAY, tick=False):
        fetched = Offering.objects.with_upcoming().get(pk=offering.pk)
        wanted = expected_next_start(offering)
        assert fetched.next_cohort == wanted
        assert wanted is None or (wanted.status == "open" and wanted.seats_taken < 20)
        sql = Cohort.objects.open_for_enrollment().filter(offering=offering)
        assert (wanted is None) == (not sql.exists())
        program = Program.objects.with_offerings().get(pk=offering.program_id)
        assert program.next_cohort is None or program.next_cohort.is_enrollable


# --- Next step, deadlines, CE ----------------------------------------------------------


def path_of(email):
    return CertificationPath.objects.get(enrollment__student__email=email)


def test_demo_next_step_is_the_students_most_urgent_step(client, demo):
    maria, jordan = path_of(MARIA), path_of(JORDAN)
    # Jordan's old next step, "Eligibility approved", is one only staff complete.
    assert not jordan.next_step.staff_only
    assert jordan.next_step.title != "Eligibility approved"
    # Maria's CPR card was sent back by staff: it comes before the externship hours.
    assert maria.next_step.status == PathStep.Status.REJECTED
    sent_back = maria.steps.filter(status=PathStep.Status.REJECTED).get()
    assert maria.next_step == sent_back
    with time_machine.travel(DAY, tick=False):
        for path in (maria, jordan):
            client.force_login(path.enrollment.student)
            dashboard = client.get(reverse("portal:dashboard")).content.decode()
            card = dashboard[dashboard.index('class="next-label"') :]
            assert card.startswith('class="next-label">Next step<')
            assert f'class="next-title">{path.next_step.title}<' in card
            page = client.get(path.get_absolute_url()).content.decode()
            hero = page[page.index('class="path-hero-next"') :]
            assert hero[: hero.index("</p>")].count(path.next_step.title) == 1
        staff = User.objects.get(email="staff@demo.trinitycareer.example")
        client.force_login(staff)
        report = client.get(reverse("admin:accounts_enrollment_report")).content.decode()
        changelist = client.get(
            reverse("admin:accounts_certificationpath_changelist")
        ).content.decode()
        for path in (maria, jordan):
            assert path.next_step.title in report
            assert path.next_step.title in changelist


def test_demo_ce_figures_are_the_same_on_every_screen(client, demo):
    credential = Credential.objects.get(student__email=GRADUATE)
    figure = progress.credential_ce(credential).summary
    assert figure == "6.5 of 10 credits"
    with time_machine.travel(DAY, tick=False):
        client.force_login(credential.student)
        for url in (
            reverse("portal:dashboard"),
            credential.path.get_absolute_url(),
            reverse("portal:credentials"),
        ):
            html = client.get(url).content.decode()
            assert figure in html, url
            assert "0 / 10" not in html, url


def test_demo_deadlines_are_the_same_on_dashboard_feed_and_reminders(client, demo):
    # A certified path with a certification step staff left open: history, not a deadline.
    graduate_path = path_of(GRADUATE)
    leftover = graduate_path.steps.exclude(milestone="renewal").first()
    PathStep.objects.filter(pk=leftover.pk).update(status="todo", due_date=TODAY + timedelta(10))
    with time_machine.travel(DAY, tick=False):
        for email in (MARIA, JORDAN, GRADUATE):
            user = User.objects.get(email=email)
            rule = deadlines.for_student(user, today=TODAY)
            assert leftover.pk not in {d.pk for d in rule if d.kind == "step"}
            client.force_login(user)
            response = client.get(reverse("portal:dashboard"))
            shown = [(d.kind, d.pk, d.day) for d in response.context["deadlines"]]
            assert shown == [(d.kind, d.pk, d.day) for d in rule][: len(shown)]
            token = user.profile.calendar_token
            feed = client.get(reverse("portal:calendar", args=[token])).content.decode()
            days = set(
                re.findall(
                    r"UID:(?:step|credential)-(\d+)-\w+@[^\r]*\r\nDTSTAMP:[^\r]*\r\nDTSTART;VALUE=DATE:(\d{8})",
                    feed,
                )
            )
            assert days == {(str(d.pk), f"{d.day:%Y%m%d}") for d in rule}
            reminders = {r.key for r in candidate_reminders(TODAY) if r.user == user}
            assert reminders == {d.key for d in rule if 0 <= d.days <= 90}
            path = CertificationPath.objects.filter(enrollment__student=user).get()
            if rule and path.next_due_date:
                assert path.next_due_date in {d.day for d in rule}
    assert date(2026, 12, 2) == TODAY


# --- What the school claims (fact check of 2026-12-02) ------------------------------

FACT_CHECK = date(2026, 12, 2)


def test_demo_never_shows_cmaac_as_another_name_of_the_maac(client, demo):
    from careers.models import Certification

    maac = Certification.objects.get(slug="maac")
    assert maac.alternate_names == ""
    for url in ("/careers/certifications/", maac.get_absolute_url(), "/careers/"):
        html = client.get(url).content.decode()
        assert "CMAAC" not in html, url
        assert "Also listed as" not in html, url


def test_demo_rma_education_route_names_the_accreditation_rule_with_its_source(client, demo):
    from careers.models import EligibilityRoute

    route = EligibilityRoute.objects.get(certification__slug="rma", name="Education")
    assert "U.S. Department of Education or by CHEA" in route.description
    assert "approved by AMT" in route.description
    assert "more than 4 years ago" in route.description
    # The exact page, not the body's home page, and the day the facts were checked.
    assert route.source_url.startswith("https://americanmedtech.org/")
    assert route.source_url.rstrip("/") != "https://americanmedtech.org"
    assert route.as_of == FACT_CHECK
    html = client.get(reverse("careers:certification_detail", args=["rma"])).content.decode()
    assert "recognized by the U.S. Department of Education or by CHEA" in html
    assert f'href="{route.source_url}"' in html
    assert f'datetime="{FACT_CHECK.isoformat()}"' in html


def test_demo_school_claims_only_credentials_its_programs_prepare_for(client, demo):
    from careers.models import Certification

    prepared = set(Certification.objects.prepared_by_school().values_list("acronym", flat=True))
    # The CMA needs a CAAHEP- or ABHES-accredited program: no demo program claims it.
    assert "CMA" not in prepared
    assert {"CCMA", "RMA", "CMAA", "MAAC"} <= prepared
    home = client.get("/").content.decode()
    strip = home[home.index('class="value-strip"') :]
    claim = re.search(r"Practice for ([^<]*)\.", strip).group(1)
    assert set(claim.replace(" and ", ", ").split(", ")) == prepared
    guide = client.get(
        reverse("careers:guide_detail", args=["what-does-a-medical-assistant-do"])
    ).content.decode()
    assert "prepare you for these certification exams" not in guide
    cta = guide[guide.index('class="prepared-certifications"') :]
    cta = cta[: cta.index("</p>")]
    assert ">CMA<" not in cta
    assert ">CCMA<" in cta
    # The certification page and the comparison table say the same about the CMA.
    cma = client.get(reverse("careers:certification_detail", args=["cma"])).content.decode()
    assert "None of our current programs prepares for this exam" in cma
    for url in (
        "/careers/certifications/",
        guide and reverse("careers:guide_detail", args=["what-does-a-medical-assistant-do"]),
    ):
        html = client.get(url).content.decode()
        table = html[html.index('class="table compare-table"') :]
        row = table[table.index('compare-acronym">CMA<') :]
        row = row[: row.index("</tr>")]
        assert "None of our programs prepares you for this exam" in row
        ccma = table[table.index('compare-acronym">CCMA<') :]
        assert "Our programs prepare you for this exam" in ccma[: ccma.index("</tr>")]
    # Program pages and the demo students' paths never lead to the CMA.
    for program in Program.objects.published():
        html = client.get(program.get_absolute_url()).content.decode()
        assert "/careers/certifications/cma/" not in html, program.slug
    assert not CertificationPath.objects.filter(certification__slug="cma").exists()


def test_demo_xray_duty_carries_the_texas_registry_caveat(client, demo):
    from careers.models import Duty, WorkplaceFactor

    tmb = "https://www.tmb.state.tx.us/page/non-certified-radiological-technicians"
    duties = Duty.objects.filter(text__icontains="X-ray")
    factors = WorkplaceFactor.objects.filter(one_side__icontains="X-ray")
    assert duties.exists()
    assert factors.exists()
    for row in [*duties, *factors]:
        text = getattr(row, "text", None) or row.one_side
        assert "non-certified radiologic technician registry" in text
        assert row.source_url == tmb
    for url in (
        reverse("careers:role_detail", args=["clinical-medical-assistant"]),
        reverse("careers:guide_detail", args=["what-does-a-medical-assistant-do"]),
    ):
        html = client.get(url).content.decode()
        blocks = re.findall(r"<(p|li|dd)\b[^>]*>(.*?)</\1>", html, re.S)
        named = [text for _, text in blocks if "X-ray" in text]
        assert named, url
        assert all("radiologic technician registry" in text for text in named), url
        assert tmb in html, url


def test_demo_texas_wage_is_a_mean_and_admin_roles_use_43_6013(client, demo):
    from careers.models import LaborFigure, Role

    texas = LaborFigure.objects.get(region="tx", annual_pay__isnull=False)
    assert texas.pay_statistic == "mean"
    assert "median" not in texas.pay_label.lower()
    us = LaborFigure.objects.get(region="us", annual_pay__isnull=False)
    assert us.pay_statistic == "median"
    assert "May 2024" in us.data_year
    assert Role.objects.get(slug="administrative-medical-assistant").soc_code == "43-6013"
    html = client.get(reverse("careers:role_detail", args=["medical-assistant"])).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    occupation = next(json.loads(b) for b in blocks if '"Occupation"' in b)
    for salary in occupation["estimatedSalary"]:
        if salary.get("median") is not None:
            assert salary["median"] != 36914
    assert "May 2024" in html


def test_demo_exam_confirm_flags_are_for_staff_only(client, demo):
    from careers.models import Certification

    flagged = list(Certification.objects.filter(exam_needs_confirmation=True))
    assert flagged
    pages = ["/careers/certifications/", "/careers/"]
    pages += [cert.get_absolute_url() for cert in flagged]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Published exam figures differ" not in html, url
        assert "confirm-badge" not in html, url
    staff = User.objects.get(email="staff@demo.trinitycareer.example")
    client.force_login(staff)
    changelist = client.get(reverse("admin:careers_certification_changelist")).content.decode()
    assert "exam facts need confirmation" in changelist.lower()
    change = client.get(
        reverse("admin:careers_certification_change", args=[flagged[0].pk])
    ).content.decode()
    assert re.search(r'<input[^>]*name="exam_needs_confirmation"[^>]*checked', change)

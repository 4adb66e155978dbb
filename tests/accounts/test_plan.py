"""Enrollment gives one coherent plan: for every demo program and every choice of goals,
shared steps appear once, due dates follow the cohort's calendar in a sensible order, and
step texts speak of the student's own program."""

from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import CertificationPath, PathStep
from programs.models import Program
from tests.factories import make_cohort, make_offering

pytestmark = pytest.mark.django_db


def goal_sets(program):
    goals = list(program.certifications.order_by("acronym"))
    return [list(c) for n in range(1, len(goals) + 1) for c in combinations(goals, n)]


def plans(make_user):
    """(program, goals, enrollment) for every demo program and combination of goals."""
    out = []
    for program in Program.objects.filter(certifications__isnull=False).distinct():
        offering = program.offerings.first() or make_offering(program=program)
        for i, goals in enumerate(goal_sets(program)):
            start = timezone.localdate() + timedelta(days=400 + 7 * i)
            cohort = make_cohort(offering=offering, start_date=start, weeks=program.length_weeks)
            student = make_user(f"{program.slug[:20]}-{i}@example.com")
            enrollment = services.enrollment_create(
                email=student.email, cohort=cohort, certifications=goals, notify=False
            )
            out.append((program, goals, enrollment))
    return out


def first(steps, predicate):
    return next((s for s in steps if predicate(s)), None)


def test_every_demo_program_and_goal_combination_reads_as_one_plan(demo, make_user):
    checked = 0
    for program, goals, enrollment in plans(make_user):
        cohort = enrollment.cohort
        label = f"{program.slug} {[g.acronym for g in goals]}"
        steps = list(PathStep.objects.filter(path__enrollment=enrollment))
        keys = [s.shared_key for s in steps if s.shared_key]
        assert len(keys) == len(set(keys)), f"{label}: a shared step twice: {sorted(keys)}"
        titles = [s.title for s in steps if s.shared_key]
        assert len(titles) == len(set(titles)), label
        for path in enrollment.paths.all():
            plan = path.plan_steps()
            template_count = path.certification.path_steps.count()
            assert len(plan) == template_count, f"{label} {path.certification.acronym}"
            coursework = first(plan, lambda s: s.shared_key == "coursework")
            practice = [s for s in plan if not s.milestone and s.shared_key != "coursework"]
            eligible = first(plan, lambda s: s.milestone == "eligible")
            exam = first(plan, lambda s: s.milestone == "exam_scheduled")
            # Training first, then eligibility, then the exam window after the program.
            assert coursework.due_date <= cohort.graduation_date, label
            for step in practice:
                assert cohort.start_date <= step.due_date <= cohort.graduation_date, (
                    f"{label}: {step.title} due {step.due_date}"
                )
            assert coursework.due_date <= eligible.due_date, label
            assert eligible.due_date > cohort.graduation_date, label
            assert exam.due_date > eligible.due_date, label
            for step in plan:
                text = f"{step.title} {step.help_text}"
                assert "{program}" not in text, label
            assert program.title in coursework.help_text, label
            checked += 1
    assert checked >= 8


def test_no_step_speaks_of_another_program(demo, make_user):
    for program, _goals, enrollment in plans(make_user):
        for step in PathStep.objects.filter(path__enrollment=enrollment):
            for other in Program.objects.exclude(pk=program.pk):
                assert other.title not in step.help_text, (program.slug, step.title)
            if "phlebotomy" not in program.slug:
                assert "your phlebotomy program" not in step.help_text.lower()


def test_a_shared_step_is_done_once_and_counted_by_each_path(demo, make_user, staff_user):
    program = Program.objects.get(slug="medical-assisting-nutrition-weight-management")
    goals = list(program.certifications.filter(slug__in=["ccma", "cpt"]))
    cohort = make_cohort(
        offering=program.offerings.first(),
        start_date=timezone.localdate() + timedelta(days=700),
        weeks=40,
    )
    student = make_user("both@example.com")
    enrollment = services.enrollment_create(
        email=student.email, cohort=cohort, certifications=goals, notify=False
    )
    ccma, cpt = (enrollment.paths.get(certification__slug=s) for s in ("ccma", "cpt"))
    coursework = PathStep.objects.get(path__enrollment=enrollment, shared_key="coursework")
    assert {coursework.path, *coursework.also_counts_for.all()} == {ccma, cpt}
    before = {p.pk: p.progress_percent for p in (ccma, cpt)}
    services.step_verify(step=coursework, reviewer=staff_user, notify=False)
    for path in (ccma, cpt):
        path.refresh_from_db()
        assert path.progress_percent > before[path.pk], path.certification.acronym
    # The student's pages show it once per path, and the dashboard's deadlines once.
    assert sum(1 for s in cpt.plan_steps() if s.shared_key == "coursework") == 1
    assert sum(1 for s in ccma.plan_steps() if s.shared_key == "coursework") == 1


def test_applying_template_changes_keeps_a_shared_step_single(demo, make_user):
    program = Program.objects.get(slug="medical-assisting-nutrition-weight-management")
    goals = list(program.certifications.all())
    cohort = make_cohort(
        offering=program.offerings.first(),
        start_date=timezone.localdate() + timedelta(days=700),
        weeks=40,
    )
    student = make_user("apply@example.com")
    enrollment = services.enrollment_create(
        email=student.email, cohort=cohort, certifications=goals, notify=False
    )
    before = PathStep.objects.filter(path__enrollment=enrollment).count()
    for path in CertificationPath.objects.filter(enrollment=enrollment):
        summary = services.path_apply_template(path=path)
        assert summary["added"] == 0, (path.certification.acronym, summary)
    assert PathStep.objects.filter(path__enrollment=enrollment).count() == before
    keys = list(
        PathStep.objects.filter(path__enrollment=enrollment)
        .exclude(shared_key="")
        .values_list("shared_key", flat=True)
    )
    assert len(keys) == len(set(keys))

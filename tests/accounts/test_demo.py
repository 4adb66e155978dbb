import io

import pytest
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.utils import timezone

from accounts import demo
from accounts.models import CEActivity, CertificationPath, Credential, Enrollment, Evidence, User
from programs.models import Cohort
from tests.accounts import world

pytestmark = pytest.mark.django_db


def run(with_accounts=True):
    buffer = io.StringIO()
    demo.load(stdout=OutputWrapper(buffer), style=no_style(), with_accounts=with_accounts)
    return buffer.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (User, Enrollment, CertificationPath, Credential, CEActivity, Evidence, Cohort)
    }


def test_demo_without_careers_and_programs_explains_what_it_skipped():
    output = run()
    assert "skipped Maria's path" in output
    assert "skipped the graduate" in output
    assert User.objects.filter(email=demo.DEMO_STUDENT_EMAIL).exists()
    assert Enrollment.objects.count() == 0


def test_demo_is_not_loaded_without_debug():
    world.build()
    run(with_accounts=False)
    assert User.objects.count() == 0


def test_demo_builds_the_three_students_and_is_idempotent():
    world.build()
    output = run()
    assert "password:" in output
    first = snapshot()
    again = run()
    assert "password:" not in again
    assert snapshot() == first

    maria = Enrollment.objects.get(student__email=demo.DEMO_STUDENT_EMAIL)
    assert maria.cohort.offering.campus.slug == "dallas"
    assert maria.cohort.offering.program.slug == demo.MA_PROGRAM
    assert maria.cohort.start_date <= timezone.localdate()
    ccma = maria.paths.get()
    # A certification her program prepares for: its main one.
    assert ccma.certification.slug == "ccma"
    assert ccma.certification == maria.cohort.offering.program.main_certification
    assert 0 < ccma.progress_percent < 100
    assert ccma.steps.filter(status="rejected").exists()
    assert Evidence.objects.filter(step__path=ccma).exists()

    jordan = Enrollment.objects.get(student__email=demo.DEMO_CMAA_STUDENT_EMAIL)
    assert jordan.cohort.offering.campus.slug == "arlington"
    assert jordan.cohort.offering.program.slug == demo.ADMIN_PROGRAM
    cmaa = jordan.paths.get().certification
    assert cmaa.slug == "cmaa"
    assert jordan.cohort.offering.program.certifications.filter(pk=cmaa.pk).exists()

    graduate = Enrollment.objects.get(student__email=demo.DEMO_GRADUATE_EMAIL)
    assert graduate.status == Enrollment.Status.GRADUATED
    assert graduate.cohort.graduation_date < timezone.localdate()
    credential = Credential.objects.get(student=graduate.student)
    assert credential.days_left == 45
    assert credential.ce_activities.count() == 3
    graduate_path = graduate.paths.get()
    assert graduate_path.status == CertificationPath.Status.RENEWAL_DUE
    # Her story happened in the past, in order: the cohort ended before her exam, every
    # step was done before her credential was issued, none on the day the demo loaded.
    done = [s for s in graduate_path.steps.all() if s.completed_at]
    assert done
    issued_at = max(timezone.localtime(s.completed_at).date() for s in done)
    assert issued_at == credential.issued_on
    assert graduate.cohort.graduation_date < credential.issued_on
    assert all(timezone.localtime(s.completed_at).date() < timezone.localdate() for s in done)
    assert not graduate.student.notices.filter(seen_at__isnull=True).exists()


def test_demo_added_cohorts_are_not_advertised():
    world.build()
    run()
    added = Cohort.objects.filter(start_date__lte=timezone.localdate())
    assert added.exists()
    assert not Cohort.objects.upcoming().filter(pk__in=added).exists()


def test_demo_applications_cover_the_pipeline_and_are_idempotent():
    from accounts.models import Application, ApplicationDocument, ApplicationEvent

    world.build()
    run()
    counts = (
        Application.objects.count(),
        ApplicationDocument.objects.count(),
        ApplicationEvent.objects.count(),
    )
    run()
    assert (
        Application.objects.count(),
        ApplicationDocument.objects.count(),
        ApplicationEvent.objects.count(),
    ) == counts
    by_status = {
        a.status: a for a in Application.objects.select_related("cohort__offering__campus")
    }
    assert set(by_status) >= {
        "draft",
        "submitted",
        "documents_needed",
        "interview_scheduled",
        "waitlisted",
        "accepted",
    }
    campuses = {a.cohort.offering.campus.slug for a in by_status.values()}
    assert campuses == {"dallas", "arlington"}
    sofia = Application.objects.get(applicant__email=demo.DEMO_APPLICANT_EMAIL)
    assert sofia.status == "interview_scheduled"
    days = (timezone.localtime(sofia.interview_at).date() - timezone.localdate()).days
    assert days == 7
    assert sofia.cohort.offering.campus.slug == "arlington"
    accepted = by_status["accepted"]
    assert accepted.enrollment.student == accepted.applicant
    assert accepted.enrollment.paths.exists()
    needs = by_status["documents_needed"]
    assert needs.documents.filter(status="rejected").exclude(rejection_reason="").exists()
    # Each history starts with the draft and is in time order.
    for application in by_status.values():
        history = list(application.events.order_by("created_at"))
        assert history[0].status == "draft"
        assert history[-1].status == application.status


def test_demo_fills_one_arlington_start_for_real_and_waitlists_marcus_there():
    from accounts.cohorts import seats_holding_count
    from accounts.demo_applications import FULL_CLASS
    from accounts.models import Application

    world.build()
    run()
    waitlisted = Application.objects.select_related("cohort__offering__campus").get(
        status="waitlisted"
    )
    full = waitlisted.cohort
    assert full.offering.campus.slug == "arlington"
    assert full.is_full
    assert full.is_waitlist
    assert full.seats == full.seats_taken == seats_holding_count(full.pk) == len(FULL_CLASS)
    assert full.availability_label == "Full: waitlist open"
    # Never anyone's next start; the interview applicant is on a start with seats.
    sofia = Application.objects.get(applicant__email=demo.DEMO_APPLICANT_EMAIL)
    assert sofia.cohort.is_enrollable
    assert not Cohort.objects.open_for_enrollment().filter(pk=full.pk).exists()
    assert Cohort.objects.open_for_applications().filter(pk=full.pk).exists()
    run()
    full.refresh_from_db()
    assert full.seats == full.seats_taken == len(FULL_CLASS)
    assert full.enrollments.count() == len(FULL_CLASS)

"""Caps and replaced files stay right when several requests write at the same moment."""

import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from accounts import services
from accounts.forms import ProfileForm
from accounts.models import Evidence, StudentProfile
from tests.accounts import files
from tests.accounts.conftest import step

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The in-memory SQLite test database shares one cache between threads, with table
    # locks that ignore the busy timeout: these run on PostgreSQL (.ci/run), and the attack
    # set replays concurrent writes against gunicorn on a SQLite file.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="threads need a database server or file"
    ),
]


def run_together(count, work):
    """Run ``work(i)`` in ``count`` threads released at the same instant; return errors."""
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_uploads_never_pass_the_evidence_cap(path, student, monkeypatch):
    monkeypatch.setattr(services.steps, "MAX_EVIDENCE_PER_STEP", 3)
    cpr = step(path, "Externship hours")
    errors = run_together(
        8,
        lambda i: services.evidence_submit(
            step=cpr, file=files.pdf(f"sheet-{i}.pdf"), user=student
        ),
    )
    assert Evidence.objects.filter(step=cpr).count() == 3
    assert len(errors) == 5
    assert all(isinstance(e, ValidationError) and e.code == "too_many" for e in errors)
    # Only the files of the rows that committed are on disk.
    stored = {p.name for p in Path(Evidence.file.field.storage.location).rglob("*") if p.is_file()}
    assert stored == {Path(e.file.name).name for e in Evidence.objects.filter(step=cpr)}


def test_a_row_that_does_not_commit_leaves_no_file(path, student, monkeypatch):
    cpr = step(path, "CPR card")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.steps, "_complete", fail)
    with pytest.raises(RuntimeError):
        services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    assert not Evidence.objects.exists()
    root = Path(Evidence.file.field.storage.location)
    assert not [p for p in root.rglob("*") if p.is_file()]


def test_photos_saved_at_the_same_moment_leave_exactly_one_file(student):
    profile = services.profile_ensure(user=student)

    def save(i):
        form = ProfileForm(
            {"first_name": "Sam", "last_name": f"Student{i}", "phone": ""},
            {"new_photo": files.png(f"me-{i}.png", size=(400, 400))},
            instance=StudentProfile.objects.get(pk=profile.pk),
            user=student,
        )
        assert form.is_valid(), form.errors
        form.save()

    errors = run_together(6, save)
    assert errors == []
    profile.refresh_from_db()
    root = Path(StudentProfile.photo.field.storage.location)
    on_disk = [p for p in root.rglob("*") if p.is_file()]
    assert [p.name for p in on_disk] == [Path(profile.photo.name).name]


def test_two_staff_deciding_at_the_same_moment_tell_the_student_once(
    path, student, staff_user, make_user
):
    from django.core import mail

    from accounts.models import Notice, PathStep

    cpr = step(path, "CPR card")
    services.evidence_submit(step=cpr, file=files.pdf(), user=student)
    second = make_user("second@example.com", is_staff=True, is_superuser=True)
    mail.outbox.clear()
    reviewers = [staff_user, second]

    def decide(i):
        fresh = PathStep.objects.get(pk=cpr.pk)
        if i % 2:
            services.step_reject(step=fresh, reviewer=reviewers[i % 2], reason="Blurry.")
        else:
            services.step_verify(step=fresh, reviewer=reviewers[i % 2])

    errors = run_together(8, decide)
    cpr.refresh_from_db()
    notices = list(Notice.objects.filter(step=cpr).order_by("created_at", "id"))
    # One after the other: approved at once, or sent back then approved; the other
    # decisions were refused, and each one that went through told the student once.
    assert all(isinstance(e, ValidationError) and e.code == "already_decided" for e in errors)
    kinds = [n.kind for n in notices]
    assert kinds in (["verified"], ["sent_back", "verified"]), kinds
    assert len(errors) == 8 - len(notices)
    assert len(mail.outbox) == len(notices)
    assert cpr.reviews.count() == len(notices)
    assert cpr.status == PathStep.Status.VERIFIED

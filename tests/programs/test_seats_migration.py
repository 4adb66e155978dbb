"""The data migration: hand-typed "Full" and "Waitlist" become Open (full is derived now)
and every cohort's seats taken are counted from the rows that hold one."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programs", "0006_program_main_certification"), ("accounts", "0009_applications")]
AFTER = [("programs", "0007_cohort_seats_taken")]


@pytest.mark.django_db(transaction=True)
def test_full_and_waitlist_become_open_with_their_seats_counted():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Campus, Program = old.get_model("programs", "Campus"), old.get_model("programs", "Program")
    Offering, Cohort = old.get_model("programs", "Offering"), old.get_model("programs", "Cohort")
    User, Enrollment = old.get_model("accounts", "User"), old.get_model("accounts", "Enrollment")
    campus = Campus.objects.create(
        name="Dallas", slug="dallas", street="1 Main", city="Dallas", postal_code="75201"
    )
    program = Program.objects.create(
        title="MA", slug="ma", tuition=1000, clock_hours=720, length_weeks=36, externship_hours=0
    )
    offering = Offering.objects.create(program=program, campus=campus, schedule="day")
    start = date(2030, 1, 7)
    statuses = ["open", "waitlist", "full", "closed"]
    cohorts = [
        Cohort.objects.create(
            offering=offering,
            start_date=start + timedelta(weeks=i),
            graduation_date=start + timedelta(weeks=i + 30),
            seats=3,
            status=status,
        )
        for i, status in enumerate(statuses)
    ]
    for i, enrollment_status in enumerate(["enrolled", "on_leave", "withdrawn"]):
        Enrollment.objects.create(
            student=User.objects.create(email=f"s{i}@example.com"),
            cohort=cohorts[2],
            status=enrollment_status,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("programs", "Cohort")
    rows = dict(new.objects.values_list("pk", "status"))
    assert [rows[c.pk] for c in cohorts] == ["open", "open", "open", "closed"]
    assert new.objects.get(pk=cohorts[2].pk).seats_taken == 2  # the withdrawn one gave it back
    assert new.objects.get(pk=cohorts[0].pk).seats_taken == 0

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

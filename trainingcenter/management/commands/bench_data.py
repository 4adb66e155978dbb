"""Scale data for `make bench`, written with bulk inserts through the project's own models.

1x: 2 campuses, 60 programs, 600 cohorts, 10,000 students, 20,000 paths, 200,000 steps,
20,000 inquiries. --scale N multiplies the students, paths, steps and inquiries by N.
Run it on an empty database of its own (make bench points DATABASE_URL at bench/data/).
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    CertificationPath,
    Credential,
    Enrollment,
    PathStep,
    StudentProfile,
    User,
)
from careers.models import Certification
from programs.models import Campus, Cohort, Field, Inquiry, Offering, Program, Schedule

BATCH = 5000
BENCH_EMAIL_DOMAIN = "bench.example"
STEPS_PER_PATH = 10


class Command(BaseCommand):
    help = "Generate scale data for the benchmark (on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        if User.objects.filter(email__endswith="@" + BENCH_EMAIL_DOMAIN).exists():
            raise CommandError("This database already holds bench data: use an empty one.")
        rng = random.Random(seed)
        started = time.perf_counter()
        call_command("load_demo", stdout=self.stdout)
        with transaction.atomic():
            campuses = list(Campus.objects.filter(slug__in=["dallas", "arlington"]))
            programs = self.make_programs(rng)
            cohorts = self.make_cohorts(rng, programs, campuses)
            self.stdout.write(f"content: {len(programs)} programs, {len(cohorts)} cohorts")
        students = 10_000 * scale
        self.make_students(rng, students, cohorts)
        self.make_inquiries(rng, 20_000 * scale, programs, campuses)
        self.stdout.write(
            self.style.SUCCESS(f"bench data at {scale}x in {time.perf_counter() - started:.0f} s")
        )

    def make_programs(self, rng):
        existing = list(Program.objects.all())
        certs = list(Certification.objects.all())
        new = []
        for i in range(60 - len(existing)):
            new.append(
                Program(
                    title=f"Allied Health Program {i + 1:02d}",
                    slug=f"allied-health-program-{i + 1:02d}",
                    field=rng.choice(list(Field)),
                    summary="A scale-test program.",
                    description="A scale-test program description.",
                    clock_hours=720,
                    length_weeks=36,
                    externship_hours=160,
                    tuition=Decimal("12500.00"),
                )
            )
        Program.objects.bulk_create(new, batch_size=BATCH)
        programs = list(Program.objects.all())
        through = Program.certifications.through
        through.objects.bulk_create(
            [
                through(program_id=p.pk, certification_id=rng.choice(certs).pk)
                for p in programs
                if p.slug.startswith("allied-health-program-")
            ],
            ignore_conflicts=True,
        )
        return programs

    def make_cohorts(self, rng, programs, campuses):
        offerings = []
        for program in programs:
            for campus in campuses:
                for schedule in (Schedule.DAY, Schedule.EVENING):
                    offerings.append(
                        Offering(
                            program=program,
                            campus=campus,
                            schedule=schedule,
                            class_days="Monday to Thursday",
                            class_times="8:00 am to 1:00 pm",
                        )
                    )
        Offering.objects.bulk_create(offerings, batch_size=BATCH, ignore_conflicts=True)
        offerings = list(Offering.objects.all())
        have = Cohort.objects.count()
        today = timezone.localdate()
        cohorts = []
        i = 0
        while have + len(cohorts) < 600:
            offering = offerings[i % len(offerings)]
            start = today + timedelta(days=rng.randint(-300, 360))
            cohorts.append(
                Cohort(
                    offering=offering,
                    start_date=start,
                    graduation_date=start + timedelta(weeks=36),
                    seats=24,
                    status=rng.choice(list(Cohort.Status)),
                )
            )
            i += 1
        Cohort.objects.bulk_create(cohorts, batch_size=BATCH, ignore_conflicts=True)
        return list(Cohort.objects.select_related("offering"))

    def make_students(self, rng, count, cohorts):
        password = make_password("bench-password-not-secret")
        certs = list(Certification.objects.prefetch_related("path_steps"))
        now = timezone.now()
        today = timezone.localdate()
        for start in range(0, count, BATCH):
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [
                        User(
                            email=f"student{n:07d}@{BENCH_EMAIL_DOMAIN}",
                            first_name="Bench",
                            last_name=f"Student {n}",
                            password=password,
                        )
                        for n in range(start, min(start + BATCH, count))
                    ]
                )
                users = list(
                    User.objects.filter(email__in=[u.email for u in users]).only("id", "email")
                )
                EmailAddress.objects.bulk_create(
                    [
                        EmailAddress(user=u, email=u.email, verified=True, primary=True)
                        for u in users
                    ]
                )
                StudentProfile.objects.bulk_create(
                    [StudentProfile(user=u, calendar_token=f"bench-{u.pk}") for u in users]
                )
                enrollments = Enrollment.objects.bulk_create(
                    [
                        Enrollment(student=u, cohort=rng.choice(cohorts), enrolled_on=today)
                        for u in users
                    ]
                )
                paths = []
                for enrollment in enrollments:
                    for cert in rng.sample(certs, 2):
                        paths.append(
                            CertificationPath(
                                enrollment=enrollment,
                                certification=cert,
                                progress_percent=rng.randint(0, 100),
                                status=rng.choice(list(CertificationPath.Status)),
                                next_due_date=today + timedelta(days=rng.randint(-20, 90)),
                                recomputed_at=now,
                            )
                        )
                paths = CertificationPath.objects.bulk_create(paths)
                steps = []
                for path in paths:
                    templates = list(path.certification.path_steps.all()) or [None]
                    for order in range(1, STEPS_PER_PATH + 1):
                        tpl = templates[(order - 1) % len(templates)]
                        status = rng.choice(list(PathStep.Status))
                        steps.append(
                            PathStep(
                                path=path,
                                template=tpl,
                                order=order,
                                title=tpl.title if tpl else f"Step {order}",
                                kind=tpl.kind if tpl else "check",
                                target=tpl.target if tpl else None,
                                unit=tpl.unit if tpl else "",
                                milestone=tpl.milestone if tpl else "",
                                status=status,
                                rejection_reason="Unreadable scan." if status == "rejected" else "",
                                submitted_at=now - timedelta(hours=rng.randint(1, 500))
                                if status == "submitted"
                                else None,
                                due_date=today + timedelta(days=rng.randint(-60, 120)),
                            )
                        )
                PathStep.objects.bulk_create(steps, batch_size=BATCH)
                credentials = [
                    Credential(
                        student_id=path.enrollment.student_id,
                        certification=path.certification,
                        path=path,
                        number=f"B{path.pk:08d}",
                        issued_on=today - timedelta(days=rng.randint(30, 700)),
                        expires_on=today + timedelta(days=rng.randint(-30, 700)),
                    )
                    for path in paths
                    if path.status == CertificationPath.Status.CERTIFIED
                ]
                Credential.objects.bulk_create(credentials, ignore_conflicts=True)
            self.stdout.write(f"  students {min(start + BATCH, count):,} / {count:,}")

    def make_inquiries(self, rng, count, programs, campuses):
        statuses = list(Inquiry.Status)
        for start in range(0, count, BATCH):
            Inquiry.objects.bulk_create(
                [
                    Inquiry(
                        name=f"Visitor {n}",
                        email=f"visitor{n}@{BENCH_EMAIL_DOMAIN}",
                        program=rng.choice(programs),
                        campus=rng.choice(campuses),
                        consent=True,
                        status=rng.choice(statuses),
                        source_page="/programs/",
                    )
                    for n in range(start, min(start + BATCH, count))
                ]
            )
        self.stdout.write(f"  inquiries {count:,}")

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
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.cohorts import cohorts_seats_recompute
from accounts.models import (
    CertificationPath,
    Credential,
    Enrollment,
    PathStep,
    StudentProfile,
    User,
)
from careers import search
from careers.models import Certification
from programs.models import Campus, Cohort, Field, Inquiry, Offering, Program, Schedule

BATCH = 5000
BENCH_EMAIL_DOMAIN = "bench.example"
STEPS_PER_PATH = 10
# Roughly what a school's records look like: most steps to do or verified, a queue of
# submitted ones, a few rejected or waived.
STEP_STATUS_WEIGHTS = {
    PathStep.Status.TODO: 40,
    PathStep.Status.IN_PROGRESS: 10,
    PathStep.Status.SUBMITTED: 3,
    PathStep.Status.VERIFIED: 40,
    PathStep.Status.REJECTED: 2,
    PathStep.Status.WAIVED: 5,
}
INQUIRY_STATUS_WEIGHTS = {
    Inquiry.Status.NEW: 10,
    Inquiry.Status.CONTACTED: 50,
    Inquiry.Status.APPLIED: 10,
    Inquiry.Status.CLOSED: 30,
}


class Command(BaseCommand):
    help = "Generate scale data for the benchmark (on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--students", type=int, help="override the student count (tests)")
        parser.add_argument("--inquiries", type=int, help="override the inquiry count (tests)")

    def handle(self, *args, scale, seed, students=None, inquiries=None, **options):
        if User.objects.filter(email__endswith="@" + BENCH_EMAIL_DOMAIN).exists():
            raise CommandError("This database already holds bench data: use an empty one.")
        rng = random.Random(seed)
        started = time.perf_counter()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A throwaway database: no need to survive a power cut while it is written.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA journal_mode = MEMORY")
        # The demo staff account opens the admin pages measured (a throwaway database).
        call_command("load_demo", with_accounts=True, stdout=self.stdout)
        with transaction.atomic():
            campuses = list(Campus.objects.filter(slug__in=["dallas", "arlington"]))
            programs = self.make_programs(rng)
            cohorts = self.make_cohorts(rng, programs, campuses)
            self.stdout.write(f"content: {len(programs)} programs, {len(cohorts)} cohorts")
        # The programs were inserted past the receivers that keep the search index.
        indexing = time.perf_counter()
        documents = search.rebuild_index()
        self.stdout.write(
            f"search index: {documents} documents in {time.perf_counter() - indexing:.1f} s"
        )
        self.make_students(rng, students or 10_000 * scale, cohorts)
        # The enrollments were inserted past the receivers that count seats: count now.
        cohorts_seats_recompute(Cohort.objects.filter(pk__in=[c.pk for c in cohorts]))
        self.make_inquiries(rng, inquiries or 20_000 * scale, programs, campuses)
        # Explicit ids were written: move PostgreSQL's sequences past them.
        models = [User, EmailAddress, StudentProfile, Enrollment, CertificationPath, PathStep]
        models += [Credential, Inquiry]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
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
        # Start dates are offsets from today drawn from the seed; a draw that meets a start
        # already taken (the demo's own cohorts move with today's date) is drawn again, so the
        # same seed gives the same shape whatever day it runs on.
        taken = set(Cohort.objects.values_list("offering_id", "start_date"))
        have = len(taken)
        today = timezone.localdate()
        cohorts = []
        i = 0
        while have + len(cohorts) < 600:
            offering = offerings[i % len(offerings)]
            start = today + timedelta(days=rng.randint(-300, 360))
            if (offering.pk, start) in taken:
                continue
            taken.add((offering.pk, start))
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
        Cohort.objects.bulk_create(cohorts, batch_size=BATCH)
        return list(Cohort.objects.select_related("offering"))

    def make_students(self, rng, count, cohorts):
        password = make_password("bench-password-not-secret")
        certs = list(Certification.objects.prefetch_related("path_steps"))
        templates = {c.pk: list(c.path_steps.all()) or [None] for c in certs}
        cohort_ids = [c.pk for c in cohorts]
        now = timezone.now()
        today = timezone.localdate()
        users, addresses, profiles = (
            FastInsert(User),
            FastInsert(EmailAddress),
            FastInsert(StudentProfile),
        )
        enrollments, paths, steps, credentials = (
            FastInsert(Enrollment),
            FastInsert(CertificationPath),
            FastInsert(PathStep),
            FastInsert(Credential),
        )
        path_statuses = list(CertificationPath.Status)
        step_statuses, step_weights = zip(*STEP_STATUS_WEIGHTS.items(), strict=True)
        for start in range(0, count, BATCH):
            with transaction.atomic():
                for n in range(start, min(start + BATCH, count)):
                    email = f"student{n:07d}@{BENCH_EMAIL_DOMAIN}"
                    user_id = users.add(
                        email=email,
                        first_name="Bench",
                        last_name=f"Student {n}",
                        password=password,
                        date_joined=now,
                    )
                    addresses.add(user_id=user_id, email=email, verified=True, primary=True)
                    profiles.add(user_id=user_id, calendar_token=f"bench-{user_id}", updated_at=now)
                    enrollment_id = enrollments.add(
                        student_id=user_id,
                        cohort_id=rng.choice(cohort_ids),
                        enrolled_on=today - timedelta(days=rng.randint(0, 400)),
                        created_at=now,
                    )
                    for cert in rng.sample(certs, 2):
                        status = rng.choice(path_statuses)
                        path_id = paths.add(
                            enrollment_id=enrollment_id,
                            certification_id=cert.pk,
                            created_at=now,
                            template_applied_at=now,
                            progress_percent=rng.randint(0, 100),
                            status=status,
                            next_due_date=today + timedelta(days=rng.randint(-20, 90)),
                            recomputed_at=now,
                        )
                        self.add_steps(
                            rng,
                            steps,
                            path_id,
                            templates[cert.pk],
                            now,
                            today,
                            step_statuses,
                            step_weights,
                        )
                        if status == CertificationPath.Status.CERTIFIED:
                            issued = today - timedelta(days=rng.randint(30, 700))
                            credentials.add(
                                student_id=user_id,
                                certification_id=cert.pk,
                                path_id=path_id,
                                number=f"B{path_id:08d}",
                                issued_on=issued,
                                expires_on=issued + timedelta(days=730),
                                created_at=now,
                            )
                for table in (users, addresses, profiles, enrollments, paths, steps, credentials):
                    table.flush()
            self.stdout.write(f"  students {min(start + BATCH, count):,} / {count:,}")

    @staticmethod
    def add_steps(rng, steps, path_id, templates, now, today, statuses, weights):
        for order, status in enumerate(rng.choices(statuses, weights, k=STEPS_PER_PATH), 1):
            tpl = templates[(order - 1) % len(templates)]
            steps.add(
                path_id=path_id,
                template_id=tpl.pk if tpl else None,
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
                updated_at=now,
            )

    def make_inquiries(self, rng, count, programs, campuses):
        statuses, weights = zip(*INQUIRY_STATUS_WEIGHTS.items(), strict=True)
        methods = list(Inquiry.ContactMethod)
        now = timezone.now()
        inquiries = FastInsert(Inquiry)
        for start in range(0, count, BATCH):
            with transaction.atomic():
                for n in range(start, min(start + BATCH, count)):
                    inquiries.add(
                        name=f"Visitor {n}",
                        email=f"visitor{n}@{BENCH_EMAIL_DOMAIN}",
                        program_id=rng.choice(programs).pk,
                        campus_id=rng.choice(campuses).pk,
                        contact_method=rng.choice(methods),
                        consent=True,
                        status=rng.choices(statuses, weights)[0],
                        source_page="/programs/",
                        # Spread over two years, newest first in the admin.
                        created_at=now - timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60)),
                    )
                inquiries.flush()
        self.stdout.write(f"  inquiries {count:,}")


class FastInsert:
    """Rows of one model written with executemany and explicit ids.

    bulk_create prepares every value through each field's machinery (about 20 ms per
    student here); at 10x that alone would take many minutes. The rows are still the
    model's own table and columns, with its field defaults, and the values are adapted
    by the database backend exactly as the ORM does for dates and times."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        # Model defaults, evaluated once (auto_now fields are always given).
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.adapters = [self.adapter(f) for f in self.fields]
        self.adapted = {}
        pk = model._meta.pk.attname
        self.next_id = (model.objects.aggregate(m=Max(pk))["m"] or 0) + 1
        self.rows = []

    @staticmethod
    def adapter(field):
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            return connection.ops.adapt_datetimefield_value
        if kind == "DateField":
            return connection.ops.adapt_datefield_value
        return None

    def add(self, **values):
        pk = self.next_id
        self.next_id += 1
        values[self.model._meta.pk.attname] = pk
        row = []
        for field, adapt in zip(self.fields, self.adapters, strict=True):
            value = values.get(field.attname, self.defaults[field.attname])
            if adapt is not None and value is not None:
                # The same few hundred dates recur: adapt each once.
                adapted = self.adapted.get(value)
                if adapted is None:
                    adapted = self.adapted[value] = adapt(value)
                value = adapted
            row.append(value)
        self.rows.append(row)
        return pk

    def flush(self):
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []

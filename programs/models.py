"""Campuses, programs, what each campus offers, start dates, and requests for information."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from programs.images import RenditionsMixin, validate_image_upload


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


def _upcoming_cohorts():
    return Prefetch(
        "cohorts", queryset=Cohort.objects.upcoming().order_by("start_date"), to_attr="upcoming"
    )


class CampusQuerySet(PublishedQuerySet):
    def with_offerings(self):
        """Attach ``active_offerings`` (program selected) each with its ``upcoming`` cohorts."""
        offerings = (
            Offering.objects.active()
            .select_related("program")
            .prefetch_related(_upcoming_cohorts())
            .order_by("program__order", "program__title", "schedule")
        )
        return self.prefetch_related(
            Prefetch("offerings", queryset=offerings, to_attr="active_offerings")
        )


class Campus(RenditionsMixin, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, default="TX")
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=30)
    email = models.EmailField()
    admissions_email = models.EmailField(
        help_text="Receives the requests for information for this campus."
    )
    hours = models.TextField(help_text="Opening hours, one line per day range.")
    parking = models.TextField(blank=True)
    transit = models.TextField(blank=True)
    map_url = models.URLField(blank=True)
    photo = models.ImageField(
        upload_to="campuses/",
        blank=True,
        validators=[validate_image_upload],
        help_text="JPEG (up to 24 megapixels), PNG or WebP (up to 12.5 megapixels), at most 10 MB; landscape works best.",
    )
    photo_alt = models.CharField(
        "photo alt text",
        max_length=200,
        blank=True,
        help_text="What the photo shows, for visitors who cannot see it.",
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    summary = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampusQuerySet.as_manager()

    image_renditions = {"photo": "photo_renditions"}

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "campuses"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:campus_detail", kwargs={"slug": self.slug})

    @property
    def address_line(self):
        return f"{self.street}, {self.city}, {self.state} {self.postal_code}"

    @property
    def phone_link(self):
        return "+1" + "".join(ch for ch in self.phone if ch.isdigit())[-10:]

    @property
    def hours_list(self):
        return [line.strip() for line in self.hours.splitlines() if line.strip()]

    def program_rows(self):
        """One row per program taught here: its offerings and the next start at this campus.

        Needs ``with_offerings()``.
        """
        rows = {}
        for offering in self.active_offerings:
            row = rows.setdefault(
                offering.program_id, {"program": offering.program, "offerings": []}
            )
            row["offerings"].append(offering)
        for row in rows.values():
            row["next_cohort"] = first_start(o.next_cohort for o in row["offerings"])
        return list(rows.values())

    @property
    def next_cohort(self):
        """The next start at this campus, any program (needs ``with_offerings()``)."""
        return first_start(o.next_cohort for o in self.active_offerings)


def first_start(cohorts):
    """The next start among several offerings' next starts (see ``Cohort.next_start_key``)."""
    cohorts = [c for c in cohorts if c is not None and c.is_enrollable]
    return min(cohorts, key=Cohort.next_start_key) if cohorts else None


def next_open_start(offering, offerings=()):
    """Where a full start sends a visitor: the offering's next start (a seat left), else
    the next start among ``offerings`` (the program's other schedules at that campus).
    Reads the prefetched ``upcoming`` cohorts: no query."""
    return offering.next_cohort or first_start(o.next_cohort for o in offerings)


class Field(models.TextChoices):
    CLINICAL = "clinical", _("Clinical healthcare")
    HEALTH_ADMIN = "health-admin", _("Healthcare administration")
    OTHER = "other", _("Other careers")


class Schedule(models.TextChoices):
    DAY = "day", _("Day")
    EVENING = "evening", _("Evening")
    WEEKEND = "weekend", _("Weekend")
    HYBRID = "hybrid", _("Hybrid")


class ProgramQuerySet(PublishedQuerySet):
    def for_campus(self, campus):
        return self.filter(offerings__campus=campus, offerings__active=True).distinct()

    def offered(self, *, campus_slug=None, schedule=None):
        """Programs with an active offering matching the campus and the schedule (both optional).

        Both conditions apply to the same offering: "evening in Arlington" means one class.
        """
        offerings = _matching_offerings(campus_slug=campus_slug, schedule=schedule)
        return self.filter(Exists(offerings.filter(program=OuterRef("pk"))))

    def with_offerings(self, *, campus_slug=None, schedule=None):
        """Attach ``active_offerings`` (campus selected, optionally filtered) with ``upcoming``."""
        offerings = (
            _matching_offerings(campus_slug=campus_slug, schedule=schedule)
            .select_related("campus")
            .prefetch_related(_upcoming_cohorts())
            .order_by("campus__order", "campus__name", "schedule")
        )
        return self.prefetch_related(
            Prefetch("offerings", queryset=offerings, to_attr="active_offerings")
        )


def _matching_offerings(*, campus_slug=None, schedule=None):
    offerings = Offering.objects.active()
    if campus_slug:
        offerings = offerings.filter(campus__slug=campus_slug)
    if schedule:
        offerings = offerings.filter(schedule=schedule)
    return offerings


class Program(RenditionsMixin, models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    field = models.CharField(max_length=20, choices=Field, default=Field.CLINICAL)
    summary = models.TextField(help_text="One or two sentences for cards and search results.")
    description = models.TextField()
    credential_awarded = models.CharField(max_length=100, default="Diploma")
    clock_hours = models.PositiveSmallIntegerField()
    length_weeks = models.PositiveSmallIntegerField()
    externship_hours = models.PositiveSmallIntegerField(default=0)
    tuition = models.DecimalField(max_digits=8, decimal_places=2)
    tuition_includes = models.TextField(blank=True, help_text="One item per line.")
    financial_aid = models.TextField(blank=True)
    admission_requirements = models.TextField(blank=True, help_text="One requirement per line.")
    minimum_age = models.PositiveSmallIntegerField(
        default=18,
        validators=[MinValueValidator(14), MaxValueValidator(99)],
        help_text="Applicants must be this old on the start date (checked when they apply).",
    )
    accreditation = models.CharField(max_length=300, blank=True)
    hero_image = models.ImageField(
        upload_to="programs/",
        blank=True,
        validators=[validate_image_upload],
        help_text="JPEG (up to 24 megapixels), PNG or WebP (up to 12.5 megapixels), at most 10 MB; 1600 pixels wide or more.",
    )
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=200,
        blank=True,
        help_text="What the image shows, for visitors who cannot see it.",
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    certifications = models.ManyToManyField(
        "careers.Certification",
        blank=True,
        related_name="programs",
        help_text="Certification exams the program prepares for.",
    )
    main_certification = models.ForeignKey(
        "careers.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The certification most students aim for: preselected when staff enroll "
        "a student. One of the certifications above.",
    )
    roles = models.ManyToManyField("careers.Role", blank=True, related_name="programs")
    featured = models.BooleanField(default=False)
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    image_renditions = {"hero_image": "hero_renditions"}

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tuition__gte=0),
                name="programs_program_tuition_not_negative",
                violation_error_message="Tuition cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(length_weeks__gt=0) & Q(clock_hours__gt=0),
                name="programs_program_length_positive",
                violation_error_message="Length in weeks and clock hours must both be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(externship_hours__lte=models.F("clock_hours")),
                name="programs_program_externship_within_hours",
                violation_error_message="Externship hours cannot exceed the program's clock hours.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:detail", kwargs={"slug": self.slug})

    @property
    def tuition_includes_list(self):
        return [line.strip() for line in self.tuition_includes.splitlines() if line.strip()]

    @property
    def admission_requirements_list(self):
        return [line.strip() for line in self.admission_requirements.splitlines() if line.strip()]

    @property
    def length_months(self):
        return round(self.length_weeks / 4.345)

    def campus_rows(self):
        """One row per campus teaching the program: its offerings and the next start there.

        Needs ``with_offerings()``.
        """
        rows = {}
        for offering in self.active_offerings:
            row = rows.setdefault(offering.campus_id, {"campus": offering.campus, "offerings": []})
            row["offerings"].append(offering)
        for row in rows.values():
            row["next_cohort"] = first_start(o.next_cohort for o in row["offerings"])
            row["schedules"] = [o.get_schedule_display() for o in row["offerings"]]
        return list(rows.values())

    @property
    def next_cohort(self):
        """The next start of the program, any campus (needs ``with_offerings()``)."""
        return first_start(o.next_cohort for o in self.active_offerings)

    def tuition_range(self):
        """(lowest, highest) tuition over the active offerings; needs ``with_offerings()``."""
        amounts = {o.tuition for o in self.active_offerings} or {self.tuition}
        return min(amounts), max(amounts)


class Course(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="courses")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    hours = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    is_externship = models.BooleanField(default=False)

    class Meta:
        ordering = ["program", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="programs_course_hours_positive",
                violation_error_message="A course needs at least one hour.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class Outcome(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes")
    year = models.PositiveSmallIntegerField()
    completion_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    placement_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    exam_pass_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    exam_name = models.CharField(max_length=100, blank=True)
    source = models.CharField(
        max_length=200, help_text="Where the figures come from (report, agency)."
    )
    source_url = models.URLField(blank=True)
    note = models.CharField(
        max_length=300, blank=True, help_text='e.g. "Graduates of July 2023 to June 2024 cohorts".'
    )

    class Meta:
        ordering = ["program", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], name="programs_outcome_unique_year"
            ),
            models.CheckConstraint(
                condition=(
                    (Q(completion_rate__isnull=True) | Q(completion_rate__range=(0, 100)))
                    & (Q(placement_rate__isnull=True) | Q(placement_rate__range=(0, 100)))
                    & (Q(exam_pass_rate__isnull=True) | Q(exam_pass_rate__range=(0, 100)))
                ),
                name="programs_outcome_rates_are_percentages",
                violation_error_message="Rates are percentages between 0 and 100.",
            ),
        ]

    def __str__(self):
        return f"{self.program} {self.year}"


class OfferingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, program__published=True, campus__published=True)

    def with_upcoming(self):
        """Attach ``upcoming`` cohorts, which ``Offering.next_cohort`` reads (one query)."""
        return self.prefetch_related(_upcoming_cohorts())


SCHEDULE_LABELS = dict(Schedule.choices)  # lazy labels: translated when shown


class Offering(models.Model):
    """A program taught at a campus on a schedule."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="offerings")
    campus = models.ForeignKey(Campus, on_delete=models.PROTECT, related_name="offerings")
    schedule = models.CharField(max_length=20, choices=Schedule, default=Schedule.DAY)
    class_days = models.CharField(max_length=100, help_text='e.g. "Monday to Thursday"')
    class_times = models.CharField(max_length=100, help_text='e.g. "8:00 am to 1:00 pm"')
    tuition_override = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Only where tuition differs from the program's.",
    )
    active = models.BooleanField(default=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["program", "campus", "schedule"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "campus", "schedule"], name="programs_offering_unique_schedule"
            ),
        ]

    def __str__(self):
        return f"{self.program} at {self.campus} ({self.get_schedule_display()})"

    def get_schedule_display(self):
        """Django's generated version hashes the field's choices at every call: pages that
        list every offering of every program spent a tenth of their time there."""
        return str(SCHEDULE_LABELS.get(self.schedule, self.schedule))

    @property
    def tuition(self):
        return self.tuition_override if self.tuition_override is not None else self.program.tuition

    @property
    def next_cohort(self):
        """The offering's next start: the rule of ``Cohort.next_start_key`` applied to its
        ``upcoming`` cohorts (needs ``with_upcoming()`` or a ``with_offerings()``)."""
        return first_start(c for c in self.upcoming if c.is_enrollable)


# How far ahead a start counts as "current" for staff (cohort filters, choices).
CURRENT_SOON_DAYS = 183


class CohortQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        """Cohorts starting today or later that are shown on the site (full ones too)."""
        today = today or timezone.localdate()
        return self.filter(start_date__gte=today).exclude(status=Cohort.Status.CLOSED)

    def open_for_enrollment(self, today=None):
        """Upcoming cohorts a visitor can still join: open, with a seat left."""
        return self.upcoming(today).filter(
            status=Cohort.Status.OPEN, seats_taken__lt=models.F("seats")
        )

    def open_for_applications(self, today=None):
        """Upcoming open cohorts, full ones included: a full start takes applications
        for its waitlist."""
        return self.upcoming(today).filter(status=Cohort.Status.OPEN)

    def with_availability(self, availability):
        """Cohorts whose ``Cohort.availability`` is ``availability`` ("open", "few",
        "full" or "closed"), in SQL (the admin's filter)."""
        few_from = models.F("seats") - Cohort.FEW_SEATS
        is_open = Q(status=Cohort.Status.OPEN)
        conditions = {
            "closed": Q(status=Cohort.Status.CLOSED),
            "full": is_open & Q(seats_taken__gte=models.F("seats")),
            "few": is_open & Q(seats_taken__lt=models.F("seats"), seats_taken__gte=few_from),
            "open": is_open & Q(seats_taken__lt=few_from),
        }
        return self.filter(conditions[availability])

    def for_campus(self, campus):
        return self.filter(offering__campus=campus)

    def in_class(self, today=None):
        """Cohorts whose students are in class today: started, not yet graduated."""
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, graduation_date__gte=today)

    def current(self, today=None, soon_days=CURRENT_SOON_DAYS):
        """Cohorts staff work with now: in class today (started, not yet graduated) or
        starting within ``soon_days`` (about six months). Closed ones count too: their
        students are still followed."""
        today = today or timezone.localdate()
        return self.filter(
            graduation_date__gte=today, start_date__lte=today + timedelta(days=soon_days)
        )


class Cohort(models.Model):
    class Status(models.TextChoices):
        # Staff open or close a start by hand; "full" is worked out from the seats taken.
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    # At most this many seats left: public pages say "N seats left".
    FEW_SEATS = 5

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="cohorts")
    start_date = models.DateField(db_index=True)
    graduation_date = models.DateField(help_text="Estimated graduation date.")
    seats = models.PositiveSmallIntegerField(default=20)
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.OPEN,
        help_text="Open takes students (once full, applications for its waitlist); closed "
        "takes none. Full is worked out from the seats taken.",
    )
    # Written only by accounts.cohorts.cohort_seats_recompute, from the enrollments and
    # accepted applications that hold a seat.
    seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "start_date"], name="programs_cohort_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(graduation_date__gt=models.F("start_date")),
                name="programs_cohort_graduation_after_start",
                violation_error_message="The graduation date must come after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(seats__gt=0),
                name="programs_cohort_seats_positive",
                violation_error_message="A cohort needs at least one seat.",
            ),
        ]

    def __str__(self):
        return f"{self.offering.program} · {self.offering.campus} · starts {self.start_date:%b %-d, %Y}"

    def save(self, *args, **kwargs):
        # A full save of a cohort read earlier (an admin form) must not write back a
        # seats-taken figure recounted since: only the recount writes that column.
        if kwargs.get("update_fields") is None and not self._state.adding and self.pk:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

    @property
    def seats_left(self):
        return max(self.seats - self.seats_taken, 0)

    @property
    def is_full(self):
        return self.seats_taken >= self.seats

    @property
    def is_waitlist(self):
        """Open but full: the start takes applications for its waitlist."""
        return self.status == self.Status.OPEN and self.is_full

    @property
    def is_enrollable(self):
        return self.status == self.Status.OPEN and not self.is_full

    @property
    def few_seats_left(self):
        return 0 < self.seats_left <= self.FEW_SEATS

    @property
    def availability(self):
        """ "open", "few" (seats left), "full" (its waitlist open) or "closed"."""
        if self.status == self.Status.CLOSED:
            return "closed"
        if self.is_full:
            return "full"
        return "few" if self.few_seats_left else "open"

    @property
    def availability_label(self):
        availability = self.availability
        if availability == "few":
            left = self.seats_left
            return ngettext("%(n)d seat left", "%(n)d seats left", left) % {"n": left}
        return {
            "open": gettext("Open"),
            "full": gettext("Full: waitlist open"),
            "closed": gettext("Closed"),
        }[availability]

    def next_start_key(self):
        """How "next start" is chosen, everywhere the site shows one (home, campus,
        program and guide pages, find-your-path, JSON-LD): among enrollable cohorts
        (open with a seat left, as ``open_for_enrollment()``; never a full one), the
        earliest start date wins, because that is the first day a visitor could be in
        class."""
        return (self.start_date, self.pk or 0)


class Inquiry(models.Model):
    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        APPLIED = "applied", "Applied"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    contact_method = models.CharField(
        max_length=10, choices=ContactMethod, default=ContactMethod.EMAIL
    )
    message = models.TextField(blank=True)
    consent = models.BooleanField(help_text="Agreed to be contacted about programs.")
    consent_channel = models.CharField(
        max_length=10,
        choices=ContactMethod,
        blank=True,
        help_text="The one channel the person agreed to be contacted by (empty on inquiries "
        "older than the per-channel consent).",
    )
    preferred_cohort = models.ForeignKey(
        "Cohort",
        verbose_name="preferred start",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        help_text='A start date of the chosen program and campus; empty: "not sure yet".',
    )
    preferred_schedule = models.CharField(
        max_length=20, choices=Schedule, blank=True, help_text="Empty: no preference."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    source_page = models.CharField(
        max_length=500, blank=True, help_text="The page the visitor came from."
    )
    staff_notes = models.TextField(blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inquiries"
        indexes = [
            # The admin's usual view: new (or contacted...) inquiries, newest first.
            models.Index(fields=["status", "-created_at"], name="programs_inquiry_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True),
                name="programs_inquiry_requires_consent",
                violation_error_message="We may only keep an inquiry when the person agreed to be contacted.",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class DisclosureQuerySet(models.QuerySet):
    def in_footer(self):
        return self.exclude(footer_text="")


class Disclosure(models.Model):
    """Regulatory text staff maintain: TWC approval statement, student-complaint notice."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    footer_text = models.CharField(
        max_length=400,
        blank=True,
        help_text="Short version shown in every page's footer (optional).",
    )
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:disclosures") + f"#{self.slug}"

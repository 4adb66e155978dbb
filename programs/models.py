"""Campuses, programs, what each campus offers, start dates, and requests for information."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Campus(models.Model):
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
    photo = models.ImageField(upload_to="campuses/", blank=True)
    photo_alt = models.CharField(max_length=200, blank=True)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    summary = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

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


class Field(models.TextChoices):
    CLINICAL = "clinical", "Clinical healthcare"
    HEALTH_ADMIN = "health-admin", "Healthcare administration"
    OTHER = "other", "Other careers"


class Schedule(models.TextChoices):
    DAY = "day", "Day"
    EVENING = "evening", "Evening"
    WEEKEND = "weekend", "Weekend"
    HYBRID = "hybrid", "Hybrid"


class ProgramQuerySet(PublishedQuerySet):
    def for_campus(self, campus):
        return self.filter(offerings__campus=campus, offerings__active=True).distinct()


class Program(models.Model):
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
    accreditation = models.CharField(max_length=300, blank=True)
    hero_image = models.ImageField(upload_to="programs/", blank=True)
    hero_alt = models.CharField("hero image alt text", max_length=200, blank=True)
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    certifications = models.ManyToManyField(
        "careers.Certification",
        blank=True,
        related_name="programs",
        help_text="Certification exams the program prepares for.",
    )
    roles = models.ManyToManyField("careers.Role", blank=True, related_name="programs")
    featured = models.BooleanField(default=False)
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tuition__gte=0), name="programs_program_tuition_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(externship_hours__lte=models.F("clock_hours")),
                name="programs_program_externship_within_hours",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:detail", kwargs={"slug": self.slug})


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

    class Meta:
        ordering = ["program", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], name="programs_outcome_unique_year"
            ),
        ]

    def __str__(self):
        return f"{self.program} {self.year}"


class OfferingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, program__published=True, campus__published=True)


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

    @property
    def tuition(self):
        return self.tuition_override if self.tuition_override is not None else self.program.tuition


class CohortQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(start_date__gte=today).exclude(status=Cohort.Status.CLOSED)


class Cohort(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITLIST = "waitlist", "Waitlist"
        FULL = "full", "Full"
        CLOSED = "closed", "Closed"

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="cohorts")
    start_date = models.DateField(db_index=True)
    graduation_date = models.DateField(help_text="Estimated graduation date.")
    seats = models.PositiveSmallIntegerField(default=20)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)

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
            ),
        ]

    def __str__(self):
        return f"{self.offering.program} · {self.offering.campus} · starts {self.start_date:%b %-d, %Y}"


class Inquiry(models.Model):
    class ContactMethod(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"

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
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    source_page = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True), name="programs_inquiry_requires_consent"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


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

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

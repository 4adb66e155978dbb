"""Career and certification knowledge: what visitors read and what student paths are built from.

Every fact that changes over time (exam figures, renewal rules, wages) carries a source
link and an "as of" date so staff can see what is stale and correct it in the admin.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import Program, PublishedQuerySet

TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES]

# A fact checked longer ago than this is flagged in the admin for review.
FRESHNESS_DAYS = 365


def stale_cutoff(today=None):
    """Facts checked before this date are stale."""
    return (today or timezone.localdate()) - timedelta(days=FRESHNESS_DAYS)


def is_stale(as_of, today=None):
    return as_of is None or as_of < stale_cutoff(today)


class Track(models.TextChoices):
    CLINICAL = "clinical", _("Clinical")
    ADMINISTRATIVE = "administrative", _("Administrative")
    OTHER = "other", _("Other")


class SourcedFact(models.Model):
    """Source link and "as of" date shared by every model holding changeable facts."""

    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    as_of = models.DateField(
        "as of", null=True, blank=True, help_text="When the facts were last checked."
    )
    needs_confirmation = models.BooleanField(
        default=False,
        help_text='Sources disagree: the site says "confirm with the certifying body".',
    )

    class Meta:
        abstract = True

    @property
    def is_stale(self):
        return is_stale(self.as_of)


class CertifyingBody(SourcedFact):
    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name_plural = "certifying bodies"

    def __str__(self):
        return f"{self.name} ({self.acronym})"


class CertificationQuerySet(PublishedQuerySet):
    def medical_assistant(self):
        return self.filter(is_medical_assistant=True)

    def with_school_programs(self):
        """Annotate ``school_prepares``: whether a published program prepares for it.

        The one answer every page gives to "do your programs prepare for this exam?"
        (a credential such as the CMA needs a programmatic accreditation the school may not
        have, so the list is read from the programs, never typed).
        """
        return self.annotate(
            school_prepares=Exists(
                Program.objects.published().filter(certifications=OuterRef("pk"))
            )
        )

    def prepared_by_school(self):
        return self.published().with_school_programs().filter(school_prepares=True)


class Certification(SourcedFact):
    class ExpiryRule(models.TextChoices):
        FROM_ISSUE_DATE = "issue_date", "Counted from the issue date"
        FROM_END_OF_MONTH = "end_of_month", "Counted from the end of the month issued"

    body = models.ForeignKey(
        CertifyingBody, on_delete=models.PROTECT, related_name="certifications"
    )
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=20)
    slug = models.SlugField(unique=True)
    track = models.CharField(max_length=20, choices=Track, default=Track.CLINICAL)
    is_medical_assistant = models.BooleanField(
        "medical-assistant credential",
        default=False,
        help_text="Shown in the medical assistant certification comparison.",
    )
    summary = models.TextField()
    eligibility_summary = models.TextField(blank=True)
    exam_questions = models.CharField(
        max_length=100,
        blank=True,
        help_text='Free text, e.g. "200 multiple-choice" or "about 110 scored + 20-25 pretest".',
    )
    exam_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    exam_format = models.CharField(
        max_length=300, blank=True, help_text="Segments, delivery, where to sit it."
    )
    exam_source_url = models.URLField("exam facts source", blank=True)
    exam_as_of = models.DateField("exam facts as of", null=True, blank=True)
    exam_needs_confirmation = models.BooleanField(
        "exam facts need confirmation",
        default=False,
        help_text='Sources disagree on the exam: the site says "confirm with the certifying body".',
    )
    renewal_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Length of a certification cycle; empty if it does not expire.",
    )
    expiry_rule = models.CharField(
        max_length=20, choices=ExpiryRule, default=ExpiryRule.FROM_ISSUE_DATE
    )
    renewal_summary = models.TextField(blank=True)
    ce_credits_required = models.PositiveSmallIntegerField("CE per cycle", null=True, blank=True)
    renewal_source_url = models.URLField("renewal facts source", blank=True)
    renewal_as_of = models.DateField("renewal facts as of", null=True, blank=True)
    renewal_needs_confirmation = models.BooleanField(
        "renewal facts need confirmation", default=False
    )
    alternate_names = models.CharField(
        max_length=200,
        blank=True,
        help_text="Other names the same credential goes by, comma-separated. Shown beside the "
        "name: never a different credential of the same body.",
    )
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["order", "acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "acronym"], name="careers_certification_body_acronym_unique"
            ),
            models.CheckConstraint(
                condition=Q(exam_minutes__isnull=True) | Q(exam_minutes__gt=0),
                name="careers_certification_exam_minutes_positive",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} ({self.body.acronym})"

    def get_absolute_url(self):
        return reverse("careers:certification_detail", kwargs={"slug": self.slug})

    @property
    def renewal_years(self):
        if self.renewal_months and self.renewal_months % 12 == 0:
            return self.renewal_months // 12
        return None

    def fact_dates(self):
        """Every "as of" date behind this certification's facts (None where never checked).

        Eligibility routes are read from the prefetch cache when present.
        """
        dates = [self.as_of, self.exam_as_of, self.renewal_as_of]
        dates += [route.as_of for route in self.eligibility_routes.all()]
        return dates

    @property
    def needs_any_confirmation(self):
        return (
            self.needs_confirmation
            or self.exam_needs_confirmation
            or (self.renewal_needs_confirmation)
        )


class EligibilityRoute(SourcedFact):
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="eligibility_routes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["certification", "order", "id"]

    def __str__(self):
        return self.name


class CERequirement(models.Model):
    """Credits needed in one category per renewal cycle (CMA: 10 administrative, ..., 30 any)."""

    ANY_CATEGORY = "any"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="ce_requirements"
    )
    category = models.SlugField(max_length=40, help_text='Use "any" for credits in any category.')
    label = models.CharField(max_length=80)
    credits = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["certification", "order", "id"]
        verbose_name = "CE requirement"
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "category"], name="careers_cerequirement_unique_category"
            ),
            models.CheckConstraint(
                condition=Q(credits__gt=0), name="careers_cerequirement_credits_positive"
            ),
        ]

    def __str__(self):
        return f"{self.credits} {self.label}"


class PathStepTemplate(models.Model):
    """One step of a certification's path template; student paths copy these at creation."""

    class Kind(models.TextChoices):
        CHECK = "check", "Check (done / not done)"
        COUNT = "count", "Count toward a target"
        DATE = "date", "Date"
        EVIDENCE = "evidence", "Evidence upload"

    class Milestone(models.TextChoices):
        NONE = "", "None"
        ELIGIBLE = "eligible", "Eligible for the exam once verified"
        EXAM_SCHEDULED = "exam_scheduled", "Exam scheduled"
        EXAM_PASSED = "exam_passed", "Exam passed"
        CREDENTIAL = "credential", "Credential recorded"
        RENEWAL = "renewal", "Continuing education and renewal"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="path_steps"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CHECK)
    target = models.PositiveIntegerField(
        null=True, blank=True, help_text="For count steps: e.g. 160 hours."
    )
    unit = models.CharField(
        max_length=40, blank=True, help_text='For count steps: e.g. "hours", "venipunctures".'
    )
    requires_verification = models.BooleanField(
        default=True, help_text="Staff must verify the step before it counts as done."
    )
    student_can_complete = models.BooleanField(
        default=False,
        help_text="The student may mark the step done (or submit it) from the portal.",
    )
    milestone = models.CharField(
        max_length=20, choices=Milestone, blank=True, default=Milestone.NONE
    )

    class DueFrom(models.TextChoices):
        START = "start", "days after the cohort starts"
        BEFORE_END = "before_end", "days before the program ends"
        AFTER_END = "after_end", "days after the program ends"

    due_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Due date, in days counted from the point chosen beside it. Empty: no due date.",
    )
    due_from = models.CharField(
        max_length=20,
        choices=DueFrom,
        default=DueFrom.START,
        help_text="Coursework and externship are due before the program ends; eligibility "
        "and the exam window come after it.",
    )
    shared_key = models.SlugField(
        max_length=40,
        blank=True,
        help_text='Steps with the same key (e.g. "cpr-card", "coursework", "externship") '
        "are one step for a student aiming at several certifications: done once, counted "
        "by each path.",
    )
    help_text = models.TextField(blank=True, help_text="What the student does for this step.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["certification", "order", "id"]
        verbose_name = "path step template"
        constraints = [
            models.CheckConstraint(
                # target__isnull matters: NULL > 0 is unknown, which a CHECK lets through.
                condition=~Q(kind="count") | Q(target__isnull=False, target__gt=0),
                name="careers_pathsteptemplate_count_needs_target",
            ),
        ]

    def __str__(self):
        return f"{self.certification.acronym} {self.order}. {self.title}"

    # Copied into each student's path step (both languages).
    STUDENT_TEXTS = ("title", "unit", "help_text")

    def due_date_for(self, cohort):
        """The step's due date in a cohort's calendar (None without a rule or a cohort)."""
        if self.due_days is None or cohort is None:
            return None
        days = timedelta(days=self.due_days)
        if self.due_from == self.DueFrom.BEFORE_END:
            return cohort.graduation_date - days
        if self.due_from == self.DueFrom.AFTER_END:
            return cohort.graduation_date + days
        return cohort.start_date + days

    def texts_for(self, program):
        """The step's texts for one student, one column per language (``title_en``,
        ``title_es``...): ``{program}`` becomes their program's title in that language. A
        text not yet translated stays empty (as in the template), so the step shows the English until the
        template is translated and applied again."""
        texts = {}
        for lang in TRANSLATED_LANGUAGES:
            with translation.override(lang):
                program_title = program.title if program else gettext("your program")
            for name in self.STUDENT_TEXTS:
                text = getattr(self, f"{name}_{lang}")
                texts[f"{name}_{lang}"] = text.replace("{program}", program_title) if text else text
        return texts


class WorkPreference(models.TextChoices):
    """The first question of "find your path"."""

    PATIENTS = "patients", _("Caring for patients")
    OFFICE = "office", _("Running the office")
    BOTH = "both", _("A mix of both")


class RoleQuerySet(PublishedQuerySet):
    def recommended_for(self, preference):
        return self.published().filter(recommend_for=preference)


class Role(SourcedFact):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="specialisations",
        help_text="The umbrella role this one belongs to.",
    )
    track = models.CharField(max_length=20, choices=Track, default=Track.OTHER)
    soc_code = models.CharField("SOC code", max_length=20, blank=True)
    summary = models.TextField()
    description = models.TextField(blank=True)
    typical_workplaces = models.TextField(blank=True, help_text="One per line.")
    certifications = models.ManyToManyField(
        Certification,
        blank=True,
        related_name="roles",
        help_text="Certifications employers accept for this role.",
    )
    recommend_for = models.CharField(
        "recommended in Find your path for",
        max_length=20,
        choices=WorkPreference,
        blank=True,
        help_text='The answer to "What kind of work appeals to you most?" that leads here.',
    )
    published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommend_for"],
                condition=~Q(recommend_for=""),
                name="careers_role_one_recommendation_per_answer",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="careers_role_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("careers:role_detail", kwargs={"slug": self.slug})

    @property
    def workplace_list(self):
        return [line.strip() for line in self.typical_workplaces.splitlines() if line.strip()]


class Duty(models.Model):
    class Source(models.TextChoices):
        BLS = "bls", _("U.S. Bureau of Labor Statistics")
        TEXAS_CAREER_CHECK = "tcc", "Texas Career Check (TWC)"
        ONET = "onet", "O*NET"
        SCHOOL = "school", _("Our instructors")
        TEXAS_MEDICAL_BOARD = "tmb", _("Texas Medical Board")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="duties")
    text = models.CharField(max_length=300)
    track = models.CharField(max_length=20, choices=Track, default=Track.OTHER)
    source = models.CharField(max_length=20, choices=Source, default=Source.BLS)
    source_url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    SHORT_SOURCE_NAMES = {
        Source.BLS: "BLS",
        Source.TEXAS_CAREER_CHECK: "Texas Career Check",
        Source.ONET: "O*NET",
        Source.SCHOOL: _("Our instructors"),
        Source.TEXAS_MEDICAL_BOARD: _("Texas Medical Board"),
    }

    class Meta:
        ordering = ["role", "order", "id"]
        verbose_name_plural = "duties"

    def __str__(self):
        return self.text

    @property
    def short_source(self):
        return self.SHORT_SOURCE_NAMES.get(self.source, self.get_source_display())


class LaborFigure(SourcedFact):
    class Region(models.TextChoices):
        US = "us", _("United States")
        TEXAS = "tx", _("Texas")

    class PayStatistic(models.TextChoices):
        MEDIAN = "median", "Median"
        MEAN = "mean", "Average (mean)"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="labor_figures")
    region = models.CharField(max_length=10, choices=Region)
    pay_label = models.CharField(max_length=80, default="Median annual pay")
    pay_statistic = models.CharField(
        max_length=10,
        choices=PayStatistic,
        default=PayStatistic.MEDIAN,
        help_text="What the pay figure is: Texas Career Check publishes averages (means), "
        "the BLS medians. Structured data marks it the same way.",
    )
    annual_pay = models.DecimalField(max_digits=10, decimal_places=0, null=True, blank=True)
    growth_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    growth_period = models.CharField(max_length=40, blank=True, help_text='e.g. "2024-2034"')
    openings_per_year = models.PositiveIntegerField(null=True, blank=True)
    employment = models.PositiveIntegerField(
        null=True, blank=True, help_text="Jobs at the start of the projection period."
    )
    projected_employment = models.PositiveIntegerField(
        null=True, blank=True, help_text="Jobs at the end of the projection period."
    )
    data_year = models.CharField(max_length=80, help_text='The data vintage, e.g. "May 2024".')
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "order", "region"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_pay__isnull=True) | Q(annual_pay__gte=0),
                name="careers_laborfigure_pay_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.role} · {self.get_region_display()} · {self.data_year}"


class WorkplaceFactor(SourcedFact):
    """Something that changes what the job looks like, told as a contrast.

    The source fields are for a rule a side depends on (e.g. who may take X-rays in Texas).
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    summary = models.TextField()
    one_side_label = models.CharField(max_length=100, help_text='e.g. "Small private practice"')
    one_side = models.TextField()
    other_side_label = models.CharField(max_length=100, help_text='e.g. "Large group practice"')
    other_side = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CareerGuide(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    meta_description = models.CharField(max_length=300)
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="guides"
    )
    intro = models.TextField()
    published = models.BooleanField(default=True)
    # Editorial dates, set by the editors: shown on the page and in its structured data.
    # Not updated_at, which moves with any save (a typo fix, a demo reload).
    published_on = models.DateField(
        "first published",
        null=True,
        help_text="The day the guide was first published.",
    )
    revised_on = models.DateField(
        "last revised",
        null=True,
        help_text="The day the editors last revised what the guide says (not a typo fix). "
        "Leave it as the publication day until the first revision.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revised_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(revised_on__gte=F("published_on")),
                name="careers_guide_revised_on_or_after_published",
                violation_error_message="A guide cannot be revised before it was published.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("careers:guide_detail", kwargs={"slug": self.slug})

    @property
    def modified_on(self):
        """The editorial "last modified" day: the last revision, else the publication."""
        return self.revised_on or self.published_on


class GuideSection(models.Model):
    """A section of a guide: its own text, then (by kind) a block assembled from the data."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text only"
        TRACKS = "tracks", "Clinical vs administrative roles and their certifications"
        DUTIES = "duties", "Duties of the guide's role"
        FACTORS = "factors", "Workplace factors"
        CERTIFICATIONS = "certifications", "Certification comparison"
        CALL_TO_ACTION = "cta", "Call to action: programs at each campus"

    guide = models.ForeignKey(CareerGuide, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200)
    anchor = models.SlugField(help_text="The section's #anchor in the page.")
    body = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TEXT)

    class Meta:
        ordering = ["guide", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "anchor"], name="careers_guidesection_unique_anchor"
            ),
        ]

    def __str__(self):
        return self.heading


class SearchDocument(models.Model):
    """One page (or guide section) in one language as the site search reads it.

    Written only by ``careers.search.write_index``, from the content: never edited.
    ``title_tokens`` and ``body_tokens`` hold normalized words (careers/search.py), which
    PostgreSQL indexes with a GIN index and SQLite with an FTS5 table (migration 0004).
    """

    class Kind(models.TextChoices):
        # In the order the results page shows the groups.
        PROGRAM = "program", "Programs"
        CAMPUS = "campus", "Campuses"
        CERTIFICATION = "certification", "Certifications"
        ROLE = "role", "Careers"
        GUIDE = "guide", "Career guide"

    kind = models.CharField(max_length=20, choices=Kind)
    language = models.CharField(max_length=10)
    object_id = models.PositiveIntegerField()
    url = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    title_tokens = models.TextField()
    body_tokens = models.TextField()
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["language", "sort_order"]
        indexes = [models.Index(fields=["language", "kind"], name="careers_searchdoc_lang_kind")]

    def __str__(self):
        return f"{self.title} ({self.language})"


class SearchTerm(models.Model):
    """A normalized word of the search index and how many documents hold it: the
    vocabulary misspelled query words are corrected against."""

    language = models.CharField(max_length=10)
    term = models.CharField(max_length=100)
    word = models.CharField(max_length=100, help_text="The word shown for the term.")
    documents = models.PositiveIntegerField()

    class Meta:
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "term"], name="careers_searchterm_unique_term"
            ),
        ]

    def __str__(self):
        return self.term

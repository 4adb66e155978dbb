"""Shared pieces of the staff admin: display helpers, cohort choices and filters."""

from bisect import bisect_left
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.cohorts import cohort_label, cohorts_for_choosing
from accounts.models import (
    Evidence,
    StepReview,
)
from careers.models import Certification, PathStepTemplate
from programs.models import Campus, Cohort, Offering, Program
from programs.translation import localized

STAFF_CSS = {"all": ["accounts/admin-staff.css"]}

# --- Shared display helpers --------------------------------------------------------


def admin_link(obj, label=None):
    if obj is None:
        return "—"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


def student_label(user):
    name = user.get_full_name()
    if name:
        return format_html("{}<br><small>{}</small>", name, user.email)
    return user.email


def cohort_html(cohort):
    offering = cohort.offering
    return format_html(
        "{}<br><small>{} · {} · starts {}</small>",
        offering.program.title,
        offering.campus.name,
        offering.get_schedule_display().lower(),
        cohort.start_date.strftime("%b %-d, %Y"),
    )


def progress_html(path):
    """The stored progress figure as a native progress bar plus text (never color only)."""
    return format_html(
        '<span class="tc-progress"><progress max="100" value="{}" aria-hidden="true">'
        "</progress> <strong>{}%</strong></span>",
        path.progress_percent,
        path.progress_percent,
    )


def step_values_html(step):
    """What the student entered on the step itself: a count and/or a date."""
    parts = []
    if step.kind == PathStepTemplate.Kind.COUNT:
        target = f" / {step.target}" if step.target else ""
        parts.append(format_html("<div>{}{} {}</div>", step.count, target, step.unit))
    if step.date_value:
        parts.append(format_html("<div>Date: {}</div>", step.date_value.strftime("%b %-d, %Y")))
    return format_html_join("", "{}", ((p,) for p in parts))


def short_date(moment):
    """ "Nov 3", or "Nov 3, 2024" outside the current year, in the site's time zone."""
    local = timezone.localtime(moment)
    if local.year == timezone.localdate().year:
        return f"{local:%b} {local.day}"
    return f"{local:%b} {local.day}, {local.year}"


def files_html(files):
    return format_html(
        '<ul class="tc-files">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}" download>{}</a> <small>({})</small></li>',
            (
                (
                    reverse("portal:evidence_download", kwargs={"pk": e.pk}),
                    e.original_name,
                    filesizeformat(e.size),
                )
                for e in files
            ),
        ),
    )


def step_submission_html(step):
    """What the student handed in: a count, a date and/or evidence files. Files of an
    earlier submission that staff sent back are listed apart, under a muted heading,
    when the step's rejections are prefetched (``rejections_prefetch``)."""
    current, earlier = step_submissions(step)
    parts = []
    values = step_values_html(step)
    if values:
        parts.append(values)
    if current:
        parts.append(files_html(current))
    for submission in earlier:
        if submission.files:
            parts.append(
                format_html(
                    '<div class="tc-earlier"><p class="tc-muted">{}</p>{}</div>',
                    submission.label,
                    files_html(submission.files),
                )
            )
    if not parts:
        return "Marked as done"
    if earlier and not current and step.kind == PathStepTemplate.Kind.EVIDENCE:
        parts.insert(
            0, format_html('<p class="tc-muted">{}</p>', "No new file since it was sent back.")
        )
    return format_html_join("", "{}", ((p,) for p in parts))


def evidence_prefetch():
    """A step's files, newest first, without joining up to the enrollment for the
    model's ordering ("step" first)."""
    return Prefetch("evidence", queryset=Evidence.objects.order_by("-uploaded_at", "-id"))


def rejections_prefetch():
    """A step's rejections, oldest first, as ``step.rejections`` (step_submissions)."""
    return Prefetch(
        "reviews",
        queryset=StepReview.objects.filter(action=StepReview.Action.REJECTED)
        .select_related("reviewer")
        .order_by("created_at", "id"),
        to_attr="rejections",
    )


@dataclass
class EarlierSubmission:
    """Files staff sent back with one rejection (``review``)."""

    review: StepReview
    files: list = field(default_factory=list)

    @property
    def label(self):
        return f"Earlier submission, sent back {short_date(self.review.created_at)}"


def step_submissions(step):
    """The step's files split by submission: ``(current, earlier)``.

    A file belongs to the submission the first rejection after its upload sent back;
    files uploaded after the latest rejection are the submission waiting for review.
    ``earlier`` has one entry per rejection, newest first (some without files: a count
    sent back). Without prefetched ``rejections`` every file counts as current."""
    files = list(step.evidence.all())
    rejections = getattr(step, "rejections", None) or []
    earlier = [EarlierSubmission(review=r) for r in rejections]  # oldest first
    times = [r.created_at for r in rejections]
    current = []
    for evidence in files:
        index = bisect_left(times, evidence.uploaded_at)
        if index == len(times):
            current.append(evidence)
        else:
            earlier[index].files.append(evidence)
    return current, earlier[::-1]


def cohort_choices():
    """Every cohort for a choice list with its status and seats taken, upcoming and
    current ones first (``cohorts_for_choosing``)."""
    return cohorts_for_choosing(Cohort.objects.all())


def cohort_filter_choices(today=None):
    """The cohort filter's short list: cohorts in class or starting soon
    (``CohortQuerySet.current``), soonest start first, with only what cohort_label shows
    (no image metadata or descriptions loaded). Older cohorts are found by the search box."""
    return (
        Cohort.objects.current(today)
        .select_related("offering__program", "offering__campus")
        .only(
            "start_date",
            "offering__schedule",
            *localized("offering__program__title"),
            "offering__campus__name",
        )
        .order_by("start_date", "offering__program__title", "offering__campus__name", "pk")
    )


class CertificationListFilter(admin.RelatedFieldListFilter):
    """Certifications labelled "CMA (AAMA)" in one query: the body comes with them."""

    def field_choices(self, field, request, model_admin):
        certifications = Certification.objects.select_related("body").order_by("order", "acronym")
        return [(c.pk, str(c)) for c in certifications]


COHORT_CHOICES_KEY = "admin:cohort-filter"


def _cohort_choices_key(today=None):
    # "Current" moves with the calendar: a new day is a new list.
    return f"{COHORT_CHOICES_KEY}:{(today or timezone.localdate()).isoformat()}"


def forget_cohort_choices(update_fields=None, **kwargs):
    # The labels name no seats: a recount (accounts.cohorts) leaves them as they are.
    if update_fields is not None and set(update_fields) <= {"seats_taken"}:
        return
    cache.delete(_cohort_choices_key())


for _model in (Cohort, Offering, Program, Campus):
    post_save.connect(forget_cohort_choices, sender=_model, dispatch_uid=f"cohort-choices-{_model}")
    post_delete.connect(
        forget_cohort_choices, sender=_model, dispatch_uid=f"cohort-choices-del-{_model}"
    )


class CohortFilter(admin.SimpleListFilter):
    """Current cohorts by program, campus and start date, in one query (no per-cohort
    lookups), plus the one selected. Past cohorts: search by program or campus, or
    filter by program and campus."""

    title = "cohort (in class or starting soon)"
    parameter_name = "cohort"
    field_path = "cohort"

    def lookups(self, request, model_admin):
        # The same labels on every changelist page until a cohort, offering, program or
        # campus changes (forget_cohort_choices above) or the day ends.
        key = _cohort_choices_key()
        choices = cache.get(key)
        if choices is None:
            choices = [(str(c.pk), cohort_label(c)) for c in cohort_filter_choices()]
            cache.set(key, choices, 3600)
        selected = self.value()
        if selected and selected.isdigit() and all(pk != selected for pk, _ in choices):
            # An older cohort reached from a link or a bookmark stays visible as chosen.
            cohort = (
                Cohort.objects.select_related("offering__program", "offering__campus")
                .filter(pk=selected)
                .first()
            )
            if cohort is not None:
                choices = [(selected, cohort_label(cohort)), *choices]
        return choices

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field_path}_id": self.value()})
        return queryset


def cohort_filter(field_path):
    return type("CohortFilter", (CohortFilter,), {"field_path": field_path})


class RecordAdmin(admin.ModelAdmin):
    """A record of what happened (reviews, notices): read in the admin, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.db import models
from django.db.models import Count, Min, Q
from django.forms import Textarea
from django.utils.html import format_html
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from careers.models import (
    CareerGuide,
    CERequirement,
    Certification,
    CertifyingBody,
    Duty,
    EligibilityRoute,
    GuideSection,
    LaborFigure,
    PathStepTemplate,
    Role,
    WorkplaceFactor,
    is_stale,
    stale_cutoff,
)
from programs.translation_admin import SpanishStatusMixin

# Staff type bare domains ("aama-ntl.org"): read them as https, Django 6's default.
URLS_HTTPS = {models.URLField: {"assume_scheme": "https"}}
SHORT_TEXT = {**URLS_HTTPS, models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 60})}}


class ModelAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_HTTPS


class TranslatedAdmin(SpanishStatusMixin, TranslationAdmin):
    """Translated texts side by side ([en], [es]); where Spanish is missing, for staff."""

    formfield_overrides = URLS_HTTPS


class TabularInline(TranslationTabularInline):
    formfield_overrides = URLS_HTTPS


class StackedInline(TranslationStackedInline):
    formfield_overrides = URLS_HTTPS


ADMIN_MEDIA_CSS = {"all": ["careers/admin.css"]}


def freshness(as_of, *, missing="never checked"):
    """An "as of" date for a changelist, flagged when older than 12 months or missing."""
    if as_of is None:
        return format_html('<span class="fact-missing">&#9888; {}</span>', missing)
    if is_stale(as_of):
        return format_html(
            '<span class="fact-stale" title="Checked over 12 months ago">&#9888; {} (review)</span>',
            as_of.isoformat(),
        )
    return format_html('<span class="fact-fresh">{}</span>', as_of.isoformat())


class FreshnessFilter(admin.SimpleListFilter):
    """Filter by how recently the facts were checked against their source."""

    title = "fact freshness"
    parameter_name = "freshness"
    date_fields = ("as_of",)

    def lookups(self, request, model_admin):
        return [
            ("stale", "Checked over 12 months ago"),
            ("missing", "Never checked"),
            ("fresh", "Checked in the last 12 months"),
        ]

    def queryset(self, request, queryset):
        cutoff = stale_cutoff()
        stale = Q()
        for field in self.date_fields:
            stale |= Q(**{f"{field}__lt": cutoff})
        missing = Q(**{f"{self.date_fields[0]}__isnull": True})
        if self.value() == "stale":
            return queryset.filter(stale).distinct()
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "fresh":
            return queryset.exclude(stale).exclude(missing).distinct()
        return queryset


class CertificationFreshnessFilter(FreshnessFilter):
    date_fields = ("as_of", "exam_as_of", "renewal_as_of", "eligibility_routes__as_of")


class SourcedMixin:
    """Shared bits for models carrying a source and an "as of" date."""

    class Media:
        css = ADMIN_MEDIA_CSS

    @admin.display(description="as of", ordering="as_of")
    def as_of_flag(self, obj):
        return freshness(obj.as_of)


class SourcedAdmin(SourcedMixin, ModelAdmin):
    pass


class TranslatedSourcedAdmin(SourcedMixin, TranslatedAdmin):
    pass


SOURCE_FIELDSET = (
    "Source",
    {
        "fields": ("source_name", "source_url", "as_of", "needs_confirmation"),
        "description": "Where these facts come from and when they were last checked.",
    },
)


# --- Certifying bodies and certifications -------------------------------------------


@admin.register(CertifyingBody)
class CertifyingBodyAdmin(SourcedAdmin):
    list_display = ("name", "as_of_flag", "acronym", "website", "certification_count")
    search_fields = ("name", "acronym")
    list_filter = (FreshnessFilter,)
    ordering = ("acronym",)
    prepopulated_fields = {"slug": ("acronym",)}
    fieldsets = ((None, {"fields": ("name", "acronym", "slug", "website")}), SOURCE_FIELDSET)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cert_count=Count("certifications"))

    @admin.display(description="certifications", ordering="cert_count")
    def certification_count(self, obj):
        return obj.cert_count


class EligibilityRouteInline(StackedInline):
    model = EligibilityRoute
    extra = 0
    fields = (
        ("name", "order"),
        "description",
        ("source_name", "source_url"),
        ("as_of", "needs_confirmation"),
    )
    formfield_overrides = SHORT_TEXT


class CERequirementInline(TabularInline):
    model = CERequirement
    extra = 0
    fields = ("order", "category", "label", "credits")


class PathStepTemplateInline(StackedInline):
    model = PathStepTemplate
    extra = 0
    fields = (
        ("order", "title"),
        ("kind", "target", "unit"),
        ("milestone", "shared_key"),
        ("due_days", "due_from"),
        ("requires_verification", "student_can_complete"),
        "help_text",
    )
    formfield_overrides = SHORT_TEXT


@admin.register(Certification)
class CertificationAdmin(TranslatedAdmin):
    list_display = (
        "acronym",
        "facts_checked",
        "needs_confirmation_flag",
        "exam_needs_confirmation",
        "name",
        "body_acronym",
        "track",
        "in_comparison",
        "renewal",
        "ce_credits_required",
        "published",
    )
    list_display_links = ("acronym", "name")
    list_filter = (
        "track",
        "body",
        "is_medical_assistant",
        "published",
        CertificationFreshnessFilter,
        "needs_confirmation",
        "exam_needs_confirmation",
    )
    list_select_related = ("body",)
    search_fields = ("acronym", "name", "alternate_names", "body__name", "body__acronym")
    ordering = ("order", "acronym")
    prepopulated_fields = {"slug": ("acronym",)}
    inlines = (EligibilityRouteInline, CERequirementInline, PathStepTemplateInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "acronym"),
                    ("slug", "alternate_names"),
                    ("body", "track"),
                    "summary",
                    ("is_medical_assistant", "published", "order"),
                )
            },
        ),
        SOURCE_FIELDSET,
        ("Eligibility", {"fields": ("eligibility_summary",)}),
        (
            "Exam",
            {
                "fields": (
                    ("exam_questions", "exam_minutes"),
                    "exam_format",
                    ("exam_source_url", "exam_as_of", "exam_needs_confirmation"),
                )
            },
        ),
        (
            "Renewal and continuing education",
            {
                "fields": (
                    ("renewal_months", "expiry_rule", "ce_credits_required"),
                    "renewal_summary",
                    ("renewal_source_url", "renewal_as_of", "renewal_needs_confirmation"),
                )
            },
        ),
    )

    class Media:
        css = ADMIN_MEDIA_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                oldest_route_as_of=Min("eligibility_routes__as_of"),
                unchecked_routes=Count(
                    "eligibility_routes", filter=Q(eligibility_routes__as_of__isnull=True)
                ),
                routes_to_confirm=Count(
                    "eligibility_routes", filter=Q(eligibility_routes__needs_confirmation=True)
                ),
            )
        )

    @admin.display(description="body", ordering="body__acronym")
    def body_acronym(self, obj):
        return obj.body.acronym

    @admin.display(description="compared", boolean=True, ordering="is_medical_assistant")
    def in_comparison(self, obj):
        return obj.is_medical_assistant

    @admin.display(description="renewal", ordering="renewal_months")
    def renewal(self, obj):
        return f"{obj.renewal_months} months" if obj.renewal_months else "—"

    @admin.display(description="oldest fact checked")
    def facts_checked(self, obj):
        if obj.as_of is None or obj.unchecked_routes:
            return freshness(None)
        dates = [obj.as_of, obj.exam_as_of, obj.renewal_as_of, obj.oldest_route_as_of]
        return freshness(min(d for d in dates if d))

    @admin.display(description="to confirm", boolean=True)
    def needs_confirmation_flag(self, obj):
        return bool(obj.needs_any_confirmation or obj.routes_to_confirm)


@admin.register(EligibilityRoute)
class EligibilityRouteAdmin(TranslatedSourcedAdmin):
    list_display = ("name", "as_of_flag", "needs_confirmation", "certification", "order")
    list_filter = ("certification", "needs_confirmation", FreshnessFilter)
    list_select_related = ("certification__body",)
    search_fields = ("name", "description", "certification__acronym")
    ordering = ("certification__order", "certification__acronym", "order")
    fieldsets = (
        (None, {"fields": ("certification", ("name", "order"), "description")}),
        SOURCE_FIELDSET,
    )


@admin.register(CERequirement)
class CERequirementAdmin(TranslatedAdmin):
    list_display = ("certification", "category", "label", "credits", "order")
    list_filter = ("certification", "category")
    list_select_related = ("certification__body",)
    search_fields = ("label", "category", "certification__acronym")
    ordering = ("certification__order", "certification__acronym", "order")


@admin.register(PathStepTemplate)
class PathStepTemplateAdmin(TranslatedAdmin):
    list_display = (
        "certification",
        "order",
        "title",
        "kind",
        "target",
        "unit",
        "milestone",
        "requires_verification",
        "student_can_complete",
        "due_days",
        "due_from",
        "shared_key",
        "updated_at",
    )
    list_display_links = ("title",)
    list_filter = (
        "certification",
        "kind",
        "milestone",
        "requires_verification",
        "student_can_complete",
    )
    list_select_related = ("certification__body",)
    search_fields = ("title", "help_text", "certification__acronym")
    ordering = ("certification__order", "certification__acronym", "order")


# --- Roles ---------------------------------------------------------------------------


class DutyInline(TabularInline):
    model = Duty
    extra = 0
    fields = ("order", "text", "track", "source", "source_url")


class LaborFigureInline(StackedInline):
    model = LaborFigure
    extra = 0
    fields = (
        ("region", "order"),
        ("pay_label", "pay_statistic", "annual_pay"),
        ("growth_percent", "growth_period", "openings_per_year"),
        ("employment", "projected_employment"),
        ("data_year", "note"),
        ("source_name", "source_url"),
        ("as_of", "needs_confirmation"),
    )


@admin.register(Role)
class RoleAdmin(TranslatedSourcedAdmin):
    list_display = (
        "title",
        "as_of_flag",
        "figures_checked",
        "parent",
        "track",
        "soc_code",
        "recommend_for",
        "published",
    )
    list_filter = ("track", "published", "recommend_for", FreshnessFilter)
    list_select_related = ("parent",)
    search_fields = ("title", "soc_code", "summary")
    ordering = ("order", "title")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("certifications",)
    inlines = (DutyInline, LaborFigureInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title", "slug"),
                    ("parent", "track"),
                    ("soc_code", "recommend_for"),
                    "summary",
                    "description",
                    "typical_workplaces",
                    "certifications",
                    ("published", "order"),
                )
            },
        ),
        SOURCE_FIELDSET,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                oldest_figure_as_of=Min("labor_figures__as_of"),
                figure_count=Count("labor_figures"),
            )
        )

    @admin.display(description="labor figures checked")
    def figures_checked(self, obj):
        if not obj.figure_count:
            return "—"
        return freshness(obj.oldest_figure_as_of)


@admin.register(Duty)
class DutyAdmin(TranslatedAdmin):
    list_display = ("text", "role", "track", "source", "order")
    list_filter = ("source", "track", "role")
    list_select_related = ("role",)
    search_fields = ("text", "role__title")
    ordering = ("role__order", "role__title", "order")


@admin.register(LaborFigure)
class LaborFigureAdmin(TranslatedSourcedAdmin):
    list_display = (
        "__str__",
        "as_of_flag",
        "needs_confirmation",
        "pay_label",
        "pay_statistic",
        "annual_pay",
        "growth_percent",
        "openings_per_year",
        "source_name",
    )
    list_filter = ("region", "needs_confirmation", FreshnessFilter, "role")
    list_select_related = ("role",)
    search_fields = ("role__title", "source_name", "data_year", "note")
    ordering = ("role__order", "role__title", "order")


@admin.register(WorkplaceFactor)
class WorkplaceFactorAdmin(TranslatedAdmin):
    list_display = ("name", "one_side_label", "other_side_label", "order")
    list_editable = ("order",)
    search_fields = ("name", "summary", "one_side", "other_side")
    ordering = ("order", "name")
    prepopulated_fields = {"slug": ("name",)}


# --- Guides --------------------------------------------------------------------------


class GuideSectionInline(StackedInline):
    model = GuideSection
    extra = 0
    fields = (("order", "heading", "anchor", "kind"), "body")
    prepopulated_fields = {"anchor": ("heading",)}


@admin.register(CareerGuide)
class CareerGuideAdmin(TranslatedAdmin):
    list_display = ("title", "role", "section_count", "published", "published_on", "revised_on")
    list_filter = ("published", "role")
    list_select_related = ("role",)
    search_fields = ("title", "intro", "meta_description")
    ordering = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (GuideSectionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_sections=Count("sections"))

    @admin.display(description="sections", ordering="num_sections")
    def section_count(self, obj):
        return obj.num_sections


@admin.register(GuideSection)
class GuideSectionAdmin(TranslatedAdmin):
    list_display = ("heading", "guide", "kind", "anchor", "order")
    list_filter = ("kind", "guide")
    list_select_related = ("guide",)
    search_fields = ("heading", "body", "guide__title")
    ordering = ("guide__title", "order")
    prepopulated_fields = {"anchor": ("heading",)}

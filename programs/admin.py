import csv

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from programs.images import ImageUploadField
from programs.models import (
    Campus,
    Cohort,
    Course,
    Disclosure,
    Inquiry,
    Offering,
    Outcome,
    Program,
)
from programs.services import inquiry_mark_contacted
from programs.translation_admin import SpanishStatusMixin

URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}
IMAGE_FIELD_OVERRIDES = {
    models.ImageField: {"form_class": ImageUploadField},
    **URL_FIELD_OVERRIDES,
}


class TranslatedAdmin(SpanishStatusMixin, TranslationAdmin):
    """Translated texts side by side ([en], [es]); where Spanish is missing, for staff."""


def _thumbnail(renditions, alt):
    sources = (renditions or {}).get("sources") or []
    if not sources:
        return "No image"
    from django.core.files.storage import default_storage

    small = sources[0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="tc-admin-thumb">',
        default_storage.url(small["jpeg"]),
        160,
        round(160 * small["height"] / small["width"]),
        alt,
    )


@admin.register(Campus)
class CampusAdmin(TranslatedAdmin):
    list_display = ["name", "city", "phone", "admissions_email", "published", "order"]
    list_editable = ["published", "order"]
    list_filter = ["published", "city"]
    search_fields = ["name", "street", "city", "postal_code", "email", "admissions_email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview", "updated_at"]
    formfield_overrides = IMAGE_FIELD_OVERRIDES
    show_facets = admin.ShowFacets.ALWAYS
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "published", "order"]}),
        ("Address", {"fields": ["street", "city", "state", "postal_code", "map_url"]}),
        ("Contact", {"fields": ["phone", "email", "admissions_email"]}),
        ("Visiting", {"fields": ["hours", "parking", "transit"]}),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_preview"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description="Current photo")
    def photo_preview(self, campus):
        return _thumbnail(campus.photo_renditions, campus.photo_alt)


class CourseInline(TranslationTabularInline):
    model = Course
    extra = 0
    fields = ["order", "code", "title", "hours", "is_externship", "description"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2})}
    }


class OutcomeInline(TranslationTabularInline):
    model = Outcome
    extra = 0
    formfield_overrides = URL_FIELD_OVERRIDES
    fields = [
        "year",
        "completion_rate",
        "placement_rate",
        "exam_pass_rate",
        "exam_name",
        "source",
        "source_url",
        "note",
    ]


class OfferingInline(TranslationTabularInline):
    model = Offering
    extra = 0
    fields = ["campus", "schedule", "class_days", "class_times", "tuition_override", "active"]
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(TranslatedAdmin):
    list_display = [
        "title",
        "field",
        "length_weeks",
        "clock_hours",
        "tuition",
        "offered_at",
        "featured",
        "published",
    ]
    list_editable = ["featured", "published"]
    list_filter = ["published", "featured", "field", "offerings__campus", "offerings__schedule"]
    search_fields = ["title", "slug", "summary", "courses__title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["certifications", "roles"]
    inlines = [CourseInline, OfferingInline, OutcomeInline]
    readonly_fields = ["hero_preview", "updated_at"]
    formfield_overrides = IMAGE_FIELD_OVERRIDES
    show_facets = admin.ShowFacets.ALWAYS
    fieldsets = [
        (None, {"fields": ["title", "slug", "field", "summary", "description"]}),
        (
            "Length and credential",
            {"fields": ["credential_awarded", "length_weeks", "clock_hours", "externship_hours"]},
        ),
        ("Tuition", {"fields": ["tuition", "tuition_includes", "financial_aid"]}),
        (
            "Admission and accreditation",
            {"fields": ["admission_requirements", "minimum_age", "accreditation"]},
        ),
        ("Certifications and careers", {"fields": ["certifications", "roles"]}),
        ("Image", {"fields": ["hero_image", "hero_alt", "hero_preview"]}),
        ("Publishing", {"fields": ["published", "featured", "order", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("offerings__campus")

    @admin.display(description="Offered at")
    def offered_at(self, program):
        names = sorted({o.campus.name for o in program.offerings.all() if o.active})
        return ", ".join(names) or "Not scheduled"

    @admin.display(description="Current image")
    def hero_preview(self, program):
        return _thumbnail(program.hero_renditions, program.hero_alt)


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 1
    fields = ["start_date", "graduation_date", "seats", "seats_taken", "status"]
    readonly_fields = ["seats_taken"]
    ordering = ["start_date"]


@admin.register(Offering)
class OfferingAdmin(TranslatedAdmin):
    list_display = [
        "program",
        "campus",
        "schedule",
        "class_days",
        "class_times",
        "tuition_display",
        "upcoming_count",
        "active",
    ]
    list_filter = ["campus", "schedule", "active", "program__field", "program"]
    list_select_related = ["program", "campus"]
    search_fields = ["program__title", "campus__name", "class_days"]
    autocomplete_fields = ["program", "campus"]
    inlines = [CohortInline]
    show_facets = admin.ShowFacets.ALWAYS

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                upcoming_count=Count(
                    "cohorts",
                    filter=Q(cohorts__start_date__gte=today) & ~Q(cohorts__status="closed"),
                )
            )
        )

    @admin.display(description="Tuition")
    def tuition_display(self, offering):
        return f"${offering.tuition:,.0f}"

    @admin.display(description="Upcoming starts", ordering="upcoming_count")
    def upcoming_count(self, offering):
        return offering.upcoming_count


class AvailabilityFilter(admin.SimpleListFilter):
    """Open, few seats, full (waitlist) or closed: ``Cohort.availability`` in SQL."""

    title = "availability"
    parameter_name = "availability"

    def lookups(self, request, model_admin):
        return [
            ("open", "Open"),
            ("few", f"Few seats left ({Cohort.FEW_SEATS} or fewer)"),
            ("full", "Full (waitlist)"),
            ("closed", "Closed"),
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookups(request, None)):
            return queryset.with_availability(self.value())
        return queryset


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = [
        "start_date",
        "graduation_date",
        "program",
        "campus",
        "schedule",
        "seats",
        "seats_taken",
        "seats_left",
        "availability",
        "status",
    ]
    list_editable = ["status"]
    list_filter = [
        AvailabilityFilter,
        "offering__campus",
        "offering__schedule",
        "offering__program__field",
        "offering__program",
    ]
    list_select_related = ["offering__program", "offering__campus"]
    # Also the admin's search-as-you-type for cohorts (enroll forms): "medical dallas evening".
    search_fields = ["offering__program__title", "offering__campus__name", "offering__schedule"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["offering"]
    ordering = ["start_date"]
    show_facets = admin.ShowFacets.ALWAYS
    # Counted from enrollments and accepted applications (accounts.cohorts), never typed.
    readonly_fields = ["seats_taken", "seats_left", "availability"]

    @admin.display(description="Seats left")
    def seats_left(self, cohort):
        return cohort.seats_left

    @admin.display(description="Availability")
    def availability(self, cohort):
        return cohort.availability_label

    @admin.display(description="Program", ordering="offering__program__title")
    def program(self, cohort):
        return cohort.offering.program

    @admin.display(description="Campus", ordering="offering__campus__name")
    def campus(self, cohort):
        return cohort.offering.campus

    @admin.display(description="Schedule", ordering="offering__schedule")
    def schedule(self, cohort):
        return cohort.offering.get_schedule_display()


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "name",
        "email",
        "phone",
        "program",
        "campus",
        "contact_method",
        "preferred_cohort",
        "preferred_schedule",
        "status",
    ]
    list_display_links = ["created_at", "name"]
    list_filter = ["status", "campus", "program", "contact_method", "created_at"]
    list_select_related = ["program", "campus", "preferred_cohort"]
    search_fields = ["name", "email", "phone", "message"]
    raw_id_fields = ["preferred_cohort"]
    ordering = ["-created_at"]
    # Inquiries pile up for years: no date hierarchy (it scans every row for its years),
    # facet counts only on request, and no second COUNT(*) of the whole table. The
    # "created at" filter covers today / past 7 days / this month / this year.
    actions = ["mark_contacted", "export_csv"]
    show_facets = admin.ShowFacets.ALLOW
    show_full_result_count = False
    readonly_fields = ["created_at", "source_page", "consent", "consent_channel", "contacted_at"]
    add_readonly_fields = ["created_at", "source_page", "contacted_at"]
    fieldsets = [
        (None, {"fields": ["status", "staff_notes", "contacted_at"]}),
        (
            "Visitor",
            {"fields": ["name", "email", "phone", "contact_method", "consent", "consent_channel"]},
        ),
        (
            "Interest",
            {"fields": ["program", "campus", "preferred_cohort", "preferred_schedule", "message"]},
        ),
        ("Where it came from", {"fields": ["source_page", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Staff may log a phone call or a walk-in; once saved, consent and origin are facts.
        return self.add_readonly_fields if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change and not obj.source_page:
            obj.source_page = f"Entered by staff ({request.user.email})"
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected inquiries as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        changed = inquiry_mark_contacted(inquiries=queryset)
        skipped = queryset.count() - changed
        message = f"{changed} inquir{'y' if changed == 1 else 'ies'} marked as contacted."
        if skipped:
            message += f" {skipped} already past “new” left unchanged."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Export selected inquiries to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="inquiries-{stamp}.csv"'
        response.write("\ufeff")  # lets Excel recognise UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                "Received",
                "Name",
                "E-mail",
                "Phone",
                "Program",
                "Campus",
                "Preferred contact",
                "Status",
                "Contacted",
                "Message",
                "Source page",
                # Newer columns go last, so that existing spreadsheets keep their columns.
                "Consent given for",
                "Preferred start",
                "Preferred schedule",
            ]
        )
        rows = queryset.select_related("program", "campus", "preferred_cohort")
        for inquiry in rows.order_by("-created_at"):
            writer.writerow(
                [
                    _csv_safe(timezone.localtime(inquiry.created_at).strftime("%Y-%m-%d %H:%M")),
                    _csv_safe(inquiry.name),
                    _csv_safe(inquiry.email),
                    _csv_safe(inquiry.phone),
                    _csv_safe(inquiry.program.title if inquiry.program else ""),
                    _csv_safe(inquiry.campus.name if inquiry.campus else ""),
                    inquiry.get_contact_method_display(),
                    inquiry.get_status_display(),
                    _csv_safe(
                        timezone.localtime(inquiry.contacted_at).strftime("%Y-%m-%d %H:%M")
                        if inquiry.contacted_at
                        else ""
                    ),
                    _csv_safe(inquiry.message),
                    _csv_safe(inquiry.source_page),
                    inquiry.get_consent_channel_display(),
                    (
                        inquiry.preferred_cohort.start_date.isoformat()
                        if inquiry.preferred_cohort
                        else "Not sure yet"
                    ),
                    inquiry.get_preferred_schedule_display() or "No preference",
                ]
            )
        return response


def _csv_safe(value):
    """Visitors type these fields: stop a spreadsheet from running "=HYPERLINK(...)"."""
    value = str(value or "")
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@admin.register(Disclosure)
class DisclosureAdmin(TranslatedAdmin):
    list_display = ["title", "order", "in_footer", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title", "body", "footer_text"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description="In footer", boolean=True)
    def in_footer(self, disclosure):
        return bool(disclosure.footer_text)

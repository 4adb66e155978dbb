"""Certification paths and their steps."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html

from accounts import progress, reports, services
from accounts.admin.common import (
    STAFF_CSS,
    CertificationListFilter,
    cohort_filter,
    evidence_prefetch,
    progress_html,
    step_submission_html,
    student_label,
)
from accounts.admin.enrollments import apply_templates
from accounts.models import (
    CertificationPath,
    Evidence,
    PathStep,
)
from careers.models import PathStepTemplate

# --- Certification paths ---------------------------------------------------------------


class TemplateChangedFilter(admin.SimpleListFilter):
    title = "template"
    parameter_name = "template"

    def lookups(self, request, model_admin):
        return [("changed", "Changed since applied"), ("current", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() == "changed":
            return queryset.filter(template_changed=True)
        if self.value() == "current":
            return queryset.filter(template_changed=False)
        return queryset


class PathStepInline(admin.TabularInline):
    """Steps of a path. Status changes go through the review queue (with an audit
    trail); staff may adjust due dates and notes here, then the path is recomputed."""

    model = PathStep
    fields = [
        "order",
        "title",
        "milestone",
        "status",
        "submission_display",
        "due_date",
        "staff_note",
        "rejection_reason",
    ]
    readonly_fields = [
        "order",
        "title",
        "milestone",
        "status",
        "submission_display",
        "rejection_reason",
    ]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(evidence_prefetch())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "staff_note":
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": 2, "cols": 30, "aria-label": "Staff note"}
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "due_date" and field is not None:
            # A table row's inputs have only the column heading: name them for assistive tech.
            field.widget.attrs["aria-label"] = "Due date"
        return field

    @admin.display(description="Submitted")
    def submission_display(self, obj):
        if obj.status == PathStep.Status.TODO:
            return "—"
        return step_submission_html(obj)


class CertificationPathAddForm(forms.ModelForm):
    class Meta:
        model = CertificationPath
        fields = ["enrollment", "certification"]


@admin.register(CertificationPath)
class CertificationPathAdmin(admin.ModelAdmin):
    list_display = [
        "student_display",
        "certification_display",
        "cohort_display",
        "progress_status_display",
        "next_step_display",
    ]
    list_filter = [
        "status",
        ("certification", CertificationListFilter),
        ("enrollment__cohort__offering__campus", admin.RelatedFieldListFilter),
        ("enrollment__cohort__offering__program", admin.RelatedFieldListFilter),
        cohort_filter("enrollment__cohort"),
        TemplateChangedFilter,
    ]
    list_select_related = [
        "enrollment__student",
        "enrollment__cohort__offering__program",
        "enrollment__cohort__offering__campus",
        "certification__body",
        "next_step",
    ]
    search_fields = [
        "enrollment__student__email",
        "enrollment__student__first_name",
        "enrollment__student__last_name",
    ]
    autocomplete_fields = ["enrollment"]
    fieldsets = [
        (None, {"fields": ["student_display", "enrollment", "certification"]}),
        (
            "Progress (derived from the steps)",
            {
                "fields": [
                    "progress_display",
                    "status",
                    "next_step",
                    "next_due_date",
                    "recomputed_at",
                ]
            },
        ),
        ("Template", {"fields": ["template_applied_at", "template_display"]}),
    ]
    readonly_fields = [
        "student_display",
        "enrollment",
        "certification",
        "progress_display",
        "status",
        "next_step",
        "next_due_date",
        "recomputed_at",
        "template_applied_at",
        "template_display",
    ]
    inlines = [PathStepInline]
    actions = ["apply_template_changes"]

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request):
        newer_template_steps = PathStepTemplate.objects.filter(
            certification=OuterRef("certification"),
            updated_at__gt=OuterRef("template_applied_at"),
        )
        return super().get_queryset(request).annotate(template_changed=Exists(newer_template_steps))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        reports.refresh_stale(changelist.result_list)
        return changelist

    def get_actions(self, request):
        # Paths are student records: never deleted in bulk.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Only a path created by mistake, with nothing done yet, may be deleted.
        if obj is not None and (
            obj.steps.exclude(status=PathStep.Status.TODO).exists()
            or obj.steps.filter(Q(count__gt=0) | Q(date_value__isnull=False)).exists()
            or Evidence.objects.filter(step__path=obj).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The untouched steps go with their path, though steps are never deleted alone.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(PathStep._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["enrollment", "certification"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificationPathAddForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new path gets its steps from the certification's template.
            services.path_apply_template(path=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            # Due dates may have moved: derive progress, status and next step again.
            progress.path_recompute(form.instance)

    @admin.display(description="Student", ordering="enrollment__student__last_name")
    def student_display(self, obj):
        return student_label(obj.enrollment.student)

    @admin.display(description="Cohort", ordering="enrollment__cohort__start_date")
    def cohort_display(self, obj):
        cohort = obj.enrollment.cohort
        return format_html(
            "{}<br><small>{}</small>",
            cohort.offering.campus.name,
            cohort.start_date.strftime("%b %-d, %Y"),
        )

    @admin.display(description="Certification", ordering="certification__acronym")
    def certification_display(self, obj):
        if getattr(obj, "template_changed", False):
            return format_html(
                '{}<br><span class="tc-flag tc-flag-soon">template changed</span>',
                obj.certification.acronym,
            )
        return obj.certification.acronym

    @admin.display(description="Progress", ordering="progress_percent")
    def progress_display(self, obj):
        return progress_html(obj)

    @admin.display(description="Progress and status", ordering="progress_percent")
    def progress_status_display(self, obj):
        return format_html(
            '{}<br><small class="tc-muted">{}</small>', progress_html(obj), obj.get_status_display()
        )

    @admin.display(description="Next step", ordering="next_due_date")
    def next_step_display(self, obj):
        if obj.next_step is None:
            return "—"
        # Worded as the portal words it: a step only staff complete waits on the school.
        title = obj.next_step.title
        if obj.next_step.waits_on_school:
            return f"Waiting for the school: {title}"
        if obj.next_step.due_date:
            return format_html(
                "{}<br><small>due {}</small>",
                title,
                obj.next_step.due_date.strftime("%b %-d, %Y"),
            )
        return title

    @admin.display(description="Template")
    def template_display(self, obj):
        if getattr(obj, "template_changed", False):
            return format_html(
                '<span class="tc-flag tc-flag-soon">Changed since {}</span>',
                obj.template_applied_at.strftime("%b %-d, %Y"),
            )
        return "Up to date"

    @admin.action(
        description="Apply certification template changes to selected paths",
        permissions=["change"],
    )
    def apply_template_changes(self, request, queryset):
        self.message_user(request, apply_templates(queryset), messages.SUCCESS)

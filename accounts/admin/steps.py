"""Every step of every path, and the log of staff decisions on steps."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from accounts import progress, services
from accounts.admin.common import (
    STAFF_CSS,
    CertificationListFilter,
    RecordAdmin,
    admin_link,
    cohort_filter,
    evidence_prefetch,
    step_submission_html,
    student_label,
)
from accounts.admin.review import EvidenceInline, StepReviewInline, step_reason_action
from accounts.models import (
    Notice,
    PathStep,
    StepReview,
)

# --- Verification queue ------------------------------------------------------------


class WaiveReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why the step is waived",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text="For example: “Current BLS card from a previous employer, seen on Mar 2.” "
        "The student sees it as a staff note.",
        error_messages={"required": "Record why the step is waived."},
    )


class ReopenReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why the step is reopened (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        required=False,
        help_text="Kept in the review history.",
    )


@admin.register(PathStep)
class PathStepAdmin(admin.ModelAdmin):
    """Every step of every path: find one, waive it or reopen it (with an audit trail).
    Submitted steps are decided in the verification queue."""

    list_display = [
        "step_display",
        "student_display",
        "status_display",
        "due_date",
        "submitted_at",
    ]
    list_display_links = ["step_display"]
    list_filter = [
        "status",
        "milestone",
        ("path__certification", CertificationListFilter),
        ("path__enrollment__cohort__offering__campus", admin.RelatedFieldListFilter),
        cohort_filter("path__enrollment__cohort"),
    ]
    list_select_related = [
        "path__enrollment__student",
        "path__enrollment__cohort__offering__campus",
        "path__certification",
    ]
    search_fields = [
        "title",
        "path__enrollment__student__email",
        "path__enrollment__student__first_name",
        "path__enrollment__student__last_name",
    ]
    ordering = ["path__enrollment__student__last_name", "path_id", "order", "id"]
    actions = ["waive_selected", "reopen_selected"]
    fields = [
        "student_display",
        "path_link",
        "title",
        "status_display",
        "rejection_reason",
        "submission_display",
        "submitted_at",
        "completed_at",
        "due_date",
        "staff_note",
    ]
    readonly_fields = [
        "student_display",
        "path_link",
        "title",
        "status_display",
        "rejection_reason",
        "submission_display",
        "submitted_at",
        "completed_at",
    ]
    inlines = [EvidenceInline, StepReviewInline]

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(evidence_prefetch())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        progress.step_recompute(obj)

    @admin.display(description="Step", ordering="title")
    def step_display(self, obj):
        return format_html(
            "{}<br><small>{} path</small>", obj.title, obj.path.certification.acronym
        )

    @admin.display(description="Student", ordering="path__enrollment__student__last_name")
    def student_display(self, obj):
        return student_label(obj.path.enrollment.student)

    @admin.display(description="Path")
    def path_link(self, obj):
        return admin_link(obj.path)

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        if obj.status == PathStep.Status.SUBMITTED:
            return format_html(
                '{} · <a href="{}">review it</a>',
                obj.status_label,
                reverse("admin:accounts_stepawaitingreview_change", args=[obj.pk]),
            )
        return obj.status_label

    @admin.display(description="What was submitted")
    def submission_display(self, obj):
        if obj.status == PathStep.Status.TODO:
            return "—"
        return step_submission_html(obj)

    @admin.action(description="Waive selected steps with a reason…", permissions=["change"])
    def waive_selected(self, request, queryset):
        return step_reason_action(
            self,
            request,
            queryset,
            action="waive_selected",
            form_class=WaiveReasonForm,
            title="Waive steps",
            outcome="waived",
            explanation="A waived step no longer counts toward progress; the student sees "
            "your reason as a staff note.",
            apply_label="Waive with this reason",
            service=services.step_waive,
            done="Waived {count} step{s}.",
        )

    @admin.action(description="Reopen selected steps for the student…", permissions=["change"])
    def reopen_selected(self, request, queryset):
        return step_reason_action(
            self,
            request,
            queryset,
            action="reopen_selected",
            form_class=ReopenReasonForm,
            title="Reopen steps",
            outcome="open again",
            explanation="Use this to undo a verification or a waiver made by mistake; the "
            "student can work on the step again.",
            apply_label="Reopen",
            service=services.step_reopen,
            done="Reopened {count} step{s}.",
        )


@admin.register(StepReview)
class StepReviewAdmin(RecordAdmin):
    """The audit trail, read-only: who verified, rejected or waived what, and when."""

    list_display = ["created_at", "reviewer", "action", "step_display", "student_display", "reason"]
    list_filter = ["action", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    list_select_related = [
        "reviewer",
        "step__path__enrollment__student",
        "step__path__certification",
    ]
    search_fields = [
        "step__title",
        "reason",
        "step__path__enrollment__student__email",
        "step__path__enrollment__student__last_name",
    ]
    date_hierarchy = "created_at"

    @admin.display(description="Step", ordering="step__title")
    def step_display(self, obj):
        return f"{obj.step.path.certification.acronym}: {obj.step.title}"

    @admin.display(description="Student")
    def student_display(self, obj):
        return student_label(obj.step.path.enrollment.student)


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    """What each student was told of staff decisions: e-mailed or not, seen or not."""

    list_display = ["created_at", "student_display", "subject", "decided_by", "emailed", "seen"]
    list_filter = ["kind", "emailed", ("seen_at", admin.EmptyFieldListFilter)]
    list_select_related = ["student", "decided_by"]
    search_fields = ["subject", "reason", "student__email", "student__last_name"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="Student", ordering="student__last_name")
    def student_display(self, obj):
        return student_label(obj.student)

    @admin.display(description="Seen by the student", boolean=True, ordering="seen_at")
    def seen(self, obj):
        return obj.seen_at is not None

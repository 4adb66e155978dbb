"""Credentials, CE, invitations and the reminder log."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from accounts import progress, reports, services
from accounts.admin.common import STAFF_CSS, CertificationListFilter, student_label
from accounts.models import (
    CEActivity,
    Credential,
    Invitation,
    Notice,
    ReminderLog,
)

# --- Credentials ----------------------------------------------------------------------


class ExpiryFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expires"

    def lookups(self, request, model_admin):
        return [
            *((str(days), f"Within {days} days") for days in reports.EXPIRY_WINDOWS),
            ("expired", "Expired"),
            ("never", "Does not expire"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(expires_on__lt=today)
        if value == "never":
            return queryset.filter(expires_on__isnull=True)
        if value and value.isdigit() and int(value) in reports.EXPIRY_WINDOWS:
            return queryset.expiring_within(int(value), today=today)
        return queryset


class CEActivityInline(admin.TabularInline):
    model = CEActivity
    fields = ["completed_on", "title", "provider", "category", "credits", "proof_display"]
    readonly_fields = ["proof_display"]
    extra = 0

    @admin.display(description="Proof")
    def proof_display(self, obj):
        # Private storage has no URL: the permission-checked view serves it.
        if not obj.proof:
            return "—"
        return format_html('<a href="{}" download>Open the proof</a>', obj.get_proof_url())


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = [
        "student_display",
        "certification",
        "number",
        "issued_on",
        "expires_on",
        "expiry_display",
    ]
    list_filter = [ExpiryFilter, ("certification", CertificationListFilter)]
    list_select_related = ["student", "certification__body"]
    search_fields = ["student__email", "student__first_name", "student__last_name", "number"]
    autocomplete_fields = ["student"]
    readonly_fields = ["path", "created_at", "expiry_display"]
    fields = [
        "student",
        "certification",
        "number",
        "name_on_credential",
        "issued_on",
        "expires_on",
        "expiry_display",
        "path",
        "created_at",
    ]
    ordering = ["expires_on", "id"]
    inlines = [CEActivityInline]

    class Media:
        css = STAFF_CSS

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if f not in {"expiry_display", "path", "created_at"}]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "expires_on" in form.base_fields:
            form.base_fields[
                "expires_on"
            ].help_text = "Leave empty to compute it from the certification's renewal rule."
        return form

    def save_model(self, request, obj, form, change):
        if obj.expires_on is None and obj.issued_on and obj.certification_id:
            obj.expires_on = progress.credential_expiry(
                certification=obj.certification, issued_on=obj.issued_on
            )
        super().save_model(request, obj, form, change)
        if not change:
            services.notice_create(
                kind=Notice.Kind.CREDENTIAL,
                student=obj.student,
                path=obj.path,
                certification=obj.certification,
                decided_by=request.user,
                request=request,
            )
        if obj.path_id:
            # The path's status (certified, renewal due, expired) follows the expiry date.
            progress.path_recompute(obj.path)

    @admin.display(description="Student", ordering="student__last_name")
    def student_display(self, obj):
        return student_label(obj.student)

    @admin.display(description="Status", ordering="expires_on")
    def expiry_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        label, tone = reports.expiry_label(obj.expires_on)
        return format_html('<span class="tc-flag tc-flag-{}">{}</span>', tone, label)


# --- Invitations ------------------------------------------------------------------------


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: whether a student has used their invitation. Resend from Enrollments."""

    list_display = ["user", "created_at", "expires_at", "state", "created_by"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    fields = ["user", "created_at", "expires_at", "used_at", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="State")
    def state(self, obj):
        if obj.used_at:
            return f"Used {obj.used_at:%b %-d, %Y}"
        if obj.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Read-only: which deadline reminders send_reminders has e-mailed, and when."""

    list_display = ["sent_at", "user", "key", "days_before"]
    list_filter = ["days_before"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "key"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""The admissions pipeline: applications by status, campus, program and start."""

from django.contrib import admin

from accounts.models import Application, ApplicationDocument


class ApplicationDocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    fields = ["kind", "original_name", "status", "rejection_reason", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "cohort", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["first_name", "last_name", "applicant__email"]
    list_select_related = ["applicant", "cohort__offering__program", "cohort__offering__campus"]
    inlines = [ApplicationDocumentInline]

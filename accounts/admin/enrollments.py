"""Enrollments: enrolling students, their paths, the cohort progress report."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import slugify

from accounts import reports, services
from accounts.admin.bulk import bulk_enroll_view
from accounts.admin.common import (
    STAFF_CSS,
    admin_link,
    cohort_choices,
    cohort_filter,
    cohort_html,
    cohort_label,
    progress_html,
    student_label,
)
from accounts.admin.enroll_forms import (
    CohortChoiceField,
    certification_goals_field,
    clean_enrollment_choices,
    cohort_autocomplete,
    enroll_anyway_field,
    narrow_goals_to_cohort,
)
from accounts.models import (
    CertificationPath,
    Enrollment,
    User,
)
from programs.models import Campus, Cohort, Program

# --- Enrollments ---------------------------------------------------------------------


class EnrollmentAddForm(forms.ModelForm):
    """Enroll by e-mail address: the account is found or created by the service."""

    email = forms.EmailField(
        label="E-mail address",
        help_text="An existing account with this address is reused. Otherwise an account "
        "is created and the student gets an e-mail invitation to set a password.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    cohort = CohortChoiceField(
        queryset=Cohort.objects.none(),  # set per form: "upcoming" depends on the day
        widget=cohort_autocomplete(),
        help_text="Type a program, campus or schedule. Upcoming starts come first.",
    )
    certifications = certification_goals_field()
    enroll_anyway = enroll_anyway_field()

    class Meta:
        model = Enrollment
        fields = ["cohort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohort_choices()
        self.seat_warning = ""
        # A sent form keeps every goal choice, so that clean() names what is wrong.
        if not self.is_bound:
            narrow_goals_to_cohort(self.fields["certifications"], self.initial.get("cohort"))

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        email, cohort = cleaned.get("email"), cleaned.get("cohort")
        self.existing_user = User.objects.filter(email__iexact=email).first() if email else None
        if (
            self.existing_user
            and cohort
            and Enrollment.objects.filter(student=self.existing_user, cohort=cohort).exists()
        ):
            self.add_error(
                "cohort",
                f"{email} is already enrolled in this cohort. "
                "A student can be enrolled only once in the same cohort.",
            )
        clean_enrollment_choices(self, cleaned)
        return cleaned


class CertificationPathInline(admin.TabularInline):
    model = CertificationPath
    fields = [
        "certification",
        "progress_display",
        "status",
        "next_step",
        "next_due_date",
        "template_applied_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "certification path"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certification__body", "next_step")

    @admin.display(description="Progress")
    def progress_display(self, obj):
        return progress_html(obj)


class AccountFilter(admin.SimpleListFilter):
    """Students who have not accepted their invitation (no password set yet): staff
    resend it from the list ("Resend the invitation e-mail")."""

    title = "account"
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("invited", "Invitation not accepted"), ("active", "Password set")]

    def queryset(self, request, queryset):
        if self.value() == "invited":
            # Those still to act on, as counted on the staff home: not withdrawn or graduated.
            return queryset.invitation_pending().filter(
                status__in=reports.ACTIVE_ENROLLMENT_STATUSES
            )
        if self.value() == "active":
            return queryset.exclude(pk__in=Enrollment.objects.invitation_pending().values("pk"))
        return queryset


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    add_form = EnrollmentAddForm
    add_fieldsets = [
        ("Student", {"fields": ["email", "first_name", "last_name"]}),
        ("Enrollment", {"fields": ["cohort", "certifications", "enroll_anyway"]}),
    ]
    fieldsets = [
        (None, {"fields": ["student_link", "cohort_display", "status", "enrolled_on"]}),
        ("Record", {"fields": ["created_by", "created_at"]}),
    ]
    readonly_fields = ["student_link", "cohort_display", "created_by", "created_at"]
    inlines = [CertificationPathInline]
    list_display = ["student_display", "cohort_summary", "status", "paths_display"]
    list_filter = [
        ("cohort__offering__campus", admin.RelatedFieldListFilter),
        ("cohort__offering__program", admin.RelatedFieldListFilter),
        cohort_filter("cohort"),
        "status",
        AccountFilter,
    ]
    list_select_related = [
        "student",
        "cohort__offering__program",
        "cohort__offering__campus",
    ]
    # Program and campus too: older cohorts, gone from the cohort filter, are found here.
    search_fields = [
        "student__email",
        "student__first_name",
        "student__last_name",
        "cohort__offering__program__title",
        "cohort__offering__campus__name",
    ]
    # Custom form fields with search-as-you-type (see accounts/admin/autocomplete.py).
    autocomplete_form_fields = ["cohort"]
    ordering = ["-enrolled_on", "-id"]
    show_full_result_count = False  # one COUNT(*) per page, not two
    actions = ["resend_invitation", "apply_template_changes"]

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request):
        # Ordered within the enrollment only: the model's ordering ("enrollment" first)
        # would join and sort every enrollment just to prefetch one page's paths.
        paths = CertificationPath.objects.select_related("certification", "next_step").order_by(
            "certification__order", "id"
        )
        return super().get_queryset(request).prefetch_related(Prefetch("paths", queryset=paths))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        reports.refresh_stale([p for e in changelist.result_list for p in e.paths.all()])
        return changelist

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Enroll a student"}
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            # The form checks for a duplicate first; this is the rare concurrent one.
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    # Enrollment happens in the service: it creates or reuses the account, creates a
    # path per certification and sends the invitation, all or nothing.
    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        enrollment = services.enrollment_create(
            email=data["email"],
            cohort=data["cohort"],
            certifications=data["certifications"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            created_by=request.user,
            request=request,
        )
        enrollment.account_existed = form.existing_user is not None
        return enrollment

    def save_model(self, request, obj, form, change):
        if not change:
            return
        status = obj.status
        if "status" in form.changed_data:
            # The status change goes through the service, which tells the student.
            obj.status = form.initial.get("status", obj.status)
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            services.enrollment_set_status(
                enrollment=obj, status=status, changed_by=request.user, request=request
            )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        student = obj.student
        if getattr(obj, "account_existed", False):
            note = "Their existing account was used."
        else:
            note = f"A new account was created and an invitation e-mailed to {student.email}."
        messages.success(request, f"Enrolled {student.email} in {cohort_label(obj.cohort)}. {note}")
        return HttpResponseRedirect(reverse("admin:accounts_enrollment_change", args=[obj.pk]))

    @admin.display(description="Student", ordering="student__last_name")
    def student_display(self, obj):
        return student_label(obj.student)

    @admin.display(description="Student")
    def student_link(self, obj):
        return admin_link(obj.student, f"{obj.student} <{obj.student.email}>")

    @admin.display(description="Cohort")
    def cohort_display(self, obj):
        return cohort_label(obj.cohort)

    @admin.display(description="Cohort", ordering="cohort__start_date")
    def cohort_summary(self, obj):
        return cohort_html(obj.cohort)

    @admin.display(description="Certification paths")
    def paths_display(self, obj):
        paths = list(obj.paths.all())
        if not paths:
            return "No certification path"
        return format_html_join(
            "",
            '<div class="tc-path">{}<br>{}<br><small class="tc-muted">{}</small></div>',
            (
                (
                    admin_link(p, p.certification.acronym),
                    progress_html(p),
                    p.get_status_display(),
                )
                for p in paths
            ),
        )

    @admin.action(description="Resend the invitation e-mail", permissions=["change"])
    def resend_invitation(self, request, queryset):
        sent, skipped = [], []
        for enrollment in queryset.select_related("student"):
            student = enrollment.student
            if student in sent or student in skipped:
                continue
            if student.has_usable_password():
                skipped.append(student)
                continue
            services.invitation_send(user=student, created_by=request.user, request=request)
            sent.append(student)
        if sent:
            self.message_user(
                request,
                f"Invitation sent again to {', '.join(s.email for s in sent)}. "
                "Earlier links no longer work.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"Not sent to {', '.join(s.email for s in skipped)}: they have already set a "
                "password (they can use “Forgot password?” on the login page).",
                messages.WARNING,
            )

    @admin.action(
        description="Apply certification template changes to their paths", permissions=["change"]
    )
    def apply_template_changes(self, request, queryset):
        paths = CertificationPath.objects.filter(enrollment__in=queryset)
        self.message_user(request, apply_templates(paths), messages.SUCCESS)

    # --- Cohort progress report (a custom admin URL) --------------------------------

    def get_urls(self):
        return [
            path(
                "bulk/",
                self.admin_site.admin_view(self.bulk_view),
                name="accounts_enrollment_bulk",
            ),
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="accounts_enrollment_report",
            ),
            *super().get_urls(),
        ]

    def bulk_view(self, request):
        return bulk_enroll_view(self, request)

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = CohortReportForm(request.GET or None)
        filters = form.filters() if form.is_bound and form.is_valid() else {}
        paths = reports.cohort_progress(today=today, **filters)

        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{report_filename(filters, today)}"'
            )
            response["Cache-Control"] = "private, no-store"
            paths = list(paths)
            reports.refresh_stale(paths, today)
            reports.write_cohort_csv(response, reports.report_rows(paths, today))
            return response

        page = Paginator(paths, 100).get_page(request.GET.get("page"))
        reports.refresh_stale(page.object_list, today)
        summary = paths.aggregate(
            students=Count("enrollment__student", distinct=True),
            behind=Count("id", filter=Q(earliest_overdue__isnull=False)),
        )
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        context = {
            **self.admin_site.each_context(request),
            "title": "Cohort progress: " + (", ".join(report_scope(filters)) or "all cohorts"),
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "rows": reports.report_rows(page.object_list, today),
            "page_obj": page,
            "summary": {**summary, "paths": page.paginator.count},
            "csv_url": f"?{query.urlencode()}",
            "today": today,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/accounts/enrollment/cohort_report.html", context)


def report_scope(filters):
    """What a filtered report contains, in words: its heading and its file name say it."""
    parts = []
    if filters.get("cohort"):
        parts.append(cohort_label(filters["cohort"]))
    else:
        if filters.get("campus"):
            parts.append(filters["campus"].name)
        if filters.get("program"):
            parts.append(filters["program"].title)
    statuses = filters.get("enrollment_statuses")
    if statuses and len(statuses) == 1:
        parts.append(Enrollment.Status(statuses[0]).label.lower())
    elif statuses:
        parts.append("all statuses")
    if filters.get("behind_only"):
        parts.append("behind")
    return parts


def report_filename(filters, today):
    parts = report_scope(filters)
    scope = slugify(" ".join(parts))[:80] if parts else "all-cohorts"
    return f"cohort-progress-{scope}-{today:%Y-%m-%d}.csv"


class CohortReportForm(forms.Form):
    ACTIVE = "active"
    ALL = "all"

    cohort = CohortChoiceField(
        queryset=Cohort.objects.none(),  # set per form: "upcoming" depends on the day
        required=False,
        empty_label="All cohorts",
    )
    campus = forms.ModelChoiceField(
        queryset=Campus.objects.all(), required=False, empty_label="All campuses"
    )
    program = forms.ModelChoiceField(
        queryset=Program.objects.all(), required=False, empty_label="All programs"
    )
    status = forms.ChoiceField(
        label="Enrollment status",
        choices=[(ACTIVE, "Enrolled or on leave"), (ALL, "All"), *Enrollment.Status.choices],
        required=False,
    )
    behind = forms.BooleanField(label="Only students behind", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohort_choices()

    def filters(self):
        data = self.cleaned_data
        status = data.get("status") or self.ACTIVE
        if status == self.ACTIVE:
            statuses = None
        elif status == self.ALL:
            statuses = list(Enrollment.Status.values)
        else:
            statuses = [status]
        return {
            "cohort": data.get("cohort"),
            "campus": data.get("campus"),
            "program": data.get("program"),
            "enrollment_statuses": statuses,
            "behind_only": data.get("behind", False),
        }


def apply_templates(paths):
    """Re-apply each path's certification template (the service keeps student work);
    returns a summary for staff."""
    count = 0
    totals = {"added": 0, "updated": 0, "removed": 0, "kept": 0}
    for path_obj in paths.select_related("certification"):
        summary = services.path_apply_template(path=path_obj) or {}
        for key in totals:
            totals[key] += summary.get(key, 0)
        count += 1

    def steps(n):
        return f"{n} step{'s' if n != 1 else ''}"

    message = (
        f"Template changes applied to {count} certification path{'s' if count != 1 else ''}: "
        f"{steps(totals['added'])} added, {steps(totals['updated'])} updated, "
        f"{steps(totals['removed'])} removed."
    )
    if totals["kept"]:
        message += (
            f" {steps(totals['kept'])} no longer in the template but with student work "
            "were kept (waive them if they no longer apply)."
        )
    return message

"""Staff work in the admin: enrol students, verify what they submit, follow progress.

Writes that span several models or notify a student go through accounts.services
(enrolment, invitations, verification, templates); progress figures are the stored
ones derived by accounts.progress, so the admin shows exactly what the student sees.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.timesince import timesince

from accounts import progress, reports, services
from accounts.models import (
    CEActivity,
    CertificationPath,
    Credential,
    Enrollment,
    Evidence,
    Invitation,
    PathStep,
    ReminderLog,
    StepAwaitingReview,
    StepReview,
    StudentProfile,
    User,
)
from careers.models import Certification, PathStepTemplate
from programs.models import Campus, Cohort, Program
from trainingcenter import pagecache

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


def cohort_label(cohort):
    offering = cohort.offering
    return (
        f"{offering.program.title} · {offering.campus.name} · "
        f"{offering.get_schedule_display().lower()} · starts {cohort.start_date:%b %-d, %Y}"
    )


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
    """The stored progress figure as a native progress bar plus text (never colour only)."""
    return format_html(
        '<span class="tc-progress"><progress max="100" value="{}" aria-hidden="true">'
        "</progress> <strong>{}%</strong></span>",
        path.progress_percent,
        path.progress_percent,
    )


def step_submission_html(step):
    """What the student handed in: a count, a date and/or evidence files."""
    parts = []
    if step.kind == PathStepTemplate.Kind.COUNT:
        target = f" / {step.target}" if step.target else ""
        parts.append(format_html("{}{} {}", step.count, target, step.unit))
    if step.date_value:
        parts.append(format_html("Date: {}", step.date_value.strftime("%b %-d, %Y")))
    files = list(step.evidence.all())
    if files:
        parts.append(
            format_html_join(
                "<br>",
                '<a href="{}" download>{}</a> <small>({})</small>',
                (
                    (
                        reverse("portal:evidence_download", kwargs={"pk": e.pk}),
                        e.original_name,
                        filesizeformat(e.size),
                    )
                    for e in files
                ),
            )
        )
    if not parts:
        return "Marked as done"
    return format_html_join("<br>", "{}", ((p,) for p in parts))


def evidence_prefetch():
    """A step's files, newest first, without joining up to the enrolment for the
    model's ordering ("step" first)."""
    return Prefetch("evidence", queryset=Evidence.objects.order_by("-uploaded_at", "-id"))


def cohort_choices():
    """Every cohort for a choice list, newest first, with only what cohort_label shows
    (hundreds of cohorts: no image metadata or descriptions loaded)."""
    return (
        Cohort.objects.select_related("offering__program", "offering__campus")
        .only(
            "start_date",
            "offering__schedule",
            "offering__program__title",
            "offering__campus__name",
        )
        .order_by("-start_date", "offering__program__title")
    )


class CertificationListFilter(admin.RelatedFieldListFilter):
    """Certifications labelled "CMA (AAMA)" in one query: the body comes with them."""

    def field_choices(self, field, request, model_admin):
        certifications = Certification.objects.select_related("body").order_by("order", "acronym")
        return [(c.pk, str(c)) for c in certifications]


class CohortFilter(admin.SimpleListFilter):
    """Cohorts by program, campus and start date, in one query (no per-cohort lookups)."""

    title = "cohort"
    parameter_name = "cohort"
    field_path = "cohort"

    def lookups(self, request, model_admin):
        # Hundreds of labels, the same on every changelist page until a cohort, offering,
        # program or campus changes, which bumps the content version (pagecache).
        key = f"admin:cohort-filter:{pagecache.content_version()}"
        choices = cache.get(key)
        if choices is None:
            choices = [(str(c.pk), cohort_label(c)) for c in cohort_choices()]
            cache.set(key, choices, 3600)
        return choices

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field_path}_id": self.value()})
        return queryset


def cohort_filter(field_path):
    return type("CohortFilter", (CohortFilter,), {"field_path": field_path})


# --- Users ------------------------------------------------------------------------


class StudentProfileInline(admin.StackedInline):
    model = StudentProfile
    can_delete = False
    fields = ["phone", "preferred_campus"]
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [StudentProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


# --- Enrolments ---------------------------------------------------------------------


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return cohort_label(obj)


class CertificationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.acronym} ({obj.body.acronym}): {obj.name}"


class EnrollmentAddForm(forms.ModelForm):
    """Enrol by e-mail address: the account is found or created by the service."""

    email = forms.EmailField(
        label="E-mail address",
        help_text="An existing account with this address is reused. Otherwise an account "
        "is created and the student gets an e-mail invitation to set a password.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    cohort = CohortChoiceField(
        queryset=cohort_choices(),
    )
    certifications = CertificationChoiceField(
        label="Target certifications",
        queryset=Certification.objects.select_related("body").order_by("order", "acronym"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),
        help_text="A certification path is created for each. Leave all unticked to use the "
        "certifications the cohort's program prepares for.",
    )

    class Meta:
        model = Enrollment
        fields = ["cohort"]

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
        if cohort and not cleaned.get("certifications"):
            defaults = list(cohort.offering.program.certifications.all())
            if not defaults:
                self.add_error(
                    "certifications",
                    "This cohort's program prepares for no certification: tick at least one.",
                )
            cleaned["certifications"] = defaults
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


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    add_form = EnrollmentAddForm
    add_fieldsets = [
        ("Student", {"fields": ["email", "first_name", "last_name"]}),
        ("Enrolment", {"fields": ["cohort", "certifications"]}),
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
    ]
    list_select_related = [
        "student",
        "cohort__offering__program",
        "cohort__offering__campus",
    ]
    search_fields = ["student__email", "student__first_name", "student__last_name"]
    ordering = ["-enrolled_on", "-id"]
    show_full_result_count = False  # one COUNT(*) per page, not two
    actions = ["resend_invitation", "apply_template_changes"]

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request):
        # Ordered within the enrolment only: the model's ordering ("enrollment" first)
        # would join and sort every enrolment just to prefetch one page's paths.
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
        extra_context = {**(extra_context or {}), "title": "Enrol a student"}
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

    # Enrolment happens in the service: it creates or reuses the account, creates a
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
        if change:
            super().save_model(request, obj, form, change)

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
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="accounts_enrollment_report",
            ),
            *super().get_urls(),
        ]

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
            "title": "Cohort progress report",
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


def report_filename(filters, today):
    cohort = filters.get("cohort")
    scope = slugify(cohort_label(cohort))[:80] if cohort else "all-cohorts"
    return f"cohort-progress-{scope}-{today:%Y-%m-%d}.csv"


class CohortReportForm(forms.Form):
    ACTIVE = "active"
    ALL = "all"

    cohort = CohortChoiceField(
        queryset=cohort_choices(),
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
        label="Enrolment status",
        choices=[(ACTIVE, "Enrolled or on leave"), (ALL, "All"), *Enrollment.Status.choices],
        required=False,
    )
    behind = forms.BooleanField(label="Only students behind", required=False)

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
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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


# --- Verification queue ------------------------------------------------------------


class EvidenceInline(admin.TabularInline):
    """The files behind a submission, opened through the permission-checked view."""

    model = Evidence
    fields = ["file_link", "content_type", "size_display", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "evidence file"
    verbose_name_plural = "evidence"
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description="File")
    def file_link(self, obj):
        return format_html(
            '<a href="{}" download>{}</a>',
            reverse("portal:evidence_download", kwargs={"pk": obj.pk}),
            obj.original_name,
        )

    @admin.display(description="Size")
    def size_display(self, obj):
        return filesizeformat(obj.size)


class StepReviewInline(admin.TabularInline):
    """Audit trail of the step: who verified, rejected or waived it, when and why."""

    model = StepReview
    fields = ["created_at", "reviewer", "action", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "review"
    verbose_name_plural = "review history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class StepDecisionForm(forms.ModelForm):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[
            (APPROVE, "Approve: the step is verified"),
            (REJECT, "Reject: the student must correct and resubmit it"),
        ],
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
    )
    message = forms.CharField(
        label="Message to the student",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Required when you reject: say what to correct. Optional when you approve. "
        "The student sees it on their path page.",
    )
    # Only for the "credential recorded" step: verifying it records the credential.
    credential_number = forms.CharField(
        label="Credential number",
        max_length=60,
        required=False,
        help_text="As printed on the certificate or the certifying body's verification page.",
    )
    issued_on = forms.DateField(
        label="Issue date",
        required=False,
        widget=widgets.AdminDateWidget,
        help_text="The expiry date follows from the certification's renewal rule. "
        "Leave empty to use the date the student entered, or today.",
    )

    class Meta:
        model = StepAwaitingReview
        fields = []

    def clean_issued_on(self):
        issued_on = self.cleaned_data.get("issued_on")
        if issued_on and issued_on > timezone.localdate():
            raise forms.ValidationError("The issue date cannot be in the future.")
        return issued_on

    def clean(self):
        cleaned = super().clean()
        cleaned["message"] = (cleaned.get("message") or "").strip()
        if cleaned.get("decision") == self.REJECT and not cleaned["message"]:
            self.add_error(
                "message",
                "Give the student a reason for the rejection: it is shown with the step.",
            )
        return cleaned


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason shown to the student",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text="Say what to correct and resubmit. Every selected step gets this reason.",
        error_messages={"required": "Give the student a reason for the rejection."},
    )


@admin.register(StepAwaitingReview)
class StepAwaitingReviewAdmin(admin.ModelAdmin):
    """The verification queue: submitted steps, oldest first."""

    form = StepDecisionForm
    list_display = ["submitted_display", "step_display", "student_display", "submission_display"]
    list_display_links = ["step_display"]
    list_filter = [
        ("path__certification", CertificationListFilter),
        ("path__enrollment__cohort__offering__campus", admin.RelatedFieldListFilter),
        cohort_filter("path__enrollment__cohort"),
    ]
    list_select_related = [
        "path__enrollment__student",
        "path__enrollment__cohort__offering__program",
        "path__enrollment__cohort__offering__campus",
        "path__certification",
    ]
    search_fields = [
        "title",
        "path__enrollment__student__email",
        "path__enrollment__student__first_name",
        "path__enrollment__student__last_name",
    ]
    ordering = ["submitted_at", "id"]
    show_full_result_count = False  # one COUNT(*) per page, not two
    actions = ["approve_selected", "reject_selected"]
    fieldsets = [
        (
            "Submission",
            {
                "fields": [
                    "student_display",
                    "path_link",
                    "title",
                    "instructions",
                    "submission_display",
                    "submitted_display",
                    "due_date",
                    "staff_note",
                ]
            },
        ),
        ("Decision", {"fields": ["decision", "message"]}),
    ]
    readonly_fields = [
        "student_display",
        "path_link",
        "title",
        "instructions",
        "submission_display",
        "submitted_display",
        "due_date",
        "staff_note",
    ]
    inlines = [EvidenceInline, StepReviewInline]

    class Media:
        css = STAFF_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review().prefetch_related(evidence_prefetch())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Only someone allowed into the queue learns what became of a step (its title and
        # status); anyone else gets the admin's usual refusal from super().
        if (
            self.has_view_or_change_permission(request)
            and object_id.isdigit()
            and not self.get_queryset(request).filter(pk=object_id).exists()
            and PathStep.objects.filter(pk=object_id).exists()
        ):
            step = PathStep.objects.select_related("path").get(pk=object_id)
            self.message_user(
                request,
                f"“{step.title}” is no longer waiting for review "
                f"(it is {step.get_status_display().lower()}).",
                messages.INFO,
            )
            return HttpResponseRedirect(reverse("admin:accounts_stepawaitingreview_changelist"))
        extra_context = {
            **(extra_context or {}),
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "title": "Review a submitted step",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.milestone == PathStepTemplate.Milestone.CREDENTIAL:
            return [
                *fieldsets[:-1],
                (
                    "Decision",
                    {
                        "fields": ["decision", "message", "credential_number", "issued_on"],
                        "description": "Approving this step records the student's credential.",
                    },
                ),
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        decision, message = data["decision"], data["message"]
        step = obj
        if decision == StepDecisionForm.APPROVE:
            services.step_verify(
                step=step,
                reviewer=request.user,
                note=message,
                credential_number=data.get("credential_number", ""),
                issued_on=data.get("issued_on"),
            )
            self.message_user(
                request, f"Verified “{step.title}” for {step.path.enrollment.student}."
            )
        else:
            services.step_reject(step=step, reviewer=request.user, reason=message)
            self.message_user(
                request,
                f"Rejected “{step.title}” for {step.path.enrollment.student}; "
                "the student sees your reason.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        pass  # evidence and reviews are read-only here

    def construct_change_message(self, request, form, formsets, add=False):
        if form.cleaned_data.get("decision") == StepDecisionForm.APPROVE:
            return "Approved (verified)."
        return f"Rejected: {form.cleaned_data.get('message', '')}"

    def response_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:accounts_stepawaitingreview_changelist"))

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted_display(self, obj):
        if not obj.submitted_at:
            return "—"
        local = timezone.localtime(obj.submitted_at)
        waiting = timezone.now() - obj.submitted_at
        age = "today" if waiting < timedelta(days=1) else f"{timesince(obj.submitted_at)} ago"
        css = "tc-flag tc-flag-urgent" if waiting >= timedelta(days=3) else "tc-muted"
        return format_html(
            '{}<br><span class="{}">{}</span>', local.strftime("%b %-d, %Y %H:%M"), css, age
        )

    @admin.display(description="Step", ordering="title")
    def step_display(self, obj):
        return format_html(
            "{}<br><small>{} path</small>", obj.title, obj.path.certification.acronym
        )

    @admin.display(description="Student", ordering="path__enrollment__student__last_name")
    def student_display(self, obj):
        cohort = obj.path.enrollment.cohort
        return format_html(
            "{}<br><small>{} · {}</small>",
            student_label(obj.path.enrollment.student),
            cohort.offering.campus.name,
            cohort.offering.program.title,
        )

    @admin.display(description="Path")
    def path_link(self, obj):
        return admin_link(obj.path)

    @admin.display(description="What the student had to do")
    def instructions(self, obj):
        return obj.help_text or "—"

    @admin.display(description="What was submitted")
    def submission_display(self, obj):
        return step_submission_html(obj)

    @admin.action(description="Approve selected steps", permissions=["change"])
    def approve_selected(self, request, queryset):
        count, skipped = 0, []
        for step in queryset.select_related("path__enrollment__student"):
            if step.milestone == PathStepTemplate.Milestone.CREDENTIAL:
                skipped.append(step)
                continue
            services.step_verify(step=step, reviewer=request.user)
            count += 1
        if count:
            self.message_user(
                request, f"Verified {count} step{'s' if count != 1 else ''}.", messages.SUCCESS
            )
        if skipped:
            self.message_user(
                request,
                "Not verified: "
                + ", ".join(f"“{s.title}” of {s.path.enrollment.student}" for s in skipped)
                + ". Open each one to enter the credential number and issue date.",
                messages.WARNING,
            )

    @admin.action(description="Reject selected steps with a reason…", permissions=["change"])
    def reject_selected(self, request, queryset):
        return step_reason_action(
            self,
            request,
            queryset,
            action="reject_selected",
            form_class=RejectReasonForm,
            title="Reject steps with a reason",
            outcome="rejected",
            explanation="The students see your reason on their path page and can correct "
            "and resubmit.",
            apply_label="Reject with this reason",
            service=services.step_reject,
            done="Rejected {count} step{s}; the students see your reason.",
        )


def step_reason_action(
    modeladmin,
    request,
    queryset,
    *,
    action,
    form_class,
    title,
    outcome,
    explanation,
    apply_label,
    service,
    done,
):
    """An admin action that asks for one reason on an intermediate page, then calls
    `service(step=..., reviewer=..., reason=...)` for every selected step."""
    queryset = queryset.select_related("path__certification", "path__enrollment__student")
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        count = 0
        for step in queryset:
            service(step=step, reviewer=request.user, reason=form.cleaned_data["reason"])
            count += 1
        modeladmin.message_user(
            request, done.format(count=count, s="s" if count != 1 else ""), messages.WARNING
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "steps": queryset,
        "form": form,
        "action": action,
        "outcome": outcome,
        "explanation": explanation,
        "apply_label": apply_label,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/accounts/step_reason_action.html", context)


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
        progress.path_recompute(obj.path)

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
class StepReviewAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Step", ordering="step__title")
    def step_display(self, obj):
        return f"{obj.step.path.certification.acronym}: {obj.step.title}"

    @admin.display(description="Student")
    def student_display(self, obj):
        return student_label(obj.step.path.enrollment.student)


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
    """Read-only: whether a student has used their invitation. Resend from Enrolments."""

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

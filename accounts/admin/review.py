"""The verification queue: staff review what students submit."""

from copy import copy
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect, QueryDict
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from accounts import services
from accounts.admin.common import (
    STAFF_CSS,
    CertificationListFilter,
    admin_link,
    cohort_filter,
    evidence_prefetch,
    rejections_prefetch,
    step_submission_html,
    step_submissions,
    step_values_html,
    student_label,
)
from accounts.models import (
    Evidence,
    PathStep,
    StepAwaitingReview,
    StepReview,
)
from accounts.uploads import PDF_MIME
from careers.models import PathStepTemplate

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


# Reasons staff give again and again, one click away on the review page (the student
# reads them as written: say what to do, not only what is wrong).
REJECTION_PRESETS = {
    "unreadable": "The file is unreadable or blurry: upload a clear scan or photo.",
    "name": "The name on the document does not match your enrollment.",
    "expired": "The document has expired: upload a current one.",
    "incomplete": "Part of the document is missing: upload every page (or both sides).",
    "wrong": "This is the wrong document for this step: check the step's instructions.",
}


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
    reason_preset = forms.ChoiceField(
        label="Common reasons to reject",
        required=False,
        choices=[("", "None: I type the message"), *REJECTION_PRESETS.items()],
        widget=forms.RadioSelect(attrs={"class": "tc-presets"}),
        help_text="Choosing one fills in the message, which you can still edit. "
        "If the message is left empty, the chosen reason is sent as it is.",
    )
    message = forms.CharField(
        label="Message to the student",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
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
            preset = cleaned.get("reason_preset")
            if preset:
                cleaned["message"] = REJECTION_PRESETS[preset]
            else:
                self.add_error(
                    "message",
                    "Give the student a reason for the rejection: choose a common reason "
                    "or type one. It is shown with the step.",
                )
        elif cleaned.get("decision") == self.APPROVE and cleaned.get("reason_preset"):
            # The preset filled the message in: approving would send a rejection reason.
            self.add_error(
                "reason_preset",
                "You chose a reason to reject but marked the step approved: choose "
                "“Reject”, or set the reason to “None” and check the message.",
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
                    "values_display",
                    "submitted_display",
                    "due_date",
                    "staff_note",
                ]
            },
        ),
        ("Decision", {"fields": ["decision", "reason_preset", "message"]}),
    ]
    readonly_fields = [
        "student_display",
        "path_link",
        "title",
        "instructions",
        "values_display",
        "submitted_display",
        "due_date",
        "staff_note",
    ]

    class Media:
        css = STAFF_CSS
        js = ["accounts/review-presets.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .awaiting_review()
            .prefetch_related(evidence_prefetch(), rejections_prefetch())
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/next/",
                self.admin_site.admin_view(self.next_view),
                name="{}_{}_next".format(*info),
            ),
            *super().get_urls(),
        ]

    def next_view(self, request, object_id):
        """ "Skip to next": the waiting step after this one, in the queue's order."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        current = PathStep.objects.filter(pk=object_id if object_id.isdigit() else None).first()
        return self.redirect_to_next(request, after=current)

    def next_waiting(self, request, *, after):
        """The oldest waiting step after ``after`` (wrapping around to the oldest), among
        the steps the queue shows with the filters and search it was opened with."""
        filters = QueryDict(request.GET.get("_changelist_filters", ""))
        queue_request = copy(request)
        queue_request.GET = filters
        try:
            queryset = QueueFilters(**self.changelist_arguments(queue_request)).get_queryset(
                queue_request
            )
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        queryset = queryset.prefetch_related(None).order_by("submitted_at", "id")
        if after is None:
            return queryset.first()
        queryset = queryset.exclude(pk=after.pk)
        later = Q(submitted_at__gt=after.submitted_at) | Q(
            submitted_at=after.submitted_at, pk__gt=after.pk
        )
        if after.submitted_at is None:
            return queryset.first()
        return queryset.filter(later).first() or queryset.first()

    def changelist_arguments(self, request):
        list_display = self.get_list_display(request)
        return {
            "request": request,
            "model": self.model,
            "list_display": list_display,
            "list_display_links": self.get_list_display_links(request, list_display),
            "list_filter": self.get_list_filter(request),
            "date_hierarchy": self.date_hierarchy,
            "search_fields": self.get_search_fields(request),
            "list_select_related": self.get_list_select_related(request),
            "list_per_page": self.list_per_page,
            "list_max_show_all": self.list_max_show_all,
            "list_editable": self.list_editable,
            "model_admin": self,
            "sortable_by": self.get_sortable_by(request),
            "search_help_text": self.search_help_text,
        }

    def redirect_to_next(self, request, *, after):
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        following = self.next_waiting(request, after=after)
        if following is None:
            self.message_user(request, "Nothing else is waiting for review.", messages.INFO)
            url = reverse("admin:accounts_stepawaitingreview_changelist")
        else:
            url = reverse("admin:accounts_stepawaitingreview_change", args=[following.pk])
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

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
        try:
            if decision == StepDecisionForm.APPROVE:
                services.step_verify(
                    step=step,
                    reviewer=request.user,
                    note=message,
                    credential_number=data.get("credential_number", ""),
                    issued_on=data.get("issued_on"),
                )
                self.message_user(
                    request,
                    f"Verified “{step.title}” for {step.path.enrollment.student}; "
                    "the student is told by e-mail and on their dashboard.",
                )
            else:
                services.step_reject(step=step, reviewer=request.user, reason=message)
                self.message_user(
                    request,
                    f"Rejected “{step.title}” for {step.path.enrollment.student}; "
                    "the student is told why by e-mail and on their dashboard.",
                    messages.WARNING,
                )
        except ValidationError as error:  # someone else decided first
            obj.decision_refused = True
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def log_change(self, request, obj, message):
        if getattr(obj, "decision_refused", False):
            return None
        return super().log_change(request, obj, message)

    def save_related(self, request, form, formsets, change):
        pass  # evidence and reviews are read-only here

    def construct_change_message(self, request, form, formsets, add=False):
        if form.cleaned_data.get("decision") == StepDecisionForm.APPROVE:
            return "Approved (verified)."
        return f"Rejected: {form.cleaned_data.get('message', '')}"

    def response_change(self, request, obj):
        """Straight on to the next waiting step (the decision's message goes with it)."""
        return self.redirect_to_next(request, after=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            current, earlier = step_submissions(obj)
            sent_back = {submission.review.pk: submission.files for submission in earlier}
            history = obj.reviews.select_related("reviewer").order_by("-created_at", "-id")
            context.update(
                {
                    "current_files": [reviewed_file(e) for e in current],
                    "history": [
                        {
                            "review": review,
                            "files": [reviewed_file(e) for e in sent_back.get(review.pk, [])],
                        }
                        for review in history
                    ],
                    "next_url": add_preserved_filters(
                        {
                            "preserved_filters": self.get_preserved_filters(request),
                            "opts": self.opts,
                        },
                        reverse("admin:accounts_stepawaitingreview_next", args=[obj.pk]),
                    ),
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

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

    @admin.display(description="What was submitted")
    def values_display(self, obj):
        values = step_values_html(obj)
        if values:
            return values
        if obj.kind == PathStepTemplate.Kind.EVIDENCE or obj.evidence.all():
            return "The files below"
        return "Marked as done"

    @admin.action(description="Approve selected steps", permissions=["change"])
    def approve_selected(self, request, queryset):
        count, skipped = 0, []
        for step in queryset.select_related("path__enrollment__student"):
            if step.milestone == PathStepTemplate.Milestone.CREDENTIAL:
                skipped.append(step)
                continue
            try:
                services.step_verify(step=step, reviewer=request.user)
            except ValidationError as error:  # decided by someone else meanwhile
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
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


class QueueFilters(ChangeList):
    """The queue's filters and search on a queryset, without fetching a page of it."""

    def get_results(self, request):
        pass


def reviewed_file(evidence):
    """One file on the review page: how to show it and where to open or download it."""
    kind = "image" if evidence.is_image else "pdf" if evidence.content_type == PDF_MIME else ""
    return {
        "evidence": evidence,
        "kind": kind,
        "inline_url": reverse("portal:evidence_inline", kwargs={"pk": evidence.pk}) if kind else "",
        "thumbnail_url": reverse("portal:evidence_thumbnail", kwargs={"pk": evidence.pk})
        if kind == "image"
        else "",
        "download_url": reverse("portal:evidence_download", kwargs={"pk": evidence.pk}),
    }


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
            try:
                service(step=step, reviewer=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:  # decided by someone else meanwhile
                modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
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

"""The admissions pipeline: applications by status, campus, program and start.

Every button on an application's page posts to ``action_view``, which calls the one
service in ``accounts.services.applications`` that owns the change and shows its message.
"""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts import pipeline, uploads
from accounts.admin.common import STAFF_CSS, cohort_filter, short_date
from accounts.admin.funnel import funnel_view
from accounts.cohorts import cohort_choice_label
from accounts.models import Application, ApplicationDocument, ApplicationEvent
from accounts.services import applications as services
from accounts.views import private_file_response
from programs.models import Campus

Status = Application.Status

# Work first: what waits for staff, then what waits for the applicant, then the rest.
WORK_ORDER = [
    Status.SUBMITTED,
    Status.INTERVIEW_SCHEDULED,
    Status.DOCUMENTS_NEEDED,
    Status.ACCEPTED,
    Status.WAITLISTED,
    Status.DRAFT,
    Status.ENROLLED,
    Status.DECLINED,
    Status.WITHDRAWN,
]

# What staff do next, per status (the applicant's side has its own words in status_text).
NEXT_FOR_STAFF = {
    Status.DRAFT: "Applicant is filling it in",
    Status.SUBMITTED: "Check the documents, schedule the interview",
    Status.DOCUMENTS_NEEDED: "Waiting for a corrected document",
    Status.INTERVIEW_SCHEDULED: "Hold the interview, then decide",
    Status.ACCEPTED: "Mark enrolled when class starts",
    Status.WAITLISTED: "Offer a seat when one opens",
    Status.ENROLLED: "Nothing: enrolled",
    Status.DECLINED: "Nothing: declined",
    Status.WITHDRAWN: "Nothing: withdrawn",
}


# Why a document is sent back, in words an applicant can act on.
DOCUMENT_PRESETS = {
    "unreadable": "The file is unreadable or blurry: upload a clear scan or photo.",
    "name": "The name on the document does not match the name on your application.",
    "expired": "The document has expired: upload a current one.",
    "incomplete": "Part of the document is missing: upload every page (or both sides).",
    "wrong": "This is not the document asked for: check which document this one should be.",
}

# The page's action buttons and fields belong to forms outside the admin's own form.
ACT_FORM = "tc-act-form"


class DocumentRejectForm(forms.Form):
    reason_preset = forms.ChoiceField(
        label="Common reasons",
        required=False,
        choices=[("", "None: I type the message"), *DOCUMENT_PRESETS.items()],
        widget=forms.RadioSelect(attrs={"class": "tc-presets"}),
    )
    reason = forms.CharField(
        label="Message to the applicant", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, form_id="", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id

    def reason_text(self):
        preset = self.cleaned_data.get("reason_preset")
        typed = (self.cleaned_data.get("reason") or "").strip()
        return typed or DOCUMENT_PRESETS.get(preset, "")


class InterviewForm(forms.Form):
    # Its fields share one form element with the page's other buttons (held, accept,
    # decline): a browser "required" check would block those; the server checks them.
    use_required_attribute = False

    date = forms.DateField(
        label="Interview date", widget=forms.DateInput(attrs={"type": "date", "form": ACT_FORM})
    )
    time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time", "form": ACT_FORM})
    )
    campus = forms.ModelChoiceField(
        label="Campus",
        queryset=Campus.objects.order_by("name"),
        widget=forms.Select(attrs={"form": ACT_FORM}),
    )

    def moment(self):
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (told to the applicant)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "form": ACT_FORM}),
    )


class ToActOnFilter(admin.SimpleListFilter):
    """The staff home's "Applications to act on" figures link here (accounts.pipeline)."""

    title = "to act on"
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [(key, labels[1]) for key, labels in pipeline.TODO.items()]

    def queryset(self, request, queryset):
        if self.value() in pipeline.TODO:
            return queryset.filter(pk__in=pipeline.to_act_on(self.value()).values("pk"))
        return queryset


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    change_form_template = "admin/accounts/application/change_form.html"
    change_list_template = "admin/accounts/application/change_list.html"
    list_display = [
        "applicant_display",
        "program_display",
        "campus_display",
        "start_display",
        "status_badge",
        "submitted_display",
        "checklist_display",
        "next_display",
    ]
    list_display_links = ["applicant_display"]
    list_filter = [
        ToActOnFilter,
        "status",
        ("cohort__offering__campus", admin.RelatedOnlyFieldListFilter),
        ("cohort__offering__program", admin.RelatedOnlyFieldListFilter),
        cohort_filter("cohort"),
    ]
    search_fields = ["first_name", "last_name", "applicant__email"]
    list_select_related = ["applicant", "cohort__offering__program", "cohort__offering__campus"]
    list_per_page = 50

    class Media:
        css = {"all": [*STAFF_CSS["all"], "accounts/admin-pipeline.css"]}

    readonly_fields = [
        "applicant",
        "cohort",
        "status",
        "first_name",
        "last_name",
        "phone",
        "date_of_birth",
        "address",
        "city",
        "state",
        "postal_code",
        "education",
        "school_name",
        "graduation_year",
        "consent_truthful",
        "consent_contact",
        "consented_at",
        "inquiry",
        "submitted_at",
    ]
    fieldsets = [
        (
            "About the applicant",
            {
                "fields": [
                    "applicant",
                    "first_name",
                    "last_name",
                    "phone",
                    "date_of_birth",
                    "address",
                    "city",
                    "state",
                    "postal_code",
                ]
            },
        ),
        ("Education", {"fields": ["education", "school_name", "graduation_year"]}),
        (
            "Start and consent",
            {
                "fields": [
                    "cohort",
                    "status",
                    "submitted_at",
                    "inquiry",
                    "consent_truthful",
                    "consent_contact",
                    "consented_at",
                ]
            },
        ),
        ("Staff notes", {"fields": ["staff_notes"]}),
    ]

    def get_queryset(self, request):
        work = Case(
            *[When(status=s, then=Value(i)) for i, s in enumerate(WORK_ORDER)],
            output_field=IntegerField(),
        )
        queryset = (
            self.model._default_manager.get_queryset()
            .annotate(work_order=work)
            .prefetch_related(
                Prefetch("documents", queryset=ApplicationDocument.objects.order_by("-uploaded_at"))
            )
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["work_order", "submitted_at", "created_at", "pk"]

    def has_add_permission(self, request):
        return False  # applicants apply online

    def has_delete_permission(self, request, obj=None):
        return False  # the history is kept; withdraw or decline instead

    # --- list columns -------------------------------------------------------------------

    @admin.display(description="Applicant", ordering="last_name")
    def applicant_display(self, obj):
        name = obj.full_name or obj.applicant.email
        return format_html("{}<br><small>{}</small>", name, obj.applicant.email)

    @admin.display(description="Program", ordering="cohort__offering__program__title")
    def program_display(self, obj):
        return obj.cohort.offering.program.title

    @admin.display(description="Campus", ordering="cohort__offering__campus__name")
    def campus_display(self, obj):
        return obj.cohort.offering.campus.name

    @admin.display(description="Start", ordering="cohort__start_date")
    def start_display(self, obj):
        return obj.cohort.start_date.strftime("%b %-d, %Y")

    @admin.display(description="Status", ordering="work_order")
    def status_badge(self, obj):
        return format_html(
            '<span class="tc-badge tc-badge-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted_display(self, obj):
        return short_date(obj.submitted_at) if obj.submitted_at else "—"

    @admin.display(description="Checklist")
    def checklist_display(self, obj):
        items = services.checklist(obj)
        done = sum(1 for _, ok in items if ok)
        return f"{done} of {len(items)}"

    @admin.display(description="What is next")
    def next_display(self, obj):
        return NEXT_FOR_STAFF[obj.status]

    # --- the application's page -------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "funnel/",
                self.admin_site.admin_view(self.funnel_view),
                name="{}_{}_funnel".format(*info),
            ),
            path(
                "<path:object_id>/act/<str:action>/",
                self.admin_site.admin_view(self.action_view),
                name="{}_{}_act".format(*info),
            ),
            path(
                "document/<int:pk>/file/",
                self.admin_site.admin_view(self.document_file_view),
                name="{}_{}_document".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            documents = list(obj.documents.all())
            context.update(
                documents=[
                    {
                        "document": d,
                        "kind": "image"
                        if d.is_image
                        else "pdf"
                        if d.content_type == uploads.PDF_MIME
                        else "",
                        "url": reverse("admin:accounts_application_document", args=[d.pk]),
                        "reject_form": DocumentRejectForm(
                            prefix=f"doc{d.pk}", form_id=f"tc-verify-{d.pk}"
                        ),
                    }
                    for d in documents
                ],
                checklist=services.checklist(obj),
                start_label=cohort_choice_label(obj.cohort),
                decided=obj.status in Application.CLOSED_STATUSES,
                status_words=services.status_text(obj.status),
                events=ApplicationEvent.objects.filter(application=obj).select_related("by"),
                interview_form=InterviewForm(
                    initial={"campus": obj.interview_campus_id or obj.cohort.offering.campus_id}
                ),
                reason_form=ReasonForm(),
                can_act=self.has_change_permission(request, obj),
                interview_past=bool(obj.interview_at and obj.interview_at <= timezone.now()),
                enrollment=obj.enrollment,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def funnel_view(self, request):
        return funnel_view(self, request)

    def document_file_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(ApplicationDocument, pk=pk)
        inline = document.is_image or document.content_type == uploads.PDF_MIME
        response = private_file_response(
            document.file,
            filename=document.original_name,
            content_type=document.content_type,
            as_attachment=not inline,
        )
        if inline:
            response["X-Frame-Options"] = "SAMEORIGIN"
            response["Content-Security-Policy"] = (
                "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
                if document.content_type == uploads.PDF_MIME
                else "default-src 'none'; frame-ancestors 'self'; sandbox"
            )
        return response

    def action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = get_object_or_404(Application.objects.for_pipeline(), pk=object_id)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        handler = getattr(self, f"act_{action.replace('-', '_')}", None)
        if handler is None:
            raise Http404("No such action.")
        try:
            success = handler(request, application)
        except services.SeatTaken:
            self.message_user(
                request,
                "The last seat went to someone else: the application is on the waitlist.",
                messages.ERROR,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            if success:
                self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:accounts_application_change", args=[application.pk])
        )

    def _document(self, request, application):
        try:
            pk = int(request.POST.get("document", ""))
        except ValueError:
            raise Http404("No such document.") from None
        return get_object_or_404(ApplicationDocument, pk=pk, application=application)

    def act_verify(self, request, application):
        document = self._document(request, application)
        services.document_verify(document=document, reviewer=request.user)
        return f"{document.get_kind_display()} verified."

    def act_send_back(self, request, application):
        document = self._document(request, application)
        form = DocumentRejectForm(request.POST, prefix=f"doc{document.pk}")
        reason = form.reason_text() if form.is_valid() else ""
        services.document_reject(
            document=document, reviewer=request.user, reason=reason, request=request
        )
        return f"{document.get_kind_display()} sent back; the applicant was told what to correct."

    def act_interview(self, request, application):
        form = InterviewForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                "Choose the interview's date, time and campus: "
                + " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
            )
        services.interview_schedule(
            application=application,
            at=form.moment(),
            campus=form.cleaned_data["campus"],
            reviewer=request.user,
            request=request,
        )
        return "Interview scheduled; the applicant received an e-mail with a calendar invitation."

    def act_held(self, request, application):
        services.interview_mark_held(application=application, reviewer=request.user)
        return "Interview marked as held."

    def act_accept(self, request, application):
        services.application_accept(application=application, reviewer=request.user, request=request)
        return "Accepted: the applicant is now enrolled in this start and was told by e-mail."

    def act_waitlist(self, request, application):
        services.application_waitlist(
            application=application,
            reviewer=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        return "The application is on the waitlist."

    def act_decline(self, request, application):
        services.application_decline(
            application=application,
            reviewer=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        return "Declined; the applicant was told the reason."

    def act_enrolled(self, request, application):
        services.application_mark_enrolled(
            application=application, reviewer=request.user, request=request
        )
        return "Marked enrolled."

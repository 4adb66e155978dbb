"""Apply online (accounts/apply_urls.py, mounted at /apply/): choose a start date, create
an account on the way, fill in the application step by step, follow it afterwards.

Every change goes through ``accounts.services.applications`` (its errors are written for
the applicant). Reads are scoped: the steps, withdrawal and document removal use the
applicant's own rows only (``owned_by``); the application page, its calendar file and the
documents are also open to staff allowed to view applications (``visible_to``). Anything
else is a 404, whatever the id. Responses are ``private, no-store``.
"""

from allauth.account.internal import flows
from allauth.account.views import SignupView
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.adapter import APPLY_BEGIN_SESSION_KEY, APPLY_SIGNUP_SESSION_KEY
from accounts.apply_forms import (
    AboutForm,
    ApplySignupForm,
    ChooseStartForm,
    ConsentForm,
    DocumentForm,
    EducationForm,
    WithdrawForm,
)
from accounts.forms import apply_service_errors
from accounts.models import Application, ApplicationDocument, ApplicationEvent, staff_may_view
from accounts.services import applications as apps
from accounts.services.application_invites import invite_from_token
from accounts.views import inline_file_response, private, too_many, upload_allowed
from programs.models import Campus, Cohort, Program

Status = Application.Status
Doc = ApplicationDocument
INVITE_SESSION_KEY = "apply_invite"
STARTS_PER_OFFERING = 4
SUBMIT_LIMIT_MESSAGE = gettext_lazy(
    "You tried to send your application many times in the last hour. Wait an hour and try "
    "again, or call admissions."
)


class PrivateMixin:
    def dispatch(self, request, *args, **kwargs):
        return private(super().dispatch(request, *args, **kwargs))


class ApplicantMixin(LoginRequiredMixin, PrivateMixin):
    pass


def _cohorts():
    return Cohort.objects.select_related("offering__program", "offering__campus")


def is_full(cohort):
    """Whether applications to this start go to its waitlist (``Cohort.is_full``)."""
    return cohort.is_full


def next_open_start(cohort):
    """The next start of the same program and campus that still has a seat, if any."""
    return (
        _cohorts()
        .open_for_enrollment()
        .filter(
            offering__program_id=cohort.offering.program_id,
            offering__campus_id=cohort.offering.campus_id,
            start_date__gt=cohort.start_date,
        )
        .order_by("start_date", "pk")
        .first()
    )


def session_invite(request):
    """The invitation this visitor followed (stored when they opened /apply/?invite=)."""
    token = request.session.get(INVITE_SESSION_KEY)
    return invite_from_token(token) if token else None


# --- Choosing a start ----------------------------------------------------------------------


class ChooseStartView(PrivateMixin, View):
    template_name = "accounts/apply/choose.html"

    def get(self, request):
        programs = list(Program.objects.published().offered())
        campuses = list(Campus.objects.published())
        invite, invite_problem = None, False
        initial = {}
        if "invite" in request.GET:
            invite = invite_from_token(request.GET["invite"])
            if invite is None:
                invite_problem = True
            else:
                request.session[INVITE_SESSION_KEY] = request.GET["invite"]
                inquiry = invite.inquiry
                initial = {
                    "program": inquiry.program.slug if inquiry.program else "",
                    "campus": inquiry.campus.slug if inquiry.campus else "",
                }
                if invite.cohort is not None:
                    initial["program"] = invite.cohort.offering.program.slug
                    initial["campus"] = invite.cohort.offering.campus.slug
        filters = {k: v for k, v in request.GET.items() if k in ("program", "campus", "schedule")}
        form = ChooseStartForm(
            filters or None, initial=initial, programs=programs, campuses=campuses
        )
        program_slug = form.value("program")
        campus_slug = form.value("campus")
        schedule = form.value("schedule")
        invited_start = None
        if (
            invite is not None
            and invite.cohort is not None
            and apps.cohort_open_for_applications(invite.cohort)
        ):
            invited_start = invite.cohort
        groups = []
        if program_slug:
            groups = self.starts(program_slug, campus_slug, schedule)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "programs": [
                    p
                    for p in programs
                    if not (campus_slug or schedule)
                    or p.slug in self.programs_at(campus_slug, schedule)
                ],
                "program": next((p for p in programs if p.slug == program_slug), None),
                "campus_slug": campus_slug,
                "schedule": schedule,
                "groups": groups,
                "invite": invite,
                "invited_start": invited_start,
                "invited_full": invited_start is not None and is_full(invited_start),
                "invite_problem": invite_problem,
            },
        )

    def programs_at(self, campus_slug, schedule):
        """Programs with a class at this campus on this schedule (either may be blank)."""
        if not hasattr(self, "_at"):
            self._at = set(
                Program.objects.published()
                .offered(campus_slug=campus_slug or None, schedule=schedule or None)
                .values_list("slug", flat=True)
            )
        return self._at

    def starts(self, program_slug, campus_slug, schedule):
        """Upcoming starts taking applications, by campus and schedule (a few each)."""
        cohorts = (
            _cohorts()
            .open_for_applications()
            .filter(
                offering__program__slug=program_slug,
                offering__active=True,
                offering__campus__published=True,
            )
        )
        if campus_slug:
            cohorts = cohorts.filter(offering__campus__slug=campus_slug)
        if schedule:
            cohorts = cohorts.filter(offering__schedule=schedule)
        groups = {}
        for cohort in cohorts.order_by(
            "offering__campus__order", "offering__campus__name", "offering__schedule", "start_date"
        ):
            group = groups.setdefault(
                cohort.offering_id, {"offering": cohort.offering, "cohorts": []}
            )
            if len(group["cohorts"]) < STARTS_PER_OFFERING:
                cohort.full = is_full(cohort)
                group["cohorts"].append(cohort)
        return list(groups.values())


# --- One start, and the account on the way -------------------------------------------------


def start_context(request, cohort, form=None):
    full = is_full(cohort)
    invite = session_invite(request)
    if form is None and not request.user.is_authenticated:
        initial = {}
        if invite is not None:
            first, __, last = invite.inquiry.name.partition(" ")
            initial = {"email": invite.inquiry.email, "first_name": first, "last_name": last}
        form = ApplySignupForm(initial=initial)
    start_url = reverse("apply:start", args=[cohort.pk])
    existing = None
    if request.user.is_authenticated:
        existing = (
            Application.objects.owned_by(request.user)
            .filter(cohort=cohort)
            .exclude(status__in=[Status.DECLINED, Status.WITHDRAWN])
            .first()
        )
    return {
        "cohort": cohort,
        "offering": cohort.offering,
        "program": cohort.offering.program,
        "campus": cohort.offering.campus,
        "open": apps.cohort_open_for_applications(cohort),
        "full": full,
        "next_start": next_open_start(cohort) if full else None,
        "form": form,
        "existing": existing,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': start_url})}",
        # Back from the confirmation link in another browser (not logged in there): the
        # account exists, so the page asks to log in instead of offering a second signup.
        "confirmed": request.GET.get("confirmed") == "1",
    }


def begin(request, cohort):
    """Start (or reopen) the logged-in user's application to this start, then open it."""
    invite = session_invite(request)
    inquiry = invite.inquiry if invite is not None else None
    try:
        application = apps.application_start(applicant=request.user, cohort=cohort, inquiry=inquiry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("apply:start", cohort_id=cohort.pk)
    request.session.pop(APPLY_BEGIN_SESSION_KEY, None)
    if inquiry is not None:
        # The invitation has done its work: it must not prefill or link anything else
        # started later in this browser.
        request.session.pop(INVITE_SESSION_KEY, None)
    if application.is_draft:
        return redirect("apply:step", pk=application.pk, step=first_step_to_fill(application))
    return redirect(application)


class StartView(PrivateMixin, View):
    template_name = "accounts/apply/start.html"

    def get_cohort(self, cohort_id):
        return get_object_or_404(_cohorts().filter(offering__program__published=True), pk=cohort_id)

    def get(self, request, cohort_id):
        cohort = self.get_cohort(cohort_id)
        if request.user.is_authenticated:
            # Back from confirming the e-mail (allauth logs the visitor in and follows
            # the signup's redirect here): the application opens at once.
            if request.session.get(APPLY_BEGIN_SESSION_KEY) == cohort.pk:
                messages.success(
                    request,
                    _("Your e-mail address is confirmed. Your answers are saved at each step."),
                )
                return begin(request, cohort)
        else:
            request.session[APPLY_SIGNUP_SESSION_KEY] = cohort.pk
            if request.GET.get("confirmed") == "1":
                # Confirmed in this browser, logged in elsewhere: once they log in here,
                # the application to this start opens as it would have there.
                request.session[APPLY_BEGIN_SESSION_KEY] = cohort.pk
        return render(request, self.template_name, start_context(request, cohort))

    def post(self, request, cohort_id):
        cohort = self.get_cohort(cohort_id)
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("apply:start", args=[cohort.pk]))
        return begin(request, cohort)


class ApplySignupView(PrivateMixin, SignupView):
    """allauth's signup (its "signup" rate limit, password checks, enumeration
    protection, mandatory e-mail verification) for one start date. Open only to a
    visitor who came through the start's page (``AccountAdapter.is_open_for_signup``)."""

    template_name = "accounts/apply/start.html"
    form_class = ApplySignupForm

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(
            _cohorts().filter(offering__program__published=True), pk=kwargs["cohort_id"]
        )
        if request.method != "POST" or request.user.is_authenticated:
            # The form lives on the start's page.
            return redirect("apply:start", cohort_id=self.cohort.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return ApplySignupForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(start_context(self.request, self.cohort, form=context["form"]))
        return context

    def form_valid(self, form):
        if not apps.cohort_open_for_applications(self.cohort):
            form.add_error(None, _("This start date no longer takes applications."))
            return self.form_invalid(form)
        self.user, response = form.try_save(self.request)
        if response:
            return response
        self.request.session[APPLY_BEGIN_SESSION_KEY] = self.cohort.pk
        try:
            return flows.signup.complete_signup(
                self.request,
                user=self.user,
                redirect_url=reverse("apply:start", args=[self.cohort.pk]),
            )
        except ImmediateHttpResponse as error:
            return error.response


# --- The steps ---------------------------------------------------------------------------


STEPS = [
    ("about", gettext_lazy("About you"), AboutForm),
    ("education", gettext_lazy("Education"), EducationForm),
    ("documents", gettext_lazy("Documents"), None),
    ("consent", gettext_lazy("Consent"), ConsentForm),
    ("review", gettext_lazy("Review and send"), None),
]
STEP_SLUGS = [slug for slug, _, _ in STEPS]


def first_step_to_fill(application):
    missing = apps.missing_for_submit(application)
    return missing[0][0] if missing else "review"


def step_url(application, slug):
    return reverse("apply:step", kwargs={"pk": application.pk, "step": slug})


class ApplicationStepView(ApplicantMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEP_SLUGS:
            raise Http404("No such step.")
        return super().dispatch(request, *args, **kwargs)

    def get_application(self, pk):
        documents = Doc.objects.order_by("kind", "-uploaded_at")
        return get_object_or_404(
            Application.objects.owned_by(self.request.user)
            .for_pipeline()
            .prefetch_related(Prefetch("documents", queryset=documents)),
            pk=pk,
        )

    def editable(self, application, step):
        if application.status == Status.DRAFT:
            return True
        return step == "documents" and application.status == Status.DOCUMENTS_NEEDED

    def get(self, request, pk, step):
        application = self.get_application(pk)
        if not self.editable(application, step):
            return redirect(application)
        return self.render(application, step)

    def post(self, request, pk, step):
        application = self.get_application(pk)
        if not self.editable(application, step):
            # A form replayed on an application already sent: nothing to change here.
            raise Http404("This application can no longer be changed.")
        handler = getattr(self, f"post_{step}", self.post_answers)
        return handler(request, application, step)

    # Rendering

    def render(self, application, step, form=None, status=200, **extra):
        index = STEP_SLUGS.index(step)
        _slug, title, form_class = STEPS[index]
        if form is None and form_class is not None:
            form = form_class(instance=application)
        if form is None and step == "documents":
            form = DocumentForm()
        context = {
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.offering.program,
            "campus": application.cohort.offering.campus,
            "step": step,
            "step_title": title,
            "step_number": index + 1,
            "step_count": len(STEPS),
            "steps": [
                {"slug": s, "title": t, "url": step_url(application, s), "current": s == step}
                for s, t, _ in STEPS
            ],
            "previous_url": step_url(application, STEP_SLUGS[index - 1]) if index else None,
            "next_url": step_url(application, STEP_SLUGS[index + 1])
            if index + 1 < len(STEPS)
            else None,
            "form": form,
            "sent": application.status != Status.DRAFT,
            **extra,
        }
        if step == "documents":
            context["documents"] = self.documents_by_kind(application)
        if step == "review":
            context["missing"] = [
                (step_url(application, s), text) for s, text in apps.missing_for_submit(application)
            ]
        response = render(self.request, f"accounts/apply/step_{step}.html", context, status=status)
        return response

    def documents_by_kind(self, application):
        documents = list(application.documents.all())
        return [
            {
                "kind": kind,
                "label": Doc.Kind(kind).label,
                "documents": [d for d in documents if d.kind == kind],
            }
            for kind in Doc.REQUIRED_KINDS
        ]

    # Saving

    def post_answers(self, request, application, step):
        form_class = STEPS[STEP_SLUGS.index(step)][2]
        form = form_class(request.POST, instance=Application.objects.get(pk=application.pk))
        if not form.is_valid():
            return self.render(application, step, form)
        try:
            apps.application_update(application=application, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render(application, step, form)
        index = STEP_SLUGS.index(step)
        messages.success(request, _("Saved."))
        return redirect(step_url(application, STEP_SLUGS[index + 1]))

    def post_documents(self, request, application, step):
        # "Continue" (or "Back to your application") submits the upload form too: a file
        # chosen there is uploaded first, never dropped; with no file it just moves on.
        moving_on = request.POST.get("then") == "next"
        if moving_on and not request.FILES:
            return redirect(self.after_documents(application, step))
        form = DocumentForm(
            request.POST, request.FILES, uploads_allowed=upload_allowed(request, "upload")
        )
        if not form.is_valid():
            return too_many(self.render(application, step, form), form)
        clean = form.cleaned_data["file"]
        try:
            apps.application_document_add(
                application=application,
                kind=form.cleaned_data["kind"],
                file=clean,
                user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render(application, step, form)
        label = Doc.Kind(form.cleaned_data["kind"]).label
        messages.success(
            request,
            _("Uploaded %(name)s as your document: %(document)s.")
            % {"name": clean.original_name, "document": label},
        )
        application.refresh_from_db(fields=["status"])
        if application.status != Status.DRAFT and application.status != Status.DOCUMENTS_NEEDED:
            return redirect(application)
        if moving_on:
            return redirect(self.after_documents(application, step))
        return redirect(step_url(application, step))

    @staticmethod
    def after_documents(application, step):
        """Where "Continue" leads from the documents step."""
        if application.status != Status.DRAFT:
            return application.get_absolute_url()
        return step_url(application, STEP_SLUGS[STEP_SLUGS.index(step) + 1])

    def post_review(self, request, application, step):
        # An incomplete application is refused below without spending an attempt: only a
        # sending that could go through counts against the limit.
        incomplete = application.is_draft and apps.missing_for_submit(application)
        if not incomplete and not ratelimit.consume(
            request, action="apply_submit", user=request.user
        ):
            response = self.render(application, step, errors=[SUBMIT_LIMIT_MESSAGE])
            response.status_code = 429
            return response
        try:
            apps.application_submit(application=application, user=request.user, request=request)
        except ValidationError as error:
            application = self.get_application(application.pk)
            return self.render(application, step, errors=error.messages)
        messages.success(
            request,
            _("Submitted. Admissions has your application; we sent you a confirmation by e-mail."),
        )
        return redirect(application)


class DocumentRemoveView(ApplicantMixin, View):
    """Confirm, then remove a document admissions has not reviewed yet."""

    def get_document(self, request, pk):
        return get_object_or_404(
            Doc.objects.owned_by(request.user).select_related(
                "application__cohort__offering__program"
            ),
            pk=pk,
        )

    def back(self, document):
        return step_url(document.application, "documents")

    def get(self, request, pk):
        document = self.get_document(request, pk)
        if document.status != Doc.Status.PENDING or not self.removable(document):
            messages.error(request, _("This document stays with your application."))
            return redirect(self.back(document))
        return render(request, "accounts/apply/document_remove.html", {"document": document})

    def removable(self, document):
        return document.application.status in (Status.DRAFT, Status.DOCUMENTS_NEEDED)

    def post(self, request, pk):
        document = self.get_document(request, pk)
        if not self.removable(document):
            raise Http404("This application can no longer be changed.")
        try:
            apps.application_document_remove(document=document, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed %(name)s.") % {"name": document.original_name})
        return redirect(self.back(document))


# --- The applicant's own pages ----------------------------------------------------------


def unseen_by_application(user):
    """{application id: newest unseen event} for the user's applications (one query)."""
    unseen = {}
    for event in (
        ApplicationEvent.objects.filter(application__applicant=user, seen_at__isnull=True)
        .exclude(by=user)
        .order_by("-created_at", "-id")
    ):
        unseen.setdefault(event.application_id, event)
    return unseen


class ApplicationListView(ApplicantMixin, View):
    def get(self, request):
        applications = list(apps.applications_of(request.user))
        unseen = unseen_by_application(request.user)
        for application in applications:
            application.words, application.next_text = apps.status_text(application.status)
            application.update = unseen.get(application.pk)
        response = render(
            request,
            "accounts/apply/application_list.html",
            {"applications": applications, "updates": len(unseen)},
        )
        if unseen:
            apps.events_mark_seen(user=request.user)
        return response


class ApplicationDetailView(ApplicantMixin, View):
    def get(self, request, pk):
        documents = Doc.objects.order_by("kind", "-uploaded_at")
        events = ApplicationEvent.objects.select_related("by").order_by("created_at", "id")
        application = get_object_or_404(
            Application.objects.visible_to(request.user)
            .for_pipeline()
            .select_related("interview_campus", "enrollment")
            .prefetch_related(
                Prefetch("documents", queryset=documents),
                Prefetch("events", queryset=events),
            ),
            pk=pk,
        )
        own = application.applicant_id == request.user.pk
        words, next_text = apps.status_text(application.status)
        documents = list(application.documents.all())
        events = list(application.events.all())
        unseen = [e for e in events if own and e.seen_at is None and e.by_id != request.user.pk]
        response = render(
            request,
            "accounts/apply/application_detail.html",
            {
                "application": application,
                "cohort": application.cohort,
                "program": application.cohort.offering.program,
                "campus": application.cohort.offering.campus,
                "own": own,
                "words": words,
                "next_text": next_text,
                "documents": documents,
                "sent_back": [d for d in documents if d.status == Doc.Status.REJECTED],
                "events": list(reversed(events)),
                "update": unseen[-1] if unseen else None,
                "missing": [
                    (step_url(application, s), text)
                    for s, text in apps.missing_for_submit(application)
                ]
                if application.is_draft
                else [],
                "can_upload": own and application.status == Status.DOCUMENTS_NEEDED,
                "today": timezone.localdate(),
            },
        )
        if unseen:
            apps.events_mark_seen(user=request.user, application=application)
        return response


class ApplicationWithdrawView(ApplicantMixin, View):
    template_name = "accounts/apply/withdraw.html"

    def get_application(self, request, pk):
        return get_object_or_404(Application.objects.owned_by(request.user).for_pipeline(), pk=pk)

    def get(self, request, pk):
        application = self.get_application(request, pk)
        if not application.can_withdraw:
            messages.error(request, _("This application can no longer be withdrawn."))
            return redirect(application)
        return render(
            request, self.template_name, {"application": application, "form": WithdrawForm()}
        )

    def post(self, request, pk):
        application = self.get_application(request, pk)
        if not application.can_withdraw:
            raise Http404("This application can no longer be withdrawn.")
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"application": application, "form": form})
        try:
            apps.application_withdraw(
                application=application,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("Your application is withdrawn. We sent you a confirmation.")
            )
        return redirect(application)


class InterviewCalendarView(ApplicantMixin, View):
    def get(self, request, pk):
        try:
            application = apps.application_get_for(user=request.user, pk=pk)
        except Application.DoesNotExist as exc:
            raise Http404("No such application.") from exc
        if application.status != Status.INTERVIEW_SCHEDULED or application.interview_at is None:
            raise Http404("No interview is scheduled.")
        response = HttpResponse(
            apps.interview_calendar(application, request=request),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="admissions-interview.ics"'
        return response


class DocumentView(ApplicantMixin, View):
    """A document sent with an application, for its applicant or staff allowed to view
    applications: images and PDFs shown in the browser, with the evidence files' headers."""

    def get(self, request, pk):
        # Staff read documents with the applications' permission, as in the admin.
        documents = (
            Doc.objects.all()
            if staff_may_view(request.user, Application)
            else Doc.objects.owned_by(request.user)
        )
        document = get_object_or_404(documents, pk=pk)
        return inline_file_response(
            document.file,
            filename=document.original_name,
            content_type=document.content_type,
        )

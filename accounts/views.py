"""Student portal pages.

Every query goes through ``owned_by(request.user)``, or ``visible_to(request.user)`` for
the pages staff may open too (only with the model's view permission, as in the admin):
anything else is a 404, whatever the id. Every portal response is
``Cache-Control: private, no-store``. Writes go through accounts.services.
"""

import json

from allauth.core import ratelimit
from allauth.core.internal import ratelimit as ratelimit_impl
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from accounts import deadlines as student_deadlines
from accounts import progress, services, uploads
from accounts.forms import (
    CEActivityForm,
    EvidenceForm,
    InvitationPasswordForm,
    ProfileForm,
    StepCountForm,
    StepDateForm,
    apply_service_errors,
)
from accounts.models import (
    Application,
    CEActivity,
    CertificationPath,
    Credential,
    Enrollment,
    Evidence,
    Notice,
    PathStep,
    StepReview,
    StudentProfile,
)
from careers.models import PathStepTemplate
from programs.dates import local_date
from programs.languages import language_url

Kind = PathStepTemplate.Kind
Milestone = PathStepTemplate.Milestone
DEADLINES_SHOWN = 8
UPDATES_SHOWN = 6
HISTORY_SHOWN = 12


def upload_allowed(request, action):
    """The student's upload budget (ACCOUNT_RATE_LIMITS "upload" or "photo"), counted by
    allauth in the cache every worker shares. Only requests that carry a file count."""
    if not request.FILES:
        return True
    return ratelimit.consume(request, action=action, user=request.user)


def too_many(response, form):
    """A form refused over the upload budget is answered 429, with its message."""
    if not form.uploads_allowed:
        response.status_code = 429
    return response


# --- Messages about one step ------------------------------------------------------------
# After an action on a step the student lands on the step (``#step-N``), far below the
# top of the page on a phone: a message about the step is shown in the step's card.


def step_message_tag(step_id):
    return f"step-{step_id}"


def tell_about_step(request, level, text, step_id):
    """A message shown in the step's card on the path page (see PathDetailView)."""
    messages.add_message(request, level, text, extra_tags=step_message_tag(step_id))


def step_redirect(step_id, path):
    return redirect(f"{path.get_absolute_url()}#step-{step_id}")


def split_messages(request, step_ids):
    """The request's messages: those about one of these steps, by step, and the rest."""
    tags = {step_message_tag(pk): pk for pk in step_ids}
    page, by_step = [], {}
    for message in messages.get_messages(request):
        pk = next((tags[t] for t in message.extra_tags.split() if t in tags), None)
        if pk is None:
            page.append(message)
        else:
            by_step.setdefault(pk, []).append(message)
    return page, by_step


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


class PortalMixin(LoginRequiredMixin):
    """Login required; responses are private and never stored by caches."""

    def dispatch(self, request, *args, **kwargs):
        return private(super().dispatch(request, *args, **kwargs))


# --- Dashboard --------------------------------------------------------------------------


class DashboardView(PortalMixin, TemplateView):
    template_name = "accounts/dashboard.html"

    def get(self, request, *args, **kwargs):
        # Staff work from the staff home; the portal is theirs only if they study here.
        if request.user.is_staff and not Enrollment.objects.owned_by(request.user).exists():
            return redirect("admin:index")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        paths = CertificationPath.objects.select_related(
            "certification__body", "next_step", "credential"
        ).prefetch_related("certification__ce_requirements", "credential__ce_activities")
        enrollments = list(
            Enrollment.objects.owned_by(user)
            .select_related("cohort__offering__program", "cohort__offering__campus")
            .prefetch_related(Prefetch("paths", queryset=paths))
        )
        all_paths = [p for e in enrollments for p in e.paths.all()]
        progress.paths_refresh_stale(all_paths, today=today)
        for path in all_paths:
            path.ce = progress.path_ce(path)
        deadlines = student_deadlines.for_student(user, today=today)[:DEADLINES_SHOWN]
        decisions = decisions_for(user)
        # A path's next step sent back names who sent it back, as the banner does.
        sent_back = {step.pk: step.sent_back for step in decisions["sent_back"]}
        for path in all_paths:
            if path.next_step_id in sent_back:
                path.next_step.sent_back = sent_back[path.next_step_id]
        return super().get_context_data(
            **decisions,
            applications=dashboard_applications(user),
            enrollments=enrollments,
            path_count=len(all_paths),
            deadlines=deadlines,
            next_deadline=next((d for d in deadlines if not d.overdue), None),
            overdue_count=sum(1 for d in deadlines if d.overdue),
            today=today,
            **kwargs,
        )


def decisions_for(user):
    """What the dashboard says of staff decisions: the steps sent back (action needed,
    until the student sends them again), the steps waiting for review, and the other
    decisions the student has not seen yet."""
    steps = (
        PathStep.objects.of_students([user])
        .exclude(path__enrollment__status=Enrollment.Status.WITHDRAWN)
        .filter(status__in=(PathStep.Status.REJECTED, PathStep.Status.SUBMITTED))
        .select_related("path__certification")
        .order_by("due_date", "path_id", "order", "id")
    )
    sent_back, waiting = [], []
    for step in steps:
        (sent_back if step.status == PathStep.Status.REJECTED else waiting).append(step)
    if sent_back:
        latest = {}
        for notice in (
            Notice.objects.owned_by(user)
            .filter(kind=Notice.Kind.SENT_BACK, step__in=sent_back)
            .select_related("decided_by")
        ):
            latest.setdefault(notice.step_id, notice)  # newest first
        for step in sent_back:
            step.sent_back = latest.get(step.pk)
    updates = list(
        Notice.objects.owned_by(user)
        .unseen()
        .exclude(kind=Notice.Kind.SENT_BACK)
        .select_related("path__certification", "step", "decided_by")[:UPDATES_SHOWN]
    )
    return {"sent_back": sent_back, "waiting": waiting, "updates": updates}


def dashboard_applications(user):
    """The user's applications still in progress, for the portal dashboard, each with
    ``words`` (status in plain words) and ``unseen`` (admissions' updates not yet seen);
    one query."""
    live = (
        Application.objects.owned_by(user)
        .for_pipeline()
        .exclude(status__in=Application.CLOSED_STATUSES)
        .annotate(
            unseen=Count("events", filter=Q(events__seen_at__isnull=True) & ~Q(events__by=user))
        )
        .order_by("-created_at", "-id")
    )
    applications = list(live)
    for application in applications:
        application.words = services.applications.status_text(application.status)[0]
    return applications


class NoticesSeenView(PortalMixin, View):
    """The student dismisses decisions from the dashboard: one, or all of them."""

    http_method_names = ["post"]

    def post(self, request):
        # Ids as the database can hold them (a 64-bit integer); anything else is ignored.
        ids = [int(v) for v in request.POST.getlist("notice")[:100] if v.isdigit() and len(v) < 19]
        count = services.notices_mark_seen(student=request.user, ids=ids or None)
        if count:
            messages.success(
                request,
                ngettext("Marked as seen.", "Marked %(count)d updates as seen.", count)
                % {"count": count},
            )
        return redirect(f"{reverse('portal:dashboard')}#updates")


# --- Path page ------------------------------------------------------------------------


class StepView:
    """A step with the forms the viewer may use on it."""

    def __init__(self, step, *, can_edit, bound, certified, ce=None, messages=()):
        self.step = step
        self.messages = list(messages)  # about this step, shown in its card
        # The renewal step's figure is the credential's CE log, not a count of its own.
        self.ce = ce if step.milestone == Milestone.RENEWAL else None
        self.forms = {}
        self.can_mark_done = False
        self.waits_for_certification = step.milestone == Milestone.RENEWAL and not certified
        self.can_edit = can_edit and not step.is_locked and not self.waits_for_certification
        # Files are withdrawn one by one (``Evidence.withdrawable``) by their owner.
        self.can_withdraw = can_edit and not self.waits_for_certification
        if not self.can_edit:
            return
        if step.kind == Kind.COUNT:
            self.forms["count"] = bound.get("count") or StepCountForm(step=step)
        if step.kind == Kind.DATE:
            self.forms["date"] = bound.get("date") or StepDateForm(step=step)
        if step.status != PathStep.Status.VERIFIED and services.accepts_evidence(step):
            self.forms["evidence"] = bound.get("evidence") or EvidenceForm(step=step)
        # Evidence steps are submitted by uploading; only checks have a "done" button.
        self.can_mark_done = (
            step.student_can_complete
            and step.kind == Kind.CHECK
            and step.status not in (PathStep.Status.SUBMITTED, PathStep.Status.VERIFIED)
        )

    @property
    def has_actions(self):
        return bool(self.forms) or self.can_mark_done

    @property
    def count_form(self):
        return self.forms.get("count")

    @property
    def date_form(self):
        return self.forms.get("date")

    @property
    def evidence_form(self):
        return self.forms.get("evidence")


class PathDetailView(PortalMixin, DetailView):
    template_name = "accounts/path_detail.html"
    context_object_name = "path"
    bound_forms = None  # {step pk: {"count" | "date" | "evidence" | "done": form or message}}

    def get_queryset(self):
        steps = PathStep.objects.prefetch_related(
            "evidence",
            Prefetch("reviews", queryset=StepReview.objects.select_related("reviewer")),
        )
        return (
            CertificationPath.objects.visible_to(self.request.user)
            .select_related(
                "enrollment__student",
                "enrollment__cohort__offering__program",
                "enrollment__cohort__offering__campus",
                "certification__body",
                "next_step",
                "credential",
            )
            .prefetch_related(
                Prefetch("steps", queryset=steps),
                Prefetch("shared_steps", queryset=steps),
                "certification__ce_requirements",
                "credential__ce_activities",
            )
        )

    def get_context_data(self, **kwargs):
        path = self.object
        progress.paths_refresh_stale([path])
        is_owner = path.enrollment.student_id == self.request.user.pk
        can_edit = is_owner and not path.is_read_only
        bound = self.bound_forms or {}
        certified = path.is_certified
        ce = progress.path_ce(path)
        plan = path.plan_steps()
        page_messages, step_messages = split_messages(self.request, [s.pk for s in plan])
        steps = [
            StepView(
                step,
                can_edit=can_edit,
                bound=bound.get(step.pk, {}),
                certified=certified,
                ce=ce,
                messages=step_messages.get(step.pk, ()),
            )
            for step in plan
        ]
        history = list(path.notices.select_related("step", "decided_by")[:HISTORY_SHOWN])
        if is_owner and any(n.seen_at is None for n in history):
            # The student has now seen these decisions: they leave the dashboard.
            services.notices_mark_seen(student=self.request.user, path=path)
        return super().get_context_data(
            history=history,
            page_messages=page_messages,
            is_owner=is_owner,
            can_edit=can_edit,
            certification_steps=[s for s in steps if s.step.milestone != Milestone.RENEWAL],
            renewal_steps=[s for s in steps if s.step.milestone == Milestone.RENEWAL],
            today=timezone.localdate(),
            **kwargs,
        )


def render_path_with_errors(request, step, bound):
    """The path page again, with the step's form showing what to fix. The first invalid
    field gets autofocus, so the browser scrolls to it without any script."""
    for form in bound.values():
        field = next((name for name in form.errors if name in form.fields), None)
        if field:
            form.fields[field].widget.attrs["autofocus"] = True
    view = PathDetailView()
    view.setup(request, pk=step.path_id)
    view.bound_forms = {step.pk: bound}
    view.object = view.get_object()
    context = view.get_context_data(object=view.object, error_step=step)
    return view.render_to_response(context)


class StepActionView(PortalMixin, View):
    """POST-only actions on one of the student's own steps."""

    http_method_names = ["post"]
    action = None
    success_messages = {
        "count": _("Saved: %(title)s is now %(count)s / %(target)s %(unit)s."),
        "date": _("Saved your date for %(title)s."),
        "clear_date": _("Removed the date for %(title)s."),
        "done": _("%(title)s: %(status)s."),
        "evidence": _("Uploaded %(name)s. %(title)s: %(status)s."),
    }

    def post(self, request, pk):
        step = get_object_or_404(
            PathStep.objects.owned_by(request.user).select_related("path__enrollment"), pk=pk
        )
        handler = getattr(self, f"do_{self.action}")
        result = handler(request, step)
        if isinstance(result, HttpResponse):
            return result
        key, extra = result
        text = self.success_messages[key] % {
            "title": step.title,
            "count": step.count,
            "target": step.target,
            "unit": step.unit,
            "status": step.student_status_label,
            **extra,
        }
        tell_about_step(request, messages.SUCCESS, text, step.pk)
        return step_redirect(step.pk, step.path)

    # Refusals that hide the step's forms are told as a message in the step's card.
    PAGE_LEVEL_ERRORS = ("withdrawn", "locked", "not_certified", "no_evidence_needed")

    def _fail(self, request, step, name, form, error):
        if getattr(error, "code", None) in self.PAGE_LEVEL_ERRORS:
            tell_about_step(request, messages.ERROR, " ".join(error.messages), step.pk)
            return step_redirect(step.pk, step.path)
        apply_service_errors(form, error)
        return render_path_with_errors(request, step, {name: form})

    def do_count(self, request, step):
        form = StepCountForm(request.POST, step=step)
        if not form.is_valid():
            return render_path_with_errors(request, step, {"count": form})
        try:
            services.step_record_count(
                step=step, count=form.cleaned_data["count"], user=request.user
            )
        except ValidationError as error:
            return self._fail(request, step, "count", form, error)
        return "count", {}

    def do_date(self, request, step):
        form = StepDateForm(request.POST, step=step)
        clearing = "clear" in request.POST
        if not clearing and not form.is_valid():
            return render_path_with_errors(request, step, {"date": form})
        value = None if clearing else form.cleaned_data["date_value"]
        try:
            services.step_set_date(step=step, date_value=value, user=request.user)
        except ValidationError as error:
            return self._fail(request, step, "date", form, error)
        return ("clear_date" if clearing else "date"), {}

    def do_done(self, request, step):
        try:
            services.step_mark_done(step=step, user=request.user)
        except ValidationError as error:
            tell_about_step(request, messages.ERROR, " ".join(error.messages), step.pk)
            return step_redirect(step.pk, step.path)
        return "done", {}

    def do_evidence(self, request, step):
        form = EvidenceForm(
            request.POST,
            request.FILES,
            step=step,
            uploads_allowed=upload_allowed(request, "upload"),
        )
        if not form.is_valid():
            return too_many(render_path_with_errors(request, step, {"evidence": form}), form)
        clean = form.cleaned_data["file"]
        try:
            services.evidence_submit(step=step, file=clean, user=request.user)
        except ValidationError as error:
            return self._fail(request, step, "evidence", form, error)
        return "evidence", {"name": clean.original_name}


# --- Files ----------------------------------------------------------------------------


def private_file_response(field, *, filename, content_type, as_attachment=True):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("The file is no longer available.") from exc
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return private(response)


class EvidenceDownloadView(PortalMixin, View):
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        return private_file_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )


class EvidenceInlineView(PortalMixin, View):
    """A PDF or image file shown in the page that asks for it (the staff review page
    frames PDFs), for whoever may download the file itself; other files are only
    downloaded."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        if not (evidence.is_image or evidence.content_type == uploads.PDF_MIME):
            raise Http404("Only PDF files and images are shown in the page.")
        return inline_file_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )


def inline_file_response(field, *, filename, content_type):
    """A private PDF or image shown in the browser (other files are downloaded)."""
    if not (content_type.startswith("image/") or content_type == uploads.PDF_MIME):
        return private_file_response(field, filename=filename, content_type=content_type)
    response = private_file_response(
        field, filename=filename, content_type=content_type, as_attachment=False
    )
    # Framed by our own pages only, unlike every other private file. No "sandbox":
    # browsers refuse to run their PDF viewer in a sandboxed document; the viewer
    # runs the file's content, never a script of ours.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
        if content_type == uploads.PDF_MIME
        else "default-src 'none'; frame-ancestors 'self'; sandbox"
    )
    return response


class EvidenceThumbnailView(PortalMixin, View):
    """A small preview of an image file, for whoever may download the file itself."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        if not evidence.is_image:
            raise Http404("Only images have a preview.")
        try:
            with evidence.file.open("rb") as handle:
                data = uploads.thumbnail_jpeg(handle)
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise Http404("The file is no longer available.") from exc
        response = HttpResponse(data, content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        return response


class EvidenceWithdrawView(PortalMixin, View):
    """Confirm, then withdraw a file the student uploaded by mistake."""

    template_name = "accounts/confirm.html"

    def get_evidence(self, request, pk):
        return get_object_or_404(
            Evidence.objects.owned_by(request.user).select_related(
                "step__path__certification", "step__path__enrollment"
            ),
            pk=pk,
        )

    def back(self, evidence):
        return f"{evidence.step.path.get_absolute_url()}#step-{evidence.step_id}"

    def get(self, request, pk):
        evidence = self.get_evidence(request, pk)
        if not evidence.withdrawable:
            tell_about_step(
                request,
                messages.ERROR,
                gettext("“%(name)s” stays in your records: your campus has already decided on it.")
                % {"name": evidence.original_name},
                evidence.step_id,
            )
            return redirect(self.back(evidence))
        return render(
            request,
            self.template_name,
            {
                "title": gettext("Withdraw this file?"),
                "lead": gettext(
                    "“%(name)s” will be removed from “%(title)s” and your campus will no "
                    "longer see it."
                )
                % {"name": evidence.original_name, "title": evidence.step.title}
                + (
                    " "
                    + gettext(
                        "It is the step's only file, so the step leaves the review queue until "
                        "you upload another."
                    )
                    if evidence.step.status == PathStep.Status.SUBMITTED
                    and evidence.step.evidence.count() == 1
                    else ""
                ),
                "evidence": evidence,  # its preview (images) or file icon, name and size
                "confirm_label": gettext("Withdraw the file"),
                "cancel_url": self.back(evidence),
                "cancel_label": gettext("Keep it"),
            },
        )

    def post(self, request, pk):
        evidence = self.get_evidence(request, pk)
        back = self.back(evidence)
        step_id = evidence.step_id
        try:
            services.evidence_withdraw(evidence=evidence, user=request.user)
        except ValidationError as error:
            tell_about_step(request, messages.ERROR, " ".join(error.messages), step_id)
        else:
            tell_about_step(
                request,
                messages.SUCCESS,
                gettext("Withdrew “%(name)s”.") % {"name": evidence.original_name},
                step_id,
            )
        return redirect(back)


class CEProofDownloadView(PortalMixin, View):
    def get(self, request, pk):
        activities = CEActivity.objects.visible_to(request.user).exclude(proof="")
        activity = get_object_or_404(activities, pk=pk)
        extension = activity.proof.name.rsplit(".", 1)[-1].lower()
        content_type = {
            "pdf": "application/pdf",
            "jpg": "image/jpeg",
            "png": "image/png",
            "webp": "image/webp",
        }.get(extension, "application/octet-stream")
        return private_file_response(
            activity.proof,
            filename=f"ce-proof-{activity.pk}.{extension}",
            content_type=content_type,
        )


# --- Credentials and CE ----------------------------------------------------------------


class CredentialsView(PortalMixin, TemplateView):
    template_name = "accounts/credentials.html"
    bound_forms = None  # {credential pk: CEActivityForm}

    def get_context_data(self, **kwargs):
        credentials = list(
            Credential.objects.owned_by(self.request.user)
            .select_related("certification__body")
            .prefetch_related("certification__ce_requirements", "ce_activities")
        )
        bound = self.bound_forms or {}
        cards = []
        for credential in credentials:
            labels = dict(services.ce_categories(credential.certification))
            for activity in credential.ce_activities.all():
                activity.category_label = labels.get(activity.category) or (
                    activity.category.replace("-", " ").capitalize()
                )
            cards.append(
                {
                    "credential": credential,
                    "ce": progress.credential_ce(credential),
                    "form": bound.get(credential.pk) or CEActivityForm(credential=credential),
                    "form_open": credential.pk in bound,
                }
            )
        return super().get_context_data(cards=cards, today=timezone.localdate(), **kwargs)


class CEActivityAddView(PortalMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        credential = get_object_or_404(
            Credential.objects.owned_by(request.user).select_related("certification"), pk=pk
        )
        form = CEActivityForm(
            request.POST,
            request.FILES,
            credential=credential,
            uploads_allowed=upload_allowed(request, "upload"),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.ce_activity_add(
                    credential=credential,
                    user=request.user,
                    title=data["title"],
                    provider=data["provider"],
                    category=data["category"],
                    credits=data["credits"],
                    completed_on=data["completed_on"],
                    proof=data["proof"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("Logged “%(title)s”: %(credits)s credits.")
                    % {"title": activity.title, "credits": f"{activity.credits.normalize():f}"},
                )
                return redirect(f"{reverse('portal:credentials')}#credential-{credential.pk}")
        view = CredentialsView()
        view.setup(request)
        view.bound_forms = {credential.pk: form}
        return too_many(view.render_to_response(view.get_context_data()), form)


class CEActivityDeleteView(PortalMixin, View):
    """Confirm, then remove a CE activity from the student's own log. CE entries carry
    no staff decision: the student keeps their log, so any entry can be removed."""

    def get(self, request, pk):
        activity = get_object_or_404(CEActivity.objects.owned_by(request.user), pk=pk)
        return render(
            request,
            "accounts/confirm.html",
            {
                "title": gettext("Remove this CE activity?"),
                "lead": (
                    gettext(
                        "“%(title)s” (%(credits)s credits, %(day)s) will be removed from your "
                        "CE log, with its certificate."
                    )
                    if activity.proof
                    else gettext(
                        "“%(title)s” (%(credits)s credits, %(day)s) will be removed from your "
                        "CE log."
                    )
                )
                % {
                    "title": activity.title,
                    "credits": f"{activity.credits.normalize():f}",
                    "day": local_date(activity.completed_on, "short"),
                },
                "confirm_label": gettext("Remove it"),
                "cancel_url": f"{reverse('portal:credentials')}#credential-{activity.credential_id}",
                "cancel_label": gettext("Keep it"),
            },
        )

    def post(self, request, pk):
        activity = get_object_or_404(CEActivity.objects.owned_by(request.user), pk=pk)
        credential_id = activity.credential_id
        services.ce_activity_delete(activity=activity, user=request.user)
        messages.success(
            request, gettext("Removed “%(title)s” from your CE log.") % {"title": activity.title}
        )
        return redirect(f"{reverse('portal:credentials')}#credential-{credential_id}")


# --- Profile ------------------------------------------------------------------------------


class ProfileView(PortalMixin, View):
    template_name = "accounts/profile.html"

    def get_form(self, data=None, files=None, *, uploads_allowed=True):
        profile = services.profile_ensure(user=self.request.user)
        return ProfileForm(
            data, files, instance=profile, user=self.request.user, uploads_allowed=uploads_allowed
        )

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "profile": form.instance},
        )

    def get(self, request):
        return self.render(self.get_form())

    def post(self, request):
        form = self.get_form(
            request.POST, request.FILES, uploads_allowed=upload_allowed(request, "photo")
        )
        if form.is_valid():
            form.save()
            # The portal now speaks the language chosen (the message too).
            with translation.override(request.user.language):
                messages.success(request, gettext("Your profile is saved."))
            return redirect(language_url(reverse("portal:profile"), request.user.language))
        return too_many(self.render(form), form)


class ProfilePhotoView(PortalMixin, View):
    """The student's own photo, for the profile page: never a public media URL."""

    def get(self, request):
        profile = StudentProfile.objects.filter(user=request.user).exclude(photo="").first()
        if profile is None:
            raise Http404("No photo.")
        return private_file_response(
            profile.photo, filename="photo.jpg", content_type="image/jpeg", as_attachment=False
        )


class ProfileExportView(PortalMixin, View):
    def get(self, request):
        data = services.profile_export(user=request.user)
        response = HttpResponse(
            # Labels are translated lazily: the encoder writes them as text.
            json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="my-student-record-{stamp}.json"'
        return response


# --- Invitations ---------------------------------------------------------------------------


def _invitation_allowed(request):
    """The "invitation" limit of ACCOUNT_RATE_LIMITS, counted on GET as well as POST.

    Following a link (GET) is what tells a valid token from a guess, so it must cost an
    attempt; allauth's public ``consume`` skips GET requests, its limiter (the same one,
    pinned in requirements.txt) takes ``limit_get``."""
    return bool(
        ratelimit_impl.consume(request, app="allauth.account", action="invitation", limit_get=True)
    )


class InvitationAcceptView(View):
    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        if not _invitation_allowed(request):
            response = render(request, "accounts/invitation_problem.html", {"reason": "busy"})
            response.status_code = 429
            return private(response)
        try:
            self.invitation = services.invitation_get(token=kwargs["token"])
        except services.InvitationError as error:
            return private(self.problem(request, error))
        return private(super().dispatch(request, *args, **kwargs))

    def problem(self, request, error):
        campus = None
        if error.invitation is not None:
            enrollment = (
                Enrollment.objects.filter(student=error.invitation.user)
                .select_related("cohort__offering__campus")
                .first()
            )
            campus = enrollment.cohort.offering.campus if enrollment else None
        status = 404 if error.reason == "invalid" else 410
        response = render(
            request,
            "accounts/invitation_problem.html",
            {"reason": error.reason, "campus": campus},
            status=status,
        )
        return response

    def render_form(self, form):
        user = self.invitation.user
        enrollment = (
            Enrollment.objects.filter(student=user)
            .select_related("cohort__offering__program", "cohort__offering__campus")
            .first()
        )
        return render(
            self.request,
            self.template_name,
            {"form": form, "invitee": user, "enrollment": enrollment},
        )

    def get(self, request, token):
        return self.render_form(InvitationPasswordForm(self.invitation.user))

    def post(self, request, token):
        form = InvitationPasswordForm(self.invitation.user, request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["new_password1"],
                language=translation.get_language(),
            )
        except services.InvitationError as error:
            return self.problem(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, gettext("Your password is set. Welcome to your student portal!"))
        return redirect("portal:dashboard")

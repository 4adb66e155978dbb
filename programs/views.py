from http import HTTPStatus
from urllib.parse import urlsplit

from allauth.core import ratelimit
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.generic import DetailView, FormView, ListView, TemplateView

from programs import seo
from programs.forms import InquiryForm, ProgramFilterForm
from programs.images import largest_jpeg_url
from programs.links import absolute_url, request_origin
from programs.models import Campus, Disclosure, Field, Inquiry, Program, Schedule
from programs.services import inquiry_submit

THANKS_SESSION_KEY = "programs:inquiry_thanks"


def _crumbs(*pairs):
    return [(gettext("Home"), reverse("home")), *pairs]


class CampusListView(ListView):
    context_object_name = "campuses"

    def get_queryset(self):
        return Campus.objects.published().with_offerings()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        origin = request_origin(self.request)
        campuses = context["campuses"]
        crumbs = _crumbs((gettext("Campuses"), reverse("programs:campus_list")))
        context.update(
            breadcrumbs=crumbs,
            structured_data=[
                seo.organization(campuses=campuses, origin=origin),
                seo.web_page(name=crumbs[-1][0], url=crumbs[-1][1], origin=origin),
                seo.breadcrumbs(items=crumbs, origin=origin),
            ],
        )
        return context


class CampusDetailView(DetailView):
    context_object_name = "campus"

    def get_queryset(self):
        return Campus.objects.published().with_offerings()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campus, origin = self.object, request_origin(self.request)
        crumbs = _crumbs(
            (gettext("Campuses"), reverse("programs:campus_list")),
            (gettext("%(name)s campus") % {"name": campus.name}, campus.get_absolute_url()),
        )
        # The organization block lists every campus; the other campus links the two pages.
        campuses = list(Campus.objects.published())
        context.update(
            program_rows=campus.program_rows(),
            request_info_for_campus=reverse("programs:request_info") + f"?campus={campus.slug}",
            cta_title=gettext("Visit the %(name)s campus") % {"name": campus.name},
            other_campuses=[c for c in campuses if c.pk != campus.pk],
            breadcrumbs=crumbs,
            og_image=absolute_url(origin, largest_jpeg_url(campus.photo_renditions)),
            structured_data=[
                seo.organization(campuses=campuses, origin=origin),
                seo.web_page(name=crumbs[-1][0], url=crumbs[-1][1], origin=origin),
                seo.breadcrumbs(items=crumbs, origin=origin),
            ],
        )
        return context


class ProgramListView(ListView):
    context_object_name = "programs"
    page_cache_params = ("campus", "field", "schedule")  # trainingcenter/pagecache.py

    def get(self, request, *args, **kwargs):
        self.campuses = list(Campus.objects.published())
        self.filter_form = ProgramFilterForm(request.GET or None, campuses=self.campuses)
        self.filters = self.filter_form.filters() if request.GET else {}
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        campus, schedule = self.filters.get("campus"), self.filters.get("schedule")
        programs = Program.objects.published()
        if campus or schedule:
            programs = programs.offered(campus_slug=campus, schedule=schedule)
        if field := self.filters.get("field"):
            programs = programs.filter(field=field)
        return programs.with_offerings(campus_slug=campus, schedule=schedule)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        origin = request_origin(self.request)
        programs = context["programs"]
        crumbs = _crumbs((gettext("Programs"), reverse("programs:list")))
        campus_names = {c.slug: c.name for c in self.campuses}
        active = {
            "campus": campus_names.get(self.filters.get("campus")),
            "field": Field(self.filters["field"]).label if "field" in self.filters else None,
            "schedule": (
                Schedule(self.filters["schedule"]).label if "schedule" in self.filters else None
            ),
        }
        context.update(
            filter_form=self.filter_form,
            filter_errors=self.filter_form.error_messages() if self.request.GET else [],
            filters=self.filters,
            active_filters={k: v for k, v in active.items() if v},
            campuses=self.campuses,
            breadcrumbs=crumbs,
            structured_data=[
                seo.program_list(programs=programs, origin=origin),
                seo.web_page(name=crumbs[-1][0], url=crumbs[-1][1], origin=origin),
                seo.breadcrumbs(items=crumbs, origin=origin),
            ],
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filter_form.errors:
            # A page about an unknown filter value is not kept for the next visitor.
            patch_cache_control(response, no_store=True)
        return response


class ProgramDetailView(DetailView):
    context_object_name = "program"

    def get_queryset(self):
        return (
            Program.objects.published()
            .with_offerings()
            .prefetch_related(
                "courses",
                "outcomes",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program, origin = self.object, request_origin(self.request)
        courses = list(program.courses.all())
        # The related managers are the careers models' own: published() without importing
        # careers (programs sits below careers).
        certifications = list(program.certifications.published().select_related("body"))
        roles = list(program.roles.published())
        crumbs = _crumbs(
            (gettext("Programs"), reverse("programs:list")),
            (program.title, program.get_absolute_url()),
        )
        low, high = program.tuition_range()
        context.update(
            meta_description=program.summary
            if len(program.summary) >= 70
            else (
                gettext(
                    "%(title)s: a %(weeks)s-week, %(hours)s-hour %(credential)s program in "
                    "Dallas-Fort Worth, Texas. Schedules, start dates, tuition and curriculum."
                )
                % {
                    "title": program.title,
                    "weeks": program.length_weeks,
                    "hours": program.clock_hours,
                    "credential": program.credential_awarded.lower(),
                }
            ),
            campus_rows=program.campus_rows(),
            courses=courses,
            course_hours=sum(c.hours for c in courses),
            externships=[c for c in courses if c.is_externship],
            outcomes=list(program.outcomes.all()),
            certifications=certifications,
            roles=roles,
            tuition_low=low,
            tuition_high=high,
            request_info_for_program=(
                reverse("programs:request_info") + f"?program={program.slug}"
            ),
            breadcrumbs=crumbs,
            og_image=absolute_url(origin, largest_jpeg_url(program.hero_renditions)),
            structured_data=[
                seo.program(
                    program=program, certifications=certifications, roles=roles, origin=origin
                ),
                seo.web_page(name=crumbs[-1][0], url=crumbs[-1][1], origin=origin),
                seo.breadcrumbs(items=crumbs, origin=origin),
            ],
        )
        return context


def _referring_path(request):
    """The page of this site the visitor came from (path and query), or ""."""
    try:
        parts = urlsplit(request.headers.get("referer", ""))
    except ValueError:
        return ""
    if parts.netloc != request.get_host() or not parts.path.startswith("/"):
        return ""
    return (parts.path + (f"?{parts.query}" if parts.query else ""))[:500]


class RequestInfoView(FormView):
    form_class = InquiryForm
    template_name = "programs/request_info.html"
    success_url = reverse_lazy("programs:request_info_thanks")

    def get_initial(self):
        initial = {"source_page": _referring_path(self.request)}
        for name in ("program", "campus"):
            if value := self.request.GET.get(name, "").strip():
                initial[name] = value[:100]
        return initial

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam:
            # Bots fill every field; people never see this one. Answer as if all went well.
            request.session.pop(THANKS_SESSION_KEY, None)
            return redirect(self.get_success_url())
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        # Counted per network and per e-mail address; invalid forms never get here, so
        # they use up no allowance.
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(self.request, action="request_info", key=email):
            form.add_error(
                None,
                gettext(
                    "We have already received several requests from you in the last hour, so "
                    "we did not send this one. Admissions will be in touch soon; if it's "
                    "urgent, please call the campus."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
            return response
        inquiry = inquiry_submit(form=form, origin=request_origin(self.request))
        self.request.session[THANKS_SESSION_KEY] = inquiry.pk
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campuses"] = list(Campus.objects.published())
        context["breadcrumbs"] = _crumbs(
            (gettext("Request information"), reverse("programs:request_info"))
        )
        return context


class RequestInfoThanksView(TemplateView):
    template_name = "programs/request_info_thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.request.session.get(THANKS_SESSION_KEY)
        inquiry = (
            Inquiry.objects.select_related("program", "campus").filter(pk=pk).first()
            if isinstance(pk, int)
            else None
        )
        context["inquiry"] = inquiry
        context["campuses"] = [] if inquiry and inquiry.campus else list(Campus.objects.published())
        return context


class DisclosuresView(ListView):
    model = Disclosure
    context_object_name = "disclosures"
    template_name = "programs/disclosures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = _crumbs((gettext("Disclosures"), reverse("programs:disclosures")))
        return context

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from careers import catalog, search, structured_data
from careers.forms import PathFinderForm
from careers.models import (
    CareerGuide,
    Certification,
    GuideSection,
    LaborFigure,
    Role,
    SearchDocument,
    Track,
    WorkplaceFactor,
)
from careers.pathfinder import recommend_path
from programs import seo
from programs.links import request_origin
from programs.models import Campus, Program


class BreadcrumbMixin:
    """Visible breadcrumbs plus their BreadcrumbList JSON-LD, from one list."""

    def get_breadcrumbs(self):
        return [(gettext("Home"), reverse("home")), (gettext("Careers"), reverse("careers:index"))]

    def get_structured_data(self, breadcrumbs):
        origin = request_origin(self.request)
        name, url = breadcrumbs[-1]
        return [
            seo.web_page(name=name, url=url, origin=origin),
            seo.breadcrumbs(items=breadcrumbs, origin=origin),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        breadcrumbs = self.get_breadcrumbs()
        context["breadcrumbs"] = breadcrumbs
        context["structured_data"] = self.get_structured_data(breadcrumbs)
        return context


def _certifications():
    return Certification.objects.published().with_school_programs().select_related("body")


def _campus_list(program):
    """[(campus, [schedule labels])] for a program's prefetched active offerings."""
    campuses = {}
    for offering in program.active_offerings:
        campuses.setdefault(offering.campus, []).append(offering.get_schedule_display())
    return list(campuses.items())


class CareersIndexView(BreadcrumbMixin, TemplateView):
    template_name = "careers/index.html"

    def get_breadcrumbs(self):
        return super().get_breadcrumbs()[:2]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = list(Role.objects.published())
        certifications = list(_certifications())
        top_level = [role for role in roles if role.parent_id is None]
        for role in top_level:
            role.published_specialisations = [r for r in roles if r.parent_id == role.pk]
        context.update(
            roles=roles,
            role_families=[role for role in top_level if role.published_specialisations],
            other_roles=[role for role in top_level if not role.published_specialisations],
            ma_certifications=[c for c in certifications if c.is_medical_assistant],
            other_certifications=[c for c in certifications if not c.is_medical_assistant],
            guides=list(CareerGuide.objects.published()),
        )
        return context


class CertificationListView(BreadcrumbMixin, ListView):
    template_name = "careers/certification_list.html"
    context_object_name = "certifications"

    def get_queryset(self):
        return _certifications().prefetch_related("ce_requirements")

    def get_breadcrumbs(self):
        return [
            *super().get_breadcrumbs(),
            (gettext("Certifications"), reverse("careers:certification_list")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certifications = list(context["certifications"])
        context["ma_certifications"] = [c for c in certifications if c.is_medical_assistant]
        context["other_certifications"] = [c for c in certifications if not c.is_medical_assistant]
        context["ma_acronyms"] = get_text_list(
            [c.acronym for c in context["ma_certifications"]], gettext("and")
        )
        return context


class CertificationDetailView(BreadcrumbMixin, DetailView):
    template_name = "careers/certification_detail.html"
    context_object_name = "certification"

    def get_queryset(self):
        return _certifications().prefetch_related(
            "eligibility_routes",
            "ce_requirements",
            "path_steps",
            Prefetch("roles", queryset=Role.objects.published(), to_attr="published_roles"),
            catalog.published_programs_prefetch(),
        )

    def get_breadcrumbs(self):
        return [
            *super().get_breadcrumbs(),
            (gettext("Certifications"), reverse("careers:certification_list")),
            (self.object.acronym, self.object.get_absolute_url()),
        ]

    def get_structured_data(self, breadcrumbs):
        return [
            structured_data.certification_credential(self.request, self.object),
            *super().get_structured_data(breadcrumbs),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cert = self.object
        context["programs"] = [
            (program, _campus_list(program)) for program in cert.published_programs
        ]
        context["training_steps"] = [s for s in cert.path_steps.all() if not s.milestone]
        context["fact_dates"] = [d for d in cert.fact_dates() if d]
        return context


class RoleDetailView(BreadcrumbMixin, DetailView):
    template_name = "careers/role_detail.html"
    context_object_name = "role"

    def get_queryset(self):
        return (
            Role.objects.published()
            .select_related("parent")
            .prefetch_related(
                "duties",
                Prefetch(
                    "certifications",
                    queryset=_certifications(),
                    to_attr="published_certifications",
                ),
                Prefetch(
                    "specialisations",
                    queryset=Role.objects.published(),
                    to_attr="published_specialisations",
                ),
                Prefetch(
                    "programs", queryset=Program.objects.published(), to_attr="published_programs"
                ),
                Prefetch(
                    "guides", queryset=CareerGuide.objects.published(), to_attr="published_guides"
                ),
            )
        )

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        parent = self.object.parent
        if parent and parent.published:
            crumbs.append((parent.title, parent.get_absolute_url()))
        return [*crumbs, (self.object.title, self.object.get_absolute_url())]

    @cached_property
    def _labor_figures(self):
        """The role's own figures; a specialisation without any shows its umbrella's.

        One query for both roles' figures rather than two prefetches.
        """
        role = self.object
        figures = list(LaborFigure.objects.filter(role__in=[role.pk, role.parent_id]))
        own = [f for f in figures if f.role_id == role.pk]
        if not own and role.parent:
            return [f for f in figures if f.role_id == role.parent_id], role.parent
        return own, None

    def labor_figures(self):
        return self._labor_figures

    def get_structured_data(self, breadcrumbs):
        figures, _ = self.labor_figures()
        return [
            structured_data.occupation(
                self.request,
                self.object,
                figures,
                self.object.published_certifications,
                list(self.object.duties.all()),
            ),
            *super().get_structured_data(breadcrumbs),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures, figures_from = self.labor_figures()
        context["labor_figures"] = figures
        context["figures_from"] = figures_from
        duties = list(self.object.duties.all())
        context["duties"] = duties
        context["duty_sources"] = sorted(
            {(d.get_source_display(), d.source_url) for d in duties}, key=lambda s: s[0]
        )
        return context


class GuideDetailView(BreadcrumbMixin, DetailView):
    template_name = "careers/guide_detail.html"
    context_object_name = "guide"

    def get_queryset(self):
        return CareerGuide.objects.published().select_related("role").prefetch_related("sections")

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (self.object.title, self.object.get_absolute_url())]

    def get_structured_data(self, breadcrumbs):
        return [
            structured_data.article(self.request, self.object),
            *super().get_structured_data(breadcrumbs),
        ]

    def section_data(self, kinds):
        """Load only the data the guide's sections show: one query per kind at most."""
        Kind = GuideSection.Kind
        data = {}
        if kinds & {Kind.TRACKS, Kind.CERTIFICATIONS, Kind.CALL_TO_ACTION}:
            # The guide's compact table shows CE totals only: no per-category prefetch.
            ma_certs = list(_certifications().medical_assistant())
            data["ma_certifications"] = ma_certs
            data["prepared_certifications"] = [c for c in ma_certs if c.school_prepares]
            tracks = []
            roles = {}
            candidates = Role.objects.published().filter(
                track__in=[Track.CLINICAL, Track.ADMINISTRATIVE]
            )
            # Prefer the guide role's own specialisations, then the first in order.
            for role in sorted(candidates, key=lambda r: (r.parent_id != self.object.role_id,)):
                roles.setdefault(role.track, role)
            for track in (Track.CLINICAL, Track.ADMINISTRATIVE):
                tracks.append(
                    {
                        "track": track,
                        "label": track.label,
                        "role": roles.get(track),
                        "certifications": [c for c in ma_certs if c.track == track],
                    }
                )
            data["tracks"] = tracks
        if Kind.DUTIES in kinds and self.object.role:
            duties = list(self.object.role.duties.all())
            data["duty_groups"] = [
                (label, [d for d in duties if d.track == track])
                for track, label in (
                    (Track.CLINICAL, gettext("Clinical")),
                    (Track.ADMINISTRATIVE, gettext("Administrative")),
                    (Track.OTHER, gettext("Both")),
                )
                if any(d.track == track for d in duties)
            ]
        if Kind.FACTORS in kinds:
            data["factors"] = list(WorkplaceFactor.objects.all())
        if Kind.CALL_TO_ACTION in kinds:
            data["campus_groups"] = catalog.campus_groups(catalog.medical_assistant_offerings())
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = list(self.object.sections.all())
        context["sections"] = sections
        context.update(self.section_data({section.kind for section in sections}))
        return context


class FindYourPathView(BreadcrumbMixin, TemplateView):
    template_name = "careers/find_your_path.html"
    fields = ("work", "needles", "schedule", "campus")
    # Sent with every submit: unanswered radio buttons send nothing, so without it an
    # empty submit would look like a first visit and say nothing.
    submitted = "answered"
    page_cache_params = (*fields, submitted)  # trainingcenter/pagecache.py

    def get_breadcrumbs(self):
        return [
            *super().get_breadcrumbs(),
            (gettext("Find your path"), reverse("careers:find_your_path")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answered = any(name in self.request.GET for name in (*self.fields, self.submitted))
        campuses = list(Campus.objects.published())
        form = PathFinderForm(self.request.GET if answered else None, campuses=campuses)
        context["form"] = form
        if form.is_valid():
            context["recommendation"] = recommend_path(**form.cleaned_data)
            context["answers"] = form.cleaned_data
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["form"].errors:
            # Unanswered or invalid answers: not kept for the next visitor.
            patch_cache_control(response, no_store=True)
        return response


# What an empty or fruitless search suggests trying.
SEARCH_SUGGESTIONS = (
    _("medical assistant"),
    _("phlebotomy"),
    _("evening classes"),
    "Arlington",
    "CMA",
)
# Headings of the result groups, in the order shown.
SEARCH_GROUPS = (
    (SearchDocument.Kind.PROGRAM, _("Programs")),
    (SearchDocument.Kind.CAMPUS, _("Campuses")),
    (SearchDocument.Kind.CERTIFICATION, _("Certifications")),
    (SearchDocument.Kind.ROLE, _("Careers")),
    (SearchDocument.Kind.GUIDE, _("Career guide")),
)
# Pages kept by the anonymous page cache: short queries already in their plain form.
CACHEABLE_SEARCH_WORDS = 3


class SearchView(TemplateView):
    """Site search: results grouped by kind, programs with their next open start."""

    template_name = "careers/search.html"
    page_cache_params = ("q",)  # trainingcenter/pagecache.py; see cacheable()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        results = search.search(raw)
        programs = self.programs(
            [d.object_id for d in results.documents if d.kind == SearchDocument.Kind.PROGRAM]
        )
        groups = []
        for kind, heading in SEARCH_GROUPS:
            items = [d for d in results.documents if d.kind == kind]
            if kind == SearchDocument.Kind.PROGRAM:
                # A program unpublished since the index was built is left out.
                items = [(d, programs[d.object_id]) for d in items if d.object_id in programs]
            else:
                items = [(d, None) for d in items]
            if items:
                groups.append({"kind": kind, "heading": heading, "items": items})
        context.update(
            q=results.query.text,
            query=results.query,
            results=results,
            groups=groups,
            count=sum(len(g["items"]) for g in groups),
            suggestions=[str(suggestion) for suggestion in SEARCH_SUGGESTIONS],
        )
        return context

    @staticmethod
    def programs(ids):
        """{id: program} with the campus rows (and next start) the results show."""
        if not ids:
            return {}
        return {
            program.pk: program
            for program in Program.objects.published().filter(pk__in=ids).with_offerings()
        }

    def cacheable(self, context):
        """Only a bounded kind of search page is kept for the next visitor: no query, or
        a short one typed in its plain form (lowercase, single spaces) whose words are
        all in the index and find something. Anything else (typos, long or odd input)
        is rendered for this visitor alone."""
        raw = self.request.GET.get("q", "")
        query = context["query"]
        if query.is_empty:
            return raw == ""
        words = raw.split(" ")
        return (
            raw == query.text
            and raw == raw.lower()
            # Plain words, each once: "-nurse", "nurse!!!" or "nurse nurse" are not kept.
            and all(word.isalnum() for word in words)
            and len(set(words)) == len(words) == len(query.tokens)
            and query.known
            and len(query.tokens) <= CACHEABLE_SEARCH_WORDS
            and context["count"] > 0
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.cacheable(context):
            patch_cache_control(response, no_store=True)
        return response

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.links import site_scheme
from programs.models import Campus, Program


class CanonicalSitemap(Sitemap):
    """Every sitemap of the site: the canonical scheme and host, never the request's.

    The host comes from the django.contrib.sites row (set by a data migration), the
    scheme from ``site_scheme`` (the same as the links in e-mails)."""

    @property
    def protocol(self):
        return site_scheme()


class ProgramsPagesSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return [
            "programs:list",
            "programs:campus_list",
            "programs:request_info",
            "programs:disclosures",
        ]

    def location(self, item):
        return reverse(item)


class CampusSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Campus.objects.published().order_by("order", "name")

    def lastmod(self, campus):
        return campus.updated_at


class ProgramSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Program.objects.published().order_by("order", "title")

    def lastmod(self, program):
        return program.updated_at


sitemaps = {
    "programs-pages": ProgramsPagesSitemap,
    "campuses": CampusSitemap,
    "programs": ProgramSitemap,
}

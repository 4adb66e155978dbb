from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Campus, Program


class _HttpsSitemap(Sitemap):
    # The domain comes from the django.contrib.sites row (set by a data migration);
    # the public site is served over HTTPS only.
    protocol = "https"


class ProgramsPagesSitemap(_HttpsSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["programs:list", "programs:campus_list", "programs:request_info"]

    def location(self, item):
        return reverse(item)


class CampusSitemap(_HttpsSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Campus.objects.published().order_by("order", "name")

    def lastmod(self, campus):
        return campus.updated_at


class ProgramSitemap(_HttpsSitemap):
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

from django.urls import reverse

from careers.sitemaps import sitemaps as careers_sitemaps
from programs.sitemaps import CanonicalSitemap
from programs.sitemaps import sitemaps as programs_sitemaps


class StaticViewSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


sitemaps = {"static": StaticViewSitemap, **programs_sitemaps, **careers_sitemaps}

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from careers.models import CareerGuide, Certification, Role


class CareersStaticSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return ["careers:index", "careers:certification_list", "careers:find_your_path"]

    def location(self, item):
        return reverse(item)


class RoleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Role.objects.published().order_by("order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class CertificationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Certification.objects.published().order_by("order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class GuideSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return CareerGuide.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


sitemaps = {
    "careers": CareersStaticSitemap,
    "career-roles": RoleSitemap,
    "certifications": CertificationSitemap,
    "career-guides": GuideSitemap,
}

from django.urls import reverse

from careers.models import CareerGuide, Certification, Role
from programs.sitemaps import CanonicalSitemap


class CareersStaticSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return ["careers:index", "careers:certification_list", "careers:find_your_path"]

    def location(self, item):
        return reverse(item)


class RoleSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Role.objects.published().order_by("order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class CertificationSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Certification.objects.published().order_by("order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class GuideSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return CareerGuide.objects.published().order_by("pk")

    def lastmod(self, obj):
        # The editors' last revision, as in the guide's structured data.
        return obj.modified_on or obj.updated_at


sitemaps = {
    "careers": CareersStaticSitemap,
    "career-roles": RoleSitemap,
    "certifications": CertificationSitemap,
    "career-guides": GuideSitemap,
}

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


def in_every_language(sitemap_class):
    """The same sitemap listing each page once per language (``/programs/`` and
    ``/es/programs/``), each with its alternates in every language and ``x-default``;
    the scheme and host stay those of the sitemap."""
    return type(
        sitemap_class.__name__,
        (sitemap_class,),
        {"i18n": True, "alternates": True, "x_default": True, "__module__": __name__},
    )


sitemaps = {
    name: in_every_language(sitemap_class)
    for name, sitemap_class in {
        "static": StaticViewSitemap,
        **programs_sitemaps,
        **careers_sitemaps,
    }.items()
}

"""The campus addresses and disclosure notice shown in every page's footer.

Every page of the site (portal and admin included) renders the footer, so its two
queries are cached; saving or deleting a campus or a disclosure clears the cache
(programs.signals), and the short timeout bounds staleness across processes.
"""

from django.core.cache import cache

FOOTER_CACHE_KEY = "programs:footer:v1"
FOOTER_CACHE_SECONDS = 300


def footer_data():
    data = cache.get(FOOTER_CACHE_KEY)
    if data is None:
        from programs.models import Campus, Disclosure

        campuses = [
            {
                "name": campus.name,
                "address_line": campus.address_line,
                "phone": campus.phone,
                "phone_link": campus.phone_link,
                "email": campus.email,
                "url": campus.get_absolute_url(),
            }
            for campus in Campus.objects.published()
        ]
        notices = Disclosure.objects.in_footer().values_list("footer_text", flat=True)
        data = {"campuses": campuses, "notice": " ".join(notices)}
        cache.set(FOOTER_CACHE_KEY, data, FOOTER_CACHE_SECONDS)
    return data


def clear_footer_cache(**kwargs):
    cache.delete(FOOTER_CACHE_KEY)

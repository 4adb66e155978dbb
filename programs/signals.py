from django.db.models.signals import post_delete, post_save

from programs.footer import clear_footer_cache
from programs.models import Campus, Disclosure


def connect():
    for model in (Campus, Disclosure):
        post_save.connect(clear_footer_cache, sender=model, dispatch_uid=f"footer-save-{model}")
        post_delete.connect(clear_footer_cache, sender=model, dispatch_uid=f"footer-del-{model}")


SITE_DOMAIN = "www.trinitycareer.example"
SITE_NAME = "Trinity Career Institute"


def ensure_site_domain(sender, using="default", **kwargs):
    """Keep the Site row on the school's domain when the sites framework (re)creates
    its example.com default, e.g. after a database flush (the data migration ran once)."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).filter(pk=1, domain="example.com").update(
        domain=SITE_DOMAIN, name=SITE_NAME
    )

from django.db.models.signals import post_delete, post_save

from programs.footer import clear_footer_cache
from programs.models import Campus, Disclosure


def connect():
    for model in (Campus, Disclosure):
        post_save.connect(clear_footer_cache, sender=model, dispatch_uid=f"footer-save-{model}")
        post_delete.connect(clear_footer_cache, sender=model, dispatch_uid=f"footer-del-{model}")

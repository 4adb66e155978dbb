from django.apps import AppConfig


class CareersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "careers"

    def ready(self):
        from django.db.models.signals import post_migrate

        from careers import search

        search.connect_signals()
        post_migrate.connect(search.build_if_empty, sender=self)

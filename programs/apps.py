from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"

    def ready(self):
        from django.db.models.signals import post_migrate

        from programs import signals

        signals.connect()
        post_migrate.connect(signals.ensure_site_domain, sender=self)
